"""Deleting what a policy's assignments name is refused, not a silent unassignment.

The assignment rows (drafters, reviewers, required institutions, themes)
change only through the services, which audit them; a delete of the
person, institution or theme they name would remove them unaudited.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from tests.factories import OrganizationFactory, UserFactory
from workflow import services
from workflow.exceptions import OutsideService
from workflow.models import AuditEntry, Organization, Policy, Theme

pytestmark = pytest.mark.django_db
User = get_user_model()


def assignments(policy):
    return {
        "drafters": set(policy.drafters.values_list("pk", flat=True)),
        "reviewers": set(policy.reviewers.values_list("pk", flat=True)),
        "required_supporters": set(policy.required_supporters.values_list("pk", flat=True)),
        "themes": set(policy.themes.values_list("pk", flat=True)),
    }


@pytest.fixture
def theme(new_policy, cast):
    theme = Theme.objects.create(name="Labour migration")
    services.update_policy(new_policy, actor=cast.coordinator, themes=[theme])
    return theme


def test_deleting_an_assigned_drafter_is_refused_and_writes_nothing(new_policy, cast):
    before, entries = assignments(new_policy), AuditEntry.objects.count()
    with pytest.raises(ProtectedError):
        cast.drafter.delete()
    with pytest.raises(ProtectedError):
        User.objects.filter(pk=cast.reviewer.pk).delete()
    assert User.objects.filter(pk__in=[cast.drafter.pk, cast.reviewer.pk]).count() == 2
    assert assignments(new_policy) == before
    assert AuditEntry.objects.count() == entries


def test_deleting_a_theme_in_use_is_refused_and_writes_nothing(new_policy, theme):
    before, entries = assignments(new_policy), AuditEntry.objects.count()
    with pytest.raises(ProtectedError):
        theme.delete()
    with pytest.raises(ProtectedError):
        Theme.objects.all().delete()
    assert Theme.objects.filter(pk=theme.pk).exists()
    assert assignments(new_policy)["themes"] == {theme.pk}
    assert assignments(new_policy) == before
    assert AuditEntry.objects.count() == entries


def test_deleting_a_required_institution_is_refused(new_policy, cast):
    # An institution nobody belongs to: only the policy's assignment names it.
    institution = OrganizationFactory(name="Board of Overseas Employment")
    services.update_policy(
        new_policy,
        actor=cast.coordinator,
        required_supporters=[cast.bureau, cast.agency, institution],
    )
    entries = AuditEntry.objects.count()
    with pytest.raises(ProtectedError):
        institution.delete()
    assert Organization.objects.filter(pk=institution.pk).exists()
    assert institution.pk in assignments(new_policy)["required_supporters"]
    assert AuditEntry.objects.count() == entries


def test_what_no_policy_names_is_deleted_as_before(new_policy, cast):
    theme = Theme.objects.create(name="Unused")
    stranger = UserFactory(username="stranger")
    theme.delete()
    stranger.delete()
    assert not Theme.objects.filter(name="Unused").exists()
    assert not User.objects.filter(username="stranger").exists()


def test_unassigned_through_the_service_then_deleted(new_policy, cast, theme):
    """The way to remove a drafter or a theme: change the assignment (audited), then delete."""
    services.update_policy(new_policy, actor=cast.coordinator, themes=[])
    theme.delete()
    assert not Theme.objects.filter(pk=theme.pk).exists()

    newcomer = UserFactory(username="newcomer")
    cast.implementer.memberships.create(user=newcomer, role="drafter")
    services.update_policy(new_policy, actor=cast.coordinator, drafters=[newcomer])
    services.update_policy(new_policy, actor=cast.coordinator, drafters=[cast.drafter])
    newcomer.delete()
    assert not User.objects.filter(username="newcomer").exists()

    changes = [
        entry.details["changed"]
        for entry in new_policy.audit_entries.filter(action=AuditEntry.Action.DETAILS_CHANGED)
    ]
    assert changes == [
        {"themes": {"from": [], "to": ["Labour migration"]}},
        {"themes": {"from": ["Labour migration"], "to": []}},
        {"drafters": {"from": ["drafter"], "to": ["newcomer"]}},
        {"drafters": {"from": ["newcomer"], "to": ["drafter"]}},
    ]


def test_assignments_still_refuse_to_change_outside_the_services(new_policy, cast, theme):
    # Each in a transaction of its own, as a shell in autocommit would run it.
    with pytest.raises(OutsideService), transaction.atomic():
        new_policy.drafters.remove(cast.drafter)
    with pytest.raises(OutsideService), transaction.atomic():
        new_policy.themes.clear()
    assert cast.drafter.pk in assignments(new_policy)["drafters"]
    assert assignments(new_policy)["themes"] == {theme.pk}


def test_the_admin_refuses_to_delete_a_theme_in_use(admin_client, new_policy, theme):
    url = reverse("admin:workflow_theme_delete", args=[theme.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "would require deleting the following protected related objects" in (
        page.content.decode()
    )
    entries = AuditEntry.objects.count()
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Theme.objects.filter(pk=theme.pk).exists()
    assert Policy.objects.get(pk=new_policy.pk).themes.get() == theme
    assert AuditEntry.objects.count() == entries


def test_the_admin_refuses_to_delete_an_assigned_drafter(admin_client, new_policy, cast):
    url = reverse("admin:auth_user_delete", args=[cast.drafter.pk])
    page = admin_client.get(url)
    assert "would require deleting the following protected related objects" in (
        page.content.decode()
    )
    admin_client.post(url, {"post": "yes"})
    assert User.objects.filter(pk=cast.drafter.pk).exists()
    assert cast.drafter.pk in assignments(new_policy)["drafters"]
