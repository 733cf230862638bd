"""The shipped translations: complete for the pages, compiled, and in use."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["ar", "fa", "ps", "ur"]
# Where the strings of the pages people work in come from.
PAGE_SOURCES = (
    "templates/base.html",
    "templates/web/",
    "templates/registration/",
    "templates/documents/",
    "templates/notifications/",
    "templates/403.html",
    "templates/404.html",
    "templates/refused.html",
    "web/",
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def from_pages(entry):
    return any(path.startswith(PAGE_SOURCES) for path, _line in entry.occurrences)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_string_is_translated(language):
    po = catalogue(language)
    page_entries = [e for e in po if from_pages(e)]
    assert len(page_entries) > 200
    missing = [e.msgid for e in page_entries if not e.translated()]
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    for entry in catalogue(language).translated_entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        texts = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            assert sorted(PLACEHOLDER.findall(text)) == wanted, entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    """The committed .mo was compiled from the committed .po (msgfmt after every edit)."""
    directory = LOCALE / language / "LC_MESSAGES"
    with open(directory / "django.mo", "rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    for entry in catalogue(language).translated_entries():
        if entry.msgctxt:
            continue
        if entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 1) in entry.msgstr_plural.values()
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.mark.parametrize(
    ("language", "dashboard"),
    [("ar", "لوحة المتابعة"), ("fa", "داشبورد"), ("ps", "ډشبورډ"), ("ur", "ڈیش بورڈ")],
)
def test_the_pages_speak_the_chosen_language(client, cast, new_policy, language, dashboard):
    client.force_login(cast.drafter)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get("/").content.decode()
    with translation.override(language):
        assert _("Dashboard") == dashboard
        for english in ("Dashboard", "Policies", "Reports", "Notifications", "Waiting on you"):
            assert _(english) != english
            assert _(english) in page
    assert ">Waiting on you<" not in page
    policy_page = client.get(f"/policies/{new_policy.pk}/").content.decode()
    with translation.override(language):
        assert _("Upload a new version") in policy_page or _("Upload") in policy_page
        assert _("History") in policy_page
