"""Signing in and out, throttled failures, password change, language choice."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory

LOGIN = "/accounts/login/"


@pytest.fixture
def person(db):
    return UserFactory(username="amina", first_name="Amina", last_name="Rahimi")


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_sign_in_page_has_a_labelled_form(client, db):
    page = client.get(LOGIN).content.decode()
    assert '<label class="form-label" for="id_username">' in page
    assert '<label class="form-label" for="id_password">' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_signing_in_lands_on_the_dashboard(client, person):
    response = sign_in(client, "amina", "pw")
    assert (response.status_code, response.url) == (302, "/")
    page = client.get("/").content.decode()
    assert "Amina Rahimi" in page


def test_a_wrong_password_is_refused_with_a_message(client, person):
    response = sign_in(client, "amina", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert client.get("/").status_code == 302


def test_repeated_failures_lock_the_account_for_a_while(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "amina", "wrong").status_code == 200
    locked = sign_in(client, "amina", "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    attempt = AccessAttempt.objects.get(username="amina")
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT

    # Even the right password waits out the cool-off.
    assert sign_in(client, "amina", "pw").status_code == 429
    assert client.get("/").status_code == 302

    # Another account from the same address is not affected.
    UserFactory(username="bilal")
    assert sign_in(Client(), "bilal", "pw").status_code == 302

    # Once the cool-off has passed, the right password works again.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    assert sign_in(client, "amina", "pw").status_code == 302


def test_signing_out_needs_a_post(client, person):
    client.force_login(person)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert (response.status_code, response.url) == (302, LOGIN)
    assert client.get("/").status_code == 302


def test_password_change(client, person):
    client.force_login(person)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "pw",
            "new_password1": "a-long-new-passphrase-2026",
            "new_password2": "a-long-new-passphrase-2026",
        },
    )
    assert (response.status_code, response.url) == (302, "/accounts/password/done/")
    person.refresh_from_db()
    assert person.check_password("a-long-new-passphrase-2026")


def test_a_weak_new_password_is_refused(client, person):
    client.force_login(person)
    response = client.post(
        "/accounts/password/",
        {"old_password": "pw", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    person.refresh_from_db()
    assert person.check_password("pw")


@pytest.mark.parametrize(
    ("language", "direction", "stylesheet"),
    [
        ("ar", "rtl", "bootstrap.rtl.min.css"),
        ("fa", "rtl", "bootstrap.rtl.min.css"),
        ("ps", "rtl", "bootstrap.rtl.min.css"),
        ("ur", "rtl", "bootstrap.rtl.min.css"),
        ("en", "ltr", "bootstrap.min.css"),
    ],
)
def test_the_chosen_language_sets_direction_and_stylesheet(
    client, person, language, direction, stylesheet
):
    client.force_login(person)
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert (response.status_code, response.url) == (302, "/")
    page = client.get("/").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert f"vendor/bootstrap-5.3.9/{stylesheet}" in page


def test_the_language_menu_names_each_language_in_itself(client, person):
    client.force_login(person)
    page = client.get("/").content.decode()
    for code, name in [("ar", "العربية"), ("fa", "دری"), ("ps", "پښتو"), ("ur", "اردو")]:
        assert f'<option value="{code}" lang="{code}">{name}</option>' in page


def test_demo_accounts_are_listed_only_in_the_demo(client, settings, db):
    from demo.portfolio import load_demo
    from tests.demo_mode import enter_demo_mode

    load_demo()
    assert "Demo accounts" not in client.get(LOGIN).content.decode()
    enter_demo_mode(settings)
    page = client.get(LOGIN).content.decode()
    assert "Demo accounts" in page
    assert "<code>mophrd</code>" in page


def test_behind_the_proxy_failures_count_per_client_not_per_proxy(client, person, settings):
    """Every request reaches Django from the proxy's address; the lock-out must
    still fall on whoever failed, not on everyone behind the proxy."""
    settings.BEHIND_TLS_PROXY = True
    proxy = {"REMOTE_ADDR": "172.18.0.1"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.9"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "amina", "password": "wrong"}, **attacker)
    assert (
        client.post(LOGIN, {"username": "amina", "password": "pw"}, **attacker).status_code == 429
    )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"

    # The same account, from the person's own address through the same proxy.
    own = {**proxy, "HTTP_X_FORWARDED_FOR": "192.0.2.44"}
    response = Client().post(LOGIN, {"username": "amina", "password": "pw"}, **own)
    assert (response.status_code, response.url) == (302, "/")


@pytest.mark.parametrize(
    "next_url",
    [
        LOGIN,
        f"{LOGIN}?next=/policies/",
        f"{LOGIN}?next={LOGIN}",
        "http://testserver/accounts/login/",
    ],
)
def test_signed_in_and_sent_to_the_sign_in_page_itself_lands_on_the_dashboard(
    client, person, next_url
):
    client.force_login(person)
    response = client.get(LOGIN, {"next": next_url})
    assert (response.status_code, response.url) == (302, "/")


def test_the_sign_in_page_keeps_its_failure_limit_and_sends_the_signed_in_on(
    client, person, settings
):
    settings.AXES_FAILURE_LIMIT = 7
    page = client.get(LOGIN, {"next": "/policies/"})
    assert page.status_code == 200
    assert page.context["failure_limit"] == 7
    # Signing in with the sign-in page as ``next`` goes to the dashboard, not round in circles.
    response = client.post(f"{LOGIN}?next={LOGIN}", {"username": "amina", "password": "pw"})
    assert (response.status_code, response.url) == (302, "/")
    response = client.get(LOGIN)
    assert (response.status_code, response.url) == (302, "/")
    # Elsewhere, as before.
    assert client.get(LOGIN, {"next": "/policies/"}).url == "/policies/"
    assert client.get(LOGIN, {"next": "https://elsewhere.example/"}).url == "/"
