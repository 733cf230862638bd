"""The shipped translations: complete for the pages, compiled, and in use."""

import contextlib
import gettext
import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
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
# Top-level directories whose strings are not the application's.
NOT_SOURCES = {"locale", "var", "tests", "bench", "build", "scripts"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def from_pages(entry):
    return any(path.startswith(PAGE_SOURCES) for path, _line in entry.occurrences)


@pytest.fixture(scope="module")
def current_catalogues(tmp_path_factory):
    """The catalogues as ``makemessages`` writes them from the code as it is now:
    the committed translations, merged with every string the code marks today.

    A string added to a page without running makemessages and translating it
    is missing here, where the committed .po files alone would not show it.
    """
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext (GNU gettext) is needed to check the translations")
        pytest.skip("xgettext (GNU gettext) is not installed")
    # makemessages writes into the locale directory beside the sources it
    # reads: it reads them here through links, and writes into a copy.
    work = tmp_path_factory.mktemp("project")
    shutil.copytree(LOCALE, work / "locale")
    for source in Path(settings.BASE_DIR).iterdir():
        if source.is_dir() and not source.name.startswith(".") and source.name not in NOT_SOURCES:
            (work / source.name).symlink_to(source)
    with contextlib.chdir(work), override_settings(LOCALE_PATHS=[work / "locale"]):
        call_command("makemessages", locale=LANGUAGES, symlinks=True, no_obsolete=True, verbosity=0)
    return work / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_the_code_marks_is_translated(current_catalogues, language):
    po = polib.pofile(str(current_catalogues / language / "LC_MESSAGES" / "django.po"))
    assert len([e for e in po if from_pages(e)]) > 200
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
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
