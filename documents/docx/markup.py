"""A reviewer's marked-up copy read against the version they reviewed.

Two pure functions over bytes and extractions:

- ``anchored_texts``: the text each Word comment is anchored to (between
  its ``w:commentRangeStart`` and ``w:commentRangeEnd``), as a reader sees
  it with the tracked changes accepted;
- ``anchor_comments``: each comment of the copy with the paragraph of the
  reviewed version it belongs to, found through the comparison's alignment
  (``compare.compare``): the copy's paragraph is paired with the reviewed
  one it was changed from, or follows the one before it when the reviewer
  added it.

A paragraph is named by the number its text starts with ("4.2 Returns"
is §4.2), else by the number of the heading it falls under, and always by
its place among the reviewed version's blocks (paragraph 12).
"""

import re
import zipfile

from lxml import etree

from documents.docx import compare as engine
from documents.docx.extract import W

_RANGE_START, _RANGE_END, _TEXT = W + "commentRangeStart", W + "commentRangeEnd", W + "t"
_DELETED = W + "del"
# "4.2", "4.2.", "4.2)" or "§4.2" opening a paragraph, followed by a space.
_SECTION = re.compile(r"^\s*§?\s*(\d{1,3}(?:\.\d{1,3})*)[.)]?\s")
ANCHOR_MAX_LENGTH = 500


def anchored_texts(fileobj):
    """``{comment id: the text its range covers}`` of an already validated .docx."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            if "word/document.xml" not in archive.namelist():
                return {}
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            root = etree.fromstring(archive.read("word/document.xml"), parser)
    finally:
        fileobj.seek(0)
    open_ranges, texts = [], {}
    for element in root.iter(_RANGE_START, _RANGE_END, _TEXT):
        if element.tag == _RANGE_START:
            comment_id = element.get(W + "id", "")
            open_ranges.append(comment_id)
            texts.setdefault(comment_id, [])
        elif element.tag == _RANGE_END:
            comment_id = element.get(W + "id", "")
            if comment_id in open_ranges:
                open_ranges.remove(comment_id)
        elif open_ranges and not _inside_deletion(element):
            for comment_id in open_ranges:
                texts[comment_id].append(element.text or "")
    return {
        comment_id: " ".join("".join(parts).split())[:ANCHOR_MAX_LENGTH]
        for comment_id, parts in texts.items()
    }


def _inside_deletion(element):
    return any(ancestor.tag == _DELETED for ancestor in element.iterancestors())


def anchor_comments(reviewed, copy, anchored=None):
    """The copy's comments, each placed in ``reviewed`` (two ``Extraction``s).

    Returns ``[{"id", "author", "date", "text", "anchored_text",
    "paragraph", "section"}]`` in the copy's order: ``paragraph`` is the
    1-based block of the reviewed version (None when the copy has no body
    to place it in), ``section`` its number ("4.2") or "".
    """
    anchored = anchored or {}
    reviewed_block_of_line = _block_of_each_line(reviewed)
    copy_block_of_line = _block_of_each_line(copy)
    first_line_of_block = {}
    for line, block in enumerate(copy_block_of_line):
        first_line_of_block.setdefault(block, line)
    to_reviewed = _aligned_lines(engine.compare(reviewed.lines(), copy.lines()))
    if not reviewed_block_of_line:
        to_reviewed = {}
    sections = _sections(reviewed)

    placed = {}
    for index, block in enumerate(copy.body):
        for comment_id in block.comments:
            if comment_id in placed:
                continue
            line = to_reviewed.get(first_line_of_block.get(index))
            placed[comment_id] = None if line is None else reviewed_block_of_line[line]
    result = []
    for comment in copy.comments:
        block = placed.get(comment.id)
        result.append(
            {
                "id": comment.id,
                "author": comment.author,
                "date": comment.date,
                "text": comment.text,
                "anchored_text": anchored.get(comment.id, ""),
                "paragraph": None if block is None else block + 1,
                "section": "" if block is None else sections[block],
            }
        )
    return result


def _block_of_each_line(extraction):
    return [index for index, block in enumerate(extraction.body) for _ in block.lines()]


def _aligned_lines(comparison):
    """{line of the copy: line of the reviewed version it stands for}.

    An equal or changed line stands for its partner; a line the reviewer
    added, for the reviewed line before it (or the first, at the start).
    """
    mapping, older, newer = {}, 0, 0
    for block in comparison.blocks:
        if block.kind in (engine.EQUAL, engine.CHANGED):
            mapping[newer] = older
            older, newer = older + 1, newer + 1
        elif block.kind == engine.REMOVED:
            older += 1
        else:
            mapping[newer] = max(older - 1, 0)
            newer += 1
    return mapping


def _sections(extraction):
    """Each block's section number: its own, else that of the heading it falls under."""
    sections, current = [], ""
    for block in extraction.body:
        match = _SECTION.match(block.text) if block.kind == "paragraph" else None
        own = match.group(1) if match else ""
        if own and block.level:
            current = own
        sections.append(own or current)
    return sections
