"""A refusal is logged in one line with its reason; a real error keeps its traceback."""

import io
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path, reverse

from policyflow import urls as site_urls

pytestmark = pytest.mark.django_db


def forbid(request):
    raise PermissionDenied("Only the policy's coordinators may change its details.")


def fail(request):
    raise RuntimeError("a bug")


# The site's own addresses too: the error pages link to them.
urlpatterns = [path("forbid/", forbid), path("fail/", fail), *site_urls.urlpatterns]


def request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def test_a_403_from_a_page_is_one_line_with_its_reason(page_client, cast, caplog):
    client = page_client(cast.drafter)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("web:policy_create"))
    assert response.status_code == 403
    [record] = request_records(caplog)
    assert record.exc_info is None
    assert record.getMessage() == (
        "Forbidden (Permission denied): /policies/new/ "
        "(PermissionDenied: Only coordinators register policies.)"
    )
    assert "Traceback" not in caplog.text


@pytest.mark.urls(__name__)
def test_a_500_keeps_its_traceback(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/fail/").status_code == 500
    [record] = request_records(caplog)
    assert record.exc_info is not None
    assert "Traceback" in caplog.text
    assert "RuntimeError: a bug" in caplog.text


@pytest.mark.urls(__name__)
def test_the_console_prints_a_refusal_in_one_line_and_an_error_in_full():
    """What the server's own log handler writes, for a 403, a 400 and a 500."""
    [console] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream = io.StringIO()
    previous = console.setStream(stream)
    client = Client(raise_request_exception=False)
    try:
        assert client.get("/forbid/").status_code == 403
        assert client.get("/admin/workflow/policy/", {"state__exact": "\x00"}).status_code == 400
        assert client.get("/fail/").status_code == 500
    finally:
        console.setStream(previous)
    lines = stream.getvalue().splitlines()
    assert lines[0] == (
        "Forbidden (Permission denied): /forbid/ "
        "(PermissionDenied: Only the policy's coordinators may change its details.)"
    )
    assert lines[1] == "NUL character in the query string: /admin/workflow/policy/"
    assert lines[2] == "Internal Server Error: /fail/"
    assert lines[3] == "Traceback (most recent call last):"
    assert lines[-1] == "RuntimeError: a bug"
