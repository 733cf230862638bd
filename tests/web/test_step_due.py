"""Who is assigned, and how long the current step has waited: on the policy
page, and overdue steps marked on the page, the list and the dashboard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from policyflow.formats.dates import day, moment
from workflow import services
from workflow.models import Policy, Theme
from workflow.rules import display_name

pytestmark = pytest.mark.django_db
State = Policy.State


def shown(date):
    return day(date)


def page(client, user, policy):
    client.force_login(user)
    response = client.get(reverse("web:policy", args=[policy.pk]))
    assert response.status_code == 200
    return response.content.decode().split('<header class="mb-3">', 1)[1].split("</header>", 1)[0]


def test_the_page_names_the_drafters_reviewers_institutions_and_themes(client, cast, new_policy):
    services.update_policy(
        new_policy,
        actor=cast.coordinator,
        themes=[Theme.objects.create(name="Labour migration"), Theme.objects.create(name="Return")],
    )
    header = page(client, cast.bureau_member, new_policy)
    drafters = header.split("Drafters</dt>", 1)[1].split("</dd>", 1)[0]
    assert f"<bdi>{display_name(cast.drafter)}</bdi>" in drafters
    reviewers = header.split("Reviewers</dt>", 1)[1].split("</dd>", 1)[0]
    for reviewer in (cast.reviewer, cast.second_reviewer):
        assert f"<bdi>{display_name(reviewer)}</bdi>" in reviewers
    institutions = header.split("Required institutions</dt>", 1)[1].split("</dd>", 1)[0]
    assert f"<bdi>{cast.bureau.name}</bdi>" in institutions
    assert f"<bdi>{cast.agency.name}</bdi>" in institutions
    themes = header.split("Themes</dt>", 1)[1].split("</dd>", 1)[0]
    assert "<bdi>Labour migration</bdi>" in themes
    assert "<bdi>Return</bdi>" in themes


def test_a_review_past_its_date_is_overdue_on_the_page_the_list_and_the_dashboard(
    client, cast, new_policy, walk
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.update_policy(new_policy, actor=cast.coordinator, review_due=yesterday, backfill=True)
    policy = walk.to(new_policy, State.EXPERT_REVIEW)

    header = page(client, cast.coordinator, policy)
    since = moment(policy.audit_entries.order_by("-at", "-pk").first().at)  # the submission
    assert f"Waiting since {since} (0 days)." in header
    assert f"Due {shown(yesterday)}." in header
    assert '<span class="badge text-bg-danger">overdue</span>' in header

    listed = client.get(reverse("web:policy_list")).content.decode()
    row = listed.split(policy.short_title, 1)[1].split("</tr>", 1)[0]
    assert shown(yesterday) in row
    assert "overdue" in row

    client.force_login(cast.reviewer)
    dashboard = client.get(reverse("web:dashboard")).content.decode()
    item = dashboard.split(policy.short_title, 1)[1].split("</tr>", 1)[0]
    assert "overdue" in item


def test_a_review_due_later_is_not_overdue(client, cast, new_policy, walk):
    later = timezone.localdate() + datetime.timedelta(days=10)
    services.update_policy(new_policy, actor=cast.coordinator, review_due=later)
    policy = walk.to(new_policy, State.EXPERT_REVIEW)
    header = page(client, cast.coordinator, policy)
    assert f"Due {shown(later)}." in header
    assert "overdue" not in header


def test_an_endorsement_is_due_when_the_ministry_is_reminded(client, cast, policy_in, settings):
    new_policy = policy_in(State.AWAITING_ENDORSEMENT)
    policy = new_policy
    settings.ENDORSEMENT_REMINDER_AFTER_DAYS = 30
    header = page(client, cast.endorser, policy)
    assert f"Due {shown(timezone.localdate() + datetime.timedelta(days=30))}." in header
    assert "overdue" not in header

    settings.ENDORSEMENT_REMINDER_AFTER_DAYS = -1  # reminded yesterday: overdue
    header = page(client, cast.endorser, policy)
    assert "overdue" in header


def test_a_policy_at_rest_waits_on_nothing(client, cast, policy_in):
    new_policy = policy_in(State.ENDORSED)
    policy = new_policy
    header = page(client, cast.coordinator, policy)
    assert "Waiting since" not in header
    assert "overdue" not in header
