"""A person's query read into what to look for: words, phrases and prefixes.

Nothing of the typed text reaches an engine as syntax: the query is read
here into folded words (``folding``), and ``engines`` writes each engine's
syntax from them. What this reads:

- words: every word must occur (``migration return``);
- a phrase between double quotes: its words in that order, as written
  (folded, not stemmed: ``"right to return"``);
- a prefix: a word ending in ``*`` (``migra*``), at least two letters long;
- ``AND``, ``OR``, ``NOT`` and ``NEAR`` in capitals are engine operators
  elsewhere and ignored here: all words must occur anyway.

A query that cannot be read raises ``QueryError`` with a message for the
person who typed it.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from workflow.search.folding import pairs, words

MAX_LENGTH = 200
MAX_PARTS = 12
MIN_PREFIX = 2

# Typographic quotes people paste, read as the plain double quote.
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})
# A word as typed: letters, digits and the marks and joiners folding removes.
_TYPED_WORD = re.compile(
    "([\\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]+)(\\*?)"
)
OPERATORS = {"AND", "OR", "NOT", "NEAR"}


class QueryError(ValueError):
    """The query cannot be searched; ``message`` says why, for the person who typed it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Part:
    """Folded words that must occur in this order; the last one a prefix if ``prefix``."""

    words: tuple
    prefix: bool = False

    @property
    def is_phrase(self):
        return len(self.words) > 1


@dataclass(frozen=True)
class Query:
    text: str  # as typed, trimmed
    parts: tuple  # (Part, ...)

    @property
    def words(self):
        return [word for part in self.parts for word in part.words]

    def by_pairs(self):
        """This query with each phrase read as its adjacent word pairs, each of which
        must occur: how ``SearchDocument`` rows, which index the pairs, are searched."""
        parts = []
        for part in self.parts:
            if part.is_phrase and not part.prefix:
                parts.extend(Part((pair,)) for pair in pairs(part.words))
            else:
                parts.append(part)
        return Query(self.text, tuple(dict.fromkeys(parts)))


def parse(text):
    """The ``Query`` in ``text``; ``QueryError`` if there is nothing to search for."""
    text = (text or "").strip()
    if not text:
        raise QueryError(_("Type a word to search for."))
    if len(text) > MAX_LENGTH:
        raise QueryError(
            _("This search has %(length)s characters; search with at most %(limit)s.")
            % {"length": len(text), "limit": MAX_LENGTH}
        )
    plain = text.translate(_QUOTES)
    if plain.count('"') % 2:
        raise QueryError(
            _("A quotation mark is not closed: put a phrase between two quotation marks.")
        )
    parts = []
    for index, piece in enumerate(plain.split('"')):
        if index % 2:  # between quotes: one phrase
            phrase = tuple(words(piece))
            if phrase:
                parts.append(Part(phrase))
            continue
        for typed, star in _TYPED_WORD.findall(piece):
            if typed in OPERATORS:
                continue
            folded = tuple(words(typed))
            if not folded:
                continue
            if star and len(folded[-1]) < MIN_PREFIX:
                raise QueryError(
                    _("Put at least %(count)s letters before a *.") % {"count": MIN_PREFIX}
                )
            parts.append(Part(folded, prefix=bool(star)))
    if not parts:
        raise QueryError(_("Search for words or numbers: this search has none."))
    unique = tuple(dict.fromkeys(parts))
    if len(unique) > MAX_PARTS:
        raise QueryError(
            _("Search with at most %(limit)s words or phrases.") % {"limit": MAX_PARTS}
        )
    return Query(text, unique)
