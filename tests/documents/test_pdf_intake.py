"""An official letter is refused, with its own code and message, before anything is stored.

Every PDF here is built in memory by ``tests.documents.pdfs``; each breaks
one rule, so the code shows which rule caught it. What is accepted comes
back as a ``Letter``: its kind, pages, text and hash.
"""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.pdf import streams
from documents.services import validate_evidence
from tests.documents import hostile, pdfs

MiB = 1024 * 1024


def refused(data, name="letter.pdf"):
    upload = SimpleUploadedFile(name, data)
    with pytest.raises(ValidationError) as caught:
        validate_evidence(upload)
    assert upload.tell() == 0
    return caught.value


HOSTILE = {
    "encrypted": (pdfs.encrypted_pdf, "encrypted", "password"),
    "javascript_open_action": (pdfs.open_action_javascript, "javascript", "JavaScript"),
    "javascript_names_tree": (pdfs.names_javascript, "javascript", "JavaScript"),
    "javascript_in_an_object_stream": (pdfs.object_stream_javascript, "javascript", "JavaScript"),
    "javascript_in_escaped_names": (
        lambda: pdfs.text_pdf(catalogue_extra=b"/OpenAction << /#53 /Java#53cript /J#53 (x) >> "),
        "javascript",
        "JavaScript",
    ),
    "launch": (pdfs.launch_action, "launch", "starts a program"),
    "submit_form": (pdfs.submit_form, "submit_form", "sends what is typed"),
    "import_data": (pdfs.import_data, "import_data", "loads data"),
    "remote_goto": (pdfs.remote_goto, "remote_link", "opens another PDF"),
    "embedded_file": (pdfs.embedded_file, "embedded_file", "attachments"),
    "xfa": (pdfs.xfa_form, "xfa", "XFA"),
    "flate_bomb": (pdfs.flate_bomb, "stream_too_large", "unpacks to more than"),
    "chained_bomb": (pdfs.chained_bomb, "stream_too_large", "unpacks to more than"),
    "truncated": (pdfs.truncated_pdf, "truncated", "cut off"),
    "not_a_pdf": (lambda: b"Dear Sir,\n" * 20, "not_pdf", "not a PDF"),
    "docx_named_pdf": (hostile.genuine_docx, "not_pdf", "Word document"),
    "damaged": (
        lambda: b"%PDF-1.7\n" + b"\x00garbage " * 100 + b"\n%%EOF\n",
        "corrupt",
        "damaged",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_each_hostile_pdf_is_refused_with_its_own_code(case):
    build, code, phrase = HOSTILE[case]
    error = refused(build())
    assert error.code == code
    assert phrase in error.message


def test_a_damaged_pdf_never_escapes_as_anything_but_a_refusal():
    """Bytes flipped, cut and spliced at random: accepted or refused, never an exception."""
    import random

    rng = random.Random(20261204)
    outcomes = set()
    seeds = [pdfs.text_pdf(), pdfs.scanned_pdf(), pdfs.embedded_file(), pdfs.names_javascript()]
    for _ in range(200):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(data))
            if rng.random() < 0.6:
                data[position] = rng.randrange(256)
            else:
                data[position : position + rng.randint(1, 30)] = rng.choice(
                    [b"", b"<<", b">>", b" 0 R", b"9999 0 R", b"(", b"["]
                )
        try:
            validate_evidence(SimpleUploadedFile("letter.pdf", bytes(data)))
        except ValidationError as error:
            outcomes.add(error.code)
        else:
            outcomes.add("accepted")
    assert {"accepted", "corrupt"} <= outcomes


def test_a_pdf_named_docx_is_refused():
    error = refused(pdfs.text_pdf(), name="letter.docx")
    assert error.code == "pdf_named_docx"
    assert "Rename it to .pdf" in error.message


def test_a_file_neither_pdf_nor_docx_is_refused():
    error = refused(pdfs.text_pdf(), name="letter.exe")
    assert error.code == "unsupported_type"
    assert "letter.exe" in error.message


def test_an_empty_file_is_refused():
    assert refused(b"").code == "empty"


def test_a_file_over_the_cap_is_refused_before_it_is_read(settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1000
    error = refused(pdfs.text_pdf() + b"%" * 1000)
    assert error.code == "too_large"


def test_too_many_pages_are_refused(settings):
    settings.EVIDENCE_MAX_PAGES = 2
    error = refused(pdfs.text_pdf(pages=3))
    assert error.code == "too_many_pages"
    assert "3 pages; the limit is 2" in error.message


def test_a_docx_letter_goes_through_the_docx_intake():
    error = refused(hostile.vba_in_docx(), name="letter.docx")
    assert error.code == "active_content"


def test_a_pdf_with_a_text_layer_in_arabic_is_accepted_with_its_text():
    data = pdfs.arabic_pdf()
    letter = validate_evidence(SimpleUploadedFile("رسالة الدعم.pdf", data))
    assert letter.kind == "pdf"
    assert letter.pages == 1
    assert pdfs.ARABIC in letter.text
    assert letter.sha256 == hashlib.sha256(data).hexdigest()
    assert letter.size == len(data)
    assert letter.original_name == "رسالة الدعم.pdf"


def test_a_scanned_letter_without_a_text_layer_is_accepted():
    letter = validate_evidence(SimpleUploadedFile("scan.PDF", pdfs.scanned_pdf()))
    assert (letter.kind, letter.pages, letter.text) == ("pdf", 1, "")


def test_web_links_are_allowed_and_listed():
    letter = validate_evidence(SimpleUploadedFile("letter.pdf", pdfs.uri_link()))
    assert letter.pages == 1
    assert letter.links == ("https://www.example.org/decree",)
    assert validate_evidence(SimpleUploadedFile("letter.pdf", pdfs.text_pdf())).links == ()


def test_a_docx_letter_is_accepted_with_its_text():
    letter = validate_evidence(SimpleUploadedFile("letter.docx", hostile.genuine_docx()))
    assert letter.kind == "docx"
    assert letter.pages is None
    assert "Overseas workers are registered" in letter.text


def test_a_bomb_is_counted_without_being_held():
    """The decoder stops at its limit, and never keeps the output of the last filter."""
    raw = pdfs._deflated_zeros(300 * MiB)
    with pytest.raises(streams.TooLarge):
        streams.decoded_size(raw, ["/FlateDecode"], limit=100 * MiB)
    assert streams.decoded_size(raw, ["/FlateDecode"], limit=400 * MiB) == 300 * MiB


@pytest.mark.parametrize(
    ("encoded", "filters", "size"),
    [
        (b"48656c6c6f>", ["/ASCIIHexDecode"], 5),
        (b"<~87cURDZ~>", ["/ASCII85Decode"], 5),
        (bytes([2]) + b"abc" + bytes([254]) + b"x" + bytes([128]), ["/RunLengthDecode"], 6),
        (io.BytesIO(b"x" * 10).getvalue(), ["/DCTDecode"], 10),
    ],
)
def test_each_filter_is_counted(encoded, filters, size):
    assert streams.decoded_size(encoded, filters, limit=MiB) == size


def test_run_length_bombs_stop_at_the_limit():
    raw = (bytes([129]) + b"\x00") * 100_000  # each pair: 128 bytes
    with pytest.raises(streams.TooLarge):
        streams.decoded_size(raw, ["/RunLengthDecode"], limit=MiB)
