"""Adding versions: only in drafting, by the right people, bytes kept exactly."""

import hashlib
import io
import os
import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from documents.selectors import content_of
from documents.services import add_version
from tests.documents import hostile
from tests.factories import docx_upload
from workflow.exceptions import ImmutableRecord, TransitionBlocked
from workflow.models import AuditEntry, DocumentVersion, Policy

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).parent / "corpus"
State = Policy.State


def stored_files():
    root = Path(default_storage.location)
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_version_is_stored_privately_with_hash_and_number(new_policy, cast):
    upload = docx_upload("Chapter one.", name="PK policy draft.docx")
    content = upload.read()
    version = add_version(new_policy, actor=cast.drafter, uploaded_file=upload, note="First draft")

    version = DocumentVersion.objects.get(pk=version.pk)
    assert version.number == 1
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.size == len(content)
    assert version.original_name == "PK policy draft.docx"
    assert version.file.name.startswith(f"policies/{new_policy.pk}/")
    assert "PK policy draft" not in version.file.name
    with default_storage.open(version.file.name, "rb") as stored:
        assert stored.read() == content
    entry = AuditEntry.objects.filter(policy=new_policy).latest("pk")
    assert (entry.action, entry.version, entry.comment) == ("version_added", version, "First draft")

    second = add_version(new_policy, actor=cast.coordinator, uploaded_file=docx_upload("Two."))
    assert second.number == 2
    assert new_policy.current_version == second


@pytest.mark.parametrize(
    "state",
    [
        State.EXPERT_REVIEW,
        State.INSTITUTIONAL_SUPPORT,
        State.AWAITING_ENDORSEMENT,
        State.ENDORSED,
        State.WITHDRAWN,
    ],
)
def test_versions_can_only_be_added_in_drafting(policy_in, cast, state):
    policy = policy_in(state)
    files_before = stored_files()
    versions_before = DocumentVersion.objects.count()
    with pytest.raises(TransitionBlocked, match="only be added in drafting"):
        add_version(policy, actor=cast.coordinator, uploaded_file=docx_upload("Late edit."))
    assert DocumentVersion.objects.count() == versions_before
    assert stored_files() == files_before


def test_identical_bytes_are_refused(new_policy, cast):
    upload = docx_upload("Same text.")
    add_version(new_policy, actor=cast.drafter, uploaded_file=upload)
    upload.seek(0)
    again = SimpleUploadedFile("copy.docx", upload.read())
    files_before = stored_files()
    with pytest.raises(ValidationError, match="identical to version 1"):
        add_version(new_policy, actor=cast.drafter, uploaded_file=again)
    assert DocumentVersion.objects.count() == 1
    assert stored_files() == files_before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"just some text, not a zip", "not a Word"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(new_policy, cast, content, message):
    with pytest.raises(ValidationError, match=message):
        add_version(
            new_policy, actor=cast.drafter, uploaded_file=SimpleUploadedFile("x.docx", content)
        )
    assert not DocumentVersion.objects.exists()
    assert stored_files() == []


def blank_docx():
    """What Word's "New blank document" saves: not a single paragraph of text."""
    buffer = io.BytesIO()
    Document().save(buffer)
    return SimpleUploadedFile("blank.docx", buffer.getvalue())


@pytest.mark.parametrize(
    "upload",
    [blank_docx, lambda: docx_upload(""), lambda: docx_upload("   ", "\t")],
    ids=["blank document", "one empty paragraph", "only white space"],
)
def test_a_document_without_text_is_refused(new_policy, cast, upload):
    with pytest.raises(ValidationError, match="no text in its body") as refused:
        add_version(new_policy, actor=cast.drafter, uploaded_file=upload())
    assert refused.value.code == "no_text"
    assert not DocumentVersion.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VERSION_ADDED).exists()
    assert stored_files() == []


def test_oversize_files_are_refused(new_policy, cast, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError, match="the limit is"):
        add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Long."))
    assert not DocumentVersion.objects.exists()


def test_file_is_removed_when_the_transaction_fails(new_policy, cast, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("documents.services.intake.audit.record", fail)
    with pytest.raises(RuntimeError):
        add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Doomed."))
    assert not DocumentVersion.objects.exists()
    assert stored_files() == []
    assert Policy.objects.get(pk=new_policy.pk).revision == new_policy.revision


def test_a_stored_version_never_changes(new_policy, cast):
    version = add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Fixed."))
    version.note = "rewritten"
    with pytest.raises(ImmutableRecord):
        version.save()
    with pytest.raises(ImmutableRecord):
        DocumentVersion.objects.filter(pk=version.pk).update(sha256="0" * 64)
    with pytest.raises(ImmutableRecord):
        version.delete()
    with pytest.raises(PermissionDenied):
        add_version(new_policy, actor=cast.bureau_member, uploaded_file=docx_upload("Other."))
    assert DocumentVersion.objects.get(pk=version.pk).note == ""


HOSTILE = {
    "zip bomb": (hostile.zip_bomb, "compression_ratio"),
    "billion laughs": (hostile.billion_laughs, "doctype"),
    "external entity": (hostile.external_entity, "doctype"),
    ".docm renamed": (hostile.macro_enabled_document, "not_docx_main"),
    "vba inside a .docx": (hostile.vba_in_docx, "active_content"),
    "OLE embedding": (hostile.ole_embedding, "active_content"),
    "external template": (
        lambda: hostile.external_relationship(
            "attachedTemplate", rels="word/_rels/settings.xml.rels"
        ),
        "external_reference",
    ),
    "traversal name": (lambda: hostile.with_member("../evil.xml"), "unsafe_name"),
    "not a zip": (hostile.plain_text, "not_zip"),
    "password-protected": (hostile.ole_container, "password_protected"),
    "unreadable": (hostile.malformed_document, "unreadable"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_uploads_leave_nothing_behind(new_policy, cast, case, tmp_path, monkeypatch):
    """Through the whole intake: refused with its code, and no row, file or temp file."""
    make, code = HOSTILE[case]
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        add_version(
            new_policy, actor=cast.drafter, uploaded_file=SimpleUploadedFile("x.docx", make())
        )
    assert refused.value.code == code
    assert not DocumentVersion.objects.exists()
    assert stored_files() == []
    assert AuditEntry.objects.count() == audit_before
    assert os.listdir(scratch) == []
    assert Policy.objects.get(pk=new_policy.pk).revision == new_policy.revision


def test_intake_stores_what_a_reader_sees(new_policy, cast):
    version = add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=docx_upload("1. Introduction", "سياسة الهجرة الوطنية للعراق"),
    )
    version = DocumentVersion.objects.get(pk=version.pk)
    lines = content_of(version).lines()
    assert lines == ["1. Introduction", "سياسة الهجرة الوطنية للعراق"]
    assert [b.direction for b in content_of(version).body] == ["ltr", "rtl"]
    assert version.word_count == 6
    assert not version.has_unresolved_changes


def test_tracked_changes_are_counted_on_the_version(new_policy, cast):
    content = (CORPUS / "redline-v1-v2.docx").read_bytes()
    version = add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=SimpleUploadedFile("redline-v1-v2.docx", content),
    )
    version = DocumentVersion.objects.get(pk=version.pk)
    assert (version.tracked_insertions, version.tracked_deletions) == (154, 127)
    assert version.has_unresolved_changes
