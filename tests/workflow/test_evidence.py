"""Official letters go with the decisions they prove: stored with them, audited,
required where the project says so, and listed in the endorsement record."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents import services as documents
from documents.models import GeneratedRecord
from tests.documents import hostile, pdfs
from tests.documents.test_records import docx_text
from workflow import services
from workflow.evidence import Letter
from workflow.exceptions import ImmutableRecord
from workflow.models import AuditEntry, Endorsement, Evidence, Policy, Support

pytestmark = pytest.mark.django_db
State = Policy.State


def letter(data=None, name="letter.pdf"):
    return documents.validate_evidence(SimpleUploadedFile(name, data or pdfs.text_pdf()))


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file() and "evidence" in p.parts)


def support(policy, cast, **kwargs):
    return services.record_support(
        policy,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision=kwargs.pop("decision", Support.Decision.SUPPORTED),
        statement=kwargs.pop("statement", "We support it."),
        **kwargs,
    )


def endorse(policy, cast, **fields):
    return services.perform_transition(
        policy,
        "endorse",
        actor=cast.endorser,
        instrument="Cabinet decision 45/2026",
        date=timezone.localdate(),
        acknowledged=True,
        **fields,
    )


def test_a_support_keeps_its_letter_and_the_audit_entry_names_it(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    data = pdfs.arabic_pdf()
    given = support(policy, cast, letter=letter(data, "رسالة.pdf"))

    evidence = Evidence.objects.get()
    assert evidence.support == given
    assert evidence.endorsement is None
    assert evidence.version == policy.current_version
    assert evidence.added_by == cast.bureau_member
    assert (evidence.kind, evidence.pages, evidence.size) == ("pdf", 1, len(data))
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert pdfs.ARABIC in evidence.text
    with default_storage.open(evidence.file.name, "rb") as stored:
        assert stored.read() == data
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.SUPPORT).get()
    assert entry.details["letter"] == {
        "name": "رسالة.pdf",
        "sha256": evidence.sha256,
        "kind": "pdf",
    }


def test_a_decline_may_carry_its_letter_too(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    given = support(
        policy,
        cast,
        decision=Support.Decision.DECLINED,
        statement="Not in this form.",
        letter=letter(hostile.genuine_docx(), "decline.docx"),
    )
    assert given.letters.get().kind == "docx"


def test_a_required_letter_missing_is_refused_and_nothing_is_written(
    policy_in, cast, private_storage
):
    cast.project.support_letter_required = True
    cast.project.save()
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        support(policy, cast)
    assert "letter" in caught.value.message_dict
    assert "requires it" in caught.value.message_dict["letter"][0]
    assert not Support.objects.filter(organization=cast.bureau).exists()
    assert AuditEntry.objects.count() == entries
    assert not Evidence.objects.exists()
    support(policy, cast, letter=letter())
    assert Evidence.objects.count() == 1


def test_a_raw_upload_is_never_taken_as_a_letter(policy_in, cast, private_storage):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    with pytest.raises(TypeError):
        support(policy, cast, letter=SimpleUploadedFile("x.pdf", pdfs.text_pdf()))
    assert not Support.objects.filter(organization=cast.bureau).exists()
    assert stored_files(private_storage) == []


def test_a_letter_whose_bytes_changed_after_the_intake_is_refused(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    checked = letter()
    forged = Letter(
        kind="pdf", original_name="x.pdf", content=pdfs.scanned_pdf(), sha256=checked.sha256
    )
    with pytest.raises(ValidationError) as caught:
        support(policy, cast, letter=forged)
    assert "letter" in caught.value.message_dict
    assert not Evidence.objects.exists()


def test_a_refused_decision_removes_the_letter_it_stored(policy_in, cast, private_storage):
    """The letter reaches storage before the row; a refusal after it leaves no file."""
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    support(policy, cast, letter=letter())
    assert len(stored_files(private_storage)) == 1
    from unittest import mock

    with (
        mock.patch("workflow.notify.decision_given", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        services.record_support(
            policy,
            actor=cast.agency_member,
            organization=cast.agency,
            decision=Support.Decision.SUPPORTED,
            letter=letter(pdfs.scanned_pdf()),
        )
    assert len(stored_files(private_storage)) == 1
    assert Evidence.objects.count() == 1


def test_the_endorsement_keeps_its_decree(policy_in, cast):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    decree = letter(pdfs.scanned_pdf(), "decree.pdf")
    endorse(policy, cast, decree=decree)
    evidence = Evidence.objects.get()
    assert evidence.endorsement == Endorsement.objects.get()
    assert evidence.support is None
    assert evidence.sha256 == decree.sha256
    entry = AuditEntry.objects.filter(action="endorse").get()
    assert entry.details["decree"] == {"name": "decree.pdf", "sha256": decree.sha256, "kind": "pdf"}


def test_a_required_decree_missing_is_refused_and_nothing_is_written(policy_in, cast):
    cast.project.endorsement_letter_required = True
    cast.project.save()
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        endorse(policy, cast)
    assert "decree" in caught.value.message_dict
    policy.refresh_from_db()
    assert policy.state == State.AWAITING_ENDORSEMENT
    assert not Endorsement.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_letters_never_change(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    support(policy, cast, letter=letter())
    evidence = Evidence.objects.get()
    evidence.original_name = "other.pdf"
    with pytest.raises(ImmutableRecord):
        evidence.save()
    with pytest.raises(ImmutableRecord):
        Evidence.objects.all().delete()


def test_the_endorsement_record_lists_the_letters_with_their_hashes(
    policy_in, cast, django_capture_on_commit_callbacks
):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    support(policy, cast, letter=letter(pdfs.arabic_pdf(), "bureau.pdf"))
    services.record_support(
        policy,
        actor=cast.agency_member,
        organization=cast.agency,
        decision=Support.Decision.SUPPORTED,
    )
    decree = letter(pdfs.scanned_pdf(), "decree.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        endorse(policy, cast, decree=decree)
    record = GeneratedRecord.objects.get(kind=GeneratedRecord.Kind.ENDORSEMENT_RECORD)
    with default_storage.open(record.file.name, "rb") as stored:
        text = docx_text(io.BytesIO(stored.read()))
    assert "Official letters" in text
    assert "bureau.pdf" in text
    assert "decree.pdf" in text
    for evidence in Evidence.objects.all():
        assert evidence.sha256 in text
    assert "Decree of endorsement" in text
    assert "Letter of Bureau of Emigration and Overseas Employment (supported)" in text


def test_the_sweep_keeps_letters_and_removes_unconfirmed_pending_copies(policy_in, cast):
    from django.core.files.base import ContentFile

    from documents.services import remove_orphaned_files
    from tests.documents.test_storage import age

    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    support(policy, cast, letter=letter())
    kept = Evidence.objects.get().file.name
    pending = default_storage.save("pending/abandoned.pdf", ContentFile(pdfs.text_pdf()))
    fresh = default_storage.save("pending/waiting.pdf", ContentFile(pdfs.text_pdf()))
    age(kept, hours=2)
    age(pending, hours=2)

    removed = remove_orphaned_files()

    assert removed == [pending]
    assert default_storage.exists(kept)
    assert default_storage.exists(fresh)
