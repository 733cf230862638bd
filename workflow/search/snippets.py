"""The words of a hit to show: a window of the place's text around the
first matched word, split into pieces, the matched ones marked.

A word matches when it folds to a query word, or starts with a prefix of
the query; English words also when they share a crude stem with a query
word (the engines stem English; this only decides what to mark).
"""

import re

from workflow.search.folding import words

# A word as written: letters, digits and the marks and joiners folding drops.
_WRITTEN_WORD = re.compile(
    "[\\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]+"
)
_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ions",
    "ion",
    "ings",
    "ing",
    "ies",
    "es",
    "ed",
    "s",
    "e",
    "y",
)
WINDOW = 30  # words shown around the first match


def _stem(word):
    if not word.isascii():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def matcher(query):
    """A predicate over written words: whether the word is one the query found."""
    exact = {word for part in query.parts for word in part.words}
    stems = {_stem(word) for word in exact}
    prefixes = tuple(part.words[-1] for part in query.parts if part.prefix)

    seen = {}  # a text repeats its words: fold each once

    def matched(written):
        if written not in seen:
            seen[written] = any(
                word in exact or _stem(word) in stems or (prefixes and word.startswith(prefixes))
                for word in words(written)
            )
        return seen[written]

    return matched


def fragments(text, matched, window=WINDOW):
    """``[(piece, is_match)]`` of ``text`` around its first match; "…" where it is cut."""
    spans = [(m.start(), m.end()) for m in _WRITTEN_WORD.finditer(text)]
    if not spans:
        return [(text, False)]
    first = next((i for i, (start, end) in enumerate(spans) if matched(text[start:end])), 0)
    low = max(0, first - window // 3)
    high = min(len(spans), low + window)
    hits = [i for i in range(low, high) if matched(text[spans[i][0] : spans[i][1]])]
    begin = spans[low][0] if low else 0
    finish = spans[high - 1][1] if high < len(spans) else len(text)
    pieces = [("… ", False)] if low else []
    position = begin
    for index in hits:
        if not low <= index < high:
            continue
        start, end = spans[index]
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if finish > position:
        pieces.append((text[position:finish], False))
    if high < len(spans):
        pieces.append((" …", False))
    return pieces
