"""Whether an uploaded file may be opened as a Word document at all.

python-docx reads every part a package refers to into memory and parses it,
so a hostile file has to be refused on what the zip's directory and a few
small XML parts say, before python-docx sees a byte. Each refusal is a
``ValidationError`` whose message tells a drafter what is wrong and what to
do, with a ``code`` per rule that callers and tests rely on.

No entry is ever read without a cap: zipfile never yields more than an
entry's declared size, and we ask for far less, so a header that lies about
sizes cannot make us unpack more than we chose to.
"""

import concurrent.futures
import io
import math
import os
import posixpath
import re
import zipfile
import zlib
from urllib.parse import unquote

import docx
from django.utils.formats import number_format
from lxml import etree

from documents.docx import links, xml_prolog
from documents.docx.refusals import MAIN_KINDS
from documents.docx.refusals import refusal as _refusal
from documents.docx.refusals import shown as _shown

MiB = 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # also every encrypted Word file
MAX_ENTRIES = 1000
# Word writes well under 100 bytes of directory per part; this lets 1,000
# parts have long names and still stops a directory of a million tiny
# entries before zipfile builds an object for each.
MAX_DIRECTORY_BYTES = MAX_ENTRIES * 1024
MAX_UNCOMPRESSED = 250 * MiB
# The XML that gets parsed, capped: its tree costs ten to twenty times its
# size. A 200-page policy saved by Word has a few MiB; a 1,000-page one
# made by python-docx under 4 MiB.
MAX_XML_PART = 16 * MiB
MAX_XML_TOTAL = 24 * MiB
RATIO_EXEMPT_BYTES = 100 * 1024  # small parts may compress as well as they like
MAX_RATIO = 100
PACKAGE_XML_LIMIT = 16 * MiB  # [Content_Types].xml and .rels parts, read whole
HEAD_BYTES = 4096  # holds the prolog of any part Word writes
PROLOG_LIMIT = 64 * 1024  # a longer prolog is padding meant to hide something

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Relationship types are compared on their last segment, which transitional
# and strict OOXML share.
# Parts the extraction parses, by the relationship that leads to them
# (from the package, or from the main part): each must be typed as XML, so
# that the caps and the DOCTYPE check count it.
PARSED_FROM_PACKAGE = {"officedocument", "core-properties"}
PARSED_FROM_MAIN = {"styles", "header", "footer", "footnotes", "endnotes", "comments"}
# Parts no relationship refers to are never read, but Word never writes
# any: beyond a few leftovers this small, they are a payload riding along
# with the record.
UNREFERENCED_ALLOWANCE = 64 * 1024
ACTIVE_RELS = {
    "vbaproject": "active_content:macros",
    "wordvbadata": "active_content:macros",
    "control": "active_content:activex",
    "activexcontrolbinary": "active_content:activex",
    "oleobject": "active_content:embedded",
}
# What zipfile and zlib raise on a damaged archive, on opening it or reading a part.
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


def validate_docx(fileobj, *, max_bytes: int, open_timeout: float = 10.0) -> None:
    """Refuse ``fileobj`` unless it is a plain Word document python-docx can open.

    ``fileobj`` is any seekable binary file; it is left at position 0.
    """
    try:
        size = check_size(fileobj, max_bytes)
        _check_opens(_check_package(fileobj, size), open_timeout)
    finally:
        fileobj.seek(0)


def unreadable():
    """The refusal of a file that cannot be read, for callers that find it so later."""
    return _refusal("unreadable")


def check_size(fileobj, max_bytes, refuse=_refusal):
    """The file's size in bytes, or ``refuse("empty")`` / ``refuse("too_large")``.

    The PDF intake checks a letter's size with its own ``refuse``: the same
    rule and figures, its own messages.
    """
    fileobj.seek(0, os.SEEK_END)
    size = fileobj.tell()
    if not size:
        raise refuse("empty")
    if size > max_bytes:
        # Rounded apart, so a file just over the limit never reads as equal to it.
        raise refuse(
            "too_large",
            size=number_format(math.ceil(size * 10 / MiB) / 10, decimal_pos=1),
            limit=number_format(math.floor(max_bytes * 10 / MiB) / 10, decimal_pos=1),
        )
    return size


def _check_package(fileobj, size):
    fileobj.seek(0)
    head = fileobj.read(len(OLE_SIGNATURE))
    if head == OLE_SIGNATURE:
        raise _refusal("password_protected")
    directory_bytes = _declared_directory_bytes(fileobj, size)
    if directory_bytes is not None and directory_bytes > MAX_DIRECTORY_BYTES:
        raise _refusal("too_many_entries", limit=MAX_ENTRIES)
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except _READ_ERRORS as error:
        raise _refusal("corrupt" if head.startswith(b"PK") else "not_zip") from error
    try:
        with archive:
            _check_entries(archive.infolist())
            package = _Package(archive)
            _check_main_part(package)
            _check_active_content(package)
            links.check_chunks(package)
            links.check_external_references(package)
            _check_unreferenced_parts(package)
            _check_text_size(package)
            for name in package.readable_parts():
                with archive.open(package.entries[name]) as part:
                    if part.read(len(OLE_SIGNATURE)) == OLE_SIGNATURE:
                        raise _refusal("active_content:embedded")
                with archive.open(package.entries[name]) as part:
                    _refuse_doctype(part, name)
            _check_parsed_parts_are_xml(package)
            links.check_fields(package, MAX_XML_PART)
            return _copy_for_opening(archive, package)
    except _READ_ERRORS as error:
        raise _refusal("corrupt") from error


def _copy_for_opening(archive, package):
    """The package as python-docx will read it, with binary parts left empty.

    python-docx parses the XML parts and only holds the others (pictures,
    fonts) as bytes, so blanking those changes nothing it checks while
    keeping a 25 MiB upload of pictures from costing 25 MiB more memory.
    It is a copy, not the caller's file: a timed-out opening thread cannot
    be stopped and must not go on reading a file the caller is storing.
    """
    xml_parts = set(package.xml_parts())
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as slim:
        for name, info in package.entries.items():
            if name in xml_parts:
                # One read of the declared size, which the caps have bounded:
                # zipfile inflates no more than one read asks for, and stops
                # at the declared size. At least one byte is asked for, so
                # that an empty part's checksum is checked too.
                with archive.open(info) as part:
                    slim.writestr(info.filename, part.read(max(info.file_size, 1)))
            else:
                slim.writestr(info.filename, b"")
    return copy.getvalue()


def _declared_directory_bytes(fileobj, size):
    """The central directory size the end record declares, found as zipfile finds it.

    None when there is no end record; zipfile will then refuse the file.
    """
    tail_length = min(size, 22 + 0xFFFF)
    fileobj.seek(size - tail_length)
    tail = fileobj.read(tail_length)
    if tail[-22:-18] == b"PK\x05\x06" and tail[-2:] == b"\0\0":
        at = len(tail) - 22
    else:
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return None
    directory_bytes = int.from_bytes(tail[at + 12 : at + 16], "little")
    # zipfile takes the ZIP64 record from just before its locator, if there is one.
    zip64 = tail[at - 76 : at - 20]
    if at >= 76 and tail[at - 20 : at - 16] == b"PK\x06\x07" and zip64[:4] == b"PK\x06\x06":
        directory_bytes = int.from_bytes(zip64[40:48], "little")
    return directory_bytes


def _check_entries(infos):
    if len(infos) > MAX_ENTRIES:
        raise _refusal("too_many_entries", limit=MAX_ENTRIES)
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED:
        raise _refusal("too_large_uncompressed", limit=MAX_UNCOMPRESSED // MiB)
    for info in infos:
        ratio_limit = MAX_RATIO * max(info.compress_size, 1)
        if info.file_size > RATIO_EXEMPT_BYTES and info.file_size > ratio_limit:
            raise _refusal("compression_ratio", name=_shown(info.filename), ratio=MAX_RATIO)
    seen = set()
    for info in infos:
        for name in (info.filename, info.orig_filename):
            if ".." in name or name.startswith("/") or "\\" in name or re.match("[A-Za-z]:", name):
                raise _refusal("unsafe_name", name=_shown(name))
        # Part names are case-insensitive; a second copy could show python-docx
        # something other than what was checked here.
        if info.filename.lower() in seen:
            raise _refusal("duplicate_name", name=_shown(info.filename))
        seen.add(info.filename.lower())
        if info.flag_bits & 0x1:
            raise _refusal("password_protected")
        # Other methods (bzip2, LZMA) are unpacked without a size bound.
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refusal("compression_method")


class _Package:
    """The entries, content types and relationships of an OPC package."""

    def __init__(self, archive):
        self.archive = archive
        self.entries = {info.filename.lower(): info for info in archive.infolist()}
        types = self.parse("[content_types].xml")
        if types is None:
            raise _refusal("not_docx_main")
        self.defaults = {
            el.get("Extension", "").lower(): el.get("ContentType", "").lower()
            for el in types.iter("{*}Default")
        }
        self.overrides = {
            el.get("PartName", "").lower(): el.get("ContentType", "").lower()
            for el in types.iter("{*}Override")
        }
        self.relationships = []  # (rels part, type's last segment, target, external?)
        self.main = ""  # the main part's name, once _check_main_part has found it
        for name in self.entries:
            if name.endswith(".rels"):
                for el in self.parse(name).iter("{*}Relationship"):
                    kind = el.get("Type", "").rsplit("/", 1)[-1].lower()
                    external = el.get("TargetMode", "").lower() == "external"
                    self.relationships.append((name, kind, el.get("Target", ""), external))

    def parse(self, name):
        """The part as an XML tree, or None if it is missing; refused if unsafe."""
        info = self.entries.get(name)
        if info is None:
            return None
        with self.archive.open(info) as part:
            data = part.read(PACKAGE_XML_LIMIT + 1)
        if len(data) > PACKAGE_XML_LIMIT:
            raise _refusal("unreadable")
        _refuse_doctype(io.BytesIO(data), info.filename)
        # A parser per call: lxml parsers must not be shared between threads.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError as error:
            raise _refusal("unreadable") from error

    def content_type(self, name):
        """The content type of the entry ``name`` (lower case), or ""."""
        part_name = "/" + name.lower()
        if part_name in self.overrides:
            return self.overrides[part_name]
        return self.defaults.get(posixpath.splitext(part_name)[1][1:], "")

    def readable_parts(self):
        """Every part but pictures and fonts: whatever a parser could be pointed at.

        Every XML part, whatever its name, and every other part not plainly
        a picture or a font, is checked for a DOCTYPE, and for an OLE object
        in disguise.
        """
        xml_parts = set(self.xml_parts())
        for name in self.entries:
            if name in xml_parts or (
                not self.content_type(name).startswith(("image/", "font/"))
                and not name.endswith(
                    (".odttf", ".ttf", ".png", ".jpeg", ".jpg", ".gif", ".emf", ".wmf")
                )
            ):
                yield name

    def targets(self, rels_name, target):
        """The entries a relationship's target may name: as written and percent-decoded.

        Both, because the extraction looks the target up as written while
        other readers decode it first.
        """
        folder = posixpath.dirname(posixpath.dirname(rels_name))  # the source part's folder
        names = set()
        for spelling in (target, unquote(target)):
            name = posixpath.normpath(posixpath.join("/", folder, spelling)).lstrip("/").lower()
            if name in self.entries:
                names.add(name)
        return names

    def related(self, source, kinds):
        """(kind, entry) of the internal relationships of part ``source`` of ``kinds``."""
        folder, base = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        for rels, kind, target, external in self.relationships:
            if rels == rels_name and kind in kinds and not external:
                for name in self.targets(rels, target):
                    yield kind, name

    def xml_parts(self):
        for name in self.entries:
            content_type = self.content_type(name)
            # "+xml" types, application/xml and text/xml
            if name.endswith((".xml", ".rels")) or content_type.endswith(("+xml", "/xml")):
                yield name


def _check_text_size(package):
    """The XML python-docx and the extraction parse, capped: a tree costs many times its text."""
    sizes = [package.entries[name].file_size for name in package.xml_parts()]
    total = sum(sizes)
    if max(sizes, default=0) > MAX_XML_PART or total > MAX_XML_TOTAL:
        raise _refusal(
            "too_much_text",
            size=number_format(math.ceil(total * 10 / MiB) / 10, decimal_pos=1),
            limit=number_format(MAX_XML_TOTAL // MiB),
        )


def _check_main_part(package):
    """The officeDocument relationship must lead to a Word document's main part."""
    targets = [
        target
        for source, kind, target, external in package.relationships
        if source == "_rels/.rels" and kind == "officedocument" and not external
    ]
    main = posixpath.normpath("/" + unquote(targets[0])).lstrip("/").lower() if targets else ""
    if main not in package.entries:
        raise _refusal("not_docx_main")
    content_type = package.content_type(main)
    if content_type == WORD_MAIN:
        package.main = main
        return
    for marks, kind in MAIN_KINDS.items():
        if any(mark in content_type for mark in marks):
            raise _refusal("not_docx_main:kind", kind=kind)
    raise _refusal("not_docx_main")


def _check_active_content(package):
    """Macros, ActiveX controls and OLE objects, by part name, content type or relationship."""
    for name in package.entries:
        *folders, base = name.split("/")
        if base in ("vbaproject.bin", "vbadata.xml"):
            raise _refusal("active_content:macros")
        if "activex" in folders:
            raise _refusal("active_content:activex")
        if base.endswith(".bin") and ("embeddings" in folders or base.startswith("oleobject")):
            raise _refusal("active_content:embedded")
    for content_type in [*package.defaults.values(), *package.overrides.values()]:
        if any(mark in content_type for mark in ("vbaproject", "vbadata", "macroenabled")):
            raise _refusal("active_content:macros")
        if "activex" in content_type:
            raise _refusal("active_content:activex")
        if "oleobject" in content_type:
            raise _refusal("active_content:embedded")
    for _source, kind, _target, external in package.relationships:
        # An external object is a reference, not content; the next check has it.
        if kind in ACTIVE_RELS and not external:
            raise _refusal(ACTIVE_RELS[kind])


def _check_parsed_parts_are_xml(package):
    """Every part the extraction parses must be typed as XML.

    The caps and the DOCTYPE check find XML parts by name and type, while
    the extraction parses whatever a relationship leads it to: a header
    typed and named as a picture would be parsed unchecked.
    """
    xml_parts = set(package.xml_parts())
    parsed = [name for _kind, name in package.related("", PARSED_FROM_PACKAGE)]
    parsed += [name for _kind, name in package.related(package.main, PARSED_FROM_MAIN)]
    for name in parsed:
        if name not in xml_parts:
            raise _refusal("mistyped_part", name=_shown(package.entries[name].filename))


def _check_unreferenced_parts(package):
    """Refuse what rides along unreferenced, beyond ``UNREFERENCED_ALLOWANCE``.

    XML parts are exempt: the caps and the DOCTYPE check count them wherever
    they are.
    """
    referenced = {"[content_types].xml"}
    for rels, _kind, target, external in package.relationships:
        referenced.add(rels)
        if not external:
            referenced |= package.targets(rels, target)
    xml_parts = set(package.xml_parts())
    riders = [
        package.entries[name]
        for name in package.entries
        if name not in referenced and name not in xml_parts and not name.endswith("/")
    ]
    if sum(info.file_size for info in riders) > UNREFERENCED_ALLOWANCE:
        largest = max(riders, key=lambda info: info.file_size)
        raise _refusal("unreferenced_part", name=_shown(largest.filename))


def _refuse_doctype(part, name):
    """Refuse the XML part if it has a document type declaration (see xml_prolog)."""
    try:
        declared = xml_prolog.has_doctype(part, head_bytes=HEAD_BYTES, limit=PROLOG_LIMIT)
    except xml_prolog.UnreadableProlog as error:
        raise _refusal("unreadable") from error
    if declared:
        raise _refusal("doctype", name=_shown(name))


def _check_opens(data, timeout):
    """python-docx must open the file within ``timeout`` seconds.

    It gets its own copy of the bytes: a thread cannot be stopped, and after
    a timeout it would otherwise go on reading the caller's file while the
    caller stores it.
    """
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="docx-open")
    try:
        executor.submit(docx.Document, io.BytesIO(data)).result(timeout=timeout)
    except Exception as error:  # anything python-docx trips over, or the timeout
        raise _refusal("unreadable") from error
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
