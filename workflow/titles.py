"""When two short titles are the same title, and when one only looks like another.

A short title names a policy in lists, reports and notifications, so two
policies must never read alike. Compared as typed, ``Afghanistan NCMP``
differs from ``afghanistan ncmp``, from the same words with a no-break
space or an invisible character (U+200B, U+2060) among them, and from one
spelled with a Cyrillic A (U+0410): a list would show five "Afghanistan NCMP".
So titles are compared by ``comparison_key`` (Unicode compatibility
normalisation, case folding, invisible characters removed, spaces
collapsed), and a word mixing scripts with letters that pass for one
another (``confusable_homoglyphs``, Unicode's confusables data) is refused.
Titles that mix scripts word by word, e.g. a Latin acronym before Dari
words, are fine.
"""

import re
import unicodedata

from confusable_homoglyphs import confusables

# Default-ignorable characters that are not format characters (category Cf):
# the combining grapheme joiner, variation selectors, Mongolian free
# variation selectors and the Hangul fillers. They show nothing.
_IGNORABLE = {
    0x034F,
    *range(0x180B, 0x1810),
    0x115F,
    0x1160,
    0x3164,
    *range(0xFE00, 0xFE10),
    0xFFA0,
    *range(0xE0100, 0xE01F0),
}


def _invisible(char):
    return unicodedata.category(char) in ("Cf", "Cc") or ord(char) in _IGNORABLE


def visible_text(title):
    """``title`` normalised (NFKC), without invisible characters, its spaces collapsed."""
    text = unicodedata.normalize("NFKC", title)
    text = "".join(" " if char.isspace() else char for char in text if not _invisible(char))
    return " ".join(text.split())


def comparison_key(title):
    """``title`` as it reads: two titles with the same key cannot be told apart."""
    return unicodedata.normalize("NFKC", visible_text(title).casefold())


def look_alike_words(title):
    """The words of ``title`` that mix scripts with letters passing for each other."""
    return [word for word in re.findall(r"\w+", visible_text(title)) if _deceptive(word)]


def _deceptive(word):
    return bool(confusables.is_dangerous(word))
