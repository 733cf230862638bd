"""The token page: a person lists, makes and revokes their own API tokens, and
makes their calendar feed address; a new token or address is shown once."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from api import calendar_feed, tokens
from api.models import ApiToken, CalendarFeed
from tests.web.test_markup import assert_sound
from tests.web.test_security import HANDLER, INLINE_SCRIPT, STYLE_ATTRIBUTE

pytestmark = pytest.mark.django_db
PAGE = "/accounts/tokens/"
SHOWN_TOKEN = re.compile(r'id="new-token"[^>]*value="(pft_[^"]+)"')
SHOWN_FEED = re.compile(r'id="feed-url"[^>]*value="([^"]+)"')


def make(client, **data):
    return client.post(PAGE, {"name": "", "lifetime_days": "", **data})


def test_signed_out_people_are_sent_to_sign_in(db):
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Client().post(PAGE, {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_the_account_menu_links_to_the_page(page_client, cast):
    page = page_client(cast.drafter).get("/").content.decode()
    assert f'href="{PAGE}"' in page


def test_a_token_made_on_the_page_is_shown_once_and_works(page_client, cast):
    client = page_client(cast.reviewer)
    response = make(client, name="nightly export", lifetime_days="10")
    assert response.status_code == 200
    page = response.content.decode()
    [token] = SHOWN_TOKEN.findall(page)
    assert "it will not be shown again" in page
    row = ApiToken.objects.get(user=cast.reviewer)
    assert (row.name, row.digest) == ("nightly export", tokens.digest_of(token))
    assert row.expires_at - row.created_at == datetime.timedelta(days=10)
    assert token not in str(dict(client.session))
    assert response["Cache-Control"] == "private, no-store"
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me/").json()["username"] == cast.reviewer.username
    # The next visit lists it by name and first characters, never the token.
    page = client.get(PAGE).content.decode()
    assert "nightly export" in page
    assert row.prefix in page
    assert token not in page
    assert not SHOWN_TOKEN.search(page)


def test_the_lifetime_defaults_to_the_setting(page_client, cast, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 45
    make(page_client(cast.drafter), name="default lifetime")
    row = ApiToken.objects.get(user=cast.drafter)
    assert row.expires_at - row.created_at == datetime.timedelta(days=45)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"name": "x" * 101}, "name", "at most 100 characters"),
        ({"name": "ok", "lifetime_days": "0"}, "lifetime_days", "greater than or equal to 1"),
        ({"name": "ok", "lifetime_days": "366"}, "lifetime_days", "less than or equal to 365"),
        ({"name": "ok", "lifetime_days": "soon"}, "lifetime_days", "Enter a whole number."),
    ],
)
def test_a_form_error_shows_on_the_form_and_writes_nothing(page_client, cast, data, field, message):
    response = make(page_client(cast.drafter), **data)
    markup = assert_sound(response, status=400)
    assert markup.ids[f"id_{field}_error"] == 1
    assert message in response.content.decode()
    assert not SHOWN_TOKEN.search(response.content.decode())
    assert not ApiToken.objects.exists()


def test_the_list_shows_each_tokens_status(page_client, cast):
    tokens.create_token(cast.drafter, name="still good")
    expired, _ = tokens.create_token(cast.drafter, name="ran out")
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    revoked, _ = tokens.create_token(cast.drafter, name="cancelled")
    tokens.revoke_token(cast.drafter, revoked.pk)
    tokens.create_token(cast.reviewer, name="someone else's")
    response = page_client(cast.drafter).get(PAGE)
    assert_sound(response)
    rows = re.findall(r"<tr>(.*?)</tr>", response.content.decode(), re.DOTALL)[1:]
    statuses = {
        re.search(r'dir="auto">([^<]+)<', row).group(1): re.search(
            r'class="badge[^"]*">([^<]+)<', row
        ).group(1)
        for row in rows
    }
    assert statuses == {"still good": "active", "ran out": "expired", "cancelled": "revoked"}
    # Only a usable token has a revoke button.
    assert response.content.decode().count(">Revoke<") == 1


def test_a_token_is_revoked_by_its_owner(page_client, cast):
    row, token = tokens.create_token(cast.drafter, name="to revoke")
    response = page_client(cast.drafter).post(reverse("revoke_api_token", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me/").status_code == 401


def test_another_persons_token_is_not_found_and_stays_usable(page_client, cast):
    row, _token = tokens.create_token(cast.drafter, name="not yours")
    response = page_client(cast.reviewer).post(reverse("revoke_api_token", args=[row.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None
    assert "not yours" not in page_client(cast.reviewer).get(PAGE).content.decode()


def test_revoking_needs_a_post_with_the_csrf_token(cast):
    row, _token = tokens.create_token(cast.drafter, name="guarded")
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.drafter)
    assert client.get(reverse("revoke_api_token", args=[row.pk])).status_code == 405
    assert client.post(reverse("revoke_api_token", args=[row.pk])).status_code == 403
    assert client.post(PAGE, {"name": "forged"}).status_code == 403
    assert client.post(reverse("make_calendar_feed")).status_code == 403
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None
    assert ApiToken.objects.count() == 1
    assert not CalendarFeed.objects.exists()


def test_the_calendar_address_is_shown_once_and_a_new_one_replaces_it(page_client, cast):
    client = page_client(cast.reviewer)
    page = client.get(PAGE).content.decode()
    assert "Make my calendar address" in page
    assert not CalendarFeed.objects.exists()
    page = client.post(reverse("make_calendar_feed")).content.decode()
    [first] = SHOWN_FEED.findall(page)
    assert "it will not be shown again" in page
    path = first.removeprefix("http://127.0.0.1:8000")
    assert Client().get(path).status_code == 200
    page = client.get(PAGE).content.decode()
    assert first not in page
    assert "Make a new address (the old one stops working)" in page
    [second] = SHOWN_FEED.findall(client.post(reverse("make_calendar_feed")).content.decode())
    assert second != first
    assert Client().get(path).status_code == 404
    assert Client().get(second.removeprefix("http://127.0.0.1:8000")).status_code == 200
    assert CalendarFeed.objects.filter(user=cast.reviewer).count() == 1


def test_stopping_the_feed_makes_its_address_unknown(page_client, cast):
    url = calendar_feed.make_feed(cast.reviewer)
    path = url.removeprefix("http://127.0.0.1:8000")
    assert Client().get(path).status_code == 200
    response = page_client(cast.reviewer).post(reverse("stop_calendar_feed"))
    assert response.status_code == 302
    assert not CalendarFeed.objects.exists()
    assert Client().get(path).status_code == 404


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_page_is_sound_in_both_directions_and_needs_no_inline_code(page_client, cast, language):
    tokens.create_token(cast.drafter, name="سكربت التقارير")
    calendar_feed.make_feed(cast.drafter)
    client = page_client(cast.drafter)
    client.cookies["django_language"] = language
    with translation.override(language):
        for response in (
            client.get(PAGE),
            make(client, name="report script"),
            make(client, name=""),
            client.post(reverse("make_calendar_feed")),
        ):
            assert response.status_code in (200, 400)
            markup = assert_sound(response, status=response.status_code)
            page = response.content.decode()
            assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in page
            assert not INLINE_SCRIPT.search(page)
            assert not HANDLER.search(page)
            assert not STYLE_ATTRIBUTE.search(page)
            assert '<th scope="row" class="fw-normal" dir="auto">سكربت التقارير</th>' in page
            assert markup.unlabelled_controls() == []
