"""Intake refuses what Word would fetch, run or show unseen, and accepts what offices send.

Every file is built here from a genuine document with one thing added, and
goes through the whole intake: a refusal carries its own code and leaves
no version row and no file; an acceptance stores what it says.
"""

import io
import random
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.docx import validate
from documents.services import add_version
from tests.documents import hostile
from tests.documents.test_add_version import stored_files
from workflow.models import DocumentVersion

pytestmark = pytest.mark.django_db
REL = hostile.REL
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
SETTINGS_RELS = "word/_rels/settings.xml.rels"


def upload(policy, actor, content, name="draft.docx"):
    return add_version(policy, actor=actor, uploaded_file=SimpleUploadedFile(name, content))


def refused(policy, actor, content):
    """The refusal of ``content``; nothing of it is stored."""
    with pytest.raises(ValidationError) as caught:
        upload(policy, actor, content)
    assert not DocumentVersion.objects.exists()
    assert stored_files() == []
    return caught.value


def with_body(xml, parts=None):
    """A genuine document whose body starts with the paragraphs ``xml``."""
    parts = parts or hostile.parts_of()
    document = parts["word/document.xml"].decode()
    start = document.index("<w:body>") + len("<w:body>")
    parts["word/document.xml"] = (document[:start] + xml + document[start:]).encode()
    return parts


def complex_field(*instruction_pieces, result="x"):
    """A field whose code is split over one run per piece."""
    code = "".join(
        f'<w:r><w:instrText xml:space="preserve">{piece}</w:instrText></w:r>'
        for piece in instruction_pieces
    )
    return (
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{code}'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{result}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def simple_field(instruction):
    return f'<w:p><w:fldSimple w:instr="{instruction}"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>'


def with_header(content, *, name="word/media/header.png", content_type=None):
    """A genuine document whose section takes its header from the part ``name``.

    Without ``content_type`` the part is typed by its extension's default
    (``png`` as ``image/png``), as a picture would be.
    """
    parts = hostile.parts_of()
    parts[name] = content
    if content_type:
        hostile.declare_type(parts, override=name, content_type=content_type)
    elif b'Extension="png"' not in parts["[Content_Types].xml"]:
        hostile.declare_type(parts, default="png", content_type="image/png")
    hostile.relate(parts, REL + "header", name.removeprefix("word/"), rel_id="rIdHX")
    document = parts["word/document.xml"].decode()
    reference = f'<w:headerReference xmlns:r="{R_NS}" w:type="default" r:id="rIdHX"/>'
    at = document.index("<w:sectPr") + document[document.index("<w:sectPr") :].index(">") + 1
    parts["word/document.xml"] = (document[:at] + reference + document[at:]).encode()
    return hostile.pack(parts)


def header_of_words(size, *, prolog=b""):
    """A w:hdr of random two-letter paragraphs, about ``size`` bytes unpacked."""
    rng = random.Random(9)
    paragraph_count = size // 40
    letters = "abcdefghijklmnopqrstuvwxyz"
    body = "".join(
        f"<w:p><w:r><w:t>{rng.choice(letters)}{rng.choice(letters)}</w:t></w:r></w:p>"
        for _ in range(paragraph_count)
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        + prolog
        + f'<w:hdr xmlns:w="{W_NS}">{body}</w:hdr>'.encode()
    )


# 1. Remote content Word fetches on opening

REMOTE_TARGETS = [
    "http://tracker.example.org/pixel.png",
    "https://tracker.example.org/pixel.png",
    "ftp://files.example.org/pixel.png",
    "file://fileserver/share/pixel.png",
    "file://///fileserver/share/pixel.png",
    "\\\\fileserver\\share\\pixel.png",
]


@pytest.mark.parametrize("target", REMOTE_TARGETS)
def test_a_picture_linked_to_another_computer_is_refused(new_policy, cast, target):
    parts = hostile.parts_of()
    hostile.relate(parts, REL + "image", target, external=True)
    error = refused(new_policy, cast.drafter, hostile.pack(parts))
    assert error.code == "linked_content"
    assert "fetches a picture or other content from another computer" in error.message
    assert target in error.message


def test_a_picture_linked_to_a_local_file_is_accepted(new_policy, cast):
    parts = hostile.parts_of()
    hostile.relate(parts, REL + "image", "file:///C:\\Pictures\\logo.png", external=True)
    upload(new_policy, cast.drafter, hostile.pack(parts))
    assert DocumentVersion.objects.count() == 1


FIELDS = {
    "INCLUDEPICTURE": complex_field(
        'INCLUDEPICTURE "http://tracker.example.org/p.png" \\* MERGEFORMATINET'
    ),
    "INCLUDETEXT": simple_field("INCLUDETEXT &quot;\\\\\\\\fileserver\\\\share\\\\c.docx&quot;"),
    "DDEAUTO": complex_field(" DDE", 'AUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'),
    "DDE": simple_field("DDE Excel &quot;C:\\\\budget.xls&quot; R1C1"),
    "LINK": complex_field(' LINK Excel.Sheet.12 "C:\\\\budget.xlsx" "Sheet1!R1C1" \\a '),
    "INCLUDEPICTURE ": complex_field(
        " INCLUDE", 'PICTURE "https://tracker', '.example.org/p.png" \\d'
    ),
}


@pytest.mark.parametrize("field", FIELDS)
def test_fields_that_fetch_remote_content_or_run_a_program_are_refused(new_policy, cast, field):
    content = hostile.pack(with_body(FIELDS[field]))
    error = refused(new_policy, cast.drafter, content)
    assert error.code == "remote_field"
    assert f"contains a {field.strip()} field" in error.message


def test_a_field_whose_target_is_made_by_another_field_is_refused(new_policy, cast):
    nested = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve">INCLUDEPICTURE "</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        "<w:r><w:instrText>DOCPROPERTY Source</w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>http://tracker.example.org/p.png</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:instrText xml:space="preserve">" \\d</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    error = refused(new_policy, cast.drafter, hostile.pack(with_body(nested)))
    assert error.code == "remote_field"


def test_a_remote_field_in_a_header_is_refused(new_policy, cast):
    header = f'<w:hdr xmlns:w="{W_NS}">{FIELDS["INCLUDEPICTURE"]}</w:hdr>'.encode()
    content = with_header(header, name="word/header1.xml", content_type=HEADER_TYPE)
    assert refused(new_policy, cast.drafter, content).code == "remote_field"


def test_local_and_harmless_fields_are_accepted(new_policy, cast):
    body = (
        complex_field('INCLUDEPICTURE "C:\\\\Pictures\\\\logo.png" \\d')
        + complex_field(" PAGE ")
        + complex_field(' HYPERLINK "https://www.example.org/policy" ', result="Policy")
        + simple_field("TOC \\o &quot;1-3&quot;")
    )
    upload(new_policy, cast.drafter, hostile.pack(with_body(body)))
    assert DocumentVersion.objects.count() == 1


# 2. Content in another format that Word converts and policyflow cannot show


def test_an_alt_chunk_is_refused(new_policy, cast):
    parts = with_body('<w:altChunk xmlns:r="' + R_NS + '" r:id="rIdChunk"/>')
    parts["word/afchunk.htm"] = b"<html><body><p>SECRET CLAUSE</p></body></html>"
    hostile.declare_type(parts, default="htm", content_type="text/html")
    hostile.relate(parts, REL + "aFChunk", "afchunk.htm", rel_id="rIdChunk")
    error = refused(new_policy, cast.drafter, hostile.pack(parts))
    assert error.code == "embedded_chunk"
    assert "afchunk.htm" in error.message


def test_an_alt_chunk_outside_the_file_is_refused(new_policy, cast):
    parts = hostile.parts_of()
    hostile.relate(parts, REL + "aFChunk", "https://example.org/clause.htm", external=True)
    assert refused(new_policy, cast.drafter, hostile.pack(parts)).code == "embedded_chunk"


# 3. Templates: local ones are what offices send; remote ones are fetched


@pytest.mark.parametrize(
    "target",
    [
        "Normal.dotm",
        "file:///C:\\Program Files\\Microsoft Office\\Templates\\Styles.DOT",
        "file:///C:\\Users\\drafter\\AppData\\Roaming\\Microsoft\\Templates\\Ministry.dotx",
        "Ministry%20Letter.dotx",
    ],
)
def test_a_local_template_is_accepted(new_policy, cast, target):
    content = hostile.external_relationship("attachedTemplate", SETTINGS_RELS, target=target)
    upload(new_policy, cast.drafter, content)
    assert DocumentVersion.objects.count() == 1


@pytest.mark.parametrize(
    "target",
    [
        "http://example.org/t.dotm",
        "https://example.org/t.dotm",
        "\\\\fileserver\\templates\\t.dotm",
        "file://fileserver/templates/t.dotm",
    ],
)
def test_a_remote_template_is_still_refused(new_policy, cast, target):
    content = hostile.external_relationship("attachedTemplate", SETTINGS_RELS, target=target)
    error = refused(new_policy, cast.drafter, content)
    assert error.code == "external_reference"
    assert target in error.message


def test_hyperlinks_are_accepted_and_listed(new_policy, cast):
    parts = with_body(
        f'<w:p><w:hyperlink xmlns:r="{R_NS}" r:id="rIdL1"><w:r><w:t>Law</w:t></w:r>'
        f'</w:hyperlink><w:hyperlink xmlns:r="{R_NS}" r:id="rIdL2"><w:r><w:t>Mail</w:t>'
        "</w:r></w:hyperlink></w:p>"
    )
    hostile.relate(
        parts, REL + "hyperlink", "https://example.org/law", external=True, rel_id="rIdL1"
    )
    hostile.relate(parts, REL + "hyperlink", "mailto:a@example.org", external=True, rel_id="rIdL2")
    version = upload(new_policy, cast.drafter, hostile.pack(parts))
    stored = DocumentVersion.objects.get(pk=version.pk)
    assert stored.extraction["hyperlinks"] == [
        "https://example.org/law",
        "mailto:a@example.org",
    ]


# 5. Parts nothing refers to


def test_a_large_part_nothing_refers_to_is_refused(new_policy, cast):
    payload = random.Random(4).randbytes(200 * 1024)
    content = hostile.with_member("word/media/image2.bin", payload)
    error = refused(new_policy, cast.drafter, content)
    assert error.code == "unreferenced_part"
    assert "word/media/image2.bin" in error.message


def test_a_large_picture_nothing_refers_to_is_refused(new_policy, cast):
    payload = random.Random(4).randbytes(200 * 1024)
    assert (
        refused(new_policy, cast.drafter, hostile.with_member("word/media/x.png", payload)).code
        == "unreferenced_part"
    )


# 6. An XML part named and typed as a picture


def test_a_header_typed_as_a_picture_is_refused_before_anything_reads_it(new_policy, cast):
    content = with_header(header_of_words(8 * 1024 * 1024))
    assert len(content) < 1024 * 1024  # packed about 16:1, within the ratio rule
    tracemalloc.start()
    try:
        error = refused(new_policy, cast.drafter, content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.code == "mistyped_part"
    assert "word/media/header.png" in error.message
    assert peak < 4 * 1024 * 1024  # the 8 MiB part was never read, let alone parsed


def test_a_header_typed_as_a_picture_with_a_doctype_is_refused(new_policy, cast):
    doctype = b'<!DOCTYPE w:hdr [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    content = with_header(header_of_words(4096, prolog=doctype))
    assert refused(new_policy, cast.drafter, content).code == "mistyped_part"


def test_an_xml_part_named_as_a_picture_is_checked_for_a_doctype(new_policy, cast):
    doctype = b'<!DOCTYPE w:hdr [<!ENTITY a "aaaaaaaaaa">]>'
    content = with_header(header_of_words(4096, prolog=doctype), content_type=HEADER_TYPE)
    error = refused(new_policy, cast.drafter, content)
    assert error.code == "doctype"
    assert "word/media/header.png" in error.message


def test_an_xml_part_named_as_a_picture_counts_in_the_caps(new_policy, cast, monkeypatch):
    monkeypatch.setattr(validate, "MAX_XML_PART", 1024 * 1024)
    monkeypatch.setattr(validate, "MAX_XML_TOTAL", 1024 * 1024)
    content = with_header(header_of_words(2 * 1024 * 1024), content_type=HEADER_TYPE)
    assert refused(new_policy, cast.drafter, content).code == "too_much_text"


def test_a_header_named_as_a_picture_but_typed_as_one_is_read(new_policy, cast):
    """Only the type matters: a header part with an odd name is still a header."""
    header = f'<w:hdr xmlns:w="{W_NS}"><w:p><w:r><w:t>Ministry</w:t></w:r></w:p></w:hdr>'
    content = with_header(header.encode(), content_type=HEADER_TYPE)
    version = upload(new_policy, cast.drafter, content)
    assert version.extraction["headers"] == ["Ministry"]


def test_validation_alone_refuses_the_same_files():
    """The rules live in validation, not in the service: python-docx never sees these."""
    content = with_header(header_of_words(4096))
    with pytest.raises(ValidationError) as caught:
        validate.validate_docx(io.BytesIO(content), max_bytes=25 * 1024 * 1024)
    assert caught.value.code == "mistyped_part"
