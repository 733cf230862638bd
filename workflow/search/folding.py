"""How text is made comparable for search: the same rules at index and at query time.

Arabic script (Arabic, Dari, Pashto, Urdu):

- tashkeel (harakat U+064B-U+065F, superscript alef U+0670), Quranic
  annotation signs (U+0610-U+061A, U+06D6-U+06ED) and tatweel (U+0640)
  are dropped, so a query typed without vowels finds vowelled text and
  the reverse;
- alef forms (أ إ آ ٱ) are ا; hamza carried on waw or yeh (ؤ ئ) is its
  carrier (و ي), as hamza above or below is a dropped mark;
- ى (alef maksura) and Persian/Urdu ی are Arabic ي; Persian/Urdu ک is ك;
- Urdu ۓ is ے, but ے (bari ye) stays its own letter: Urdu writes کے and
  کی as two words, which folding ے into ي would merge;
- ZWNJ and ZWJ (and the invisible direction marks) are ignored, so
  "می‌خواهم" and "میخواهم" are one word;
- Arabic-Indic (٠-٩) and Persian (۰-۹) digits are ASCII digits.

Latin and every other script: compatibility decomposition (NFKD: ligatures
and presentation forms to letters), combining marks dropped (é is e; the
marks of the Latin, Greek, Cyrillic and Arabic blocks and the generic
combining blocks, listed in ``_MARKS``), case folded (Straße is strasse).

Words are runs of letters and digits; everything else separates them.
``fold`` returns the folded words joined by single spaces, which is what
the engines index, so that their tokenisers see no punctuation.
"""

import re
import unicodedata
from itertools import pairwise

_LETTERS_TABLE = {
    "\u0671": "\u0627",  # ٱ alef wasla -> ا (أ إ آ lose their hamza/madda as marks)
    "\u0649": "\u064a",  # ى alef maksura -> ي
    "\u06cc": "\u064a",  # ی Persian yeh -> ي
    "\u06a9": "\u0643",  # ک keheh -> ك
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
}

# Invisible characters a reader never sees: removed before words are found,
# so that they join rather than split a word.
_INVISIBLE = re.compile("[\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\u00ad\ufeff]")

WORD = re.compile(r"[^\W_]+")


# Combining marks (category Mn) of the scripts policies are written in:
# Latin accents (and the combining blocks of Latin, Greek and Cyrillic),
# Arabic harakat, hamza above and below, superscript alef, Quranic signs.
_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc"
    "\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u08d3-\u08e1\u08e3-\u08ff"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
_LETTER_FORMS = re.compile(f"[{''.join(_LETTERS_TABLE)}]")


def fold_word(text):
    """``text`` folded, without splitting it into words."""
    text = _INVISIBLE.sub("", text)
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    text = _LETTER_FORMS.sub(lambda found: _LETTERS_TABLE[found.group()], text)
    return text.casefold()


# Plain ASCII text (most of an English policy) has nothing to decompose, no
# marks, no invisible characters and no Arabic letter forms: folded, it is
# lower-cased, and its words are its runs of letters and digits.
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def words(text):
    """The folded words of ``text``, in order."""
    text = text or ""
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    return WORD.findall(fold_word(text))


def fold(text):
    """The folded words of ``text`` joined by single spaces: what is indexed and searched."""
    return " ".join(words(text))


# Joins two adjacent words into one token (a letter to both engines' tokenisers,
# and not one people type): how a phrase is found without word positions.
PAIR_JOINER = "\u01c0"


def pairs(words):
    """Each word joined to the next: ``["a", "b", "c"]`` gives ``["aǀb", "bǀc"]``."""
    return [f"{first}{PAIR_JOINER}{second}" for first, second in pairwise(words)]
