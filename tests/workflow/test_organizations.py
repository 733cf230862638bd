"""Memberships: a role only in the kind of organisation it belongs to."""

import pytest
from django.core.exceptions import ValidationError

from workflow.models import Membership, Organization

pytestmark = pytest.mark.django_db
Role = Membership.Role
Kind = Organization.Kind


@pytest.mark.parametrize(
    ("kind", "role", "fits"),
    [
        (Kind.IMPLEMENTER, Role.COORDINATOR, True),
        (Kind.IMPLEMENTER, Role.DRAFTER, True),
        (Kind.MINISTRY, Role.MINISTRY_ENDORSER, True),
        (Kind.MINISTRY, Role.INSTITUTION_MEMBER, True),
        (Kind.INSTITUTION, Role.INSTITUTION_MEMBER, True),
        (Kind.DONOR, Role.OBSERVER, True),
        (Kind.DONOR, Role.MINISTRY_ENDORSER, False),
        (Kind.INSTITUTION, Role.MINISTRY_ENDORSER, False),
        (Kind.MINISTRY, Role.COORDINATOR, False),
    ],
)
def test_role_must_fit_the_organisation(django_user_model, kind, role, fits):
    user = django_user_model.objects.create_user("someone")
    # Not saved yet, as when an organisation and its members are added together.
    organization = Organization(name="Somewhere", kind=kind)
    membership = Membership(user=user, organization=organization, role=role)
    if fits:
        membership.clean()
    else:
        with pytest.raises(ValidationError) as refused:
            membership.clean()
        assert "role" in refused.value.message_dict
