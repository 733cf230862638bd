"""Hostile and odd files, built in memory for the validation tests.

Each builder returns the bytes of one file. Most start from a genuine
python-docx document and change one thing, so that a refusal can only come
from the rule under test. Large payloads are streamed or declared rather
than really written, to keep the tests fast.
"""

import functools
import io
import random
import struct
import warnings
import zipfile
import zlib

from docx import Document

MiB = 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MS_REL = "http://schemas.microsoft.com/office/2006/relationships/"
WORDML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
DOCUMENT_MAIN = WORDML + "document.main+xml"
MACRO_DOCUMENT_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
TEMPLATE_MAIN = WORDML + "template.main+xml"
VBA_PROJECT = "application/vnd.ms-office.vbaProject"
OLE_OBJECT = "application/vnd.openxmlformats-officedocument.oleObject"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@functools.cache
def genuine_docx():
    """A small, ordinary Word document as python-docx writes it."""
    document = Document()
    document.add_heading("National Emigration and Welfare Policy", level=1)
    document.add_paragraph("Overseas workers are registered before departure.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def parts_of(data=None):
    """The parts of a package, by name, in their stored order."""
    with zipfile.ZipFile(io.BytesIO(data or genuine_docx())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def pack(parts, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def declare_type(parts, *, override=None, default=None, content_type):
    """Add an Override (for a part name) or a Default (for an extension)."""
    if override:
        element = f'<Override PartName="/{override}" ContentType="{content_type}"/>'
    else:
        element = f'<Default Extension="{default}" ContentType="{content_type}"/>'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", element.encode() + b"</Types>"
    )


def relate(parts, rel_type, target, *, rels=DOCUMENT_RELS, external=False, rel_id="rIdX"):
    """Add a relationship to a .rels part, creating the part if needed."""
    mode = ' TargetMode="External"' if external else ""
    element = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"{mode}/>'
    if rels not in parts:
        parts[rels] = (
            DECLARATION + b'<Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"></Relationships>'
        )
    parts[rels] = parts[rels].replace(b"</Relationships>", element.encode() + b"</Relationships>")


def with_main_type(content_type):
    """A genuine document whose main part claims another content type."""
    parts = parts_of()
    types = parts["[Content_Types].xml"]
    parts["[Content_Types].xml"] = types.replace(DOCUMENT_MAIN.encode(), content_type.encode())
    return parts


# Not a zip at all


def plain_text():
    return b"National policy, first draft.\nTo be typed up in Word.\n"


def ole_container():
    """What a password-protected Word file (or an old .doc) starts with."""
    header = OLE_SIGNATURE + bytes(16) + struct.pack("<HH", 0x3E, 0x3) + b"\xfe\xff"
    return header + bytes(512 - len(header)) + bytes(4096)


def truncated_zip():
    data = genuine_docx()
    return data[: len(data) // 2]


def bad_crc():
    """A stored part whose bytes no longer match their checksum."""
    parts = parts_of()
    data = pack(parts, compression=zipfile.ZIP_STORED)
    return data.replace(b"<Types ", b"<Typez ", 1)


# Size and shape


def zip_bomb(size=50 * MiB):
    """A genuine document plus one part of ``size`` zeros, deflated about 1000:1."""
    buffer = io.BytesIO(genuine_docx())
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/padding.bin", "w") as part,
    ):
        for _ in range(size // MiB):
            part.write(bytes(MiB))
    return buffer.getvalue()


def understated_bomb(size=50 * MiB, declared=1024):
    """A part that unpacks to ``size`` zeros while its header claims ``declared``.

    Its checksum is that of the declared zeros, so a reader that trusts the
    header sees a small, valid part.
    """
    buffer = io.BytesIO(genuine_docx())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/padding.xml", "w") as part:
            chunk = bytes(MiB)
            for _ in range(size // MiB):
                part.write(chunk)
        info = archive.getinfo("word/padding.xml")
        info.file_size = declared
        info.CRC = zlib.crc32(bytes(declared))
    return buffer.getvalue()


def many_entries(count=1001):
    parts = parts_of()
    for number in range(count - len(parts)):
        parts[f"customXml/note{number}.txt"] = b"x"
    return pack(parts)


def crowded_directory(count=100_000):
    """A zip whose directory lists ``count`` entries while its end record claims one.

    All entries point at the same empty file: a few MiB of directory that
    would cost zipfile hundreds of MiB of objects to read.
    """
    name = b"a"
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0)
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0, 0, 0, 0, 0, 0
    )
    directory = (central + name) * count
    start = len(local) + len(name)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), start, 0)
    return local + name + directory + end


def declared_huge(entries=3, real=MiB, declared=90 * MiB):
    """Parts whose directory declares ``declared`` bytes each, over 250 MiB in all.

    Each really holds ``real`` random bytes, so no single part unpacks to
    more than 100 times its packed size: only the total is out of bounds.
    """
    noise = random.Random(0)
    buffer = io.BytesIO(genuine_docx())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_STORED) as archive:
        for number in range(entries):
            archive.writestr(f"word/media/image{number}.png", noise.randbytes(real))
        for info in archive.filelist[-entries:]:
            info.file_size = declared
    return buffer.getvalue()


def with_member(name, content=b"<x/>"):
    """A genuine document plus one more part named ``name``, even an existing name."""
    buffer = io.BytesIO(genuine_docx())
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name
        archive.writestr(name, content)
    return buffer.getvalue()


def encrypted_entry():
    """A part flagged as zip-encrypted, which Word never writes."""
    return _with_flagged_part(flag_bits=0x1)


def newer_zip_version():
    """A part that says it needs a newer unzip than zipfile is."""
    return _with_flagged_part(extract_version=99)


def _with_flagged_part(**attributes):
    buffer = io.BytesIO(genuine_docx())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("customXml/extra.xml", b"<x/>")
        info = archive.getinfo("customXml/extra.xml")
        for name, value in attributes.items():
            setattr(info, name, value)
    return buffer.getvalue()


def bzip2_part():
    """A part packed with bzip2, which zipfile unpacks without a size bound."""
    buffer = io.BytesIO(genuine_docx())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("customXml/extra.xml", b"<x/>", compress_type=zipfile.ZIP_BZIP2)
    return buffer.getvalue()


# Not a plain Word document


def macro_enabled_document():
    """A .docm: macro-enabled main part and a VBA project."""
    parts = with_main_type(MACRO_DOCUMENT_MAIN)
    _add_vba_project(parts)
    return pack(parts)


def template():
    """A .dotx: a Word template."""
    return pack(with_main_type(TEMPLATE_MAIN))


def other_office_package(main="xl/workbook.xml", content_type=None):
    """An Excel workbook by default; pass another main part and type for others."""
    content_type = content_type or (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    )
    parts = {
        "[Content_Types].xml": DECLARATION
        + b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
        main: DECLARATION + b"<workbook/>",
    }
    declare_type(parts, override=main, content_type=content_type)
    relate(parts, REL + "officeDocument", main, rels="_rels/.rels", rel_id="rId1")
    return pack(parts)


# Active content


def _add_vba_project(parts, name="word/vbaProject.bin"):
    parts[name] = OLE_SIGNATURE + bytes(1024)
    declare_type(parts, override=name, content_type=VBA_PROJECT)
    relate(parts, MS_REL + "vbaProject", name.removeprefix("word/"))


def vba_in_docx(name="word/vbaProject.bin"):
    """An otherwise ordinary .docx carrying a VBA project under ``name``."""
    parts = parts_of()
    _add_vba_project(parts, name)
    return pack(parts)


def ole_embedding():
    parts = parts_of()
    parts["word/embeddings/oleObject1.bin"] = OLE_SIGNATURE + bytes(1024)
    declare_type(parts, default="bin", content_type=OLE_OBJECT)
    relate(parts, REL + "oleObject", "embeddings/oleObject1.bin")
    return pack(parts)


def activex_control():
    parts = parts_of()
    parts["word/activeX/activeX1.xml"] = DECLARATION + b"<ax:ocx/>"
    parts["word/activeX/activeX1.bin"] = OLE_SIGNATURE + bytes(1024)
    declare_type(
        parts,
        override="word/activeX/activeX1.xml",
        content_type="application/vnd.ms-office.activeX+xml",
    )
    relate(parts, REL + "control", "activeX/activeX1.xml")
    return pack(parts)


def external_relationship(kind, rels=DOCUMENT_RELS, target="https://example.org/payload.dotm"):
    """A relationship of type ``kind`` pointing outside the package."""
    parts = parts_of()
    relate(parts, REL + kind, target, rels=rels, external=True)
    return pack(parts)


# XML with a document type declaration


def with_xml(name, content):
    """A genuine document with the part ``name`` replaced by ``content``."""
    parts = parts_of()
    parts[name] = content
    return pack(parts)


def _document_xml(prolog=b"", body=b"<w:p><w:r><w:t>Policy</w:t></w:r></w:p>"):
    """A main document part; ``prolog`` goes between the declaration and the root."""
    root = b"<w:document %s><w:body>%s</w:body></w:document>" % (W_NS, body)
    return DECLARATION + prolog + root


def billion_laughs():
    entities = b'<!ENTITY lol "lol">'
    for level in range(1, 10):
        previous = b"&lol%d;" % (level - 1) if level > 1 else b"&lol;"
        entities += b'<!ENTITY lol%d "%s">' % (level, previous * 10)
    doctype = b"<!DOCTYPE w:document [" + entities + b"]>"
    body = b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
    return with_xml("word/document.xml", _document_xml(doctype, body))


def external_entity():
    doctype = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    body = b"<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>"
    return with_xml("word/document.xml", _document_xml(doctype, body))


def utf16_doctype(bom=True, byteorder="little", padding=0):
    """word/document.xml in UTF-16, declaring a DOCTYPE after ``padding`` spaces of comment."""
    comment = b"<!--" + b" " * padding + b"-->" if padding else b""
    text = _document_xml(comment + b"<!DOCTYPE w:document>").decode()
    encoded = text.replace("UTF-8", "UTF-16").encode(f"utf-16-{byteorder[0]}e")
    if bom:
        encoded = (b"\xff\xfe" if byteorder == "little" else b"\xfe\xff") + encoded
    return with_xml("word/document.xml", encoded)


def padded_doctype(padding=20_000):
    """A DOCTYPE hidden behind a comment longer than the first few KiB."""
    comment = b"<!--" + b" " * padding + b"-->"
    return with_xml("word/document.xml", _document_xml(comment + b"<!DOCTYPE w:document>"))


def lower_case_doctype(name="word/styles.xml"):
    """The part ``name`` with "<!doctype root>" after its XML declaration."""
    parts = parts_of()
    parts[name] = parts[name].replace(b"?>", b"?><!doctype root>", 1)
    return pack(parts)


def malformed_document():
    """Passes every check, but word/document.xml is not well-formed XML."""
    return with_xml("word/document.xml", _document_xml(body=b"<w:p><w:r><w:t>Policy</w:p>"))
