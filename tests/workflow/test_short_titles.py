"""No two policies read alike: short titles are compared as they read, look-alikes refused."""

import pytest
from django.core.exceptions import ValidationError

from tests.web.test_editing import CREATE, registration
from tests.workflow.test_policy_details import register
from workflow import services, titles
from workflow.models import AuditEntry, Policy

pytestmark = pytest.mark.django_db

# "Afghanistan NCMP" in full-width letters.
FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in "Afghanistan NCMP")
TAKEN = "A policy with this short title, or one that reads the same, already exists."


@pytest.mark.parametrize(
    "look_alike",
    [
        "afghanistan ncmp",  # case
        "AFGHANISTAN NCMP",
        "Afghanistan NCMP\u200b",  # zero-width space
        "Afghanistan NCMP\u2060",  # word joiner
        "Afghanistan\u00a0NCMP",  # no-break space
        "Afghanistan  NCMP ",  # spaces
        "\ufeffAfghanistan \u200dNCMP\u200c",  # BOM, zero-width (non-)joiners
        FULL_WIDTH,
        "Afghanistan \u202eNCMP",  # a bidi override
    ],
)
def test_a_title_that_reads_like_a_taken_one_is_refused(cast, look_alike):
    register(cast, short_title="Afghanistan NCMP")
    with pytest.raises(ValidationError) as refusal:
        register(cast, short_title=look_alike, title="Another policy")
    assert refusal.value.message_dict["short_title"] == [TAKEN]
    assert Policy.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_renaming_a_policy_like_another_is_refused(cast):
    register(cast, short_title="Afghanistan NCMP")
    other = register(cast, short_title="PK emigration policy")
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refusal:
        services.update_policy(other, actor=cast.coordinator, short_title="AFGHANISTAN\u200b NCMP")
    assert refusal.value.message_dict["short_title"] == [TAKEN]
    other.refresh_from_db()
    assert other.short_title == "PK emigration policy"
    assert AuditEntry.objects.count() == entries


def test_a_policy_may_change_the_case_of_its_own_title(cast):
    policy = register(cast, short_title="Afghanistan ncmp")
    services.update_policy(policy, actor=cast.coordinator, short_title="Afghanistan NCMP")
    policy.refresh_from_db()
    assert policy.short_title == "Afghanistan NCMP"
    assert policy.short_title_key == "afghanistan ncmp"


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060\u200b", " \u00a0 ", "\u202e", "\ufe0f"])
def test_a_short_title_that_shows_nothing_is_refused(cast, invisible):
    with pytest.raises(ValidationError) as refusal:
        register(cast, short_title=invisible)
    assert refusal.value.message_dict["short_title"]
    assert not Policy.objects.exists()


@pytest.mark.parametrize(
    ("title", "word"),
    [
        ("\u0410fghanistan NCMP", "\u0410fghanistan"),  # a Cyrillic capital A
        ("Afghanistan NC\u041cP", "NC\u041cP"),  # a Cyrillic capital Em
        ("P\u0430kistan policy", "P\u0430kistan"),  # a Cyrillic small a
        ("\u0391fghan policy", "\u0391fghan"),  # a Greek Alpha
    ],
)
def test_a_word_mixing_look_alike_scripts_is_refused(cast, title, word):
    with pytest.raises(ValidationError) as refusal:
        register(cast, short_title=title)
    assert refusal.value.message_dict["short_title"] == [
        f"“{word}” mixes letters of different scripts that look alike; type it in one script."
    ]
    assert not Policy.objects.exists()


@pytest.mark.parametrize(
    "title",
    [
        "NCMP سياسة الهجرة",  # a Latin acronym, then Arabic words
        "پالیسی مهاجرت NCMP 2026",  # Dari words and a Latin acronym
        "می\u200cخواهم",  # noqa: RUF001 - a zero-width non-joiner inside a Persian word
        "Политика миграции",  # all Cyrillic
    ],
)
def test_titles_in_one_script_per_word_are_accepted(cast, title):
    policy = register(cast, short_title=title)
    assert Policy.objects.get(pk=policy.pk).short_title == title


def test_the_form_shows_the_refusal_on_the_short_title(client, cast):
    register(cast, short_title="Afghanistan NCMP")
    client.force_login(cast.coordinator)
    response = client.post(CREATE, registration(cast, short_title="afghanistan\u00a0ncmp"))
    assert response.status_code == 400
    assert response.context["form"].errors["short_title"] == [TAKEN]
    assert Policy.objects.count() == 1


def test_the_key_ignores_what_cannot_be_seen():
    assert titles.comparison_key("\u200bAfghanistan\u00a0\u2060NCMP ") == "afghanistan ncmp"
    assert titles.comparison_key("\u200b\u2060") == ""
