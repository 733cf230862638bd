"""Sign-in rates across addresses and accounts, behind the TLS proxy.

django-axes locks an (account, address) pair; these caps slow an account
tried from many addresses, and an address trying many accounts, with a
429 and Retry-After that lifts by itself.
"""

import datetime

import pytest
from axes.models import AccessFailureLog
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
PROXY = {"REMOTE_ADDR": "172.18.0.1"}
FULL_WIDTH_AMINA = "".join(chr(ord(letter) + 0xFEE0) for letter in "amina")


@pytest.fixture(autouse=True)
def behind_the_proxy(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 10
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 30
    settings.SIGN_IN_WINDOW_MINUTES = 15


@pytest.fixture
def amina(db):
    return UserFactory(username="amina")


def sign_in(username, password, address, url=LOGIN):
    """One attempt through the proxy, which appends the client's address."""
    return Client().post(
        url,
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=f"10.9.9.9, {address}",
        **PROXY,
    )


def age_failures(minutes):
    AccessFailureLog.objects.update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def test_a_new_address_for_every_guess_is_slowed_per_account(amina, settings):
    for n in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT):
        assert sign_in("amina", "wrong", f"198.51.100.{n}").status_code == 200
    failures = AccessFailureLog.objects.count()
    assert failures == settings.SIGN_IN_FAILURES_PER_ACCOUNT

    # From yet another address, even the right password waits: the answer
    # tells nothing about the password, and the refusal is not counted.
    refused = sign_in("amina", "pw", "198.51.100.200")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    assert "Too many failed sign-ins" in refused.content.decode()
    assert sign_in(" amina ", "wrong", "198.51.100.201").status_code == 429
    assert AccessFailureLog.objects.count() == failures

    # Other accounts are not slowed.
    UserFactory(username="bilal")
    assert sign_in("bilal", "pw", "198.51.100.200").status_code == 302

    # It lifts by itself, once the counted failures leave the window.
    age_failures(10)
    assert 0 < int(sign_in("amina", "pw", "198.51.100.200")["Retry-After"]) <= 5 * 60
    age_failures(16)
    assert sign_in("amina", "pw", "198.51.100.200").status_code == 302


def test_password_spraying_from_one_address_is_slowed(db, settings):
    sprayer = "203.0.113.66"
    names = [f"person{n}" for n in range(9)]
    for name in names:
        UserFactory(username=name)
    answers = [
        sign_in(name, f"guess {guess}", sprayer).status_code for name in names for guess in range(4)
    ]
    cap = settings.SIGN_IN_FAILURES_PER_ADDRESS
    assert answers[:cap] == [200] * cap
    assert set(answers[cap:]) == {429}
    assert AccessFailureLog.objects.filter(ip_address=sprayer).count() == cap

    # The sprayer waits whatever account it names; the people themselves do not.
    assert sign_in("person0", "pw", sprayer).status_code == 429
    assert sign_in("person0", "pw", "192.0.2.10").status_code == 302


def test_a_padded_username_counts_as_the_account(amina, settings):
    for n in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT):
        # Spaces around it, and the full-width letters NFKC folds.
        username = ("amina", " amina", "amina ", FULL_WIDTH_AMINA)[n % 4]
        sign_in(username, "wrong", f"198.51.100.{n}")
    assert set(AccessFailureLog.objects.values_list("username", flat=True)) == {"amina"}
    assert sign_in("amina", "pw", "198.51.100.99").status_code == 429


def test_the_admin_sign_in_is_slowed_too(amina, settings):
    for n in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT):
        assert sign_in("amina", "wrong", f"198.51.100.{n}", ADMIN_LOGIN).status_code == 200
    assert sign_in("amina", "pw", "198.51.100.99", ADMIN_LOGIN).status_code == 429
    assert sign_in("amina", "pw", "198.51.100.99").status_code == 429


def test_old_failures_are_forgotten(amina):
    sign_in("amina", "wrong", "198.51.100.1")
    age_failures(60 * 25)
    sign_in("amina", "wrong", "198.51.100.2")
    assert list(AccessFailureLog.objects.values_list("ip_address", flat=True)) == ["198.51.100.2"]
