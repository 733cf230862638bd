"""The redline: the newer version itself, with the changes from the older one tracked.

The report is a copy of the newer .docx — its styles, headings, tables,
headers and footers, numbering — in which what the older version had and
the newer one has not is a tracked deletion (``w:del``, its text in
``w:delText``), and what is new a tracked insertion (``w:ins``), each
with the newer version's uploader as author and its upload time as date.
Opened in Word, every change can be accepted or rejected: accepting all
gives the newer version's text, rejecting all the older one's. A summary
of the changes (the counts of the comparison page) comes first, in a
content control titled so a drafter can remove it (tag ``SUMMARY_TAG``).
Every section is A4.

How it is made, in one pass over the newer version's ``document.xml``:

1. The tracked changes still in the newer file are accepted, as the
   extraction reads it (its stored text is the accepted text).
2. The body is read with the extraction's reader, which notes the element
   each paragraph and table came from, and its lines are compared with the
   older version's stored lines.
3. Equal lines stay untouched. An added paragraph or table row is marked
   inserted; a removed one is written back, deleted, where it stood. A
   changed paragraph is marked word by word inside its own runs, so its
   formatting stays; a changed table row is written as the old row
   deleted and the new one inserted.

The work is bounded whatever the comparison holds: past ``MAX_SEGMENTS``
marked pieces or ``WORD_BY_WORD_SECONDS`` of writing, a changed paragraph
is marked whole (old deleted, new inserted); past ``MAX_CHARACTERS`` of
changed text, no report is written at all (``RedlineTooLarge``) and the
comparison page remains.
"""

import copy
import io
import time
import zipfile
from bisect import bisect_right
from datetime import UTC, datetime
from html import escape
from itertools import pairwise

from django.utils.translation import gettext
from lxml import etree

from documents.docx.compare import ADDED, CHANGED, DELETE, EQUAL, INSERT, REMOVED, compare
from documents.docx.extract import (
    BLOCK_WRAPPERS,
    CHARACTERS,
    DEL,
    INS,
    MOVE_FROM,
    MOVE_TO,
    PPR,
    RPR,
    SECT_PR,
    TBL,
    TR,
    TRPR,
    TXBX,
    P,
    Package,
    StoryReader,
    Styles,
    W,
    children_of,
    toggle,
)
from documents.docx.records import AFTER_BIDI, NOT_XML, W_NS, format_moment, is_right_to_left
from documents.docx.structure import RTL

T = W + "t"
R = W + "r"
TC = W + "tc"
# Marked pieces (runs) the changes may take word by word. Real revisions of
# a 200-page policy use a few thousand.
MAX_SEGMENTS = 200_000
# Time the changes may spend being marked word by word (real revisions take
# a small part of it).
WORD_BY_WORD_SECONDS = 0.5
# Text the changes may hold: about 7 times a 200-page policy rewritten from
# end to end, and a few seconds of writing.
MAX_CHARACTERS = 8_000_000
# The tag of the content control holding the summary at the start.
SUMMARY_TAG = "policyflow-redline-summary"
# A4 in twentieths of a point.
A4_WIDTH, A4_HEIGHT = "11906", "16838"

# Formatting changes: accepting them keeps the formatting as it is now.
_FORMAT_CHANGES = {
    W + tag
    for tag in (
        "pPrChange",
        "rPrChange",
        "sectPrChange",
        "tblPrChange",
        "tblPrExChange",
        "trPrChange",
        "tcPrChange",
        "tblGridChange",
        "numberingChange",
        "cellIns",
        "cellDel",
        "cellMerge",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
    )
}
# The w:sectPr children that come before w:pgSz in the schema.
_BEFORE_PAGE_SIZE = {
    W + tag for tag in ("headerReference", "footerReference", "footnotePr", "endnotePr", "type")
}
# The w:pPr children that come after w:bidi, and after w:rPr (the paragraph
# mark's properties), in the schema: Word refuses elements out of order.
_AFTER_BIDI = {W + tag.removeprefix("w:") for tag in AFTER_BIDI}
_AFTER_MARK = {SECT_PR, W + "pPrChange"}


class RedlineTooLarge(ValueError):
    """The changes hold more text than a report is written for."""


def redline_docx(
    older,
    newer_docx: bytes,
    *,
    title: str,
    older_label: str,
    newer_label: str,
    author: str,
    date: datetime,
    when: datetime | None = None,
) -> bytes:
    """The newer version's .docx with the changes from ``older`` (its
    ``Extraction``) tracked, by ``author`` at ``date``; ``when`` (default:
    now) dates the summary, and the same arguments give the same bytes."""
    when = when or datetime.now(UTC)
    with zipfile.ZipFile(io.BytesIO(newer_docx)) as archive:
        package = Package(archive)
        main = package.related(package.relationships(""), "officeDocument") or "word/document.xml"
        rels = package.relationships(main)
        root = package.xml(main)
        body = root.find(W + "body")
        styles = Styles(package.xml(package.related(rels, "styles")))

        _accept_all(body)
        newer_lines, anchors = _lines_and_anchors(body, styles)
        older_items = _older_items(older)
        comparison = compare([line for line, _ in older_items], newer_lines)
        style_ids = {style["name"]: style_id for style_id, style in styles.styles.items()}
        revisions = _Revisions(author, date, _next_id(root), style_ids)
        revisions.apply(body, comparison, older_items, anchors)
        _add_summary(body, comparison.summary, title, older_label, newer_label, author, date, when)
        for section in root.iter(SECT_PR):
            _make_a4(section)
        document_xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return _replaced(archive, main, document_xml)


def _replaced(archive, name, content):
    """The package with one part's content replaced; entries keep their dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            data = content if info.filename == name else archive.read(info)
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    return out.getvalue()


# -- Reading the newer version ------------------------------------------------------------


def _accept_all(body):
    """Accept the tracked changes of the body in place, as the extraction reads them."""
    for element in list(body.iter(DEL, MOVE_FROM, INS, MOVE_TO, *_FORMAT_CHANGES)):
        parent = element.getparent()
        if parent is None:
            continue
        tag = element.tag
        if tag in _FORMAT_CHANGES:
            parent.remove(element)
        elif parent.tag == TRPR:
            if tag == DEL:  # a deleted row goes with its deletion
                row = parent.getparent()
                row.getparent().remove(row)
            else:
                parent.remove(element)
        elif parent.tag == RPR:
            parent.remove(element)
            paragraph = _mark_owner(parent)
            if tag in (DEL, MOVE_FROM) and paragraph is not None:
                _join_with_next(paragraph)
        elif tag in (DEL, MOVE_FROM):
            parent.remove(element)
        else:
            _unwrap(element)


def _mark_owner(rpr):
    """The paragraph whose mark ``rpr`` formats, or None (a run's own properties)."""
    ppr = rpr.getparent()
    if ppr is not None and ppr.tag == PPR:
        return ppr.getparent()
    return None


def _join_with_next(paragraph):
    """A deleted paragraph mark accepted: its content starts the next paragraph."""
    following = paragraph.getnext()
    while following is not None and following.tag != P and following.tag in BLOCK_WRAPPERS:
        following = next(iter(following.iter(P)), None)
    if following is None or following.tag != P:
        return
    ppr = following.find(PPR)
    at = 0 if ppr is None else following.index(ppr) + 1
    for child in [c for c in paragraph if c.tag != PPR]:
        following.insert(at, child)
        at += 1
    paragraph.getparent().remove(paragraph)


def _unwrap(element):
    parent = element.getparent()
    at = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(at + offset, child)
    parent.remove(element)


def _lines_and_anchors(body, styles):
    """The newer version's lines, and for each the paragraph or row it came from."""
    origins = {}
    blocks = StoryReader(styles, origins).blocks(body)
    lines, anchors = [], []
    for block in blocks:
        element = origins.get(id(block))
        if block.kind == "table":
            rows = list(children_of(element, TR)) if element is not None else []
            lines += block.lines()
            anchors += rows if len(rows) == len(block.rows) else [None] * len(block.rows)
        else:
            lines.append(block.text)
            anchors.append(element)
    return lines, anchors


def _older_items(older):
    """(line, what to write back if it was removed) for each of the older version's lines."""
    items = []
    for number, block in enumerate(older.body):
        if block.kind == "table":
            items += (
                (line, ("row", number, row))
                for line, row in zip(block.lines(), block.rows, strict=True)
            )
        else:
            removed = ("paragraph", block.direction == RTL, block.text, block.style)
            items.append((block.text, removed))
    return items


def _next_id(root):
    """A revision id above every w:id already in the document."""
    numbers = (value for value in root.xpath("//@w:id", namespaces={"w": W_NS}))
    return max((int(v) for v in numbers if v.isascii() and v.isdigit()), default=0) + 1


def _make_a4(section):
    size = section.find(W + "pgSz")
    if size is None:
        size = etree.Element(W + "pgSz")
        at = sum(1 for child in section if child.tag in _BEFORE_PAGE_SIZE)
        section.insert(at, size)
    landscape = size.get(W + "orient") == "landscape"
    size.set(W + "w", A4_HEIGHT if landscape else A4_WIDTH)
    size.set(W + "h", A4_WIDTH if landscape else A4_HEIGHT)


# -- Writing the changes ----------------------------------------------------------------


class _Revisions:
    """Writes tracked changes by one author at one time, each with its own id."""

    def __init__(self, author, date, first_id, style_ids):
        self.author = NOT_XML.sub("", author)
        self.date = date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = first_id
        self.style_ids = style_ids  # the newer version's paragraph styles, by name
        self.budget = MAX_SEGMENTS
        self.characters = 0

    def mark(self, tag):
        """A w:ins or w:del element with this revision's author and date."""
        element = etree.Element(tag)
        element.set(W + "id", str(self.next_id))
        element.set(W + "author", self.author)
        element.set(W + "date", self.date)
        self.next_id += 1
        return element

    def apply(self, body, comparison, older_items, anchors):
        deadline = time.monotonic() + WORD_BY_WORD_SECONDS
        removed = []  # older lines waiting for the next newer line to stand before
        i = j = 0
        for block in comparison.blocks:
            if block.kind == REMOVED:
                self._count(block.text)
                removed.append(older_items[i][1])
                i += 1
                continue
            anchor = anchors[j]
            if removed:
                self._write_removed(body, removed, anchor)
                removed = []
            if anchor is None or block.kind == EQUAL:
                pass
            elif block.kind == ADDED:
                self._count(block.text)
                self._mark_inserted(anchor)
            elif block.kind == CHANGED:
                self._count(block.older_text + block.newer_text)
                self._mark_changed(anchor, block, older_items[i][1], deadline)
            i += block.kind != ADDED
            j += 1
        if removed:
            self._write_removed(body, removed, None)

    def _count(self, text):
        self.characters += len(text)
        if self.characters > MAX_CHARACTERS:
            raise RedlineTooLarge(self.characters)

    # Whole paragraphs and rows

    def _mark_inserted(self, anchor):
        _wrap_runs(anchor, lambda: self.mark(INS))
        if anchor.tag == TR:
            _properties(anchor, TRPR).append(self.mark(INS))
        else:
            _mark_rpr(anchor).insert(0, self.mark(INS))

    def _mark_changed(self, anchor, block, older, deadline):
        if anchor.tag == TR:
            kind, *rest = older
            cells = rest[1] if kind == "row" else [block.older_text]
            anchor.addprevious(self._deleted_row(cells))
            self._mark_inserted(anchor)
            return
        segments = block.segments
        if len(segments) > self.budget or time.monotonic() > deadline:
            self.budget = 0  # from here on, every changed paragraph is marked whole
        if not self.budget or not self._mark_words(anchor, segments):
            anchor.addprevious(self._deleted_paragraph(block.older_text, anchor.find(PPR)))
            _wrap_runs(anchor, lambda: self.mark(INS))
        self.budget = max(0, self.budget - len(segments))

    def _write_removed(self, body, removed, anchor):
        """Removed older lines, deleted, before ``anchor`` (or at the end of the body)."""
        elements, rows, table = [], [], None
        for kind, *rest in removed:
            if kind == "row":
                if rows and rest[0] != table:
                    elements.append(rows)
                    rows = []
                table = rest[0]
                rows.append(self._deleted_row(rest[1]))
            else:
                if rows:
                    elements.append(rows)
                    rows = []
                right_to_left, text, style = rest
                elements.append(self._deleted_paragraph(text, None, right_to_left, style))
        if rows:
            elements.append(rows)
        for element in elements:
            if isinstance(element, list):  # rows of a removed table
                if anchor is not None and anchor.tag == TR:
                    for row in element:
                        anchor.addprevious(row)
                    continue
                element = _table(element)
            _place(body, element, anchor)

    def _deleted_paragraph(self, text, ppr, right_to_left=None, style=None):
        """A paragraph that was, deleted with its mark (accepting joins it to the next).

        It takes the properties ``ppr`` of the paragraph it stood for, or
        else its old style when the newer version has a style of that name.
        """
        right_to_left = is_right_to_left(text) if right_to_left is None else right_to_left
        paragraph = etree.Element(P)
        properties = etree.SubElement(paragraph, PPR)
        if ppr is not None:
            for child in ppr:
                if child.tag not in (RPR, *_AFTER_MARK):
                    properties.append(copy.deepcopy(child))
        elif style in self.style_ids:
            etree.SubElement(properties, W + "pStyle").set(W + "val", self.style_ids[style])
        if right_to_left and properties.find(W + "bidi") is None:
            bidi = etree.Element(W + "bidi")
            after = next((child for child in properties if child.tag in _AFTER_BIDI), None)
            if after is not None:
                after.addprevious(bidi)
            else:
                properties.append(bidi)
        etree.SubElement(properties, RPR).append(self.mark(DEL))
        if text:
            deletion = self.mark(DEL)
            deletion.append(_deleted_run(text, _rtl_properties() if right_to_left else None))
            paragraph.append(deletion)
        return paragraph

    def _deleted_row(self, cells):
        row = etree.Element(TR)
        etree.SubElement(row, TRPR).append(self.mark(DEL))
        for text in cells or [""]:
            cell = etree.SubElement(row, TC)
            for line in text.split("\n"):
                paragraph = etree.SubElement(cell, P)
                if line:
                    deletion = self.mark(DEL)
                    rtl = _rtl_properties() if is_right_to_left(line) else None
                    deletion.append(_deleted_run(line, rtl))
                    paragraph.append(deletion)
        return row

    # Word by word

    def _mark_words(self, paragraph, segments):
        """Mark a changed paragraph's segments inside its own runs; False if its
        runs do not hold its text as read (math, text boxes, trimmed breaks)."""
        runs = [run for run in _runs(paragraph) if not toggle(run.find(RPR), "vanish")]
        if any(run.find(f".//{TXBX}") is not None for run in runs):
            return False
        text = "".join(_run_text(run) for run in runs)
        spans, deletions, position = [], [], 0
        for op, piece in segments:
            if op == DELETE:
                deletions.append((position, piece))
            else:
                spans.append((position, op))
                position += len(piece)
        if text != "".join(piece for op, piece in segments if op != DELETE):
            return False
        starts = [start for start, _ in spans]

        def op_at(offset):
            return spans[bisect_right(starts, offset) - 1][1] if spans else INSERT

        cuts = sorted({start for start, _ in spans} | {at for at, _ in deletions})
        pending = list(reversed(deletions))  # next deletion last
        offset = 0
        last = None
        for run in runs:
            pieces = []  # (offset, element) of the run's content, split at the cuts
            for child in run:
                if child.tag == RPR:
                    continue
                length = len(child.text or "") if child.tag == T else child.tag in CHARACTERS
                if child.tag == T and length:
                    for start, end in _split(offset, offset + length, cuts):
                        piece = etree.Element(T)
                        piece.text = child.text[start - offset : end - offset]
                        piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                        pieces.append((start, end, piece))
                else:
                    pieces.append((offset, offset + length, child))
                offset += length
            replacement = self._rewritten(run, pieces, pending, op_at)
            parent = run.getparent()
            at = parent.index(run)
            parent.remove(run)
            for number, element in enumerate(replacement):
                parent.insert(at + number, element)
            last = replacement[-1] if replacement else last
        if pending:
            rpr = runs[-1].find(RPR) if runs else None
            tail = [self._deletion(text, rpr) for _, text in reversed(pending)]
            if last is not None:
                for element in reversed(tail):
                    last.addnext(element)
            else:
                paragraph.extend(tail)
        return True

    def _rewritten(self, run, pieces, pending, op_at):
        """The run split into plain and inserted runs, deletions placed between."""
        rpr = run.find(RPR)
        out, group, group_op = [], [], None

        def close():
            if group:
                new_run = etree.Element(R)
                if rpr is not None:
                    new_run.append(copy.deepcopy(rpr))
                new_run.extend(group)
                if group_op == INSERT:
                    insertion = self.mark(INS)
                    insertion.append(new_run)
                    out.append(insertion)
                else:
                    out.append(new_run)

        for start, end, element in pieces:
            if end > start:
                while pending and pending[-1][0] <= start:
                    close()
                    group, group_op = [], None
                    out.append(self._deletion(pending.pop()[1], rpr))
                op = op_at(start)
            else:
                op = group_op if group_op is not None else op_at(start)
            if op != group_op and group:
                close()
                group = []
            group_op = op
            group.append(element)
        close()
        return out

    def _deletion(self, text, rpr):
        deletion = self.mark(DEL)
        deletion.append(_deleted_run(text, rpr))
        return deletion


def _split(start, end, cuts):
    """[start, end) cut at the positions in ``cuts`` that fall inside it."""
    bounds = [start, *(cut for cut in cuts[bisect_right(cuts, start) :] if cut < end), end]
    return pairwise(bounds)


def _runs(container):
    """The runs of a paragraph or row, in order, not those of text boxes inside them."""
    for child in container:
        if child.tag == R:
            yield child
        elif child.tag not in (PPR, TRPR, W + "tcPr", DEL, MOVE_FROM):
            yield from _runs(child)


def _run_text(run):
    return "".join(
        (child.text or "") if child.tag == T else CHARACTERS.get(child.tag, "") for child in run
    )


def _wrap_runs(container, make):
    """Put each stretch of neighbouring runs in ``container`` inside an element from ``make``."""
    runs = list(_runs(container))
    stretch = []
    for run in [*runs, None]:
        if stretch and (run is None or run.getprevious() is not stretch[-1]):
            wrapper = make()
            stretch[0].addprevious(wrapper)
            wrapper.extend(stretch)
            stretch = []
        if run is not None:
            stretch.append(run)


def _deleted_run(text, rpr):
    run = etree.Element(R)
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    for piece in _pieces(NOT_XML.sub("", text)):
        if piece in ("\t", "\n"):
            run.append(etree.Element(W + ("tab" if piece == "\t" else "br")))
        else:
            deleted = etree.SubElement(run, W + "delText")
            deleted.text = piece
            deleted.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _pieces(text):
    piece = []
    for character in text:
        if character in "\t\n":
            if piece:
                yield "".join(piece)
                piece = []
            yield character
        else:
            piece.append(character)
    if piece:
        yield "".join(piece)


def _rtl_properties():
    rpr = etree.Element(RPR)
    etree.SubElement(rpr, W + "rtl")
    return rpr


def _properties(element, tag):
    """The properties child of a paragraph or row, made first if missing."""
    found = element.find(tag)
    if found is None:
        found = etree.Element(tag)
        if element.tag == TR and len(element) and element[0].tag == W + "tblPrEx":
            element[0].addnext(found)
        else:
            element.insert(0, found)
    return found


def _mark_rpr(paragraph):
    """The paragraph mark's run properties, made in their place if missing."""
    ppr = _properties(paragraph, PPR)
    rpr = ppr.find(RPR)
    if rpr is None:
        rpr = etree.Element(RPR)
        after = next((child for child in ppr if child.tag in _AFTER_MARK), None)
        if after is not None:
            after.addprevious(rpr)
        else:
            ppr.append(rpr)
    return rpr


def _table(rows):
    """A plain table of (deleted) rows."""
    table = etree.Element(TBL)
    properties = etree.SubElement(table, W + "tblPr")
    width = etree.SubElement(properties, W + "tblW")
    width.set(W + "w", "0")
    width.set(W + "type", "auto")
    borders = etree.SubElement(properties, W + "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = etree.SubElement(borders, W + side)
        border.set(W + "val", "single")
        border.set(W + "sz", "4")
    grid = etree.SubElement(table, W + "tblGrid")
    for _ in range(max(len(row.findall(TC)) for row in rows)):
        etree.SubElement(grid, W + "gridCol")
    table.extend(rows)
    return table


def _place(body, element, anchor):
    """Put a written-back block before ``anchor``'s block, or last in the body."""
    if anchor is None:
        last = body[-1] if len(body) else None
        if last is not None and last.tag == SECT_PR:
            last.addprevious(element)
        else:
            body.append(element)
    elif anchor.tag == TR:
        table = anchor.getparent()
        while table is not None and table.tag != TBL:
            table = table.getparent()
        (table if table is not None else anchor).addprevious(element)
    else:
        anchor.addprevious(element)


# -- The summary ----------------------------------------------------------------------


def _add_summary(body, summary, title, older_label, newer_label, author, date, when):
    """What changed, in counts, in a content control before the document."""
    rows = [
        (gettext("Paragraphs changed"), summary.paragraphs_changed),
        (gettext("Paragraphs added"), summary.paragraphs_added),
        (gettext("Paragraphs removed"), summary.paragraphs_removed),
        (gettext("Words added"), summary.words_added),
        (gettext("Words removed"), summary.words_removed),
    ]
    if summary.has_changes:
        how = gettext(
            "The document below is %(newer)s, with the changes from %(older)s tracked as "
            "revisions by %(author)s on %(date)s: accept or reject them in Word (Review)."
        ) % {
            "newer": newer_label,
            "older": older_label,
            "author": author,
            "date": format_moment(date),
        }
    else:
        how = gettext("No differences between the two versions.")
    xml = [
        _summary_paragraph(title, bold=True, size=32),
        _summary_paragraph(
            gettext("Changes from %(older)s to %(newer)s")
            % {"older": older_label, "newer": newer_label},
            size=26,
        ),
        _summary_table([(gettext("Change"), gettext("Count")), *rows]),
        _summary_paragraph(how),
        _summary_paragraph(
            gettext(
                "This summary is not part of the document: remove it before using the document."
            ),
            italic=True,
        ),
        _summary_paragraph(
            gettext("Generated by policyflow on %(date)s") % {"date": format_moment(when)},
            italic=True,
        ),
        '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
    ]
    alias = escape(gettext("Summary of changes"))
    control = etree.fromstring(
        f'<w:sdt xmlns:w="{W_NS}"><w:sdtPr><w:alias w:val="{alias}"/>'
        f'<w:tag w:val="{SUMMARY_TAG}"/></w:sdtPr><w:sdtContent>{"".join(xml)}'
        "</w:sdtContent></w:sdt>"
    )
    body.insert(0, control)


def _summary_paragraph(text, *, bold=False, italic=False, size=None):
    text = NOT_XML.sub("", str(text))
    properties = (
        ("<w:b/>" if bold else "")
        + ("<w:i/>" if italic else "")
        + (f'<w:sz w:val="{size}"/>' if size else "")
        + ("<w:rtl/>" if is_right_to_left(text) else "")
    )
    ppr = "<w:pPr><w:bidi/></w:pPr>" if is_right_to_left(text) else ""
    rpr = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _summary_table(rows):
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    xml = [
        f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}'
        '</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="4500"/><w:gridCol w:w="1500"/>'
        "</w:tblGrid>"
    ]
    for number, row in enumerate(rows):
        cells = "".join(
            f"<w:tc>{_summary_paragraph(value, bold=number == 0)}</w:tc>" for value in row
        )
        xml.append(f"<w:tr>{cells}</w:tr>")
    xml.append("</w:tbl>")
    return "".join(xml)
