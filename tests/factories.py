"""factory_boy factories that build policies through the real services."""

import datetime
import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from workflow.models import Membership, Organization, Project

Role = Membership.Role


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


def docx_upload(*paragraphs, name="draft.docx"):
    """A real .docx with the given paragraphs, as an uploaded file."""
    document = Document()
    for text in paragraphs or ("A policy draft.",):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


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
