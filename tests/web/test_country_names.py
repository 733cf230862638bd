"""Country names, and dates, in the reader's language in everything made for
people: forms, the CSV export, the portfolio report, emails, messages."""

import csv
import datetime
import io
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django_countries import countries
from docx import Document

from notifications.models import OutboxMessage
from notifications.services import deliver, set_language_preference
from policyflow.formats.countries import country_choices, country_name
from workflow import clock
from workflow.models import Policy

pytestmark = pytest.mark.django_db
State = Policy.State
# CLDR's names; django-countries has none in Pashto or Urdu, where it writes "Pakistan".
PAKISTAN = {"ps": "پاکستان", "ur": "پاکستان"}


def client_in(page_client, user, language):
    client = page_client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", PAKISTAN)
def test_the_registration_form_names_countries_in_the_readers_language(page_client, cast, language):
    client = client_in(page_client, cast.coordinator, language)

    page = client.get(reverse("web:policy_create")).content.decode()

    assert f'<option value="PK">{PAKISTAN[language]}</option>' in page
    assert f"{cast.ministry.name} ({PAKISTAN[language]})" in page
    assert ">Pakistan<" not in page


def test_country_choices_are_every_country_by_its_name_in_the_language():
    with translation.override("ps"):
        choices = country_choices()
    assert ("PK", "پاکستان") in choices
    assert ("AF", "افغانستان") in choices
    assert len(choices) == len(countries)
    with translation.override("en"):
        names = [name for _code, name in country_choices()]
    # An accent does not send a country after Z.
    assert names.index("Åland Islands") < names.index("Albania")


def test_a_code_cldr_does_not_know_keeps_its_own_name_and_none_is_empty():
    assert country_name("") == ""
    assert country_name(None) == ""
    with translation.override("ps"):
        assert country_name("pk") == "پاکستان"  # lower case is a code too
    assert country_name("XX") == "XX"


def test_the_csv_names_the_country_in_the_readers_language_and_zones_its_times(
    settings, page_client, cast, policy_in
):
    settings.TIME_ZONE = "Asia/Karachi"
    policy_in(State.EXPERT_REVIEW)
    client = client_in(page_client, cast.coordinator, "ur")

    response = client.get(reverse("web:policies_csv"))

    _header, row = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert row[2] == "پاکستان"
    # The last change: ISO 8601, with its offset from UTC.
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\+05:00", row[9]), row[9]


def test_the_portfolio_report_names_the_country_in_the_readers_language(
    page_client, cast, policy_in
):
    policy_in(State.EXPERT_REVIEW)
    client = client_in(page_client, cast.coordinator, "ps")

    response = client.post(reverse("documents:portfolio_report"))
    download = client.get(response.url)

    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert PAKISTAN["ps"] in headings
    assert "Pakistan" not in headings


def test_emails_name_the_country_in_the_readers_language(cast, new_policy, walk):
    set_language_preference(cast.reviewer, "ps")
    walk.to(new_policy, State.EXPERT_REVIEW)
    deliver()

    body = OutboxMessage.objects.get(
        recipient=cast.reviewer, event="submitted_for_review", channel="email"
    ).body
    emails = [m.body for m in mail.outbox if cast.reviewer.email in m.to]
    assert f"({PAKISTAN['ps']})" in body
    assert emails
    assert all(f"({PAKISTAN['ps']})" in email for email in emails)
    assert not any("(Pakistan)" in email for email in emails)


def test_a_refused_endorsement_date_is_written_as_the_pages_write_dates(
    page_client, cast, new_policy, walk
):
    with clock.at(datetime.datetime(2026, 12, 4, 9, 0, tzinfo=datetime.UTC)):
        walk.to(new_policy, State.AWAITING_ENDORSEMENT)
    client = client_in(page_client, cast.endorser, "fa")

    response = client.post(
        reverse("web:action", args=[new_policy.pk, "endorse"]),
        {"instrument": "Decision 1", "date": "2026-01-01", "revision": new_policy.revision},
    )

    assert response.status_code == 400
    assert re.search(r"4 دسمبر 2026", response.content.decode())
    assert "دسامبر" not in response.content.decode()
