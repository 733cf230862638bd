"""Whether an uploaded file may be kept as a PDF letter, and what it holds.

A letter of support or an endorsement decree is kept as evidence and
opened later by whoever checks the record, in whatever reader they have.
So a PDF is refused, before anything is stored, when it cannot be read by
everyone (encrypted, damaged, cut off), when opening it would run or fetch
something (JavaScript, launch, form submission, data import, links to
other files), when it carries other files (attachments, XFA forms), and
when it is built to overload the server (too many pages, streams that
inflate past a bound). Each refusal is a ``ValidationError`` with its own
``code`` (``documents/pdf/refusals.py``).

pypdf reads the file in a thread with a time limit, as python-docx does
for .docx versions (``documents/pdf/reading.py``); every stream is decoded
by ``streams.decoded_size``, which counts in chunks and never holds more
than its limit, before pypdf is asked for any text.
"""

import concurrent.futures
import time
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from documents.docx import validate as docx_validate
from documents.pdf.refusals import refusal as _refusal

MiB = 1024 * 1024
# Where a PDF says what it is, and where it says it ends: readers accept
# some bytes before the one and after the other.
HEAD_BYTES = 1024
TAIL_BYTES = 2048
# A page scanned in colour at 600 dpi is about 100 MiB uncompressed.
MAX_STREAM_DECODED = 100 * MiB
MAX_DECODED_TOTAL = 1024 * MiB
MAX_IMAGE_PIXELS = 100_000_000
MAX_TEXT_CHARS = 100_000
# Actions, by their /S: the code of the refusal for each one that runs or opens something.
REFUSED_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "submit_form",
    "/ImportData": "import_data",
    "/GoToR": "remote_link",
    "/GoToE": "embedded_file",
}
# When a file has several faults, the one it is told about.
PRIORITY = [
    "javascript",
    "launch",
    "submit_form",
    "import_data",
    "remote_link",
    "embedded_file",
    "xfa",
]


@dataclass
class PdfFacts:
    """What the intake learned of an accepted PDF."""

    pages: int
    text: str
    uris: list = field(default_factory=list)  # the web links it holds (allowed, listed)


def validate_pdf(fileobj, *, max_bytes, max_pages, open_timeout=10.0) -> PdfFacts:
    """Refuse ``fileobj`` unless it is a PDF safe to keep and open; say what it holds.

    ``fileobj`` is any seekable binary file; it is left at position 0.
    """
    try:
        size = check_size(fileobj, max_bytes)
        fileobj.seek(0)
        data = fileobj.read(size + 1)
    finally:
        fileobj.seek(0)
    _check_envelope(data)
    started = time.monotonic()

    def expired():
        return time.monotonic() - started > open_timeout

    executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf-open")
    try:
        # Its own copy of the bytes, and a clock it checks: a thread cannot be
        # stopped, but the decoding loops stop themselves once time is up.
        future = executor.submit(_read, bytes(data), max_pages, expired)
        return future.result(timeout=open_timeout)
    except concurrent.futures.TimeoutError:
        raise _refusal("unreadable") from None
    except ValidationError:
        raise
    except Exception as error:  # whatever pypdf trips over in a damaged file
        raise _refusal("corrupt") from error
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def check_size(fileobj, max_bytes):
    """The letter's size, refused as the .docx intake refuses one, in this intake's words."""
    return docx_validate.check_size(fileobj, max_bytes, refuse=_refusal)


def is_pdf(head):
    return b"%PDF-" in head[:HEAD_BYTES]


def _check_envelope(data):
    if not is_pdf(data):
        raise _refusal("not_pdf:docx" if data.startswith(b"PK\x03\x04") else "not_pdf")
    if b"%%EOF" not in data[-TAIL_BYTES:]:
        raise _refusal("truncated")


def _read(data, max_pages, expired):
    # pypdf (and the cryptography it loads) adds about 20 MiB to a process:
    # loaded by the first letter read, not by every web and worker process.
    from documents.pdf import reading

    return reading.inspect(data, max_pages, expired)
