"""Country names in the active language.

django-countries names countries through its own translations, which have
no Pashto and no Urdu (its names stay English there). CLDR names every
territory in each of our languages, in the variant ``cldr`` chooses; a
code CLDR does not know keeps django-countries' name.
"""

import unicodedata

from django_countries import countries

from policyflow.formats import cldr


def country_name(country):
    """The name of a country (a code or a django-countries ``Country``); "" for none."""
    code = str(getattr(country, "code", country) or "").upper()
    if not code:
        return ""
    return cldr.active().territories.get(code) or countries.name(code) or code


def by_name(name):
    """A sort key for names: accents and case do not change the order ("Åland" among the A)."""
    letters = unicodedata.normalize("NFKD", str(name))
    return "".join(c for c in letters if not unicodedata.combining(c)).casefold()


def country_choices():
    """Every country as ``(code, name)`` in the active language, by name."""
    return sorted(
        ((country.code, country_name(country.code)) for country in countries),
        key=lambda choice: by_name(choice[1]),
    )
