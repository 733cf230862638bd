"""Compare two versions of a document, paragraph by paragraph and word by word.

Lines (``Extraction.lines()``: one per paragraph, one per table row) are
aligned first; a line replaced by a similar one is *changed* and gets
word-level changes, anything else is *added* or *removed*. "3 paragraphs
changed" is what a reader wants to know, so pairing replaced lines matters
as much as aligning them. Every step is bounded, so that two unrelated
3,000-paragraph documents cost about as much as two similar ones.
"""

import re
import string
from collections import Counter
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

EQUAL = "equal"
ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

# Word-segment operations inside a changed line.
KEEP = "equal"
INSERT = "insert"
DELETE = "delete"

# A replaced line is "changed" rather than removed-and-added when at least
# half of its words survive (difflib ratio on words).
PAIRING_THRESHOLD = 0.5
# The pairing looks PAIRING_WINDOW lines ahead on each side, and up to
# PAIRING_CELLS pairs when one side has few lines left.
PAIRING_WINDOW = 8
PAIRING_CELLS = 64
# Words that full similarity checks may look at in one comparison (about
# 0.1 s; real revisions use a small part of it). Past it, what is unpaired
# is removed and added: correct, only less precise.
PAIRING_BUDGET = 300_000
# Lines longer than this are judged alike by their shared words alone: a
# full check of two such lines costs more than it tells.
FULL_CHECK_WORDS = 600
# Words that word diffs may look at in one comparison. Past it, a changed
# line shows as the old line deleted and the new one inserted.
DIFF_BUDGET = 200_000
# Past this many differing words in one line, the middle of the line is one
# deletion and one insertion (a word diff's cost grows with the square).
MAX_DIFFED_WORDS = 5_000
# A line repeated more often never anchors the alignment (see _anchorless).
POPULAR_LINE = 50

# Punctuation that does not count when judging whether two lines are alike:
# ASCII, typographic quotes and dashes, and the Arabic-script comma,
# semicolon, question mark and Urdu full stop.
_PUNCTUATION = string.punctuation + "\u2018\u2019\u201c\u201d«»\u2013\u2014…·•§¶،؛؟\u06d4"
# A whitespace-separated chunk without a letter or digit: not a word.
_NOT_A_WORD = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")
# Tokens of a word diff: whitespace runs; words, which start and end with a
# letter or digit ("1,000", "don't", "e.g" stay whole); and the punctuation
# around them, so that "emigrants." -> "emigrants and families." is three
# words inserted rather than one word swapped for four.
_TOKENS = re.compile(r"\s+|\w(?:\S*\w)?|[^\w\s]+")
# The same tokens past the leading whitespace, each with the whitespace after it.
_LEAD = re.compile(r"\s*")
_TOKENS_AND_GAPS = re.compile(r"(\w(?:\S*\w)?|[^\w\s]+)(\s*)")


@dataclass(frozen=True)
class Summary:
    paragraphs_added: int = 0
    paragraphs_removed: int = 0
    paragraphs_changed: int = 0
    words_added: int = 0
    words_removed: int = 0

    @property
    def has_changes(self):
        return bool(self.paragraphs_added or self.paragraphs_removed or self.paragraphs_changed)


@dataclass(frozen=True)
class ComparedBlock:
    """One aligned line: ``text`` for equal / added / removed, ``segments``
    (``(op, text)`` pairs, op in ``equal``, ``insert``, ``delete``) for changed."""

    kind: str
    text: str = ""
    segments: tuple = ()

    @property
    def older_text(self):
        if self.kind == CHANGED:
            return "".join(text for op, text in self.segments if op != INSERT)
        return "" if self.kind == ADDED else self.text

    @property
    def newer_text(self):
        if self.kind == CHANGED:
            return "".join(text for op, text in self.segments if op != DELETE)
        return "" if self.kind == REMOVED else self.text

    def as_dict(self):
        if self.kind == CHANGED:
            return {"kind": self.kind, "segments": [list(segment) for segment in self.segments]}
        return {"kind": self.kind, "text": self.text}

    @classmethod
    def from_dict(cls, data):
        segments = tuple((op, text) for op, text in data.get("segments", ()))
        return cls(kind=data["kind"], text=data.get("text", ""), segments=segments)


@dataclass(frozen=True)
class Comparison:
    blocks: tuple = ()  # ComparedBlocks, in the newer version's order
    summary: Summary = field(default_factory=Summary)

    def as_dict(self):
        return {"summary": asdict(self.summary), "blocks": [b.as_dict() for b in self.blocks]}

    @classmethod
    def from_dict(cls, data):
        return cls(
            blocks=tuple(ComparedBlock.from_dict(block) for block in data["blocks"]),
            summary=Summary(**data["summary"]),
        )


def compare(older_lines: list[str], newer_lines: list[str]) -> Comparison:
    """Align two versions and describe what changed between them.

    Each side is a list of lines or an ``Extraction`` (its ``lines()``).
    """
    older_lines, newer_lines = _lines_of(older_lines), _lines_of(newer_lines)
    matcher = SequenceMatcher(_anchorless(newer_lines), older_lines, newer_lines, autojunk=False)
    pairing = _Pairing()
    blocks = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks.extend(ComparedBlock(EQUAL, line) for line in newer_lines[j1:j2])
        elif tag == "delete":
            blocks.extend(ComparedBlock(REMOVED, line) for line in older_lines[i1:i2])
        elif tag == "insert":
            blocks.extend(ComparedBlock(ADDED, line) for line in newer_lines[j1:j2])
        else:
            blocks.extend(pairing.replace(older_lines[i1:i2], newer_lines[j1:j2]))
    return Comparison(blocks=tuple(blocks), summary=_summarise(blocks))


def _lines_of(version):
    return version.lines() if hasattr(version, "lines") else list(version)


def _anchorless(newer_lines):
    """Lines difflib must not anchor the alignment on (it still matches them
    next to real text): blank paragraphs and empty table rows, which occur
    by the hundred and say nothing about where text moved, and any line
    repeated more than POPULAR_LINE times, on which difflib's matching
    grows with the square of the repetitions."""
    junk = {
        line
        for line, count in Counter(newer_lines).items()
        if count > POPULAR_LINE or not any(ch.isalnum() for ch in line)
    }
    return junk.__contains__


class _Pairing:
    """Pairs the lines of replaced regions, in order, nearest first."""

    def __init__(self):
        # Shared by all regions of one comparison, so no input can make it slow.
        self.budget = PAIRING_BUDGET
        self.diff_budget = DIFF_BUDGET

    def replace(self, older, newer):
        similarity = _Similarity(older, newer, self)
        blocks = []
        i = j = 0
        while i < len(older) and j < len(newer) and self.budget > 0:
            partner = self._nearest_partner(i, j, len(older), len(newer), similarity)
            if partner is None:
                blocks.append(ComparedBlock(REMOVED, older[i]))
                i += 1
                continue
            pi, pj = partner
            blocks.extend(ComparedBlock(REMOVED, line) for line in older[i:pi])
            blocks.extend(ComparedBlock(ADDED, line) for line in newer[j:pj])
            if older[pi] == newer[pj]:
                blocks.append(ComparedBlock(EQUAL, newer[pj]))
            elif self.diff_budget > 0:
                self.diff_budget -= len(older[pi].split()) + len(newer[pj].split())
                blocks.append(_changed(older[pi], newer[pj]))
            else:
                blocks.append(ComparedBlock(CHANGED, segments=_whole_line(older[pi], newer[pj])))
            i, j = pi + 1, pj + 1
        blocks.extend(ComparedBlock(REMOVED, line) for line in older[i:])
        blocks.extend(ComparedBlock(ADDED, line) for line in newer[j:])
        return blocks

    @staticmethod
    def _nearest_partner(i, j, older_count, newer_count, similarity):
        """The similar pair nearest (i, j) in the window: fewest lines
        skipped, then the most similar."""
        depth_i = min(
            older_count - i,
            max(PAIRING_WINDOW, PAIRING_CELLS // min(newer_count - j, PAIRING_WINDOW)),
        )
        depth_j = min(newer_count - j, max(PAIRING_WINDOW, PAIRING_CELLS // depth_i))
        for skipped in range(depth_i + depth_j - 1):
            best, best_ratio = None, 0.0
            for di in range(max(0, skipped - depth_j + 1), min(skipped, depth_i - 1) + 1):
                ratio = similarity(i + di, j + skipped - di)
                if ratio >= PAIRING_THRESHOLD and ratio > best_ratio:
                    best, best_ratio = (i + di, j + skipped - di), ratio
            if best is not None:
                return best
        return None


class _Similarity:
    """difflib's ratio on the words of two lines, memoised, behind two cheap
    upper bounds (lengths, shared words); only the ratio costs budget."""

    def __init__(self, older, newer, pairing):
        self.lines = (older, newer)
        self.words = ([_comparable(line) for line in older], [_comparable(line) for line in newer])
        self.bags = ({}, {})
        self.known = {}
        self.pairing = pairing

    def __call__(self, i, j):
        ratio = self.known.get((i, j))
        if ratio is None:
            ratio = self.known[i, j] = self._ratio(i, j)
        return ratio

    def _bag(self, side, index):
        bag = self.bags[side].get(index)
        if bag is None:
            bag = self.bags[side][index] = Counter(self.words[side][index])
        return bag

    def _ratio(self, i, j):
        if self.lines[0][i] == self.lines[1][j]:
            return 1.0
        a, b = self.words[0][i], self.words[1][j]
        total = len(a) + len(b)
        if not total:  # two different lines without words: nothing to pair on
            return 0.0
        if 2 * min(len(a), len(b)) < PAIRING_THRESHOLD * total:
            return 0.0
        small, large = sorted((self._bag(0, i), self._bag(1, j)), key=len)
        common = sum(min(count, large[word]) for word, count in small.items() if word in large)
        if 2 * common < PAIRING_THRESHOLD * total or total > FULL_CHECK_WORDS:
            return 2 * common / total
        self.pairing.budget -= total
        return 2 * _matched_words(a, b) / total


def _whole_line(older, newer):
    return ((DELETE, older), (INSERT, newer))


def _changed(older, newer):
    """Word-level changes between two paired lines.

    difflib runs on word and punctuation tokens alone (whitespace tokens,
    as many as words, would drown the alignment); the whitespace is put
    back so that the segments rebuild both texts exactly. The whitespace
    before a change is part of it, so spaces both sides share can be kept
    outside: "a b c" -> "a x c" reads "a [b→x] c".
    """
    older_lead, older_tokens, older_gaps = _words_and_gaps(older)
    newer_lead, newer_tokens, newer_gaps = _words_and_gaps(newer)
    segments = _Segments()
    pending = (older_lead, newer_lead)  # whitespace not yet written, each side
    for tag, i1, i2, j1, j2 in _word_opcodes(older_tokens, newer_tokens):
        if tag == "equal":
            pending = _keep(
                segments, pending, newer_tokens[j1:j2], older_gaps[i1:i2], newer_gaps[j1:j2]
            )
            continue
        deleted = "".join(map(str.__add__, older_tokens[i1:i2], older_gaps[i1:i2]))
        inserted = "".join(map(str.__add__, newer_tokens[j1:j2], newer_gaps[j1:j2]))
        segments.change(pending[0] + deleted, pending[1] + inserted)
        pending = ("", "")
    segments.change(*pending)
    return ComparedBlock(CHANGED, segments=segments.as_tuple())


def _keep(segments, pending, tokens, older_gaps, newer_gaps):
    """Add an unchanged run of words (``tokens``, with the whitespace after
    each on either side) to ``segments``, ``pending`` the whitespace before
    it; the whitespace after the run, each side.

    Alike whitespace before a word is kept with it: one piece for the run;
    whitespace that differs is shown changed between the kept pieces.
    """
    if pending[0] == pending[1] and older_gaps[:-1] == newer_gaps[:-1]:
        # The run and the whitespace within it alike (nearly always): one piece.
        words = "".join(map(str.__add__, tokens[:-1], newer_gaps[:-1]))
        segments.add(KEEP, pending[1] + words + tokens[-1])
        return older_gaps[-1], newer_gaps[-1]
    kept = []
    for token, older_gap, newer_gap in zip(tokens, older_gaps, newer_gaps, strict=True):
        before_older, before_newer = pending
        if before_older == before_newer:
            kept.append(before_newer)
        else:
            segments.add(KEEP, "".join(kept))
            kept = []
            segments.change(before_older, before_newer)
        kept.append(token)
        pending = (older_gap, newer_gap)
    segments.add(KEEP, "".join(kept))
    return pending


def _comparable(line):
    """The words that decide whether two lines are alike: case and the
    punctuation around them do not count."""
    return [word for chunk in line.casefold().split() if (word := chunk.strip(_PUNCTUATION))]


def _words_and_gaps(text):
    """Split " (a) b\\t" into (" ", ["(", "a", ")", "b"], ["", "", " ", "\\t"]):
    leading whitespace, word and punctuation tokens, the whitespace after each."""
    lead = _LEAD.match(text).group()
    pairs = _TOKENS_AND_GAPS.findall(text, len(lead))
    return lead, [token for token, _ in pairs], [gap for _, gap in pairs]


def _matched_words(a, b):
    """How many words of ``a`` and ``b`` difflib matches, the unchanged
    beginning and end counted directly (as ``_word_opcodes`` aligns them):
    paired lines mostly differ by a few words in the middle."""
    start, end = _shared_ends(a, b)
    middle = SequenceMatcher(None, a[start : len(a) - end], b[start : len(b) - end])
    return start + end + sum(block.size for block in middle.get_matching_blocks())


def _shared_ends(a, b):
    """How many items ``a`` and ``b`` begin with alike, and then end with alike."""
    limit = min(len(a), len(b))
    start = 0
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start, end


def _word_opcodes(a, b):
    """difflib opcodes for two word lists: the unchanged beginning and end
    matched directly, the middle diffed if it is not too long."""
    start, end = _shared_ends(a, b)
    a_stop, b_stop = len(a) - end, len(b) - end
    opcodes = [("equal", 0, start, 0, start)] if start else []
    if max(a_stop, b_stop) - start <= MAX_DIFFED_WORDS:
        # autojunk only acts on 200+ words, where it keeps very common words
        # ("the") from making the matching quadratic.
        matcher = SequenceMatcher(None, a[start:a_stop], b[start:b_stop])
        opcodes.extend(
            (tag, i1 + start, i2 + start, j1 + start, j2 + start)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        )
    else:
        opcodes.append(("replace", start, a_stop, start, b_stop))
    if end:
        opcodes.append(("equal", a_stop, len(a), b_stop, len(b)))
    return opcodes


class _Segments:
    """(op, text) pairs with consecutive pieces of one op merged; pieces are
    joined once at the end (repeated concatenation would be quadratic)."""

    def __init__(self):
        self._ops, self._pieces = [], []

    def add(self, op, text):
        if not text:
            return
        if self._ops and self._ops[-1] == op:
            self._pieces[-1].append(text)
        else:
            self._ops.append(op)
            self._pieces.append([text])

    def change(self, older, newer):
        """``older`` replaced by ``newer``; whitespace they begin or end
        with alike is kept (never part of a word: that would split it)."""
        head = _shared_space(older, newer)
        tail = _shared_space(older[head:][::-1], newer[head:][::-1])
        self.add(KEEP, older[:head])
        self.add(DELETE, older[head : len(older) - tail])
        self.add(INSERT, newer[head : len(newer) - tail])
        self.add(KEEP, older[len(older) - tail :])

    def as_tuple(self):
        return tuple(zip(self._ops, map("".join, self._pieces), strict=True))


def _shared_space(a, b):
    """How many whitespace characters ``a`` and ``b`` begin with alike."""
    length = 0
    while length < min(len(a), len(b)) and a[length] == b[length] and a[length].isspace():
        length += 1
    return length


def _count_words(text):
    """Words as a reader counts them: "—" or "|" alone is not one."""
    return len(text.split()) - len(_NOT_A_WORD.findall(text))


def _summarise(blocks):
    lines = Counter(block.kind for block in blocks)
    words = Counter()
    whole = {ADDED: INSERT, REMOVED: DELETE, EQUAL: KEEP}
    for block in blocks:
        segments = block.segments if block.kind == CHANGED else [(whole[block.kind], block.text)]
        for op, text in segments:
            if op != KEEP:
                words[op] += _count_words(text)
    return Summary(
        paragraphs_added=lines[ADDED],
        paragraphs_removed=lines[REMOVED],
        paragraphs_changed=lines[CHANGED],
        words_added=words[INSERT],
        words_removed=words[DELETE],
    )
