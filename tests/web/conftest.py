"""Fixtures shared by the page tests."""

import pytest
from django.test import Client


@pytest.fixture
def page_client(db):
    """``page_client(user)``: a test client signed in as ``user``."""

    def signed_in(user, **client_options):
        client = Client(**client_options)
        client.force_login(user)
        return client

    return signed_in
