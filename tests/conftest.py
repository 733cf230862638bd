"""A cast of people, their policy in any state, and a helper that walks it there.

``policy_in(state)`` builds the cast's policy with the rows a policy in
that state has (``tests.factories.PolicyFactory``): the same versions,
decisions and audit entries the walk through the services leaves, without
its notifications. ``walk.to(policy, state)`` takes a policy there through
the services, as its people would: for tests about what those steps send
or check on the way.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import translation

from documents.services import add_version
from tests.factories import (
    OrganizationFactory,
    PolicyFactory,
    ProjectFactory,
    docx_upload,
    members,
)

# The S3-compatible server and a bucket per test (tests/s3.py).
from tests.s3 import s3_bucket, s3_endpoint  # noqa: F401
from workflow import clock, services
from workflow.models import Membership, Organization, Policy, Review, Support

Role = Membership.Role
Kind = Organization.Kind
State = Policy.State


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A page in another language leaves it active in this thread; start each test in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Each test stores documents in a directory of its own."""
    root = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


@dataclass
class Cast:
    implementer: Organization
    coordinator: object
    drafter: object
    reviewer: object
    second_reviewer: object
    unassigned_expert: object
    ministry: Organization
    endorser: object
    bureau: Organization
    bureau_member: object
    agency: Organization
    agency_member: object
    foreign_ministry: Organization
    foreign_endorser: object
    foreign_institution: Organization
    foreign_member: object
    donor: Organization
    observer: object
    other_implementer_coordinator: object
    project: object
    # A second donor, funding another implementer's project, and its observer.
    other_donor: Organization = None
    other_observer: object = None


@pytest.fixture
def cast(db):
    implementer = OrganizationFactory(name="ICMPD", kind=Kind.IMPLEMENTER, country="")
    ministry = OrganizationFactory(
        name="Ministry of Overseas Pakistanis and Human Resource Development",
        short_name="MOPHRD",
        kind=Kind.MINISTRY,
        country="PK",
    )
    bureau = OrganizationFactory(
        name="Bureau of Emigration and Overseas Employment", short_name="BE&OE", country="PK"
    )
    agency = OrganizationFactory(
        name="Federal Investigation Agency", short_name="FIA", country="PK"
    )
    foreign_ministry = OrganizationFactory(
        name="Ministry of Migration and Displaced", kind=Kind.MINISTRY, country="IQ"
    )
    foreign_institution = OrganizationFactory(name="Iraqi Kurdistan Board", country="IQ")
    donor = OrganizationFactory(name="EU Delegation", kind=Kind.DONOR, country="")
    other_implementer = OrganizationFactory(name="Other Implementer", kind=Kind.IMPLEMENTER)
    project = ProjectFactory(name="Silk Routes", implementer=implementer)
    project.donors.add(donor)
    other_donor = OrganizationFactory(name="Other Donor", kind=Kind.DONOR, country="")
    ProjectFactory(name="Other Project", implementer=other_implementer).donors.add(other_donor)
    (
        coordinator,
        drafter,
        reviewer,
        second_reviewer,
        unassigned_expert,
        endorser,
        bureau_member,
        agency_member,
        foreign_endorser,
        foreign_member,
        observer,
        other_implementer_coordinator,
        other_observer,
    ) = members(
        (implementer, Role.COORDINATOR, "coordinator"),
        (implementer, Role.DRAFTER, "drafter"),
        (implementer, Role.REVIEWER, "reviewer"),
        (implementer, Role.REVIEWER, "reviewer2"),
        (implementer, Role.REVIEWER, "unassigned"),
        (ministry, Role.MINISTRY_ENDORSER, "endorser"),
        (bureau, Role.INSTITUTION_MEMBER, "bureau"),
        (agency, Role.INSTITUTION_MEMBER, "agency"),
        (foreign_ministry, Role.MINISTRY_ENDORSER, "foreign_endorser"),
        (foreign_institution, Role.INSTITUTION_MEMBER, "foreign_member"),
        (donor, Role.OBSERVER, "observer"),
        (other_implementer, Role.COORDINATOR, "other_coordinator"),
        (other_donor, Role.OBSERVER, "other_observer"),
    )
    cast = Cast(
        implementer=implementer,
        coordinator=coordinator,
        drafter=drafter,
        reviewer=reviewer,
        second_reviewer=second_reviewer,
        unassigned_expert=unassigned_expert,
        ministry=ministry,
        endorser=endorser,
        bureau=bureau,
        bureau_member=bureau_member,
        agency=agency,
        agency_member=agency_member,
        foreign_ministry=foreign_ministry,
        foreign_endorser=foreign_endorser,
        foreign_institution=foreign_institution,
        foreign_member=foreign_member,
        donor=donor,
        observer=observer,
        other_implementer_coordinator=other_implementer_coordinator,
        project=project,
        other_donor=other_donor,
        other_observer=other_observer,
    )
    return cast


def cast_policy(cast):
    """The fields of the cast's policy: Pakistani, registered by the coordinator,
    two required institutions, the drafter and both reviewers."""
    return {
        "project": cast.project,
        "title": "National Emigration and Welfare Policy for Overseas Pakistanis",
        "short_title": "PK emigration policy",
        "country": "PK",
        "lead_ministry": cast.ministry,
        "required_supporters": [cast.bureau, cast.agency],
        "drafters": [cast.drafter],
        "reviewers": [cast.reviewer, cast.second_reviewer],
    }


@pytest.fixture
def new_policy(cast):
    """A freshly registered policy in drafting, with no version yet."""
    return services.register_policy(actor=cast.coordinator, **cast_policy(cast))


class Walker:
    """Moves a policy forward through the services, as its people would."""

    def __init__(self, cast):
        self.cast = cast
        self._uploads = 0

    def upload(self, policy, by=None):
        self._uploads += 1
        return add_version(
            policy,
            actor=by or self.cast.drafter,
            uploaded_file=docx_upload(f"Draft number {self._uploads}."),
        )

    def to(self, policy, state):
        steps = {
            State.DRAFTING: [],
            State.EXPERT_REVIEW: [self._upload_once, self._submit],
            State.INSTITUTIONAL_SUPPORT: [self._upload_once, self._submit, self._clear],
            State.AWAITING_ENDORSEMENT: [
                self._upload_once,
                self._submit,
                self._clear,
                self._all_support,
            ],
            State.ENDORSED: [
                self._upload_once,
                self._submit,
                self._clear,
                self._all_support,
                self._endorse,
            ],
            State.WITHDRAWN: [self._withdraw],
        }[state]
        for step in steps:
            step(policy)
        assert policy.state == state, (policy.state, state)
        return policy

    def _upload_once(self, policy):
        if policy.current_version is None:
            self.upload(policy)

    # The walk's people have seen the comments left in a version
    # (``acknowledged``): the services refuse to pass one on unawares.

    def _submit(self, policy):
        services.perform_transition(
            policy, "submit_for_review", actor=self.cast.drafter, acknowledged=True
        )

    def _clear(self, policy):
        services.record_review(
            policy,
            actor=self.cast.reviewer,
            decision=Review.Decision.APPROVED,
            comment="Sound.",
            acknowledged=True,
        )
        services.perform_transition(policy, "clear_review", actor=self.cast.reviewer)

    def _all_support(self, policy):
        for organization, person in (
            (self.cast.bureau, self.cast.bureau_member),
            (self.cast.agency, self.cast.agency_member),
        ):
            services.record_support(
                policy,
                actor=person,
                organization=organization,
                decision=Support.Decision.SUPPORTED,
                statement="We support it.",
            )

    def _endorse(self, policy):
        services.perform_transition(
            policy,
            "endorse",
            actor=self.cast.endorser,
            instrument="Cabinet decision 12/2026",
            date=clock.today(),  # on or after the submission, never before
            acknowledged=True,
        )

    def _withdraw(self, policy):
        services.perform_transition(
            policy, "withdraw", actor=self.cast.coordinator, comment="Mandate ended."
        )


@pytest.fixture
def walk(cast):
    return Walker(cast)


@pytest.fixture
def policy_in(cast, walk):
    """``policy_in(state)`` gives the cast's policy in ``state`` (``PolicyFactory``);
    ``policy_in(state, short_title=...)`` another one, ``fields`` change any of it."""

    def make(state, **fields):
        if "short_title" in fields:
            fields.setdefault("title", f"{fields['short_title']}: the full title")
        policy = PolicyFactory(
            state=state, coordinator=cast.coordinator, **{**cast_policy(cast), **fields}
        )
        walk._uploads += policy.versions.count()  # the walk's next upload is a new file
        return policy

    return make


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need its row locks and triggers."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
