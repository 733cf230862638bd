"""The calendar feed: exactly the steps its owner owes, on their due dates, at a
secret address that a new one replaces."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from api import calendar_feed
from api.models import CalendarFeed
from notifications.models import LanguagePreference
from workflow import obligations, services
from workflow.models import AuditEntry, Membership, Policy, Review, Support

pytestmark = pytest.mark.django_db
State = Policy.State
SITE = "http://127.0.0.1:8000"
DUE = datetime.date(2027, 3, 15)


def path_of(url):
    assert url.startswith(SITE + "/api/v1/calendar/")
    assert url.endswith(".ics")
    return url.removeprefix(SITE)


def feed(user):
    """The events of ``user``'s feed, as their calendar reads them."""
    response = Client().get(path_of(calendar_feed.make_feed(user)))
    assert response.status_code == 200
    return events_in(response)


def events_in(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    return {
        str(event["UID"]): (str(event["SUMMARY"]), event.decoded("DTSTART"), event)
        for event in calendar.walk("VEVENT")
    }


def test_a_reviewer_owes_one_review_on_its_due_date(settings, cast, policy_in):
    policy = policy_in(State.EXPERT_REVIEW, short_title="Labour policy", review_due=DUE)
    [(summary, start, event)] = feed(cast.reviewer).values()
    assert summary == "Review due: Labour policy"
    assert start == DUE
    assert not isinstance(start, datetime.datetime)  # all day
    assert event.decoded("DTEND") == DUE + datetime.timedelta(days=1)
    link = f"{settings.SITE_URL}/policies/{policy.pk}/"
    assert str(event["DESCRIPTION"]) == f"{policy.title}\nReview version 1.\n{link}"
    assert str(event["URL"]) == link


def test_the_feed_is_worded_in_its_owners_language(cast, policy_in):
    policy_in(State.EXPERT_REVIEW, review_due=DUE)
    LanguagePreference.objects.create(user=cast.reviewer, language="ar")
    with translation.override("ar"):
        task = gettext("Review version %(number)s.") % {"number": 1}
    assert task != "Review version 1."
    [(_summary, _start, event)] = feed(cast.reviewer).values()
    assert task in str(event["DESCRIPTION"])
    # Whoever's language the request came in.
    assert translation.get_language() == "en"


def test_the_feed_answers_as_a_private_calendar(cast, policy_in):
    policy_in(State.EXPERT_REVIEW, review_due=DUE)
    response = Client().get(path_of(calendar_feed.make_feed(cast.reviewer)))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


def test_once_the_review_is_decided_the_event_is_gone(cast, policy_in):
    policy = policy_in(
        State.EXPERT_REVIEW,
        short_title="Decided",
        review_due=DUE,
        support_due=DUE + datetime.timedelta(days=30),
    )
    assert len(feed(cast.reviewer)) == 1
    assert len(feed(cast.second_reviewer)) == 1
    services.decide_review(
        policy,
        actor=cast.reviewer,
        decision=Review.Decision.APPROVED,
        comment="Sound.",
        acknowledged=True,
    )
    assert Policy.objects.get(pk=policy.pk).state == State.INSTITUTIONAL_SUPPORT
    assert feed(cast.reviewer) == {}
    assert feed(cast.second_reviewer) == {}
    # The step that follows shows in the feeds of those who owe it now.
    [(summary, start, _event)] = feed(cast.bureau_member).values()
    assert summary == f"Decision of {cast.bureau.name} due: Decided"
    assert start == DUE + datetime.timedelta(days=30)


def test_a_review_returned_for_revision_leaves_the_feed(cast, policy_in):
    policy = policy_in(State.EXPERT_REVIEW, review_due=DUE)
    services.decide_review(
        policy,
        actor=cast.second_reviewer,
        decision=Review.Decision.CHANGES_REQUESTED,
        comment="Rework the scope.",
    )
    assert feed(cast.second_reviewer) == {}
    assert feed(cast.reviewer) == {}
    # The drafter owes the revised draft, by the same review date.
    [(summary, start, _event)] = feed(cast.drafter).values()
    assert (summary, start) == (f"Draft due: {policy.short_title}", DUE)


def test_each_institution_owes_its_own_decision(cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT, short_title="Two", support_due=DUE)
    bureau = feed(cast.bureau_member)
    agency = feed(cast.agency_member)
    assert bureau.keys() == {f"policy-{policy.pk}-support-organization-{cast.bureau.pk}@127.0.0.1"}
    assert agency.keys() == {f"policy-{policy.pk}-support-organization-{cast.agency.pk}@127.0.0.1"}
    services.record_support(
        policy,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision=Support.Decision.SUPPORTED,
        statement="We support it.",
    )
    assert feed(cast.bureau_member) == {}
    assert feed(cast.agency_member).keys() == agency.keys()


def test_a_member_of_two_institutions_owes_two_decisions(cast, policy_in):
    Membership.objects.create(
        user=cast.bureau_member, organization=cast.agency, role=Membership.Role.INSTITUTION_MEMBER
    )
    policy_in(State.INSTITUTIONAL_SUPPORT, short_title="Both", support_due=DUE)
    summaries = sorted(summary for summary, _start, _event in feed(cast.bureau_member).values())
    assert summaries == [
        f"Decision of {cast.bureau.name} due: Both",
        f"Decision of {cast.agency.name} due: Both",
    ]


def test_an_endorsement_is_due_when_its_ministry_is_reminded(cast, policy_in, settings):
    settings.ENDORSEMENT_REMINDER_AFTER_DAYS = 10
    policy = policy_in(State.AWAITING_ENDORSEMENT, short_title="Ready")
    completed = (
        AuditEntry.objects.filter(policy=policy, action=AuditEntry.Action.COMPLETE_SUPPORT)
        .latest("at")
        .at
    )
    [(summary, start, _event)] = feed(cast.endorser).values()
    assert summary == "Endorsement due: Ready"
    assert start == obligations.endorsement_due(completed)
    assert start == timezone.localdate(completed) + datetime.timedelta(days=10)


def test_the_uid_stays_when_the_date_moves(cast, policy_in):
    policy = policy_in(State.EXPERT_REVIEW, review_due=DUE)
    [(uid, (_summary, start, _event))] = feed(cast.reviewer).items()
    assert start == DUE
    services.update_policy(
        policy, actor=cast.coordinator, review_due=DUE + datetime.timedelta(days=7)
    )
    [(moved_uid, (_summary, moved, _event))] = feed(cast.reviewer).items()
    assert moved_uid == uid
    assert moved == DUE + datetime.timedelta(days=7)
    assert uid == f"policy-{policy.pk}-review-user-{cast.reviewer.pk}@127.0.0.1"


def test_another_persons_steps_never_appear(cast, policy_in):
    policy_in(State.EXPERT_REVIEW, short_title="Theirs", review_due=DUE)
    policy_in(State.INSTITUTIONAL_SUPPORT, short_title="Also theirs", support_due=DUE)
    assert feed(cast.foreign_member) == {}
    assert feed(cast.unassigned_expert) == {}
    assert feed(cast.observer) == {}
    assert [s for s, _d, _e in feed(cast.reviewer).values()] == ["Review due: Theirs"]
    assert [s for s, _d, _e in feed(cast.agency_member).values()] == [
        f"Decision of {cast.agency.name} due: Also theirs"
    ]


def test_a_step_without_a_due_date_is_left_out(cast, policy_in):
    policy_in(State.EXPERT_REVIEW)
    policy_in(State.DRAFTING, short_title="Undated")
    assert feed(cast.reviewer) == {}
    assert feed(cast.drafter) == {}


def test_someone_who_owes_nothing_gets_a_valid_empty_calendar(cast):
    response = Client().get(path_of(calendar_feed.make_feed(cast.observer)))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["PRODID"]) == calendar_feed.PRODUCT_ID


def test_a_new_address_makes_the_old_one_unknown(cast):
    old = path_of(calendar_feed.make_feed(cast.reviewer))
    assert Client().get(old).status_code == 200
    new = path_of(calendar_feed.make_feed(cast.reviewer))
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=cast.reviewer).count() == 1


def test_only_the_digest_of_the_secret_is_stored(cast):
    url = calendar_feed.make_feed(cast.reviewer)
    secret = url.removeprefix(SITE + "/api/v1/calendar/").removesuffix(".ics")
    assert len(secret) >= 43  # 256 random bits
    stored = CalendarFeed.objects.filter(user=cast.reviewer).values().get()
    assert all(secret not in str(value) for value in stored.values())


@pytest.mark.parametrize("secret", ["unknown", "a" * 43, "%00", "..%2F..%2Fetc"])
def test_an_unknown_address_is_not_found(cast, secret):
    calendar_feed.make_feed(cast.reviewer)
    assert Client().get(f"/api/v1/calendar/{secret}.ics").status_code == 404


def test_an_inactive_persons_feed_is_not_found(cast, policy_in):
    path = path_of(calendar_feed.make_feed(cast.reviewer))
    cast.reviewer.is_active = False
    cast.reviewer.save(update_fields=["is_active"])
    assert Client().get(path).status_code == 404


def test_the_feed_needs_no_session_and_answers_only_reads(cast, client):
    path = path_of(calendar_feed.make_feed(cast.reviewer))
    assert Client().head(path).status_code == 200
    assert Client().post(path).status_code == 405
    # Someone else's session does not change whose feed it is.
    client.force_login(cast.bureau_member)
    assert client.get(path).content == Client().get(path).content


def feed_queries(path):
    Client().get(path)  # the first request sets the connection up
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(path).status_code == 200
    return len(queries.captured_queries)


def grow(cast, policy_in, prefix):
    """Policies in every state that waits on someone, each with its dates, and a decline."""
    for state in (
        State.DRAFTING,
        State.EXPERT_REVIEW,
        State.INSTITUTIONAL_SUPPORT,
        State.AWAITING_ENDORSEMENT,
    ):
        policy_in(
            state, short_title=f"{prefix} {state}", versions=1, review_due=DUE, support_due=DUE
        )
    declined = policy_in(
        State.INSTITUTIONAL_SUPPORT, short_title=f"{prefix} declined", support_due=DUE
    )
    services.record_support(
        declined,
        actor=cast.agency_member,
        organization=cast.agency,
        decision=Support.Decision.DECLINED,
        statement="Not in our remit.",
    )


@pytest.mark.parametrize(
    "who", ["coordinator", "drafter", "reviewer", "bureau_member", "endorser", "observer"]
)
def test_the_feed_queries_do_not_grow_with_the_portfolio(cast, policy_in, who):
    path = path_of(calendar_feed.make_feed(getattr(cast, who)))
    grow(cast, policy_in, "Small")
    small = feed_queries(path)
    small_events = len(events_in(Client().get(path)))
    for n in range(3):
        grow(cast, policy_in, f"Large {n}")
    assert Policy.objects.count() == 20
    assert feed_queries(path) == small
    assert len(events_in(Client().get(path))) == 4 * small_events
    assert (small_events > 0) == (who != "observer")


def test_the_events_are_plain_text_without_bidi_overrides(cast, policy_in):
    policy_in(
        State.EXPERT_REVIEW,
        short_title="\u202eyciloP\u202c",
        title="\u2067Labour\u2069 policy",
        review_due=DUE,
    )
    [(summary, _start, event)] = feed(cast.reviewer).values()
    assert summary == "Review due: yciloP"
    assert str(event["DESCRIPTION"]).startswith("Labour policy\n")
