"""What the engine reads out of a document, as plain data.

An ``Extraction`` is stored on the version as JSON (``as_dict`` /
``from_dict``) and is all that comparison, preview and search need: they
never open the .docx again.
"""

import copy
import re
from dataclasses import asdict, dataclass, field, fields

RTL = "rtl"
LTR = "ltr"

# Arabic script (Arabic, Dari, Pashto, Urdu: U+0600-06FF, 0750-077F,
# 08A0-08FF, FB50-FDFF, FE70-FEFF) and, between and just before those
# blocks, the other right-to-left scripts (Hebrew, Syriac, Thaana).
RTL_CHAR = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
RTL_LETTER = re.compile("(?=[^\\W\\d_])[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
LETTER = re.compile(r"[^\W\d_]")


def direction_of(text, bidi=False):
    """RTL when the paragraph is marked so (``bidi``), or most of its letters are RTL."""
    if bidi:
        return RTL
    if not RTL_CHAR.search(text):  # the common case, decided without counting
        return LTR
    return RTL if 2 * len(RTL_LETTER.findall(text)) > len(LETTER.findall(text)) else LTR


@dataclass
class Block:
    """A body paragraph or a table, in document order.

    ``style`` is the paragraph style's name as Word shows it ("Heading 1",
    "Normal", "List Paragraph"); ``level`` is the heading level (1-9) or 0.
    A table has ``rows`` (lists of cell texts, a cell's paragraphs joined by
    newlines) and ``text`` empty. Extractions stored before ``comments``
    and ``changes`` existed load with them empty.
    """

    kind: str  # "paragraph" or "table"
    text: str = ""
    style: str = ""
    level: int = 0
    direction: str = LTR
    rows: list = field(default_factory=list)
    # The ids of the comments anchored in the block (``Comment.id``).
    comments: list = field(default_factory=list)  # [str]
    # A paragraph's tracked changes still in the file, as [op, text, author,
    # date] with op "equal", "insert" or "delete": the texts of the
    # "equal" and "insert" pieces make ``text``. A table's are one such list
    # per cell, in rows like ``rows`` (a cell without changes: []). Empty
    # when the block has none.
    changes: list = field(default_factory=list)

    def lines(self):
        """The lines a comparison aligns: the paragraph, or one per table row."""
        if self.kind == "table":
            return [" | ".join(cell.replace("\n", " ") for cell in row) for row in self.rows]
        return [self.text]


@dataclass
class Comment:
    author: str
    text: str
    id: str = ""  # w:id, named by the blocks it is anchored in
    date: str = ""  # W3CDTF text of w:date, "" when Word wrote none


@dataclass
class Extraction:
    body: list = field(default_factory=list)  # [Block]
    headers: list = field(default_factory=list)  # [str], one per header part with text
    footers: list = field(default_factory=list)  # [str]
    footnotes: list = field(default_factory=list)  # [str]
    endnotes: list = field(default_factory=list)  # [str]
    tracked_insertions: int = 0  # unresolved w:ins runs of text
    tracked_deletions: int = 0  # unresolved w:del runs of text
    comments: list = field(default_factory=list)  # [Comment]
    # title, author, last_modified_by, revision, created, modified (ISO 8601 strings or "")
    properties: dict = field(default_factory=dict)
    word_count: int = 0
    # Targets of the links to outside the document (web pages, mail
    # addresses) in the body, headers, footers, notes and comments, each once.
    hyperlinks: list = field(default_factory=list)  # [str]

    def lines(self):
        """The body as the lines a comparison aligns."""
        return [line for block in self.body for line in block.lines()]

    @property
    def text(self):
        return "\n".join(self.lines())

    def as_dict(self):
        """The extraction as JSON-ready data; a block's empty ``comments`` and
        ``changes`` are left out (most blocks have none), as ``from_dict`` allows."""
        # What dataclasses.asdict gives, written out: it copies field by
        # field through deepcopy, many times slower on a long document.
        data = {}
        for name in _EXTRACTION_FIELDS:
            value = getattr(self, name)
            if name == "body":
                value = [_block_dict(block) for block in value]
            elif name == "comments":
                value = [
                    {"author": c.author, "text": c.text, "id": c.id, "date": c.date}
                    if type(c) is Comment
                    else asdict(c)
                    for c in value
                ]
            elif isinstance(value, (list, dict)):
                value = _copied(value)
            data[name] = value
        return data

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data["body"] = [Block(**b) for b in data.get("body", [])]
        data["comments"] = [Comment(**c) for c in data.get("comments", [])]
        return cls(**data)


_EXTRACTION_FIELDS = tuple(f.name for f in fields(Extraction))


def _block_dict(block):
    """A block as ``asdict`` gives it, without its empty ``comments`` and ``changes``."""
    if type(block) is not Block:
        data = asdict(block)
        for optional in ("comments", "changes"):
            if not data[optional]:
                del data[optional]
        return data
    data = {
        "kind": block.kind,
        "text": block.text,
        "style": block.style,
        "level": block.level,
        "direction": block.direction,
        "rows": [] if block.rows == [] else _copied(block.rows),
    }
    if block.comments:
        data["comments"] = _copied(block.comments)
    if block.changes:
        data["changes"] = _copied(block.changes)
    return data


def _copied(value):
    """A copy of JSON-like data (lists, tuples, dicts and scalars), as ``asdict`` makes it."""
    if type(value) is str:
        return value
    if isinstance(value, list):
        return [_copied(item) for item in value]
    if isinstance(value, tuple):
        return type(value)(_copied(item) for item in value)
    if isinstance(value, dict):
        return {_copied(key): _copied(item) for key, item in value.items()}
    return copy.deepcopy(value)
