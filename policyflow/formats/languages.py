"""The languages a document is written in, named and laid out as CLDR has them.

A policy's document languages are not the interface's: a version may be
translated into Kurdish, which no page is shown in. Codes are BCP 47
language codes as Babel knows them ("fa", "ps", "ur", "ar", "ku", "ckb");
each is named in the reader's language, in the regional variant the
interface follows (``cldr.LOCALES``: "fa" reads as Dari, as in Afghanistan),
and laid out in its script's direction.
"""

import functools

from babel import Locale, UnknownLocaleError, localedata

from policyflow.formats import cldr

RTL = "rtl"
LTR = "ltr"
CODE_MAX_LENGTH = 12


def is_known(code):
    """Whether ``code`` names a language CLDR has (and so a name and a direction)."""
    return (
        bool(code) and code.isascii() and len(code) <= CODE_MAX_LENGTH and _locale(code) is not None
    )


def language_name(code):
    """``code``'s name in the active language: "Dari", "دری", "Kurdish"; the code if unknown."""
    names = cldr.active().languages
    regional = cldr.LOCALES.get(code, "")
    return names.get(regional) or names.get(code) or code


def direction(code):
    """ "rtl" or "ltr": how a text in ``code`` is laid out (``dir``)."""
    locale = _locale(code)
    return RTL if locale is not None and locale.character_order == "right-to-left" else LTR


def choices(codes):
    """``[(code, name)]`` for a form or a serializer, in the order given."""
    return [(code, language_name(code)) for code in codes]


@functools.cache
def _locale(code):
    try:
        return Locale.parse(code) if localedata.exists(code) else None
    except (ValueError, UnknownLocaleError):
        return None
