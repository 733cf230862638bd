"""Registering a policy and changing its details through the pages: coordinators only."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganizationFactory, ProjectFactory, member
from workflow import services
from workflow.models import AuditEntry, Membership, Organization, Policy, Theme

Role = Membership.Role
Kind = Organization.Kind
State = Policy.State
CREATE = reverse("web:policy_create")
_numbers = itertools.count(1)


def edit_url(policy):
    return reverse("web:policy_edit", args=[policy.pk])


def registration(cast, **changes):
    """What a coordinator posts to register the PK emigration policy."""
    data = {
        "title": "National Emigration and Welfare Policy for Overseas Pakistanis",
        "short_title": "PK emigration policy",
        "country": "PK",
        "project": cast.project.pk,
        "lead_ministry": cast.ministry.pk,
        "summary": "Protects emigrants and their families.",
        "required_supporters": [cast.bureau.pk, cast.agency.pk],
        "drafters": [cast.drafter.pk],
        "reviewers": [cast.reviewer.pk, cast.second_reviewer.pk],
        "review_due": str(timezone.localdate() + datetime.timedelta(days=30)),
        "support_due": "",
    }
    data.update(changes)
    return data


def details(policy, **changes):
    """The edit form as the page shows it for ``policy``, with ``changes``."""
    policy = Policy.objects.get(pk=policy.pk)
    data = registration_of(policy)
    data.update(changes)
    return data


def registration_of(policy):
    return {
        "title": policy.title,
        "short_title": policy.short_title,
        "country": policy.country.code,
        "project": policy.project_id,
        "lead_ministry": policy.lead_ministry_id,
        "summary": policy.summary,
        "themes": [t.pk for t in policy.themes.all()],
        "required_supporters": [o.pk for o in policy.required_supporters.all()],
        "drafters": [u.pk for u in policy.drafters.all()],
        "reviewers": [u.pk for u in policy.reviewers.all()],
        "review_due": policy.review_due.isoformat() if policy.review_due else "",
        "support_due": policy.support_due.isoformat() if policy.support_due else "",
        "revision": policy.revision,
    }


# -- registering -----------------------------------------------------------------


def test_the_form_offers_what_the_coordinator_may_choose(client, cast):
    cast.drafter.first_name, cast.drafter.last_name = "Amina", "Khan"
    cast.drafter.save()
    Theme.objects.create(name="Labour migration")
    ProjectFactory(name="Someone else's project")
    client.force_login(cast.coordinator)
    response = client.get(CREATE)
    assert response.status_code == 200
    page = response.content.decode()
    form = response.context["form"]
    assert list(form.fields["project"].queryset) == [cast.project]
    assert set(form.fields["drafters"].queryset) == {cast.drafter}
    assert set(form.fields["reviewers"].queryset) == {
        cast.reviewer,
        cast.second_reviewer,
        cast.unassigned_expert,
    }
    assert "Amina Khan — ICMPD" in page  # full name and organisation
    assert "Someone else&#x27;s project" not in page
    assert "Labour migration" in page
    assert "Bureau of Emigration and Overseas Employment (Pakistan)" in page
    assert 'type="date" name="review_due"' in page
    assert "Ministry of Migration and Displaced (Iraq)" in page


def test_a_coordinator_registers_a_policy(client, cast):
    theme = Theme.objects.create(name="Labour migration")
    client.force_login(cast.coordinator)
    response = client.post(CREATE, registration(cast, themes=[theme.pk]))
    policy = Policy.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("web:policy", args=[policy.pk])
    assert policy.state == State.DRAFTING
    assert policy.short_title == "PK emigration policy"
    assert policy.lead_ministry == cast.ministry
    assert policy.review_due == timezone.localdate() + datetime.timedelta(days=30)
    assert policy.support_due is None
    assert set(policy.required_supporters.all()) == {cast.bureau, cast.agency}
    assert list(policy.drafters.all()) == [cast.drafter]
    assert set(policy.reviewers.all()) == {cast.reviewer, cast.second_reviewer}
    assert list(policy.themes.all()) == [theme]
    entry = AuditEntry.objects.get(policy=policy)
    assert (entry.action, entry.actor) == ("registered", cast.coordinator)
    page = client.get(CREATE)  # the next page shows the confirmation
    assert "“PK emigration policy” is registered." in page.content.decode()


@pytest.mark.parametrize("who", ["drafter", "bureau_member", "observer", "endorser"])
def test_only_coordinators_may_register(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, registration(cast)).status_code == 403
    assert not Policy.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(CREATE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def refused(client, data, field):
    response = client.post(CREATE, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert not Policy.objects.exists()
    assert not AuditEntry.objects.exists()
    return response, form.errors[field]


def test_a_lead_ministry_of_another_country_is_refused_on_its_field(client, cast):
    client.force_login(cast.coordinator)
    response, errors = refused(
        client, registration(cast, lead_ministry=cast.foreign_ministry.pk), "lead_ministry"
    )
    assert errors == ["The lead ministry must be of the policy's country."]
    assert "The lead ministry must be of the policy&#x27;s country." in response.content.decode()


def test_a_reviewer_who_is_no_reviewer_of_the_implementer_is_refused(client, cast):
    client.force_login(cast.coordinator)
    # Not even offered: the drafter holds no reviewer role.
    refused(client, registration(cast, reviewers=[cast.drafter.pk]), "reviewers")

    # Offered, as the coordinator also coordinates another implementer, but
    # that one's reviewer may not review this project's policy.
    other = cast.other_implementer_coordinator.memberships.get().organization
    Membership.objects.create(user=cast.coordinator, organization=other, role=Role.COORDINATOR)
    outsider = member(other, Role.REVIEWER, user__first_name="Omar", user__last_name="Said")
    _response, errors = refused(client, registration(cast, reviewers=[outsider.pk]), "reviewers")
    assert errors == ["Omar Said: not reviewer with ICMPD."]


def test_a_taken_short_title_is_refused_on_its_field(client, cast, new_policy):
    client.force_login(cast.coordinator)
    response = client.post(CREATE, registration(cast, short_title=new_policy.short_title))
    assert response.status_code == 400
    assert "short_title" in response.context["form"].errors
    assert Policy.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_missing_fields_are_named(client, cast):
    client.force_login(cast.coordinator)
    response, _errors = refused(client, registration(cast, title="", country=""), "title")
    assert "country" in response.context["form"].errors


# -- changing the details ----------------------------------------------------------


def test_the_edit_form_shows_the_policy_as_it_is(client, cast, new_policy):
    client.force_login(cast.coordinator)
    response = client.get(edit_url(new_policy))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["short_title"].value() == "PK emigration policy"
    assert set(form["reviewers"].value()) == {cast.reviewer.pk, cast.second_reviewer.pk}
    page = response.content.decode()
    assert f'name="revision" value="{new_policy.revision}"' in page
    assert 'value="PK emigration policy"' in page


def test_a_coordinator_changes_the_details(client, cast, new_policy):
    client.force_login(cast.coordinator)
    data = details(new_policy, summary="Covers emigrant welfare.", reviewers=[cast.reviewer.pk])
    response = client.post(edit_url(new_policy), data)
    assert response.status_code == 302
    assert response.url == reverse("web:policy", args=[new_policy.pk])
    new_policy.refresh_from_db()
    assert new_policy.summary == "Covers emigrant welfare."
    assert list(new_policy.reviewers.all()) == [cast.reviewer]
    assert new_policy.revision == data["revision"] + 1
    entry = AuditEntry.objects.filter(policy=new_policy).latest("pk")
    assert (entry.action, entry.actor) == ("details_changed", cast.coordinator)
    assert set(entry.details["changed"]) == {"summary", "reviewers"}


def test_saving_unchanged_details_writes_nothing(client, cast, new_policy):
    client.force_login(cast.coordinator)
    response = client.post(edit_url(new_policy), details(new_policy), follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert AuditEntry.objects.filter(policy=new_policy).count() == 1


def test_a_stale_form_is_refused_and_nothing_changes(client, cast, new_policy):
    client.force_login(cast.coordinator)
    stale = details(new_policy, summary="My summary.")
    services.update_policy(new_policy, actor=cast.coordinator, summary="Their summary.")
    audit_rows = AuditEntry.objects.count()

    response = client.post(edit_url(new_policy), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed by someone else in the meantime" in page
    assert 'value="My summary."' not in page  # a textarea keeps it as text
    assert "My summary." in page  # what they typed is not lost
    assert f'href="{edit_url(new_policy)}"' in page  # and they can reload
    new_policy.refresh_from_db()
    assert new_policy.summary == "Their summary."
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.parametrize("revision", [None, "x", "-1", "99999999999999999999"])
def test_a_form_without_its_revision_is_refused(client, cast, new_policy, revision):
    client.force_login(cast.coordinator)
    data = details(new_policy, summary="No revision.")
    if revision is None:
        del data["revision"]
    else:
        data["revision"] = revision
    response = client.post(edit_url(new_policy), data)
    assert response.status_code == 400
    assert "This form is incomplete or out of date." in response.content.decode()
    new_policy.refresh_from_db()
    assert new_policy.summary == ""


def test_an_error_from_the_service_lands_on_its_field(client, cast, new_policy):
    client.force_login(cast.coordinator)
    data = details(new_policy, lead_ministry=cast.foreign_ministry.pk)
    response = client.post(edit_url(new_policy), data)
    assert response.status_code == 400
    assert response.context["form"].errors["lead_ministry"] == [
        "The lead ministry must be of the policy's country."
    ]
    new_policy.refresh_from_db()
    assert new_policy.lead_ministry == cast.ministry
    assert AuditEntry.objects.filter(policy=new_policy).count() == 1


def test_supporters_are_fixed_while_support_is_collected(client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    client.force_login(cast.coordinator)
    form = client.get(edit_url(policy)).context["form"]
    assert form.fields["required_supporters"].disabled
    data = details(policy, required_supporters=[cast.bureau.pk], summary="Later summary.")
    assert client.post(edit_url(policy), data).status_code == 302
    policy.refresh_from_db()
    assert set(policy.required_supporters.all()) == {cast.bureau, cast.agency}
    assert policy.summary == "Later summary."


def test_another_implementers_coordinator_may_not_edit(client, cast, new_policy, settings):
    # Reading the policy (one implementer's deployment) does not let them edit it.
    settings.READ_WHOLE_PORTFOLIO = True
    client.force_login(cast.other_implementer_coordinator)
    assert client.get(edit_url(new_policy)).status_code == 403
    response = client.post(edit_url(new_policy), details(new_policy, summary="Taken over."))
    assert response.status_code == 403
    new_policy.refresh_from_db()
    assert new_policy.summary == ""


@pytest.mark.parametrize(
    "who", ["foreign_member", "foreign_endorser", "other_implementer_coordinator", "other_observer"]
)
def test_a_foreign_user_is_told_nothing(client, cast, new_policy, who):
    client.force_login(getattr(cast, who))
    assert client.get(edit_url(new_policy)).status_code == 404
    assert client.post(edit_url(new_policy), details(new_policy)).status_code == 404


def test_a_participant_who_is_not_coordinator_may_not_edit(client, cast, new_policy):
    client.force_login(cast.drafter)
    assert client.get(edit_url(new_policy)).status_code == 403


def test_an_endorsed_policy_shows_no_form_and_refuses_a_post(client, cast, policy_in):
    policy = policy_in(State.ENDORSED)
    client.force_login(cast.coordinator)
    response = client.get(edit_url(policy))
    assert response.status_code == 200
    page = response.content.decode()
    assert "part of the official record" in page
    assert 'name="short_title"' not in page
    assert "form" not in response.context

    data = details(policy, summary="Rewritten after the fact.")
    audit_rows = AuditEntry.objects.count()
    response = client.post(edit_url(policy), data)
    assert response.status_code == 409
    policy.refresh_from_db()
    assert policy.summary == ""
    assert AuditEntry.objects.count() == audit_rows


# -- a fixed number of queries ----------------------------------------------------


def grow(cast, n):
    """More themes, institutions, ministries, projects and experts to choose from."""
    made = {"themes": [], "supporters": [], "drafters": [], "reviewers": []}
    for _ in range(n):
        number = next(_numbers)
        made["themes"].append(Theme.objects.create(name=f"Theme {number}"))
        made["supporters"].append(OrganizationFactory(kind=Kind.INSTITUTION, country="PK"))
        OrganizationFactory(kind=Kind.MINISTRY, country="PK")
        ProjectFactory(implementer=cast.implementer)
        made["drafters"].append(member(cast.implementer, Role.DRAFTER))
        made["reviewers"].append(member(cast.implementer, Role.REVIEWER))
    return made


def counted(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_forms_run_the_same_queries_whatever_there_is_to_choose(client, cast, new_policy):
    client.force_login(cast.coordinator)

    def assign(made):
        services.update_policy(
            new_policy,
            actor=cast.coordinator,
            themes=made["themes"],
            required_supporters=made["supporters"],
            drafters=made["drafters"],
            reviewers=made["reviewers"],
        )

    assign(grow(cast, 1))
    client.get(CREATE)  # anything read once per process is read now
    small = (counted(client, CREATE), counted(client, edit_url(new_policy)))
    assign(grow(cast, 12))
    assert new_policy.reviewers.count() == 12
    assert (counted(client, CREATE), counted(client, edit_url(new_policy))) == small


def test_the_history_shows_each_changed_detail_before_and_after(client, cast, new_policy):
    first, second = (timezone.localdate() + datetime.timedelta(days=n) for n in (20, 40))
    both = sorted(str(u) for u in new_policy.reviewers.all())
    assert len(both) == 2
    services.update_policy(new_policy, actor=cast.coordinator, review_due=first)
    services.update_policy(
        new_policy, actor=cast.coordinator, review_due=second, reviewers=[cast.reviewer]
    )
    client.force_login(cast.coordinator)
    page = client.get(reverse("web:policy", args=[new_policy.pk])).content.decode()
    history = page.split('id="timeline-heading"', 1)[1]
    assert f"Review due: set to <bdi>{first}</bdi>" in history
    assert f"Review due: <bdi>{first}</bdi>, now <bdi>{second}</bdi>" in history
    assert f"Reviewers: <bdi>{', '.join(both)}</bdi>, now <bdi>{cast.reviewer}</bdi>" in history


def test_a_past_due_date_needs_the_back_filling_box(client, cast):
    client.force_login(cast.coordinator)
    past = str(timezone.localdate() - datetime.timedelta(days=3))
    refused = client.post(CREATE, registration(cast, review_due=past))
    assert refused.status_code == 400
    assert "This date has passed." in refused.content.decode()
    assert not Policy.objects.exists()

    accepted = client.post(CREATE, registration(cast, review_due=past, backfill="on"))
    assert accepted.status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REGISTERED)
    assert entry.details == {"backfill": True}
    assert str(Policy.objects.get().review_due) == past
