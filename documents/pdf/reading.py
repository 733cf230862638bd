"""Reading a PDF with pypdf: what it would do when opened, what its streams hold, its text.

Called by ``documents.pdf.validate`` in its thread, with its clock
(``expired``), once the file's size and envelope are checked; its
refusals are that module's.
"""

import io

from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from documents.pdf import streams
from documents.pdf.refusals import refusal as _refusal
from documents.pdf.refusals import shown as _shown
from documents.pdf.validate import (
    MAX_DECODED_TOTAL,
    MAX_IMAGE_PIXELS,
    MAX_STREAM_DECODED,
    MAX_TEXT_CHARS,
    PRIORITY,
    REFUSED_ACTIONS,
    MiB,
    PdfFacts,
)


def inspect(data, max_pages, expired):
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
