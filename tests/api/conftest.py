import pytest
from rest_framework.test import APIClient

from api import tokens


@pytest.fixture
def api_client(db):
    """``api_client(user)``: a client sending a fresh personal token of ``user``."""

    def make(user):
        _row, token = tokens.create_token(user, name="tests")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        client.token = token
        return client

    return make
