"""Which regional variant of CLDR each language of the interface follows.

Django's own month names are those of one variant per language, and
some of ours are missing: it has no Pashto, and its Persian is Iran's
(ژانویه، فوریه) where Dari in Afghanistan writes جنوری، فبروری. The
Unicode CLDR, through Babel, has every variant, so dates and country names
come from the variant of the country where each language is read:
Arabic as in Iraq (كانون الثاني، شباط), Dari and Pashto as in
Afghanistan, Urdu as in Pakistan.
"""

import functools

from babel import Locale
from django.utils import translation

# Django language code -> CLDR locale.
LOCALES = {
    "en": "en",
    "ar": "ar_IQ",
    "fa": "fa_AF",
    "ps": "ps_AF",
    "ur": "ur_PK",
}


def active():
    """The CLDR locale of the active language (English when none is active)."""
    return _locale(translation.get_language() or "en")


@functools.cache
def _locale(language):
    code = LOCALES.get(language) or LOCALES.get(language.split("-")[0], "en")
    return Locale.parse(code)
