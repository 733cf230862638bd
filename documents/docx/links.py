"""What a Word document would fetch or run when opened: link targets and field codes.

Word follows some links as soon as a file is opened or printed: a linked
picture, a remote template, an INCLUDEPICTURE or INCLUDETEXT field, and
it starts programs for LINK and DDE fields. A remote target is a tracking
pixel at best and, over SMB (``\\\\host\\share``, ``file://host/…``), hands
the reader's Windows password hash to whoever runs the host. A local
target (``C:\\…``, ``Normal.dotm``) fetches nothing from anyone.

The checks at the end are validation's: they read the package's
relationships and story parts and refuse what would be fetched or run.
"""

import re
from urllib.parse import unquote

from lxml import etree

from documents.docx.refusals import refusal, shown

# Relationship types by the last segment of their URI, in lower case.
# Loaded from outside the file wherever they point:
EXTERNAL_LOADS = {"subdocument", "frame", "oleobject"}
# A template is looked up by name or local path on the reader's machine
# (Word writes "Normal.dotm" or "file:///C:\…\x.dotx" for any document based on
# one); only a remote one is fetched.
TEMPLATE = "attachedtemplate"
# Content of another format (HTML, RTF, a .docx, …) Word converts and shows.
CHUNK = "afchunk"
# The story parts, where fields live.
STORIES = {"header", "footer", "footnotes", "endnotes", "comments"}

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
INSTR_TEXT, FLD_CHAR, FLD_SIMPLE, TEXT = W + "instrText", W + "fldChar", W + "fldSimple", W + "t"

# Fields that bring in content from their target when updated (INCLUDE and
# IMPORT are the older names Word still honours).
INCLUDING_FIELDS = {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT"}
# Fields that start or talk to another program to fetch their content.
PROGRAM_FIELDS = {"LINK", "DDE", "DDEAUTO"}

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(.*)", re.DOTALL)
# A quoted argument (its quotes dropped; an unclosed one runs to the end) or a bare one.
_ARGUMENT = re.compile(r'"([^"]*)"?|(\S+)')
_SWITCH = re.compile(r"\\[A-Za-z*#@!]")


def is_remote(target):
    """Whether opening ``target`` would reach another machine.

    Local: bare names and relative paths, drive paths (``C:\\…``),
    ``file:///C:/…`` and ``file://localhost/…``. Remote: every other
    scheme (http, https, ftp, …), UNC paths (``\\\\host\\share``,
    ``//host``) and file URLs naming a host, also in the
    ``file://///host`` and ``file:////host`` spellings.
    """
    text = unquote(target).strip().replace("\\", "/")
    if text.startswith("//"):
        return True
    match = _SCHEME.fullmatch(text)
    if match is None:
        return False
    scheme, rest = match.group(1).lower(), match.group(2)
    if len(scheme) == 1:  # a drive letter
        return False
    if scheme != "file":
        return True
    if not rest.startswith("//"):  # file:C:/… or file:/C:/…
        return False
    authority, _, path = rest[2:].partition("/")
    return authority.lower() not in ("", "localhost") or path.startswith("/")


def field_instructions(root):
    """The instruction of every field under ``root``, in document order.

    Complex fields spread their code over ``w:instrText`` in many runs
    (even paragraphs) between ``w:fldChar`` begin and separate; a nested
    field's result is part of the outer field's code. Simple fields carry
    it in ``w:fldSimple/@w:instr``.
    """
    instructions = []
    open_fields = []  # [pieces, still reading the code?], innermost last
    for element in root.iter(INSTR_TEXT, FLD_CHAR, FLD_SIMPLE, TEXT):
        tag = element.tag
        if tag == FLD_SIMPLE:
            instructions.append(element.get(W + "instr", ""))
        elif tag == FLD_CHAR:
            kind = element.get(W + "fldCharType")
            if kind == "begin":
                open_fields.append([[], True])
            elif kind in ("separate", "end") and open_fields:
                field = open_fields[-1]
                if field[1]:
                    instructions.append("".join(field[0]))
                    field[1] = False
                if kind == "end":
                    open_fields.pop()
        elif tag == INSTR_TEXT:
            if open_fields and open_fields[-1][1]:
                open_fields[-1][0].append(element.text or "")
        else:  # a nested field's result, read as part of the fields still being coded
            for pieces, reading in open_fields:
                if reading:
                    pieces.append(element.text or "")
    # A field never closed is still a field Word would update.
    instructions.extend("".join(pieces) for pieces, reading in open_fields if reading)
    return instructions


def refused_field(instruction):
    """The field's name if Word would fetch remote content or run a program for it, else None.

    An including field whose target cannot be read (none, or made by a
    nested field that gives nothing) is refused too: it cannot be shown
    to be local.
    """
    arguments = [m[2] if m[1] is None else m[1] for m in _ARGUMENT.finditer(instruction)]
    if not arguments:
        return None
    name = arguments[0].upper()
    if name in PROGRAM_FIELDS:
        return name
    if name not in INCLUDING_FIELDS:
        return None
    targets = [argument for argument in arguments[1:] if not _SWITCH.fullmatch(argument)]
    if not targets or not targets[0].strip() or any(is_remote(t) for t in targets):
        return name
    return None


# -- validation's checks, over validate._Package ------------------------------


def check_chunks(package):
    """Refuse w:altChunk content, inside the package or outside it.

    Word converts it (HTML, RTF, text, another .docx) into the document it
    shows; the extraction, the preview and the comparison cannot do that
    faithfully, so a reviewer would approve a text without it.
    """
    for _source, kind, target, _external in package.relationships:
        if kind == CHUNK:
            raise refusal("embedded_chunk", name=shown(target))


def check_external_references(package):
    """Refuse links Word follows on opening; hyperlinks wait for a click.

    Sub-documents, frames and linked objects are refused wherever they
    point; a template, a picture or other linked content only when Word
    would fetch it from another computer.
    """
    for _source, kind, target, external in package.relationships:
        if not external or kind == "hyperlink":
            continue
        if kind in EXTERNAL_LOADS or (kind == TEMPLATE and is_remote(target)):
            raise refusal("external_reference", target=shown(target))
        if kind != TEMPLATE and is_remote(target):
            raise refusal("linked_content", target=shown(target))


def check_fields(package, max_part):
    """Refuse fields that fetch remote content or start a program, in every story part."""
    stories = [package.main, *(name for _kind, name in package.related(package.main, STORIES))]
    for name in dict.fromkeys(stories):
        with package.archive.open(package.entries[name]) as part:
            data = part.read(max_part + 1)
        # Most parts have no field at all; UTF-16 ones are parsed to be sure.
        if b"instrText" not in data and b"fldSimple" not in data and b"\0" not in data[:4]:
            continue
        root = _parse_story(data)
        for instruction in field_instructions(root):
            field = refused_field(instruction)
            if field is not None:
                raise refusal("remote_field", field=field)


def _parse_story(data):
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise refusal("unreadable") from error
