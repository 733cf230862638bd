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
for .docx versions; every stream is decoded by ``streams.decoded_size``,
which counts in chunks and never holds more than its limit, before pypdf
is asked for any text.
"""

import concurrent.futures
import io
import time
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from documents.docx import validate as docx_validate
from documents.pdf import streams
from documents.pdf.refusals import refusal as _refusal
from documents.pdf.refusals import shown as _shown

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
        future = executor.submit(_inspect, bytes(data), max_pages, expired)
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


def _inspect(data, max_pages, expired):
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refusal("encrypted")
        pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception as e:  # whatever pypdf trips over in a damaged file
        raise _refusal("corrupt") from e
    if not pages:
        raise _refusal("no_pages")
    if pages > max_pages:
        raise _refusal("too_many_pages", pages=pages, limit=max_pages)
    scan = _Scan(expired)
    try:
        scan.walk(reader)
    except streams.Expired:
        raise _refusal("unreadable") from None
    except RecursionError as e:
        raise _refusal("corrupt") from e
    scan.raise_found()
    return PdfFacts(pages=pages, text=_text(reader, expired), uris=scan.uris)


class _Scan:
    """One pass over every object of the file: what it would do, and what its streams hold."""

    def __init__(self, expired):
        self.expired = expired
        self.found = {}  # code -> message parameters
        self.uris = []
        self.decoded = 0

    def walk(self, reader):
        seen = set()
        for number, generation in _object_numbers(reader):
            if self.expired():
                raise streams.Expired
            try:
                obj = reader.get_object(IndirectObject(number, generation, reader))
            except Exception:  # a damaged object: readers skip it too
                continue
            if obj is None:
                continue
            self._visit_readable(obj, seen)
        self._visit_readable(reader.trailer, seen)

    def _visit_readable(self, obj, seen):
        try:
            self._visit(obj, seen)
        except (ValidationError, streams.Expired, RecursionError):
            raise
        except Exception:  # a reference to a damaged object: readers skip it too
            return

    def _visit(self, obj, seen, depth=0):
        # Direct objects nest; indirect ones are visited from the xref on their own.
        if isinstance(obj, IndirectObject) or depth > 64 or id(obj) in seen:
            return
        if isinstance(obj, DictionaryObject):
            seen.add(id(obj))
            self._look_at(obj)
            for value in obj.values():
                self._visit(value, seen, depth + 1)
        elif isinstance(obj, ArrayObject):
            seen.add(id(obj))
            for value in obj:
                self._visit(value, seen, depth + 1)

    def _look_at(self, d):
        action = str(d.get("/S", "")) if isinstance(d.get("/S"), str) else ""
        if action in REFUSED_ACTIONS:
            code = REFUSED_ACTIONS[action]
            target = d.get("/F", "")
            if isinstance(target, IndirectObject | DictionaryObject):
                target = _resolved(target).get("/F", "") if _is_dict(target) else ""
            self.found.setdefault(code, {"target": _shown(target or "?")})
        elif action == "/URI":
            uri = _resolved(d.get("/URI", ""))
            if isinstance(uri, bytes):
                uri = uri.decode("latin-1")
            if uri and len(self.uris) < 100:
                self.uris.append(_shown(uri, 500))
        if "/JS" in d:
            self.found.setdefault("javascript", {})
        if "/JavaScript" in d:  # the names tree of document scripts
            self.found.setdefault("javascript", {})
        if "/EmbeddedFiles" in d or "/EF" in d or str(d.get("/Type", "")) == "/EmbeddedFile":
            self.found.setdefault("embedded_file", {})
        if str(d.get("/Subtype", "")) == "/FileAttachment":
            self.found.setdefault("embedded_file", {})
        if "/XFA" in d:
            self.found.setdefault("xfa", {})
        if isinstance(d, StreamObject):
            self._measure(d)

    def _measure(self, stream):
        filters = streams.filters_of(stream)
        if "/Crypt" in filters:
            raise _refusal("encrypted")
        if any(f in streams.IMAGE_CODECS for f in filters):
            pixels = _number(stream.get("/Width")) * _number(stream.get("/Height"))
            if pixels > MAX_IMAGE_PIXELS:
                raise _refusal("stream_too_large", limit=MAX_STREAM_DECODED // MiB)
        raw = getattr(stream, "_data", b"") or b""
        try:
            size = streams.decoded_size(
                raw, filters, limit=MAX_STREAM_DECODED, deadline=self.expired
            )
        except streams.TooLarge:
            raise _refusal("stream_too_large", limit=MAX_STREAM_DECODED // MiB) from None
        self.decoded += size
        if self.decoded > MAX_DECODED_TOTAL:
            raise _refusal("stream_too_large", limit=MAX_DECODED_TOTAL // MiB)

    def raise_found(self):
        for code in PRIORITY:
            if code in self.found:
                raise _refusal(code, **self.found[code])


def _object_numbers(reader):
    """Every object the cross-reference tables name, in object streams too."""
    numbers = set()
    for generation, objects in reader.xref.items():
        numbers.update((number, generation) for number in objects)
    numbers.update((number, 0) for number in getattr(reader, "xref_objStm", {}))
    return sorted(numbers)


def _resolved(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _is_dict(obj):
    return isinstance(_resolved(obj), DictionaryObject)


def _number(value):
    try:
        return max(int(_resolved(value)), 0)
    except (TypeError, ValueError):
        return 0


def _text(reader, expired):
    """The text layer, page by page, up to ``MAX_TEXT_CHARS``; empty for a scan."""
    parts = []
    length = 0
    for page in reader.pages:
        if expired() or length >= MAX_TEXT_CHARS:
            break
        try:
            text = page.extract_text() or ""
        except Exception:  # a page whose text cannot be read still shows
            continue
        parts.append(text)
        length += len(text)
    return "\n".join(parts).strip()[:MAX_TEXT_CHARS]
