"""Versions and records a user may see: those of the policies they take part in."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from documents.docx.structure import Extraction
from documents.models import GeneratedRecord
from policyflow.formats.countries import by_name, country_name
from workflow.models import DocumentVersion, Evidence, MarkedUpCopy, Policy, Translation


def content_of(version):
    """What intake read out of ``version``, as an ``Extraction``."""
    return Extraction.from_dict(version.extraction) if version.extraction else Extraction()


def visible_versions(user):
    return DocumentVersion.objects.filter(
        policy__in=Policy.objects.visible_to(user).values("pk")
    ).select_related("policy")


def version_for(user, pk):
    """The version, or 404 whether it does not exist or is not the user's to see."""
    return get_object_or_404(visible_versions(user), pk=pk)


def translation_for(user, pk):
    """A translation of a visible policy's version, or 404."""
    return get_object_or_404(
        Translation.objects.filter(
            version__policy__in=Policy.objects.visible_to(user).values("pk")
        ).select_related("version__policy__project", "uploaded_by"),
        pk=pk,
    )


def marked_up_copy_for(user, pk):
    """A reviewer's marked-up copy on a visible policy, or 404."""
    return get_object_or_404(
        MarkedUpCopy.objects.filter(
            version__policy__in=Policy.objects.visible_to(user).values("pk")
        ).select_related("version__policy", "review__reviewer"),
        pk=pk,
    )


def translation_content(translation):
    """What intake read out of ``translation``, as an ``Extraction``."""
    return Extraction.from_dict(translation.extraction) if translation.extraction else Extraction()


def visible_records(user, records=None):
    """Endorsement records of visible policies, and the reports the user made."""
    records = GeneratedRecord.objects.all() if records is None else records
    if not user.is_authenticated:
        return records.none()
    visible = Policy.objects.visible_to(user).values("pk")
    return records.filter(
        Q(kind=GeneratedRecord.Kind.ENDORSEMENT_RECORD, policy__in=visible)
        | Q(kind=GeneratedRecord.Kind.PORTFOLIO_REPORT, created_by=user)
    )


def record_for(user, pk):
    """A record the user may see, or 404."""
    return get_object_or_404(visible_records(user), pk=pk)


def by_country(entries):
    """``[(country name, entries)]`` of portfolio entries (each naming its
    ``policy``): countries in alphabetical order, policies without one ("")
    last; each country's entries by title. The portfolio page and its .docx
    group alike."""
    groups = {}
    for entry in entries:
        groups.setdefault(country_name(entry.policy.country), []).append(entry)
    return [
        (country, sorted(groups[country], key=lambda entry: entry.policy.title.casefold()))
        for country in sorted(groups, key=lambda name: (not name, by_name(name)))
    ]


def letter_for(user, pk):
    """An official letter of a policy the user may see, or 404."""
    visible = Policy.objects.visible_to(user).values("pk")
    letters = Evidence.objects.filter(policy__in=visible).defer("text")
    return get_object_or_404(letters, pk=pk)
