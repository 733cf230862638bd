"""The extraction as it was read element by element, kept to check the engine against.

``documents.docx.extract`` reads plain paragraphs in one pass; this is
the former reading of every paragraph, unchanged, which the tests compare
it with (``test_extract_reference.py``). Nothing outside the tests uses it.
"""

import posixpath
import re
import zipfile

from lxml import etree

from documents.docx.structure import Block, Comment, Extraction, direction_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
MATH_TEXT = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
DC, DCTERMS = "{http://purl.org/dc/elements/1.1/}", "{http://purl.org/dc/terms/}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
CORE_FIELDS = {
    "title": DC + "title",
    "author": DC + "creator",
    "last_modified_by": CP + "lastModifiedBy",
    "revision": CP + "revision",
    "created": DCTERMS + "created",
    "modified": DCTERMS + "modified",
}

P, TBL, TR, TC, R, T = W + "p", W + "tbl", W + "tr", W + "tc", W + "r", W + "t"
PPR, RPR, TRPR, TCPR = W + "pPr", W + "rPr", W + "trPr", W + "tcPr"
INS, DEL, MOVE_TO, MOVE_FROM = W + "ins", W + "del", W + "moveTo", W + "moveFrom"
SDT, SDT_CONTENT, SECT_PR, TXBX = W + "sdt", W + "sdtContent", W + "sectPr", W + "txbxContent"
VAL, DEL_TEXT = W + "val", W + "delText"
# Where a comment is anchored: the start of its range, and its mark.
COMMENT_ANCHORS = {W + "commentRangeStart", W + "commentReference"}
# The ops of a paragraph's tracked-change segments (Block.changes).
UNCHANGED, INSERT, DELETE = "equal", "insert", "delete"

# What a run's special characters look like as text; w:sym (a glyph of a
# symbol font) and w:softHyphen (invisible unless a line breaks) give none.
CHARACTERS = {
    W + "tab": "\t",
    W + "ptab": "\t",
    W + "br": "\n",
    W + "cr": "\n",
    W + "noBreakHyphen": "-",
}
# Subtrees whose text a reader does not see: deleted or moved-away text,
# properties, and the fallback copy of an mc:AlternateContent (its Choice
# holds the same text box, which is read instead).
SKIPPED = {DEL, MOVE_FROM, PPR, RPR, W + "sdtPr", W + "sdtEndPr", MC + "Fallback"}
# Containers of paragraphs and tables that are transparent to a reader.
BLOCK_WRAPPERS = {SDT, SDT_CONTENT, W + "customXml"}
FALSE_VALUES = {"0", "false", "off"}

HEADING_NAME = re.compile(r"Heading ([1-9])")
# Built-in style names Word stores in lower case but shows differently.
SHOWN_STYLE_NAMES = {"annotation text": "Comment Text", "annotation subject": "Comment Subject"}


def extract(fileobj):
    """The ``Extraction`` of an already validated .docx file object.

    The file's position is 0 again afterwards, so the caller can hash or
    store it without seeking.
    """
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return Package(archive).extraction()
    finally:
        fileobj.seek(0)


def plain_text(blocks):
    """Blocks as one text: paragraphs on lines, table rows with tab-separated cells."""
    lines = []
    for block in blocks:
        if block.kind == "table":
            lines.extend("\t".join(row) for row in block.rows)
        else:
            lines.append(block.text)
    return "\n".join(lines)


class Package:
    """The parts of one .docx and the relationships between them."""

    def __init__(self, archive):
        self.archive = archive
        self.names = set(archive.namelist())
        self.hyperlinks = {}  # external hyperlink targets, in the order found
        # A fresh parser per document: entities stay unresolved and nothing
        # is fetched, whatever slipped past validation.
        self.parser = etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
        )

    def xml(self, name):
        if name not in self.names:
            return None
        return etree.fromstring(self.archive.read(name), self.parser)

    def relationships(self, part):
        """{rId: (type's last segment, target part name)} of a part's internal links.

        The targets of its hyperlinks to outside the package are noted in
        ``self.hyperlinks`` on the way.
        """
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        found = {}
        for rel in [] if root is None else root.iter(RELS):
            if rel.get("TargetMode") == "External":
                if rel.get("Type", "").endswith("/hyperlink") and rel.get("Target"):
                    self.hyperlinks.setdefault(rel.get("Target"))
                continue
            target = rel.get("Target", "")
            name = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
            found[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], name)
        return found

    def related(self, rels, kind):
        return next((name for rel_kind, name in rels.values() if rel_kind == kind), None)

    def extraction(self):
        package_rels = self.relationships("")
        main = self.related(package_rels, "officeDocument") or "word/document.xml"
        rels = self.relationships(main)
        reader = StoryReader(Styles(self.xml(self.related(rels, "styles"))))
        result = Extraction()

        document = self.xml(main)
        body = document.find(W + "body") if document is not None else None
        if body is not None:
            result.body = reader.blocks(body)

        headers, footers = {}, {}
        for r_id in reader.section_references:
            kind, name = rels.get(r_id, ("", None))
            seen = {"header": headers, "footer": footers}.get(kind)
            if seen is not None and name not in seen:
                self.relationships(name)  # for its hyperlinks
                root = self.xml(name)
                seen[name] = plain_text(reader.blocks(root)) if root is not None else ""
        result.headers = _distinct(headers.values())
        result.footers = _distinct(footers.values())
        result.footnotes = self.notes(reader, self.related(rels, "footnotes"), "footnote")
        result.endnotes = self.notes(reader, self.related(rels, "endnotes"), "endnote")
        result.tracked_insertions = reader.insertions
        result.tracked_deletions = reader.deletions

        # Comments are read with a reader of their own: a tracked change
        # inside a comment is not a change to the document.
        comments = self.xml(self.related(rels, "comments"))
        if comments is not None:
            comment_reader = StoryReader(reader.styles)
            result.comments = [
                Comment(
                    author=c.get(W + "author", ""),
                    text=plain_text(comment_reader.blocks(c)).strip(),
                    id=c.get(W + "id", ""),
                    date=c.get(W + "date", ""),
                )
                for c in comments.iter(W + "comment")
            ]
        for kind in ("footnotes", "endnotes", "comments"):
            story = self.related(rels, kind)
            if story is not None:
                self.relationships(story)  # for its hyperlinks
        result.hyperlinks = list(self.hyperlinks)
        result.properties = self.core_properties(self.related(package_rels, "core-properties"))
        result.word_count = len(plain_text(result.body).split())
        return result

    def notes(self, reader, name, tag):
        """Texts of the real notes; separators and continuation marks are layout."""
        root = self.xml(name)
        notes = root.iter(W + tag) if root is not None else ()
        real = (note for note in notes if note.get(W + "type", "normal") == "normal")
        texts = (plain_text(reader.blocks(note)).strip() for note in real)
        return [text for text in texts if text]

    def core_properties(self, name):
        root = self.xml(name or "docProps/core.xml")
        properties = {}
        for key, tag in CORE_FIELDS.items():
            element = root.find(tag) if root is not None else None
            properties[key] = (element.text or "").strip() if element is not None else ""
        return properties


def _distinct(texts):
    """Non-empty texts, each once, in order: odd and even headers often repeat."""
    return list(dict.fromkeys(text.strip() for text in texts if text.strip()))


class Styles:
    """Paragraph styles by id: the name Word shows, heading level and direction."""

    def __init__(self, root):
        self.styles, self.resolved, self.default = {}, {}, None
        defaults = root.find(f"{W}docDefaults/{W}pPrDefault/{PPR}") if root is not None else None
        self.default_bidi = bool(toggle(defaults, "bidi"))
        for style in root.iter(W + "style") if root is not None else ():
            if style.get(W + "type") != "paragraph":
                continue
            style_id, ppr = style.get(W + "styleId"), style.find(PPR)
            self.styles[style_id] = {
                "name": _shown_name(_value(style, "name", style_id) or ""),
                "based_on": _value(style, "basedOn"),
                "level": _outline_level(ppr),
                "bidi": toggle(ppr, "bidi"),
            }
            if style.get(W + "default") in ("1", "true", "on"):
                self.default = style_id

    def describe(self, style_id):
        """(name, heading level, bidi) of a style, with inherited values filled in."""
        if style_id not in self.styles:
            style_id = self.default
        if style_id is None:
            return "Normal", 0, self.default_bidi
        if style_id not in self.resolved:
            self.resolved[style_id] = self._resolve(style_id)
        return self.resolved[style_id]

    def _resolve(self, style_id):
        style = self.styles[style_id]
        level, bidi = style["level"], style["bidi"]
        seen, parent_id = {style_id}, style["based_on"]
        # Inherit along basedOn; a cycle (seen in damaged files) ends the walk.
        while (level is None or bidi is None) and parent_id in self.styles:
            if parent_id in seen:
                break
            seen.add(parent_id)
            parent = self.styles[parent_id]
            level = parent["level"] if level is None else level
            bidi = parent["bidi"] if bidi is None else bidi
            parent_id = parent["based_on"]
        if level is None:
            match = HEADING_NAME.fullmatch(style["name"])
            level = int(match.group(1)) if match else 0
        return style["name"], level, self.default_bidi if bidi is None else bidi


def _shown_name(name):
    """Built-in names are stored in lower case ("heading 1"); Word shows "Heading 1"."""
    if name in SHOWN_STYLE_NAMES:
        return SHOWN_STYLE_NAMES[name]
    if name.startswith("toc "):
        return "TOC " + name[4:]
    return name.title() if name.islower() else name


def _value(parent, tag, default=None):
    """The w:val of ``parent``'s child ``tag``; ``default`` when either is missing."""
    element = parent.find(W + tag) if parent is not None else None
    return default if element is None else element.get(VAL, default)


def _outline_level(ppr):
    """Heading level 1-9 from w:outlineLvl (0-based; 9 means body text), None if unset."""
    value = _value(ppr, "outlineLvl")
    if value is None or not (value.isascii() and value.isdecimal()):
        return None  # unset, or not a number Word writes ("²" is a digit to Python)
    return int(value) + 1 if int(value) <= 8 else 0


def toggle(ppr, tag):
    """A toggle property such as w:bidi: None when absent, else whether it is on."""
    element = ppr.find(W + tag) if ppr is not None else None
    return None if element is None else element.get(VAL, "on").lower() not in FALSE_VALUES


def _has_content(element):
    """Whether a tracked change holds any run with something in it."""
    return any(child.tag != RPR for run in element.iter(R) for child in run)


class _Line:
    """The content of one paragraph as read: accepted text, tracked changes, comment anchors.

    ``pieces`` holds plain strings for text that is not a tracked change
    and (op, author, date, text) tuples for insertions and deletions, so a
    paragraph without changes (most of them) costs no more than its text.
    """

    __slots__ = ("comments", "pieces", "tracked")

    def __init__(self):
        self.pieces = []
        self.comments = []  # w:ids of the comments anchored here, in order
        self.tracked = False  # whether any piece is a tracked change

    def add(self, text, change):
        if change is None:
            self.pieces.append(text)
        else:
            self.pieces.append((*change, text))
            self.tracked = True

    def extend(self, other):
        self.pieces += other.pieces
        self.comments += other.comments
        self.tracked = self.tracked or other.tracked

    def text(self):
        if not self.tracked:
            return "".join(self.pieces)
        return "".join(
            piece if isinstance(piece, str) else piece[3] if piece[0] == INSERT else ""
            for piece in self.pieces
        )

    def changes(self, text):
        """[op, text, author, date] segments whose accepted text is ``text``; [] if none."""
        if not self.tracked:
            return []
        merged = []
        for piece in self.pieces:
            op, author, date, piece_text = (
                (UNCHANGED, "", "", piece) if isinstance(piece, str) else piece
            )
            if not piece_text:
                continue
            if merged and merged[-1][0] == op and merged[-1][2:] == [author, date]:
                merged[-1][1] += piece_text
            else:
                merged.append([op, piece_text, author, date])
        accepted = "".join(piece for op, piece, _, _ in merged if op != DELETE)
        # A paragraph trimmed of its leading or trailing line breaks keeps
        # its text unmarked rather than marks that would not add up to it.
        return merged if accepted == text and len(merged) > 1 else []

    def comment_ids(self):
        return list(dict.fromkeys(self.comments)) if self.comments else []


class StoryReader:
    """Turns story parts into blocks, accepting tracked changes as it goes.

    With ``origins`` (a dict), each block's id maps to the element it was
    read from (the paragraph, or the table), for those who write onto a copy
    of the document what they found in its text.
    """

    def __init__(self, styles, origins=None):
        self.styles = styles
        self.insertions = 0
        self.deletions = 0
        self.section_references = []  # r:ids of header/footer references, in order
        self.origins = origins

    def blocks(self, container):
        """The paragraphs and tables of a body, cell, text box, note or header."""
        out = []
        # Paragraphs whose mark is deleted: accepting that joins them to the next.
        carried, carried_boxes = _Line(), []
        for element in _block_elements(container):
            if element.tag == SECT_PR:
                self._note_section(element)
                continue
            if element.tag == TBL:
                line, ppr, mark_deleted, boxes = _Line(), None, False, [self.table(element)]
            else:
                line, ppr, mark_deleted, boxes = self.paragraph(element)
            carried.extend(line)
            if mark_deleted:
                carried_boxes += boxes
                continue
            text = carried.text().strip("\n")
            if text.strip():
                out.append(self._paragraph_block(text, ppr, carried, element))
                carried = _Line()
            else:  # left out; its comments go to the next block
                carried, carried.comments = _Line(), carried.comments
            out += carried_boxes + boxes
            carried_boxes = []
        text = carried.text().strip("\n")
        if text.strip():
            out.append(self._paragraph_block(text, None, carried, None))
        return out + carried_boxes

    def paragraph(self, p):
        """(its _Line, pPr, whether its mark is deleted, text box blocks)."""
        line, boxes = _Line(), []
        self._inline(p, line, boxes, None)
        ppr = p.find(PPR)
        mark = ppr.find(RPR) if ppr is not None else None
        mark_deleted = False
        if mark is not None:  # the paragraph mark's own tracked change
            self.insertions += mark.find(INS) is not None
            self.deletions += mark.find(DEL) is not None
            mark_deleted = mark.find(DEL) is not None or mark.find(MOVE_FROM) is not None
        section = ppr.find(SECT_PR) if ppr is not None else None
        if section is not None:
            self._note_section(section)
        return line, ppr, mark_deleted, boxes

    def _inline(self, parent, line, boxes, change):
        """Collect the visible text under ``parent`` into ``line``; text boxes go to ``boxes``.

        ``change`` is the (op, author, date) of the insertion the text is in, or None.
        """
        for element in parent:
            tag = element.tag
            if tag in (T, MATH_TEXT):
                if change is None:  # the common case, without a call
                    line.pieces.append(element.text or "")
                else:
                    line.add(element.text or "", change)
            elif tag in SKIPPED:
                if tag == DEL and _has_content(element):
                    self.deletions += 1
                    line.add(_deleted_text(element), _revision(DELETE, element))
            elif tag in CHARACTERS:
                line.add(CHARACTERS[tag], change)
            elif tag == TXBX:
                boxes.extend(self.blocks(element))
            elif tag in COMMENT_ANCHORS:
                line.comments.append(element.get(W + "id", ""))
            elif tag == R and toggle(element.find(RPR), "vanish"):
                continue  # hidden text (directly formatted): Word does not show it
            else:
                # Runs, hyperlinks, fields, content controls, insertions,
                # drawings: their text is the reader's, wherever it is nested.
                inner = change
                if tag == INS and _has_content(element):
                    self.insertions += 1
                    inner = _revision(INSERT, element)
                self._inline(element, line, boxes, inner)

    def _paragraph_block(self, text, ppr, line, element):
        name, level, bidi = self.styles.describe(_value(ppr, "pStyle"))
        own_level, own_bidi = _outline_level(ppr), toggle(ppr, "bidi")
        level = level if own_level is None else own_level
        bidi = bidi if own_bidi is None else own_bidi
        direction = direction_of(text, bidi)
        block = Block(
            kind="paragraph",
            text=text,
            style=name,
            level=level,
            direction=direction,
            comments=line.comment_ids(),
            changes=line.changes(text),
        )
        return self._origin(block, element)

    def table(self, tbl):
        """Rows of cell texts; a merged cell's continuation is an empty string."""
        rows, comments, changes = [], [], []
        for tr in children_of(tbl, TR):
            trpr = tr.find(TRPR)
            if trpr is not None:
                self.insertions += trpr.find(INS) is not None
                if trpr.find(DEL) is not None:
                    self.deletions += 1
                    continue  # accepting a deleted row removes it
            cells, cell_changes = [], []
            for tc in children_of(tr, TC):
                tcpr = tc.find(TCPR)
                merge = tcpr.find(W + "vMerge") if tcpr is not None else None
                if merge is not None and merge.get(VAL, "continue") != "restart":
                    cells.append("")
                    cell_changes.append([])
                else:
                    blocks = self.blocks(tc)
                    cells.append(plain_text(blocks))
                    cell_changes.append(_cell_changes(blocks, cells[-1]))
                comments += (c.get(W + "id", "") for c in tc.iter(*COMMENT_ANCHORS))
            rows.append(cells)
            changes.append(cell_changes)
        block = Block(
            kind="table",
            rows=rows,
            comments=list(dict.fromkeys(comments)),
            changes=changes if any(any(row) for row in changes) else [],
        )
        return self._origin(block, tbl)

    def _origin(self, block, element):
        if self.origins is not None:
            self.origins[id(block)] = element
        return block

    def _note_section(self, section):
        for reference in section:
            if reference.tag in (W + "headerReference", W + "footerReference"):
                self.section_references.append(reference.get(R_ID))


def _cell_changes(blocks, text):
    """A cell's tracked-change segments (its paragraphs' on lines), [] if it has none."""
    if not any(block.changes for block in blocks):
        return []
    segments = []
    for block in blocks:
        if segments:
            segments.append([UNCHANGED, "\n", "", ""])
        segments += block.changes or [[UNCHANGED, plain_text([block]), "", ""]]
    accepted = "".join(piece for op, piece, _, _ in segments if op != DELETE)
    return segments if accepted == text else []


def _revision(op, element):
    """(op, author, date) of a tracked change."""
    return op, element.get(W + "author", ""), element.get(W + "date", "")


def _deleted_text(element):
    """The text a deletion removed, as it read before."""
    pieces = []
    for node in element.iter(DEL_TEXT, *CHARACTERS):
        pieces.append(node.text or "" if node.tag == DEL_TEXT else CHARACTERS[node.tag])
    return "".join(pieces)


def _block_elements(container):
    """Paragraphs, tables and section properties, looking through content controls."""
    for element in container:
        tag = element.tag
        if tag in (P, TBL, SECT_PR):
            yield element
        elif tag in BLOCK_WRAPPERS:
            yield from _block_elements(element)


def children_of(parent, tag):
    """Rows of a table or cells of a row, looking through content controls."""
    for element in parent:
        if element.tag == tag:
            yield element
        elif element.tag in BLOCK_WRAPPERS:
            yield from children_of(element, tag)
