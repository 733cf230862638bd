"""Reading the prolog of an XML part: its encoding and any DOCTYPE in it.

A document type declaration is how entity expansion ("billion laughs")
and external entities get into XML; Word never writes one. It may only
stand in the prolog, before the root element, so only that much of a
part is read.
"""

import codecs
import re


class UnreadableProlog(ValueError):
    """The part's start is in a form we cannot check, so it is not trusted."""


# XML 1.0 appendix F: the first four bytes of a part that starts with "<?"
# in an encoding other than ASCII's, without a byte order mark. None marks
# layouts Word never writes (odd UCS-4 byte orders, EBCDIC): we cannot check
# them, so they are refused.
_UNMARKED = {
    b"\x00\x00\x00<": "utf-32-be",
    b"<\x00\x00\x00": "utf-32-le",
    b"\x00<\x00?": "utf-16-be",
    b"<\x00?\x00": "utf-16-le",
    b"\x00\x00<\x00": None,
    b"\x00<\x00\x00": None,
    b"Lo\xa7\x94": None,
}
_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
_DOCTYPE_BYTES = tuple("<!doctype".encode(c) for c in ("utf-8", "utf-16-le", "utf-16-be"))


def has_doctype(part, *, head_bytes, limit):
    """Whether the XML part (a binary file) has a document type declaration.

    A DOCTYPE may only stand in the prolog, before the root element, so we
    read up to where the root element starts (within the first 4 KiB for
    anything Word writes) instead of the whole part. Besides the decoded
    prolog, the raw bytes read are searched for the UTF-8 and UTF-16
    spellings, in case a parser reads the bytes differently from us.
    """
    raw = part.read(head_bytes)
    codec = _xml_codec(raw)
    if codec is None:
        raise UnreadableProlog("an encoding we cannot check")
    ended = len(raw) < head_bytes
    while True:
        try:
            text = raw.decode(codec, errors="replace")
        except ValueError as error:  # a codec that refuses "replace", such as idna
            raise UnreadableProlog(str(error)) from error
        start = _prolog_end(text)
        if start is not None or ended or len(raw) >= limit:
            break
        more = part.read(limit - len(raw))
        ended = len(raw) + len(more) < limit
        raw += more
    if start is None and not ended:
        raise UnreadableProlog("a prolog longer than any Word writes")
    declared = start is not None and text[start : start + 9].upper() == "<!DOCTYPE"
    return declared or any(pattern in raw.lower() for pattern in _DOCTYPE_BYTES)


def _xml_codec(head):
    """The Python codec to read an XML part's start with, or None if unreadable."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    if head[:4] in _UNMARKED:
        return _UNMARKED[head[:4]]
    declared = _DECLARED.match(head)
    if declared is None:
        return "utf-8"
    try:
        codec = codecs.lookup(declared.group(1).decode("ascii")).name
        ascii_compatible = "<?xml".encode(codec) == b"<?xml"
    except (LookupError, ValueError):  # unknown, or not a text encoding ("base64", "idna")
        return None
    # A declaration read as ASCII that names UTF-16 contradicts itself;
    # libxml2 then goes on reading the bytes as UTF-8, and so do we.
    return codec if ascii_compatible else "utf-8"


def _prolog_end(text):
    """Where the first markup after declaration, comments and processing
    instructions starts, or None if ``text`` ends before that is known."""
    at = 0
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        for opener, closer in (("<?", "?>"), ("<!--", "-->")):
            if text.startswith(opener, at):
                end = text.find(closer, at + len(opener))
                if end < 0:
                    return None
                at = end + len(closer)
                break
        else:
            return at if len(text) - at >= len("<!DOCTYPE") else None
