"""Who hears what: the event table, walked through the real services."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification, OutboxMessage
from workflow import notify, services
from workflow.models import Policy

pytestmark = pytest.mark.django_db
State = Policy.State


def told(event):
    """Usernames with an in-app notification of ``event``."""
    return set(
        Notification.objects.filter(event=event).values_list("recipient__username", flat=True)
    )


@pytest.fixture
def donor_project(cast):
    cast.project.donors.add(cast.donor)
    return cast.project


def test_the_whole_journey_tells_the_right_people(
    new_policy, walk, cast, donor_project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        policy = walk.to(new_policy, State.ENDORSED)

    assert told("version_uploaded") == {"coordinator", "reviewer", "reviewer2"}
    assert told("submitted_for_review") == {"reviewer", "reviewer2", "coordinator"}
    assert told("review_cleared") == {"bureau", "agency", "drafter", "coordinator"}
    assert told("support_recorded") == {"coordinator"}
    assert told("awaiting_endorsement") == {"endorser", "coordinator"}
    assert told("endorsed") == {
        "coordinator",
        "drafter",
        "reviewer",
        "reviewer2",
        "bureau",
        "agency",
        "observer",
    }
    # Foreign organisations never hear of it.
    assert not Notification.objects.filter(
        recipient__username__in=["foreign_member", "foreign_endorser", "unassigned"]
    ).exists()
    # One in-app row per (event occurrence, recipient); the two supports are two occurrences.
    assert Notification.objects.filter(event="support_recorded").count() == 2
    assert policy.state == State.ENDORSED


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ("revision_requested", {"drafter", "coordinator"}),
        ("support_declined", {"coordinator", "drafter"}),
        ("returned_for_revision", {"drafter", "coordinator"}),
        ("returned_to_drafting", {"drafter", "reviewer", "reviewer2"}),
        (
            "withdrawn",
            {"drafter", "reviewer", "reviewer2", "bureau", "agency", "endorser", "observer"},
        ),
        ("reopened", {"drafter", "coordinator"}),
        ("escalation", {"coordinator"}),
    ],
)
def test_the_table_names_these_recipients(new_policy, cast, donor_project, event, expected):
    names = {u.username for u in notify.recipients(new_policy, event)}
    assert names == expected


def test_the_actor_is_not_told_of_their_own_act(new_policy, cast):
    names = {u.username for u in notify.recipients(new_policy, "withdrawn", actor=cast.drafter)}
    assert "drafter" not in names
    assert "reviewer" in names


def test_the_readme_table_is_the_code_table():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Who hears what", 1)[1].split("\n## ", 1)[0]
    documented = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            event, _when, told_to = (cell.strip() for cell in line.strip("|").split("|"))
            documented[event.strip("`")] = told_to
    assert set(documented) == set(notify.EVENTS)
    names = {
        notify.DRAFTERS: "drafters",
        notify.REVIEWERS: "reviewers",
        notify.COORDINATORS: "coordinators",
        notify.SUPPORTERS: "supporters",
        notify.LEAD_MINISTRY: "lead ministry",
        notify.DONORS: "donors",
    }
    for code, event in notify.EVENTS.items():
        if event.audiences:
            assert documented[code] == ", ".join(names[a] for a in event.audiences), code


def test_declines_reach_the_coordinator_with_the_statement(
    policy_in, cast, django_capture_on_commit_callbacks
):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_support(
            policy,
            actor=cast.bureau_member,
            organization=cast.bureau,
            decision="declined",
            statement="The welfare fund clause conflicts with our ordinance.",
        )
    note = Notification.objects.get(event="support_declined", recipient=cast.coordinator)
    assert "Bureau of Emigration and Overseas Employment declined" in note.body
    assert "welfare fund clause" in note.body
    assert note.link == f"{settings.SITE_URL}{reverse('web:policy', args=[policy.pk])}"


def test_outbox_rows_are_written_in_the_same_transaction(policy_in, cast, monkeypatch):
    """If the change fails after the rows were written, neither is kept."""
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    before = OutboxMessage.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("workflow.services.dispatch.run_after_commit", broken)
    with pytest.raises(RuntimeError):
        services.perform_transition(
            policy,
            "endorse",
            actor=cast.endorser,
            instrument="CD 1",
            date=timezone.localdate(),
        )
    assert OutboxMessage.objects.count() == before
    assert Policy.objects.get(pk=policy.pk).state == State.AWAITING_ENDORSEMENT
