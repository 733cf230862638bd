"""Policy pages: every model answers; details go through register/update_policy."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.test import RequestFactory
from django.utils import timezone

from tests.admin.helpers import (
    STALE,
    State,
    admin_url,
    page_text,
    snapshot,
    transition_url,
)
from tests.factories import member
from workflow.models import (
    AuditEntry,
    DocumentVersion,
    Endorsement,
    Membership,
    Organization,
    Policy,
    Project,
    Review,
    Support,
    Theme,
)

pytestmark = pytest.mark.django_db
Role = Membership.Role


# -- every model has a working admin ------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        Organization,
        Membership,
        Project,
        Theme,
        Policy,
        Review,
        Support,
        Endorsement,
        AuditEntry,
        DocumentVersion,
    ],
)
def test_changelist_and_change_page_answer_for_a_coordinator(model, cast, policy_in, login):
    policy_in(State.ENDORSED)
    Theme.objects.create(name="Diaspora engagement")
    client = login(cast.coordinator)
    # A coordinator reads their own organisation's roles and their own projects only.
    own = {Membership: cast.coordinator.memberships.first(), Project: cast.project}
    obj = own.get(model) or model.objects.first()

    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_a_document_version_page_shows_its_identity_but_no_link_to_the_file(
    cast, new_policy, walk, login
):
    version = walk.upload(new_policy)
    client = login(cast.coordinator)

    text = page_text(client.get(admin_url(DocumentVersion, "change", version.pk)))

    assert version.sha256 in text
    assert version.original_name in text
    assert version.file.name not in text


# -- policies ------------------------------------------------------------------


def policy_form(cast, **overrides):
    data = {
        "title": "Policy on Engagement with Pakistanis Abroad",
        "short_title": "PK engagement policy",
        "country": "PK",
        "lead_ministry": cast.ministry.pk,
        "project": cast.project.pk,
        "summary": "",
        "themes": [],
        "required_supporters": [cast.bureau.pk],
        "drafters": [cast.drafter.pk],
        "reviewers": [cast.reviewer.pk],
        "review_due": "",
        "support_due": "",
    }
    return {**data, **overrides}


def test_adding_a_policy_registers_it_through_the_service(cast, login):
    theme = Theme.objects.create(name="Labour migration")
    client = login(cast.coordinator)

    response = client.post(admin_url(Policy, "add"), policy_form(cast, themes=[theme.pk]))

    assert response.status_code == 302
    policy = Policy.objects.get()
    assert policy.state == State.DRAFTING
    assert list(policy.themes.all()) == [theme]
    assert list(policy.required_supporters.all()) == [cast.bureau]
    assert list(policy.drafters.all()) == [cast.drafter]
    assert list(policy.reviewers.all()) == [cast.reviewer]
    assert list(policy.audit_entries.values_list("action", "actor")) == [
        (AuditEntry.Action.REGISTERED, cast.coordinator.pk)
    ]


def test_validating_the_form_writes_nothing_the_save_writes_once(cast, login):
    request = RequestFactory().get("/")
    request.user = cast.coordinator
    form_class = admin.site._registry[Policy].get_form(request)

    form = form_class(policy_form(cast))

    assert form.is_valid(), form.errors
    assert not Policy.objects.exists()
    response = login(cast.coordinator).post(
        admin_url(Policy, "add"), {**policy_form(cast), "_continue": "1"}
    )
    policy = Policy.objects.get()
    # The admin goes on with the policy the service wrote, and logs it.
    assert response.url == admin_url(Policy, "change", policy.pk)
    entry = LogEntry.objects.get()
    assert (entry.action_flag, entry.object_id, entry.user) == (
        ADDITION,
        str(policy.pk),
        cast.coordinator,
    )
    assert policy.audit_entries.count() == 1


def test_a_past_due_date_is_accepted_only_when_back_filling(cast, login):
    client = login(cast.coordinator)
    past = str(timezone.localdate() - datetime.timedelta(days=10))

    refused = client.post(admin_url(Policy, "add"), policy_form(cast, review_due=past))
    assert refused.status_code == 200
    assert "This date has passed." in page_text(refused)
    assert not Policy.objects.exists()

    form = policy_form(cast, review_due=past, backfill="on")
    assert client.post(admin_url(Policy, "add"), form).status_code == 302
    assert str(Policy.objects.get().review_due) == past
    assert AuditEntry.objects.get().details == {"backfill": True}


def test_a_refused_registration_is_a_form_error_and_writes_nothing(cast, login):
    # A superuser is offered every project, but only its coordinators may register.
    client = login(member(cast.implementer, Role.OBSERVER, user__is_superuser=True))

    response = client.post(admin_url(Policy, "add"), policy_form(cast))

    assert response.status_code == 200
    assert "Only a coordinator of the project" in page_text(response)
    assert not Policy.objects.exists()
    assert not AuditEntry.objects.exists()
    assert not LogEntry.objects.exists()


def test_another_implementers_project_is_not_offered(cast, login):
    client = login(cast.other_implementer_coordinator)

    assert f'value="{cast.project.pk}"' not in page_text(client.get(admin_url(Policy, "add")))
    response = client.post(admin_url(Policy, "add"), policy_form(cast))

    assert response.status_code == 200
    assert "Select a valid choice" in page_text(response)
    assert not Policy.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_service_validation_error_lands_on_its_field(cast, login):
    client = login(cast.coordinator)

    response = client.post(
        admin_url(Policy, "add"), policy_form(cast, reviewers=[cast.bureau_member.pk])
    )

    assert response.status_code == 200
    assert "reviewers" in response.context["adminform"].form.errors
    assert not Policy.objects.exists()


def edit_form(cast, policy, **overrides):
    current = {
        "title": policy.title,
        "short_title": policy.short_title,
        "required_supporters": [cast.bureau.pk, cast.agency.pk],
        "reviewers": [cast.reviewer.pk, cast.second_reviewer.pk],
        "loaded_revision": policy.revision,
    }
    return policy_form(cast, **{**current, **overrides})


def test_editing_a_policy_goes_through_update_policy(cast, new_policy, login):
    client = login(cast.coordinator)
    revision = new_policy.revision

    response = client.post(
        admin_url(Policy, "change", new_policy.pk),
        edit_form(cast, new_policy, title="A clearer title", drafters=[]),
    )

    assert response.status_code == 302
    new_policy.refresh_from_db()
    assert new_policy.title == "A clearer title"
    assert not new_policy.drafters.exists()
    assert new_policy.revision == revision + 1
    entry = new_policy.audit_entries.last()
    assert entry.action == AuditEntry.Action.DETAILS_CHANGED
    assert set(entry.details["changed"]) == {"title", "drafters"}
    logged = LogEntry.objects.get()
    assert (logged.action_flag, logged.object_id) == (CHANGE, str(new_policy.pk))
    assert "Title" in logged.get_change_message()


def test_an_edit_of_a_policy_that_moved_meanwhile_is_refused(cast, new_policy, walk, login):
    client = login(cast.coordinator)
    form = edit_form(cast, new_policy, title="A clearer title")
    walk.upload(new_policy)  # someone else acts after the page was loaded
    before = snapshot(new_policy)

    response = client.post(admin_url(Policy, "change", new_policy.pk), form)

    assert response.status_code == 200
    assert STALE in page_text(response)
    # The form again, as posted, to send once more after a look at the policy.
    assert response.context["adminform"].form["title"].value() == "A clearer title"
    assert snapshot(new_policy) == before
    assert new_policy.title != "A clearer title"
    assert not LogEntry.objects.exists()


def test_the_policy_page_is_read_only_for_those_who_may_not_edit_it(cast, new_policy, login):
    client = login(cast.observer)
    url = admin_url(Policy, "change", new_policy.pk)

    assert client.get(url).status_code == 200
    assert client.post(url, edit_form(cast, new_policy, title="X")).status_code == 403
    assert Policy.objects.get().title == new_policy.title


def test_policies_are_deleted_by_nobody(cast, new_policy, login):
    client = login(cast.coordinator)

    assert client.get(admin_url(Policy, "delete", new_policy.pk)).status_code == 403


def test_people_see_only_the_policies_they_take_part_in(cast, policy_in, login):
    policy = policy_in(State.EXPERT_REVIEW)
    client = login(cast.foreign_endorser)

    assert policy.short_title not in page_text(client.get(admin_url(Policy, "changelist")))
    assert client.get(admin_url(Policy, "change", policy.pk)).status_code == 302
    for model in (AuditEntry, DocumentVersion, Review):
        response = client.get(admin_url(model, "changelist"))
        assert response.context["cl"].result_count == 0


def test_the_policy_pages_read_right_to_left_in_arabic(cast, new_policy, login):
    client = login(cast.coordinator)

    for url in (admin_url(Policy, "change", new_policy.pk), transition_url(new_policy, "withdraw")):
        response = client.get(url, headers={"accept-language": "ar"})
        assert response.status_code == 200
        assert 'dir="rtl"' in page_text(response)
