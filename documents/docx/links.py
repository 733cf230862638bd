"""What a Word document would fetch or run when opened: link targets and field codes.

Word follows some links as soon as a file is opened or printed: a linked
picture, a remote template, an INCLUDEPICTURE or INCLUDETEXT field, and
it starts programs for LINK and DDE fields. A remote target is a tracking
pixel at best and, over SMB (``\\\\host\\share``, ``file://host/…``), hands
the reader's Windows password hash to whoever runs the host. A local
target (``C:\\…``, ``Normal.dotm``) fetches nothing from anyone.

Pure functions over targets and parsed XML; validation decides what to refuse.
"""

import re
from urllib.parse import unquote

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
