"""Translations of a version: who adds them and when, the languages a project
requires before submission and endorsement, and the endorsement record."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from documents import services as documents
from documents.models import GeneratedRecord
from tests.documents.test_add_version import HOSTILE, stored_files
from tests.factories import docx_upload
from workflow import services
from workflow.exceptions import ImmutableRecord, TransitionBlocked
from workflow.models import AuditEntry, Policy, Project, Support, Translation

pytestmark = pytest.mark.django_db
State = Policy.State

DARI = "این پالیسی حقوق مهاجرین افغان را در کشورهای میزبان حمایت می‌کند."
PASHTO = "دا پالیسي په کوربه هېوادونو کې د افغان کډوالو حقونه ساتي."


@pytest.fixture(autouse=True)
def languages(cast):
    Project.objects.filter(pk=cast.project.pk).update(
        version_language="en", translation_languages=["fa", "ps", "ur"], required_translations=[]
    )
    cast.project.refresh_from_db()


def require(cast, *codes):
    Project.objects.filter(pk=cast.project.pk).update(required_translations=list(codes))


def translate(policy, language, text, *, actor, reason="", version=None):
    policy.refresh_from_db()
    return documents.add_translation(
        policy,
        actor=actor,
        version=version or policy.current_version,
        language=language,
        uploaded_file=docx_upload(text, name=f"policy-{language}.docx"),
        reason=reason,
    )


def test_a_drafter_adds_a_translation_in_drafting(new_policy, cast, walk):
    version = walk.upload(new_policy)
    translation = translate(new_policy, "fa", DARI, actor=cast.drafter)

    stored = Translation.objects.get(pk=translation.pk)
    assert (stored.version, stored.language, stored.original_name) == (
        version,
        "fa",
        "policy-fa.docx",
    )
    assert len(stored.sha256) == 64
    assert stored.sha256 != version.sha256
    assert DARI in stored.extraction["body"][0]["text"]
    assert stored.direction == "rtl"
    assert stored.language_name == "Dari"
    entry = AuditEntry.objects.filter(policy=new_policy).latest("pk")
    assert (entry.action, entry.version, entry.details["language"]) == (
        "translation_added",
        version,
        "fa",
    )
    with pytest.raises(ImmutableRecord):
        stored.delete()


def test_one_translation_per_language_and_only_the_projects_languages(new_policy, cast, walk):
    walk.upload(new_policy)
    translate(new_policy, "fa", DARI, actor=cast.drafter)
    with pytest.raises(ValidationError) as again:
        translate(new_policy, "fa", DARI + " دوم", actor=cast.drafter)
    assert "language" in again.value.message_dict
    with pytest.raises(ValidationError) as foreign:
        translate(new_policy, "ar", "سياسة الهجرة", actor=cast.drafter)
    assert "language" in foreign.value.message_dict
    assert Translation.objects.count() == 1


def test_outsiders_and_institutions_may_not_add_translations(new_policy, cast, walk):
    walk.upload(new_policy)
    for person in (cast.bureau_member, cast.other_implementer_coordinator, cast.observer):
        with pytest.raises(PermissionDenied):
            translate(new_policy, "fa", DARI, actor=person)
    assert not Translation.objects.exists()


def test_after_drafting_only_a_coordinator_adds_one_and_says_why(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    with pytest.raises(PermissionDenied):
        translate(policy, "ps", PASHTO, actor=cast.drafter, reason="Asked for.")
    with pytest.raises(ValidationError) as no_reason:
        translate(policy, "ps", PASHTO, actor=cast.coordinator)
    assert "reason" in no_reason.value.message_dict
    translation = translate(
        policy, "ps", PASHTO, actor=cast.coordinator, reason="The ministry works in Pashto."
    )
    entry = AuditEntry.objects.filter(policy=policy).latest("pk")
    assert (entry.action, entry.comment) == ("translation_added", "The ministry works in Pashto.")
    assert translation.reason == "The ministry works in Pashto."


def test_a_support_given_before_a_translation_stays_valid(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        policy,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision=Support.Decision.SUPPORTED,
    )
    translate(
        policy,
        "ur",
        "یہ پالیسی بیرون ملک پاکستانیوں کی فلاح کے لیے ہے",
        actor=cast.coordinator,
        reason="For the ministry.",
    )
    services.record_support(
        policy,
        actor=cast.agency_member,
        organization=cast.agency,
        decision=Support.Decision.SUPPORTED,
    )
    policy.refresh_from_db()
    # The bureau's support of the version stands: the last support completes it.
    assert policy.state == State.AWAITING_ENDORSEMENT
    assert policy.current_version.supports.filter(organization=cast.bureau).exists()


def test_required_languages_block_submission_until_added(new_policy, cast, walk):
    require(cast, "fa", "ps")
    walk.upload(new_policy)
    new_policy.refresh_from_db()
    reasons = services.transition_blockers(new_policy, "submit_for_review")
    assert any("Dari" in r for r in reasons)
    assert any("Pashto" in r for r in reasons)
    with pytest.raises(TransitionBlocked) as blocked:
        services.perform_transition(
            new_policy, "submit_for_review", actor=cast.drafter, acknowledged=True
        )
    assert any("Dari" in r for r in blocked.value.reasons)

    translate(new_policy, "fa", DARI, actor=cast.drafter)
    translate(new_policy, "ps", PASHTO, actor=cast.drafter)
    new_policy.refresh_from_db()
    assert services.transition_blockers(new_policy, "submit_for_review") == []
    services.perform_transition(
        new_policy, "submit_for_review", actor=cast.drafter, acknowledged=True
    )
    assert new_policy.state == State.EXPERT_REVIEW


def test_required_languages_block_endorsement(policy_in, cast):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    require(cast, "ur")
    policy = Policy.objects.get(pk=policy.pk)
    reasons = services.transition_blockers(policy, "endorse")
    assert reasons == ["Version 1 has no Urdu translation; the project requires one."]
    translate(
        policy,
        "ur",
        "یہ پالیسی منظوری کے لیے ہے",
        actor=cast.coordinator,
        reason="Official language.",
    )
    policy = Policy.objects.get(pk=policy.pk)
    assert services.transition_blockers(policy, "endorse") == []


def test_no_translation_is_added_to_an_endorsed_policy(policy_in, cast):
    policy = policy_in(State.ENDORSED)
    audit_before = AuditEntry.objects.count()
    files_before = stored_files()
    with pytest.raises(TransitionBlocked):
        translate(policy, "fa", DARI, actor=cast.coordinator, reason="Late.")
    assert not Translation.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert stored_files() == files_before


@pytest.mark.parametrize("case", ["zip bomb", "external entity", "vba inside a .docx", "not a zip"])
def test_a_hostile_translation_is_refused_and_nothing_stored(new_policy, cast, walk, case):
    walk.upload(new_policy)
    new_policy.refresh_from_db()
    make, code = HOSTILE[case]
    files_before = stored_files()
    with pytest.raises(ValidationError) as refused:
        documents.add_translation(
            new_policy,
            actor=cast.drafter,
            version=new_policy.current_version,
            language="fa",
            uploaded_file=SimpleUploadedFile("fa.docx", make()),
        )
    assert refused.value.code == code
    assert not Translation.objects.exists()
    assert stored_files() == files_before
    assert not AuditEntry.objects.filter(action="translation_added").exists()


def test_comparison_within_a_language(new_policy, cast, walk):
    from documents.services import compare_translations

    walk.upload(new_policy)
    older = translate(new_policy, "fa", DARI, actor=cast.drafter)
    walk.upload(new_policy)
    newer = translate(new_policy, "fa", DARI + " و بازگشت داوطلبانه.", actor=cast.drafter)
    comparison = compare_translations(older, newer)
    assert comparison.summary.paragraphs_changed == 1
    with pytest.raises(ValidationError):
        compare_translations(older, translate(new_policy, "ps", PASHTO, actor=cast.drafter))


def test_the_endorsement_record_lists_every_language_file_with_its_hash(
    policy_in, cast, django_capture_on_commit_callbacks
):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    dari = translate(policy, "fa", DARI, actor=cast.coordinator, reason="For the ministry.")
    pashto = translate(policy, "ps", PASHTO, actor=cast.coordinator, reason="For the ministry.")
    policy.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.perform_transition(
            policy,
            "endorse",
            actor=cast.endorser,
            instrument="Cabinet decision 7/2026",
            date=policy.current_version.uploaded_at.date(),
            acknowledged=True,
        )
    record = GeneratedRecord.objects.get(kind=GeneratedRecord.Kind.ENDORSEMENT_RECORD)
    with record.file.open("rb") as stored:
        document = Document(io.BytesIO(stored.read()))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    version = policy.current_version
    assert ["English", version.original_name, version.sha256] in rows
    assert ["Dari", dari.original_name, dari.sha256] in rows
    assert ["Pashto", pashto.original_name, pashto.sha256] in rows


def test_the_storage_sweep_keeps_translation_files(new_policy, cast, walk):
    import os
    import time

    from django.core.files.storage import default_storage

    walk.upload(new_policy)
    translation = translate(new_policy, "fa", DARI, actor=cast.drafter)
    path = default_storage.path(translation.file.name)
    then = time.time() - 3 * 3600
    os.utime(path, (then, then))
    assert documents.remove_orphaned_files() == []
    assert default_storage.exists(translation.file.name)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"version_language": "xx-not-a-language"}, "version_language"),
        ({"translation_languages": ["fa", "klingon"]}, "translation_languages"),
        ({"translation_languages": "fa"}, "translation_languages"),
        ({"translation_languages": ["en", "fa"]}, "translation_languages"),
        (
            {"translation_languages": ["fa"], "required_translations": ["ps"]},
            "required_translations",
        ),
    ],
)
def test_a_projects_languages_are_checked(cast, fields, field):
    project = Project.objects.get(pk=cast.project.pk)
    for name, value in fields.items():
        setattr(project, name, value)
    with pytest.raises(ValidationError) as refused:
        project.full_clean()
    assert field in refused.value.message_dict


def test_kurdish_is_a_document_language_though_no_page_is_shown_in_it(cast):
    project = Project.objects.get(pk=cast.project.pk)
    project.translation_languages = ["ar", "ku"]
    project.required_translations = ["ar"]
    project.full_clean()
    from policyflow.formats import languages

    assert (languages.language_name("ku"), languages.direction("ku")) == ("Kurdish", "ltr")
    assert (languages.language_name("ar"), languages.direction("ar")) == ("Arabic", "rtl")
