"""Dates on pages: day, month as a word, year, 24-hour time and its zone,
in each language as it is written where it is read (CLDR)."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from policyflow.formats import dates
from workflow import clock
from workflow.models import Policy

pytestmark = pytest.mark.django_db

State = Policy.State
SUBMITTED = datetime.datetime(2026, 12, 4, 12, 47, tzinfo=datetime.UTC)
# 12/04/2026, 04.12.2026, 2026-12-04 as text, "p.m.": each can be misread or is not localised.
AMBIGUOUS = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b[ap]\.m\.|>\s*\d{4}-\d{2}-\d{2}")
RLM = "\u200f"

LANGUAGES = {
    # language: (the submission as pages write it, the month Django would have written)
    "en": ("4 December 2026, 12:47 UTC", None),
    # Iraq names the months as the Levant does.
    "ar": ("4 كانون الأول 2026، 12:47 UTC", "ديسمبر"),
    # Afghanistan's Dari, not Iran's Persian (دسامبر).
    "fa": (f"4 دسمبر 2026،{RLM} 12:47 UTC", "دسامبر"),
    # Django has no Pashto at all.
    "ps": ("4 دسمبر 2026 12:47 UTC", "December"),
    "ur": ("4 دسمبر 2026 12:47 UTC", None),
}
# One shape per language, whatever the page: day, month, year[, time and zone].
SHAPE = {
    "en": r"\d{1,2} [A-Z][a-z]+ \d{4}(, \d{2}:\d{2} UTC([+-]\d{2}:\d{2})?)?",
    "ar": r"\d{1,2} [^\d،]+ \d{4}(، \d{2}:\d{2} UTC([+-]\d{2}:\d{2})?)?",
    "fa": rf"\d{{1,2}} [^\d،]+ \d{{4}}(،{RLM} \d{{2}}:\d{{2}} UTC([+-]\d{{2}}:\d{{2}})?)?",
    "ps": r"\d{1,2} [^\d،]+ \d{4}( \d{2}:\d{2} UTC([+-]\d{2}:\d{2})?)?",
    "ur": r"\d{1,2} [^\d،]+ \d{4}( \d{2}:\d{2} UTC([+-]\d{2}:\d{2})?)?",
}
PAKISTAN = {"en": "Pakistan", "ar": "باكستان", "fa": "پاکستان", "ps": "پاکستان", "ur": "پاکستان"}


@pytest.fixture
def submitted_policy(new_policy, walk, django_capture_on_commit_callbacks):
    with clock.at(SUBMITTED), django_capture_on_commit_callbacks(execute=True):
        walk.to(new_policy, State.EXPERT_REVIEW)
    return new_policy


def pages(client, policy):
    """The dashboard, the policy page, the list, the inbox and the portfolio, as HTML."""
    urls = {
        "dashboard": reverse("web:dashboard"),
        "policy": reverse("web:policy", args=[policy.pk]),
        "list": reverse("web:policy_list"),
        "inbox": reverse("notifications:inbox"),
        "portfolio": reverse("web:portfolio"),
    }
    return {name: client.get(url).content.decode() for name, url in urls.items()}


def shown_times(html):
    return re.findall(r"<time [^>]*>([^<]*)</time>", html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_writes_dates_one_way_in_the_languages_own_months(
    page_client, cast, submitted_policy, language
):
    client = page_client(cast.reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    submitted, django_month = LANGUAGES[language]

    html = pages(client, submitted_policy)

    # The submission, with its time and zone, where a moment is shown.
    for name in ("dashboard", "policy", "inbox"):
        assert submitted in html[name], name
    # The list and the portfolio give the day of the last change.
    for name in ("list", "portfolio"):
        assert dates.day(SUBMITTED.date()) in shown_times(html[name]), name
    assert submitted.startswith(dates.day(SUBMITTED.date()))
    for name, page in html.items():
        assert shown_times(page), name
        for shown in shown_times(page):
            assert re.fullmatch(SHAPE[language], shown), (name, shown)
        assert not AMBIGUOUS.search(page), (name, AMBIGUOUS.search(page).group())
        if django_month:
            assert django_month not in page, name
    # Machines still read ISO 8601.
    assert 'datetime="2026-12-04T12:47:00+00:00"' in html["policy"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_name_the_country_in_the_readers_language(
    page_client, cast, submitted_policy, language
):
    client = page_client(cast.reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pakistan = PAKISTAN[language]

    html = pages(client, submitted_policy)

    assert f'<dd class="col-sm-8 col-lg-9">{pakistan}</dd>' in html["policy"]
    assert f"<td>{pakistan}</td>" in html["list"]
    assert f'<option value="PK">{pakistan}</option>' in html["list"]
    assert f">{pakistan}</a>" in html["dashboard"]  # the pipeline
    assert f">{pakistan}</span>" in html["dashboard"]  # what waits on the reviewer
    assert f">{pakistan}</h2>" in html["portfolio"]
    if language != "en":
        assert ">Pakistan<" not in "".join(html.values())


def test_times_give_the_zone_they_are_read_in(settings, page_client, cast, submitted_policy):
    settings.TIME_ZONE = "Asia/Kabul"
    client = page_client(cast.reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"

    html = pages(client, submitted_policy)

    for name in ("dashboard", "policy", "inbox"):
        assert f"4 دسمبر 2026،{RLM} 17:17 UTC+04:30" in html[name], name
    assert 'datetime="2026-12-04T17:17:00+04:30"' in html["policy"]


@pytest.mark.parametrize(
    ("zone", "written"),
    [("UTC", "UTC"), ("Asia/Karachi", "UTC+05:00"), ("America/St_Johns", "UTC-03:30")],
)
def test_a_zone_is_written_as_its_offset_from_utc(zone, written):
    from zoneinfo import ZoneInfo

    assert dates.zone(SUBMITTED.astimezone(ZoneInfo(zone))) == written


# -- one way to write a date, in the templates and the code -----------------------

ROOT = Path(__file__).resolve().parents[2]
# What Django's ``date`` filter may still write: machine-readable ISO 8601.
ISO = {"'c'", '"c"', "'Y-m-d'", '"Y-m-d"'}


def test_templates_write_dates_for_people_only_through_day_and_moment():
    """Django's ``date`` filter writes months from Django's catalogues (Iran's
    Persian, no Pashto): pages use ``|day`` and ``|moment`` instead."""
    found = [
        (str(path.relative_to(ROOT)), argument)
        for path in (ROOT / "templates").rglob("*.*")
        for argument in re.findall(r"\|date:(\S+?)(?=[\s%}|])", path.read_text())
        if argument not in ISO
    ]
    assert found == []


def test_the_code_names_dates_and_countries_through_the_formats():
    found = [
        (str(path.relative_to(ROOT)), pattern)
        for package in ("web", "documents", "workflow", "notifications")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        for pattern in ("date_format(", "country.name", "countries.name(")
        if pattern in path.read_text()
    ]
    found += [
        (str(path.relative_to(ROOT)), "country.name")
        for path in (ROOT / "templates").rglob("*.*")
        if ".country.name" in path.read_text()
    ]
    assert found == []
