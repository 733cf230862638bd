"""Each person is written to in the language they chose, whoever caused the event."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.models import LanguagePreference, Notification, OutboxMessage
from notifications.services import deliver, set_language_preference
from workflow import reminders, services
from workflow.models import Policy

pytestmark = pytest.mark.django_db
State = Policy.State


def row(user, event, channel="email"):
    return OutboxMessage.objects.get(recipient=user, event=event, channel=channel)


def in_language(language, text, **values):
    with translation.override(language):
        return _(text) % values if values else _(text)


def test_each_recipient_reads_the_event_in_their_own_language(cast, new_policy, walk):
    set_language_preference(cast.endorser, "ar")
    set_language_preference(cast.coordinator, "ur")
    # The institution acting reads English; its act is worded for each reader.
    policy = walk.to(new_policy, State.AWAITING_ENDORSEMENT)

    sentence = (
        "Every required institution supports version %(number)s; "
        "it awaits endorsement by %(ministry)s."
    )
    values = {"number": 1, "ministry": cast.ministry.name}
    arabic = row(cast.endorser, "awaiting_endorsement")
    assert in_language("ar", "Awaiting endorsement") in arabic.subject
    assert in_language("ar", sentence, **values) in arabic.body
    assert in_language("ar", "Awaiting endorsement") != "Awaiting endorsement"
    with translation.override("ar"):
        assert policy.country.name in arabic.body  # باكستان, not Pakistan
        assert policy.country.name != "Pakistan"

    urdu = row(cast.coordinator, "awaiting_endorsement")
    assert in_language("ur", sentence, **values) in urdu.body

    # Without a choice, the site's language (LANGUAGE_CODE, English).
    english = row(cast.drafter, "review_cleared", "in_app")
    assert english.subject.startswith("Institutional support requested: ")
    assert english.body.startswith("Dear ")


def test_delivered_notifications_and_emails_keep_the_readers_language(cast, new_policy, walk):
    set_language_preference(cast.endorser, "fa")
    walk.to(new_policy, State.AWAITING_ENDORSEMENT)
    deliver()
    headline = in_language("fa", "Awaiting endorsement")
    notification = Notification.objects.get(recipient=cast.endorser, event="awaiting_endorsement")
    assert headline in notification.title
    [email] = [m for m in mail.outbox if cast.endorser.email in m.to and headline in m.subject]
    assert in_language("fa", "Dear %(name)s,", name=cast.endorser.get_full_name()) in email.body


def test_a_reminder_names_the_overdue_step_in_the_readers_language(cast, policy_in):
    policy = policy_in(State.EXPERT_REVIEW)
    services.update_policy(
        policy, actor=cast.coordinator, review_due=datetime.date(2026, 11, 1), backfill=True
    )
    set_language_preference(cast.reviewer, "ar")
    reminders.send_reminders(today=datetime.date(2026, 11, 2))
    task = in_language("ar", "The review of version %(number)s", number=1)
    # The date as the pages write it in Iraq's Arabic, not 2026-11-01.
    due = "1 تشرين الثاني 2026"
    expected = in_language("ar", "%(task)s is overdue since %(due)s.", task=task, due=due)
    assert expected in row(cast.reviewer, "reminder").body
    english = "The review of version 1 is overdue since 1 November 2026."
    assert english in row(cast.second_reviewer, "reminder").body


def test_choosing_a_language_is_remembered_for_a_signed_in_person(client, cast):
    client.force_login(cast.bureau_member)
    client.post("/i18n/setlang/", {"language": "ur", "next": "/"})
    assert LanguagePreference.objects.get(user=cast.bureau_member).language == "ur"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})  # not offered: ignored
    assert LanguagePreference.objects.get(user=cast.bureau_member).language == "ur"


def test_a_visitor_who_is_not_signed_in_only_gets_the_cookie(client, db):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/accounts/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert not LanguagePreference.objects.exists()


def test_signing_in_brings_back_the_chosen_language(client, cast):
    set_language_preference(cast.drafter, "fa")
    response = client.post("/accounts/login/", {"username": "drafter", "password": "pw"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fa"
    assert '<html lang="fa" dir="rtl">' in client.get("/").content.decode()
