"""Dates on pages: day, month as a word, year, 24-hour time, in every language."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse

from workflow import clock
from workflow.models import Policy

pytestmark = pytest.mark.django_db

State = Policy.State
SUBMITTED = datetime.datetime(2026, 3, 10, 14, 47, tzinfo=datetime.UTC)
# 03/10/2026, 10.03.2026, 2026-03-10 as text, "p.m.": each can be misread or is not localised.
AMBIGUOUS = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b[ap]\.m\.|>\s*\d{4}-\d{2}-\d{2}")

EXPECTED = {
    # language: (on the dashboard, on the policy page)
    "en": ("10 Mar 2026, 14:47", "10 March 2026, 14:47"),
    "ar": ("10 مارس 2026، 14:47", "10 مارس 2026، 14:47"),
}


@pytest.fixture
def submitted_policy(new_policy, walk, django_capture_on_commit_callbacks):
    with clock.at(SUBMITTED), django_capture_on_commit_callbacks(execute=True):
        walk.to(new_policy, State.EXPERT_REVIEW)
    return new_policy


@pytest.mark.parametrize("language", EXPECTED)
def test_dashboard_and_policy_page_write_the_month_as_a_word(
    page_client, cast, submitted_policy, language
):
    client = page_client(cast.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    on_dashboard, on_policy_page = EXPECTED[language]

    dashboard = client.get(reverse("web:dashboard")).content.decode()
    policy_page = client.get(reverse("web:policy", args=[submitted_policy.pk])).content.decode()

    assert on_dashboard in dashboard
    assert on_policy_page in policy_page
    for html in (dashboard, policy_page):
        assert not AMBIGUOUS.search(html), AMBIGUOUS.search(html).group()
    # Machines still read ISO 8601.
    assert 'datetime="2026-03-10T14:47:00+00:00"' in policy_page


@pytest.mark.parametrize("language", EXPECTED)
def test_list_and_inbox_write_the_month_as_a_word(page_client, cast, submitted_policy, language):
    client = page_client(cast.reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    month = {"en": "March 2026", "ar": "مارس 2026"}[language]

    listing = client.get(reverse("web:policy_list")).content.decode()
    inbox = client.get(reverse("notifications:inbox")).content.decode()

    # The policy last changed, and the reviewer was told, when it was submitted.
    assert f"10 {month}" in listing
    assert f"10 {month}" in inbox
    for html in (listing, inbox):
        assert not AMBIGUOUS.search(html), AMBIGUOUS.search(html).group()
