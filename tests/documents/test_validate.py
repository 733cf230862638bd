"""An upload is refused, with its own message, before python-docx opens it.

Every file here is built in memory by ``tests.documents.hostile``; each
breaks one rule, so the code and message show which rule caught it.
"""

import io
import threading
import tracemalloc
from pathlib import Path

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.docx.validate import validate_docx
from tests.documents import hostile

MiB = 1024 * 1024
LIMIT = 25 * MiB
CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.docx"))


def refusal(data, *, max_bytes=LIMIT, **options):
    """The error validating ``data`` raises; the file is left at position 0."""
    fileobj = io.BytesIO(data) if isinstance(data, bytes) else data
    with pytest.raises(ValidationError) as caught:
        validate_docx(fileobj, max_bytes=max_bytes, **options)
    assert fileobj.tell() == 0
    return caught.value


def assert_refused(data, code, phrase, **options):
    error = refusal(data, **options)
    assert error.code == code
    assert phrase in error.message
    return error


# What is accepted


def test_a_genuine_document_is_accepted_and_left_at_the_start():
    upload = SimpleUploadedFile("draft.docx", hostile.genuine_docx())
    upload.read(10)
    validate_docx(upload, max_bytes=LIMIT)
    assert upload.tell() == 0
    assert upload.read() == hostile.genuine_docx()


def test_the_corpus_is_there():
    assert len(CORPUS) >= 10


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_every_corpus_document_is_accepted(path):
    with path.open("rb") as fileobj:
        validate_docx(fileobj, max_bytes=LIMIT)
        assert fileobj.tell() == 0


def test_an_external_hyperlink_is_accepted():
    validate_docx(io.BytesIO(hostile.external_relationship("hyperlink")), max_bytes=LIMIT)


def test_an_understated_part_is_never_unpacked_beyond_its_declared_size():
    # 50 MiB of zeros behind a header that says 1 KiB: zipfile stops at the
    # declared size, so neither we nor python-docx ever hold the rest.
    data = hostile.understated_bomb()
    tracemalloc.start()
    try:
        validate_docx(io.BytesIO(data), max_bytes=LIMIT)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * MiB


# Size, and not a zip


def test_an_empty_file_is_refused():
    assert_refused(b"", "empty", "The file is empty.")


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    data = b"PK" + bytes(2 * MiB)
    error = assert_refused(data, "too_large", "the limit is 2.0 MiB", max_bytes=2 * MiB)
    assert "The file is 2.1 MiB" in error.message


def test_plain_text_is_not_a_word_document():
    assert_refused(hostile.plain_text(), "not_zip", "not a Word (.docx) document")


def test_an_ole_container_is_taken_for_a_password_protected_file():
    assert_refused(hostile.ole_container(), "password_protected", "password-protected")


def test_a_zip_with_an_encrypted_entry_is_password_protected():
    assert_refused(hostile.encrypted_entry(), "password_protected", "password-protected")


def test_a_truncated_zip_is_damaged():
    assert_refused(hostile.truncated_zip(), "corrupt", "damaged")


def test_a_part_failing_its_checksum_is_damaged():
    assert_refused(hostile.bad_crc(), "corrupt", "damaged")


def test_a_zip_needing_a_newer_unzip_is_damaged():
    assert_refused(hostile.newer_zip_version(), "corrupt", "damaged")


def test_a_part_packed_with_bzip2_is_refused():
    assert_refused(hostile.bzip2_part(), "compression_method", "a way Word never uses")


# The zip's shape


def test_a_zip_bomb_is_refused_on_its_compression_ratio():
    error = assert_refused(hostile.zip_bomb(), "compression_ratio", "100 times its packed size")
    assert "word/media/padding.bin" in error.message


def test_more_than_a_thousand_entries_are_refused():
    assert_refused(hostile.many_entries(1001), "too_many_entries", "more than 1000 parts")


def test_a_thousand_entries_are_accepted():
    validate_docx(io.BytesIO(hostile.many_entries(1000)), max_bytes=LIMIT)


def test_a_crowded_directory_is_refused_before_it_is_read():
    data = hostile.crowded_directory()
    tracemalloc.start()
    try:
        assert_refused(data, "too_many_entries", "more than 1000 parts")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 * MiB


def test_a_declared_total_over_250_mib_is_refused():
    assert_refused(hostile.declared_huge(), "too_large_uncompressed", "more than 250 MiB")


@pytest.mark.parametrize(
    "name",
    ["../evil.xml", "word/../../evil.xml", "/abs.xml", "word\\evil.xml", "C:/evil.xml"],
)
def test_unsafe_member_names_are_refused(name):
    error = assert_refused(hostile.with_member(name), "unsafe_name", "unsafe name")
    assert name in error.message


@pytest.mark.parametrize("name", ["word/document.xml", "WORD/Document.xml"])
def test_a_part_stored_twice_is_refused(name):
    assert_refused(hostile.with_member(name), "duplicate_name", "twice")


# Not a plain Word document


def test_a_macro_enabled_document_is_refused():
    upload = SimpleUploadedFile("policy.docm", hostile.macro_enabled_document())
    assert_refused(upload, "not_docx_main", "macro-enabled Word document (.docm)")


def test_a_macro_enabled_document_renamed_docx_is_still_refused():
    upload = SimpleUploadedFile("policy.docx", hostile.macro_enabled_document())
    assert_refused(upload, "not_docx_main", "macro-enabled Word document (.docm)")


def test_a_template_is_refused():
    assert_refused(hostile.template(), "not_docx_main", "a Word template (.dotx)")


def test_a_macro_enabled_template_is_refused():
    data = hostile.pack(
        hostile.with_main_type("application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
    )
    assert_refused(data, "not_docx_main", "macro-enabled Word template (.dotm)")


def test_a_spreadsheet_is_refused():
    assert_refused(hostile.other_office_package(), "not_docx_main", "a spreadsheet (Excel)")


def test_a_presentation_is_refused():
    data = hostile.other_office_package(
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    )
    assert_refused(data, "not_docx_main", "a presentation (PowerPoint)")


def test_a_package_without_content_types_is_not_a_word_document():
    parts = hostile.parts_of()
    del parts["[Content_Types].xml"]
    assert_refused(hostile.pack(parts), "not_docx_main", "not a Word (.docx) document")


# Active content


def test_a_vba_project_inside_a_docx_is_refused():
    assert_refused(hostile.vba_in_docx(), "active_content", "macros")


def test_a_renamed_vba_project_is_found_by_its_content_type():
    assert_refused(hostile.vba_in_docx("word/media/picture.bin"), "active_content", "macros")


def test_an_ole_embedding_is_refused():
    assert_refused(hostile.ole_embedding(), "active_content", "embedded object")


def test_an_activex_control_is_refused():
    assert_refused(hostile.activex_control(), "active_content", "ActiveX")


# External references


@pytest.mark.parametrize(
    ("kind", "rels"),
    [
        ("attachedTemplate", "word/_rels/settings.xml.rels"),
        ("subDocument", hostile.DOCUMENT_RELS),
        ("frame", "word/_rels/webSettings.xml.rels"),
        ("oleObject", hostile.DOCUMENT_RELS),
    ],
)
def test_external_loads_are_refused(kind, rels):
    error = assert_refused(
        hostile.external_relationship(kind, rels), "external_reference", "from elsewhere"
    )
    assert "https://example.org/payload.dotm" in error.message


# DOCTYPE


def test_billion_laughs_is_refused():
    error = assert_refused(hostile.billion_laughs(), "doctype", "<!DOCTYPE>")
    assert "word/document.xml" in error.message


def test_an_external_entity_is_refused():
    assert_refused(hostile.external_entity(), "doctype", "<!DOCTYPE>")


@pytest.mark.parametrize(
    ("bom", "byteorder", "padding"),
    [
        (True, "little", 0),
        (True, "big", 0),
        (False, "little", 0),
        (False, "big", 0),
        (False, "little", 20_000),  # beyond the first 4 KiB: found only by decoding
    ],
)
def test_a_doctype_in_utf16_is_refused(bom, byteorder, padding):
    assert_refused(hostile.utf16_doctype(bom, byteorder, padding), "doctype", "<!DOCTYPE>")


def test_a_doctype_behind_a_long_comment_is_refused():
    assert_refused(hostile.padded_doctype(), "doctype", "<!DOCTYPE>")


@pytest.mark.parametrize("name", ["word/styles.xml", "[Content_Types].xml", "_rels/.rels"])
def test_a_lower_case_doctype_in_any_part_is_refused(name):
    assert_refused(hostile.lower_case_doctype(name), "doctype", "<!DOCTYPE>")


@pytest.mark.parametrize(
    "start",
    [
        b"<?xml version='1.0' encoding='x-martian'?>",
        b"<?xml version='1.0' encoding='base64'?>",
        b"<?xml version='1.0' encoding='idna'?>",
        b"Lo\xa7\x94\x89\x94",
    ],
    ids=["unknown encoding", "not a text encoding", "idna", "EBCDIC"],
)
def test_an_xml_part_we_cannot_decode_is_unreadable(start):
    data = hostile.with_xml("word/styles.xml", start + b"<w:styles/>")
    assert_refused(data, "unreadable", "not a readable Word document")


def test_an_xml_part_declared_in_latin_1_is_accepted():
    parts = hostile.parts_of()
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(b"UTF-8", b"ISO-8859-1", 1)
    validate_docx(io.BytesIO(hostile.pack(parts)), max_bytes=LIMIT)


# python-docx itself


def test_a_document_python_docx_cannot_read_is_unreadable():
    assert_refused(hostile.malformed_document(), "unreadable", "not a readable Word document")


def test_python_docx_taking_too_long_is_unreadable(monkeypatch):
    release = threading.Event()

    def stuck(*args, **kwargs):
        release.wait(5)

    monkeypatch.setattr(docx, "Document", stuck)
    try:
        assert_refused(
            hostile.genuine_docx(),
            "unreadable",
            "not a readable Word document",
            open_timeout=0.05,
        )
    finally:
        release.set()
