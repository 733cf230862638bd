import pytest

from tests.admin.helpers import make_staff


@pytest.fixture
def login(client):
    """``login(user)``: the test client, logged in as ``user`` made staff."""

    def as_staff(user):
        client.force_login(make_staff(user))
        return client

    return as_staff
