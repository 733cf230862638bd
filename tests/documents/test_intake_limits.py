"""Intake under attack: what passes python-docx must still not hurt extraction."""

import random
import string

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.docx.compare import compare
from documents.models import GeneratedRecord
from documents.services import add_version, make_missing_endorsement_records
from tests.documents import hostile
from tests.factories import docx_upload
from workflow.exceptions import ImmutableRecord, TransitionBlocked
from workflow.models import DocumentVersion, Policy

pytestmark = pytest.mark.django_db
State = Policy.State
FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def with_footnotes(name, content, content_type=FOOTNOTES_TYPE):
    """A genuine document whose footnotes relationship leads to ``name``."""
    parts = hostile.parts_of()
    parts[name] = content
    hostile.declare_type(parts, override=name, content_type=content_type)
    hostile.relate(parts, FOOTNOTES, name.removeprefix("word/"))
    return hostile.pack(parts)


def upload(policy, actor, content):
    return add_version(policy, actor=actor, uploaded_file=SimpleUploadedFile("draft.docx", content))


def test_a_part_only_extraction_reads_is_refused_cleanly_when_broken(new_policy, cast):
    """python-docx never parses footnotes; a broken footnotes part is still refused."""
    with pytest.raises(ValidationError) as refused:
        upload(new_policy, cast.drafter, with_footnotes("word/footnotes.xml", b"<w:footnotes"))
    assert refused.value.code == "unreadable"
    assert not DocumentVersion.objects.exists()


def test_a_doctype_in_a_part_of_any_name_is_refused(new_policy, cast):
    entity = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    )
    content = with_footnotes("word/notes.txt", entity, content_type="text/plain")
    with pytest.raises(ValidationError) as refused:
        upload(new_policy, cast.drafter, content)
    assert refused.value.code == "doctype"


def test_an_ole_object_under_another_name_is_refused(new_policy, cast):
    content = hostile.with_member("word/embeddings/budget.xls", hostile.ole_container())
    with pytest.raises(ValidationError) as refused:
        upload(new_policy, cast.drafter, content)
    assert refused.value.code == "active_content"


def test_too_much_text_is_refused_before_anything_parses_it(new_policy, cast):
    # About 26 MiB of varied words: packed well within the upload limit and
    # an ordinary compression ratio, so only the text size can refuse it.
    # (Random bytes mapped onto the letters: the same text, made in a tenth of a second.)
    alphabet = (string.ascii_lowercase + " ").encode()
    to_letters = bytes(alphabet[i % len(alphabet)] for i in range(256))
    letters = random.Random(5).randbytes(26 * 1024 * 1024).translate(to_letters)
    body = b"<w:p><w:r><w:t>" + letters + b"</w:t></w:r></w:p>"
    content = hostile.with_xml("word/document.xml", hostile._document_xml(body=body))
    assert len(content) < 25 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        upload(new_policy, cast.drafter, content)
    assert refused.value.code == "too_much_text"
    assert "the 24 MiB policyflow reads" in refused.value.message


def test_who_and_when_are_checked_before_the_file_is_read(walk, new_policy, cast):
    with pytest.raises(PermissionDenied):
        upload(new_policy, cast.foreign_member, hostile.zip_bomb())
    policy = walk.to(new_policy, State.EXPERT_REVIEW)
    with pytest.raises(TransitionBlocked):
        upload(policy, cast.drafter, b"")


def test_comparing_huge_unrelated_lines_stays_bounded():
    """Past the comparison's budget a changed line is shown whole, not diffed word by word."""
    older = [" ".join(f"w{(i * 7 + j) % 250}" for j in range(5000)) for i in range(120)]
    newer = [" ".join(f"w{(i * 11 + j) % 250}" for j in range(5000)) for i in range(120)]
    comparison = compare(older, newer)
    whole = [b for b in comparison.blocks if b.kind == "changed" and len(b.segments) == 2]
    assert whole, "the budget should have run out on this input"
    assert [b.older_text for b in comparison.blocks if b.kind != "added"] == older
    assert [b.newer_text for b in comparison.blocks if b.kind != "removed"] == newer


def test_a_stored_file_cannot_be_deleted_or_replaced_through_its_field(new_policy, cast):
    version = upload(new_policy, cast.drafter, docx_upload("Kept.").read())
    with pytest.raises(ImmutableRecord):
        version.file.delete()
    with pytest.raises(ImmutableRecord):
        version.file.save("other.docx", docx_upload("Other."))
    with version.file.open("rb") as stored:
        assert stored.read(2) == b"PK"


def test_one_failing_record_does_not_hold_up_the_others(policy_in, cast, walk, monkeypatch):
    policy_in(State.ENDORSED)
    from documents.services import records

    real = records.engine.endorsement_record_docx
    calls = []

    def fail_first(data):
        calls.append(data.short_title)
        if len(calls) == 1:
            raise OSError("disk full")
        return real(data)

    monkeypatch.setattr(records.engine, "endorsement_record_docx", fail_first)
    # A second endorsed policy.
    from workflow import services

    other = services.register_policy(
        actor=cast.coordinator,
        project=cast.project,
        title="Second policy",
        short_title="second",
        country="PK",
        lead_ministry=cast.ministry,
        required_supporters=[cast.bureau, cast.agency],
        drafters=[cast.drafter],
        reviewers=[cast.reviewer],
    )
    walk.to(other, State.ENDORSED)
    made = make_missing_endorsement_records()
    assert len(calls) == 2
    assert len(made) == 1
    assert GeneratedRecord.objects.count() == 1
