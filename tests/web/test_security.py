"""Headers, CSRF and the absence of inline script on every page."""

import re

import pytest
from django.test import Client

from workflow.models import Policy

State = Policy.State

# No inline <script> body, no on* handler, no style attribute: the
# Content-Security-Policy would block them, so a page relying on one breaks.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


def pages(policy, version):
    return [
        "/",
        "/policies/",
        f"/policies/{policy.pk}/",
        "/policies/new/",
        f"/policies/{policy.pk}/edit/",
        "/reports/portfolio/",
        "/notifications/",
        "/notifications/preferences/",
        "/accounts/password/",
        f"/documents/versions/{version.pk}/preview/",
        "/webhooks/",
    ]


@pytest.fixture
def policy(new_policy, walk):
    walk.upload(new_policy)
    return new_policy


def test_every_page_answers_with_the_security_headers(client, cast, policy):
    client.force_login(cast.coordinator)
    for url in pages(policy, policy.current_version):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp, url
        assert "unsafe-inline" not in csp, url
        assert "unsafe-eval" not in csp, url
        assert "frame-ancestors 'none'" in csp, url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url


def test_no_page_relies_on_inline_script_or_style(client, cast, policy):
    client.force_login(cast.coordinator)
    for url in [*pages(policy, policy.current_version), "/accounts/logout/"]:
        if url == "/accounts/logout/":
            client.logout()
            url = "/accounts/login/"
        page = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(page), url
        assert not HANDLER.search(page), url
        assert not STYLE_ATTRIBUTE.search(page), url


@pytest.mark.parametrize(
    "url",
    ["/accounts/logout/", "/i18n/setlang/", "/notifications/read-all/", "/policies/new/"],
)
def test_forms_are_refused_without_the_csrf_token(cast, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.coordinator)
    assert client.post(url, {"language": "ar"}).status_code == 403


def test_a_policy_of_another_country_is_not_found(client, cast, policy):
    client.force_login(cast.foreign_member)
    response = client.get(f"/policies/{policy.pk}/")
    assert response.status_code == 404
    assert policy.title not in response.content.decode()
    assert "Not found" in response.content.decode()
