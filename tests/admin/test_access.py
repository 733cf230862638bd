"""Who gets the admin, and what a coordinator reads there: what their pages show.

The server hosts two implementers and two donors (the cast's second
implementer runs its own project, funded by the second donor). The
coordinator holds every workflow and documents permission here, so what
keeps the rest out of sight is the admin's scoping, not a missing grant.
"""

import pytest
from django.contrib.auth import get_user_model

from tests.admin.helpers import admin_url
from tests.factories import member
from workflow import services
from workflow.models import AuditEntry, Membership, Organization, Policy, Project

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def other_policy(cast):
    """The second implementer's policy, in its project funded by the second donor."""
    coordinator = cast.other_implementer_coordinator
    project = Project.objects.get(donors=cast.other_donor)
    member(project.implementer, Role.DRAFTER, user__username="other_drafter")
    return services.register_policy(
        actor=coordinator,
        project=project,
        title="Another implementer's policy",
        short_title="Another policy",
        country="IQ",
        lead_ministry=cast.foreign_ministry,
    )


def listed(client, model):
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].queryset)


def test_an_institution_member_gets_no_admin(client, cast, new_policy):
    client.force_login(cast.bureau_member)
    for url in (
        "/admin/",
        admin_url(Policy, "changelist"),
        admin_url(get_user_model(), "changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/admin/login/"), url


def test_a_coordinator_reads_only_their_scope(cast, login, new_policy, other_policy):
    client = login(cast.coordinator)
    assert listed(client, Policy) == {new_policy}
    assert client.get(admin_url(Policy, "change", other_policy.pk)).url == "/admin/"
    assert {e.policy for e in listed(client, AuditEntry)} == {new_policy}

    assert listed(client, Project) == {cast.project}
    organisations = listed(client, Organization)
    assert {cast.implementer, cast.donor, cast.ministry, cast.bureau, cast.foreign_ministry} <= (
        organisations
    )  # ministries and institutions are offered by the policy form
    assert cast.other_donor not in organisations
    assert other_policy.project.implementer not in organisations

    memberships = listed(client, Membership)
    assert memberships == set(Membership.objects.filter(organization=cast.implementer))
    # Other organisations' people, even those of the policy's own ministry, stay out of sight.
    page = client.get(admin_url(Organization, "change", cast.ministry.pk)).content.decode()
    assert "endorser" not in page

    # No user list, and reference data stays read-only despite the permissions.
    assert client.get(admin_url(get_user_model(), "changelist")).status_code == 403
    before = Organization.objects.get(pk=cast.ministry.pk).name
    response = client.post(
        admin_url(Organization, "change", cast.ministry.pk), {"name": "Renamed", "kind": "ministry"}
    )
    assert response.status_code == 403
    assert Organization.objects.get(pk=cast.ministry.pk).name == before


def test_the_policy_form_offers_a_coordinator_only_their_projects_and_experts(
    cast, login, new_policy, other_policy
):
    response = login(cast.coordinator).get(admin_url(Policy, "add"))
    fields = response.context["adminform"].form.fields
    assert set(fields["project"].queryset) == {cast.project}
    assert set(fields["drafters"].queryset) == {cast.drafter}
    assert set(fields["reviewers"].queryset) == {
        cast.reviewer,
        cast.second_reviewer,
        cast.unassigned_expert,
    }
    assert cast.donor not in fields["required_supporters"].queryset
    assert cast.bureau in fields["required_supporters"].queryset


def test_another_implementers_coordinator_reads_only_theirs(cast, login, new_policy, other_policy):
    client = login(cast.other_implementer_coordinator)
    assert listed(client, Policy) == {other_policy}
    assert listed(client, Project) == {other_policy.project}
    assert cast.implementer not in listed(client, Organization)


def test_a_superuser_administers_everything(client, cast, new_policy, other_policy):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    assert listed(client, Policy) == {new_policy, other_policy}
    assert listed(client, Membership) == set(Membership.objects.all())
    assert listed(client, Project) == set(Project.objects.all())
    assert client.get(admin_url(get_user_model(), "changelist")).status_code == 200
