"""factory_boy factories for the people, the organisations and policies in any state.

``register`` and ``tests.conftest.Walker`` build a policy through the real
services, as its people would. ``PolicyFactory`` writes the rows a policy
in a given state has (its versions, reviews, supports, endorsement and
audit entries) directly, which is much faster; it does so inside
``writing_the_record()``, the only place in the tests that opens the
services' guard, and only while it builds.
"""

import copy
import datetime
import functools
import hashlib
import io
from contextlib import contextmanager

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from documents.docx.extract import extract
from workflow import clock, titles
from workflow.guard import service_write
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
)

Role = Membership.Role
Kind = Organization.Kind
State = Policy.State
Action = AuditEntry.Action
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    kind = Organization.Kind.INSTITUTION
    country = "PK"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.INSTITUTION_MEMBER


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    implementer = factory.SubFactory(
        OrganizationFactory, kind=Organization.Kind.IMPLEMENTER, country=""
    )


def member(organization, role, **user_fields):
    """A new user holding ``role`` in ``organization``."""
    return MembershipFactory(organization=organization, role=role, **user_fields).user


def members(*people):
    """New users, each holding one role: ``(organization, role, username)`` each.

    As ``member`` makes them (a name, an address at example.org, the
    password "pw"), in two queries for all of them.
    """
    faker = factory.Faker._get_faker()
    password = make_password("pw")
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            username=username,
            first_name=faker.first_name(),
            last_name=faker.last_name(),
            email=f"{username}@example.org",
            password=password,
        )
        for _, _, username in people
    )
    Membership.objects.bulk_create(
        Membership(user=user, organization=organization, role=role)
        for user, (organization, role, _) in zip(users, people, strict=True)
    )
    return users


@functools.cache
def docx_bytes(*paragraphs):
    """The bytes of a real .docx with the given paragraphs, made once per run."""
    document = Document()
    for text in paragraphs or ("A policy draft.",):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_upload(*paragraphs, name="draft.docx"):
    """A real .docx with the given paragraphs, as an uploaded file."""
    return SimpleUploadedFile(name, docx_bytes(*paragraphs), content_type=DOCX_TYPE)


@functools.cache
def _stored_facts(content):
    """What intake stores of a file besides its bytes (``documents.services.add_version``)."""
    extraction = extract(io.BytesIO(content))
    return {
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "extraction": extraction.as_dict(),
        "word_count": extraction.word_count,
        "tracked_insertions": extraction.tracked_insertions,
        "tracked_deletions": extraction.tracked_deletions,
        "comment_count": len(extraction.comments),
    }


def register(cast, short_title, **fields):
    """A policy registered by the cast's coordinator: Pakistani, two required
    institutions, the drafter and both reviewers; ``fields`` change any of it."""
    from workflow import services

    values = {
        "title": f"{short_title}: the full title",
        "country": "PK",
        "lead_ministry": cast.ministry,
        "required_supporters": [cast.bureau, cast.agency],
        "drafters": [cast.drafter],
        "reviewers": [cast.reviewer, cast.second_reviewer],
        **fields,
    }
    return services.register_policy(
        actor=cast.coordinator, project=cast.project, short_title=short_title, **values
    )


TODAY = datetime.date(2026, 11, 27)


def iraqi(cast, short_title):
    """A policy of Iraq's Ministry of Migration, with no institution required."""
    return register(
        cast, short_title, country="IQ", lead_ministry=cast.foreign_ministry, required_supporters=[]
    )


@contextmanager
def writing_the_record():
    """Let the factories below write a policy and its record directly.

    The models refuse such writes outside the services (``workflow.guard``);
    a test arranges its policy inside this block, through the factories,
    and acts through the services or the pages after it, guard restored.
    """
    with service_write():
        yield


def _member_of(organization, role):
    """Someone holding ``role`` in ``organization``: the first there, or a new one."""
    membership = (
        organization.memberships.filter(role=role).select_related("user").order_by("pk").first()
    )
    return membership.user if membership else member(organization, role)


# The steps behind each state, in the order the workflow takes them.
STEPS = {
    State.DRAFTING: [],
    State.EXPERT_REVIEW: ["upload", "submit"],
    State.INSTITUTIONAL_SUPPORT: ["upload", "submit", "clear"],
    State.AWAITING_ENDORSEMENT: ["upload", "submit", "clear", "support"],
    State.ENDORSED: ["upload", "submit", "clear", "support", "endorse"],
    State.WITHDRAWN: ["withdraw"],
}
ENDORSEMENT_INSTRUMENT = "Cabinet decision 12/2026"


class _History:
    """Writes the rows the services would have written on the way to a state.

    The same rows as ``tests.conftest.Walker`` leaves (versions with their
    stored file and extraction, the approving review, each institution's
    support, the endorsement, an audit entry for each step, the revision),
    but no notifications: a test about those walks the policy instead.
    """

    def __init__(self, policy, coordinator):
        self.policy = policy
        self.coordinator = coordinator
        self.state = "-"

    def audit(self, action, *, actor, to_state=None, version=None, comment="", **details):
        entry = AuditEntry.objects.create(
            policy=self.policy,
            actor=actor,
            action=action,
            from_state=self.state,
            to_state=to_state or self.state,
            version=version,
            comment=comment,
            details=details,
            at=clock.now(),
        )
        self.state = entry.to_state
        return entry

    def register(self):
        self.audit(Action.REGISTERED, actor=self.coordinator, to_state=State.DRAFTING)

    def upload(self):
        """The drafter's next version: "Draft number n." as the walk uploads them."""
        number = self.policy.versions.count() + 1
        content = docx_bytes(f"Draft number {number}.")
        facts = _stored_facts(content)
        version = DocumentVersion(
            policy=self.policy,
            number=number,
            original_name="draft.docx",
            uploaded_by=self.policy.drafters.order_by("pk").first(),
            uploaded_at=clock.now(),
            **{**facts, "extraction": copy.deepcopy(facts["extraction"])},
        )
        version.file.save("upload.docx", ContentFile(content), save=False)
        version.save()
        self.policy.__dict__.pop("current_version", None)  # a new one is current
        self.audit(
            Action.VERSION_ADDED, actor=version.uploaded_by, version=version, sha256=facts["sha256"]
        )
        return version

    def submit(self):
        version = self.policy.current_version
        self.audit(
            Action.SUBMIT_FOR_REVIEW,
            actor=version.uploaded_by,
            to_state=State.EXPERT_REVIEW,
            version=version,
        )

    def clear(self):
        version = self.policy.current_version
        reviewer = self.policy.reviewers.exclude(pk=version.uploaded_by_id).order_by("pk").first()
        review = Review.objects.create(
            policy=self.policy,
            version=version,
            reviewer=reviewer,
            decision=Review.Decision.APPROVED,
            comment="Sound.",
            created_at=clock.now(),
        )
        self.audit(
            Action.REVIEW,
            actor=reviewer,
            version=version,
            comment=review.comment,
            decision=review.decision,
        )
        self.audit(
            Action.CLEAR_REVIEW,
            actor=reviewer,
            to_state=State.INSTITUTIONAL_SUPPORT,
            version=version,
        )

    def support(self):
        version = self.policy.current_version
        person = None
        for organization in self.policy.required_supporters.order_by("pk"):
            person = _member_of(organization, Role.INSTITUTION_MEMBER)
            support = Support.objects.create(
                policy=self.policy,
                version=version,
                organization=organization,
                decision=Support.Decision.SUPPORTED,
                statement="We support it.",
                recorded_by=person,
                recorded_at=clock.now(),
            )
            self.audit(
                Action.SUPPORT,
                actor=person,
                version=version,
                comment=support.statement,
                organization=organization.name,
                organization_id=organization.pk,
                decision=support.decision,
            )
        self.audit(
            Action.COMPLETE_SUPPORT,
            actor=person,
            to_state=State.AWAITING_ENDORSEMENT,
            version=version,
        )

    def endorse(self):
        version = self.policy.current_version
        endorser = _member_of(self.policy.lead_ministry, Role.MINISTRY_ENDORSER)
        endorsement = Endorsement.objects.create(
            policy=self.policy,
            version=version,
            ministry=self.policy.lead_ministry,
            endorsed_by=endorser,
            instrument=ENDORSEMENT_INSTRUMENT,
            endorsed_on=clock.today(),
            recorded_at=clock.now(),
        )
        self.audit(
            Action.ENDORSE,
            actor=endorser,
            to_state=State.ENDORSED,
            version=version,
            instrument=endorsement.instrument,
            endorsed_on=endorsement.endorsed_on.isoformat(),
        )

    def withdraw(self):
        self.audit(
            Action.WITHDRAW,
            actor=self.coordinator,
            to_state=State.WITHDRAWN,
            version=self.policy.current_version,
            comment="Mandate ended.",
        )


class PolicyFactory(factory.django.DjangoModelFactory):
    """A policy in ``state`` with the record a policy gets on its way there.

    ``PolicyFactory(state=State.AWAITING_ENDORSEMENT)`` has version 1
    uploaded by its drafter and submitted, an approving review by its
    first reviewer, the support of every required institution (recorded by
    a member of each) and, for ``endorsed``, the lead ministry's
    endorsement; each step has its audit entry, in order, and moved the
    revision on as the services would. Unless given, the people and
    organisations are made: a coordinator, a drafter and a reviewer of the
    project's implementer, two required institutions and the lead ministry.
    ``drafters``, ``reviewers``, ``required_supporters`` and ``themes`` take
    lists; ``coordinator`` who registered it (and withdrew it); ``versions``
    how many versions its drafter uploaded in drafting (one by default
    where the state needs one, none otherwise).
    """

    class Meta:
        model = Policy

    short_title = factory.Sequence(lambda n: f"Policy {n}")
    title = factory.LazyAttribute(lambda p: f"{p.short_title}: the full title")
    country = "PK"
    lead_ministry = factory.SubFactory(OrganizationFactory, kind=Kind.MINISTRY)
    project = factory.SubFactory(ProjectFactory)
    state = State.DRAFTING

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        state = kwargs.pop("state")
        project = kwargs["project"]
        coordinator = kwargs.pop("coordinator", None) or _member_of(
            project.implementer, Role.COORDINATOR
        )
        assignments = {
            "drafters": kwargs.pop("drafters", None)
            or [_member_of(project.implementer, Role.DRAFTER)],
            "reviewers": kwargs.pop("reviewers", None)
            or [_member_of(project.implementer, Role.REVIEWER)],
            "required_supporters": kwargs.pop("required_supporters", None)
            or OrganizationFactory.create_batch(2, country=kwargs.get("country", "PK")),
            "themes": kwargs.pop("themes", ()),
        }
        kwargs.setdefault("short_title_key", titles.comparison_key(kwargs["short_title"]))
        steps = STEPS[state]
        uploads = kwargs.pop("versions", 1 if "upload" in steps else 0)
        if "upload" in steps and uploads < 1:
            raise ValueError(f"A policy in {state} has a version.")
        steps = ["upload"] * uploads + [step for step in steps if step != "upload"]
        with writing_the_record():
            now = clock.now()
            policy = model_class.objects.create(
                *args, state=state, revision=len(steps), created_at=now, updated_at=now, **kwargs
            )
            for field, objects in assignments.items():
                getattr(policy, field).set(objects)
            history = _History(policy, coordinator)
            history.register()
            for step in steps:
                getattr(history, step)()
        return policy
