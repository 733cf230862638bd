"""Searching the text of a version's translations and of the official letters."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from documents import services as documents
from tests.documents import pdfs
from tests.factories import docx_upload, register
from tests.search.conftest import found
from workflow import services
from workflow.models import Evidence, Policy, Project, SearchDocument, SearchEntry, Support

pytestmark = pytest.mark.django_db
State = Policy.State

# Dari, vowelled: found by the same words written without the marks.
DARI_VOWELLED = "سیاستِ مُهاجَرَتِ کاری برای کارگرانِ افغان"
DARI_QUERY = "مهاجرت کاری"


@pytest.fixture(autouse=True)
def languages(cast):
    Project.objects.filter(pk=cast.project.pk).update(
        version_language="en", translation_languages=["fa", "ar"], required_translations=[]
    )
    cast.project.refresh_from_db()


@pytest.fixture
def policy(cast):
    return register(cast, "PK labour policy")


def translate(policy, language, *paragraphs, actor):
    policy.refresh_from_db()
    return documents.add_translation(
        policy,
        actor=actor,
        version=policy.current_version,
        language=language,
        uploaded_file=docx_upload(*paragraphs, name=f"policy-{language}.docx"),
    )


def letter(text):
    return documents.validate_evidence(SimpleUploadedFile("letter.pdf", pdfs.text_pdf(text)))


def rows(policy):
    """The index rows of ``policy`` and of every letter, as what identifies
    them (not their primary keys)."""
    mine = Q(policy=policy) | Q(kind=SearchEntry.Kind.LETTER)
    entries = SearchEntry.objects.filter(mine).values_list(
        "policy_id",
        "version_id",
        "version_number",
        "kind",
        "source_id",
        "position",
        "current",
        "language",
        "source_name",
        "text",
        "folded",
    )
    documents_ = SearchDocument.objects.filter(mine).values_list(
        "policy_id", "version_id", "kind", "current", "folded"
    )
    return sorted(entries, key=repr), sorted(documents_, key=repr)


# -- translations ---------------------------------------------------------------------


def test_a_word_only_in_a_translation_is_found_with_its_place(cast, add_text, policy):
    version = add_text(policy, "Labour migration of Afghan workers.")
    translation = translate(policy, "fa", "مقدمه", DARI_VOWELLED, actor=cast.drafter)

    hits = found(cast.coordinator, DARI_QUERY)["PK labour policy"]
    assert [
        (h.kind, h.version_id, h.version_number, h.anchor, h.current, h.language, h.translation_id)
        for h in hits
    ] == [("text", version.pk, 1, "p-2", True, "fa", translation.pk)]
    assert hits[0].language_name
    marked = [text for text, is_match in hits[0].fragments if is_match]
    assert marked == ["مُهاجَرَتِ", "کاری"]
    # The vowelled query finds it too, and the version's own text has no such word.
    assert "PK labour policy" in found(cast.coordinator, "مُهَاجَرَتِ")
    assert not SearchEntry.objects.filter(language="", folded__contains="مهاجرت").exists()


def test_an_arabic_translation_is_found_by_the_unvowelled_word(cast, add_text, policy):
    add_text(policy, "Labour migration.")
    translate(policy, "ar", "تُشَجِّعُ الحُكُومَةُ تَحْوِيلَاتِ المُغْتَرِبِينَ.", actor=cast.drafter)
    hits = found(cast.coordinator, "تحويلات المغتربين")["PK labour policy"]
    assert [(h.kind, h.language, h.anchor) for h in hits] == [("text", "ar", "p-1")]


def test_a_translation_of_an_older_version_is_said_so_unless_current_only(cast, add_text, policy):
    add_text(policy, "Labour migration.")
    translate(policy, "fa", DARI_VOWELLED, actor=cast.drafter)
    add_text(policy, "Labour migration, second draft.")

    hits = found(cast.coordinator, DARI_QUERY)["PK labour policy"]
    assert [(h.version_number, h.current, h.language) for h in hits] == [(1, False, "fa")]
    assert found(cast.coordinator, DARI_QUERY, current_only=True) == {}

    translate(policy, "fa", "کارگران " + DARI_VOWELLED, actor=cast.drafter)
    hits = found(cast.coordinator, DARI_QUERY, current_only=True)["PK labour policy"]
    assert [(h.version_number, h.current) for h in hits] == [(2, True)]


def test_a_foreign_organisations_member_finds_no_translation(cast, add_text, policy):
    add_text(policy, "Labour migration.")
    translate(policy, "fa", DARI_VOWELLED, actor=cast.drafter)
    assert "PK labour policy" in found(cast.drafter, DARI_QUERY)
    assert found(cast.foreign_member, DARI_QUERY) == {}
    assert found(cast.other_observer, DARI_QUERY) == {}


def test_a_rolled_back_translation_leaves_no_index_row(cast, add_text, policy):
    add_text(policy, "Labour migration.")
    indexed = []

    def translate_then_fail():
        with transaction.atomic():
            translate(policy, "fa", DARI_VOWELLED, actor=cast.drafter)
            indexed.append(SearchEntry.objects.exclude(language="").count())
            raise RuntimeError("the request failed after the upload")

    with pytest.raises(RuntimeError):
        translate_then_fail()
    assert indexed[0] > 0
    assert not SearchEntry.objects.exclude(language="").exists()
    assert found(cast.coordinator, DARI_QUERY) == {}


# -- official letters ---------------------------------------------------------------


def test_a_word_only_in_a_letters_text_layer_is_found(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        policy,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision=Support.Decision.SUPPORTED,
        statement="We support it.",
        letter=letter("Signed by the Director of Remittances"),
    )
    evidence = Evidence.objects.get()

    hits = found(cast.coordinator, "remittances")[policy.short_title]
    assert [(h.kind, h.version_id, h.current, h.letter_id, h.anchor) for h in hits] == [
        ("letter", policy.current_version.pk, True, evidence.pk, "")
    ]
    assert cast.bureau.name in hits[0].kind_label
    assert found(cast.foreign_member, "remittances") == {}


def test_an_arabic_letter_is_found_by_vowelled_words(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        policy,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision=Support.Decision.SUPPORTED,
        letter=documents.validate_evidence(SimpleUploadedFile("رسالة.pdf", pdfs.arabic_pdf())),
    )
    assert policy.short_title in found(cast.coordinator, "وِزَارَةُ الهِجْرَةِ")


def test_the_decree_of_endorsement_is_found_and_named(policy_in, cast):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    services.perform_transition(
        policy,
        "endorse",
        actor=cast.endorser,
        instrument="Cabinet decision 45/2026",
        date=timezone.localdate(),
        acknowledged=True,
        decree=letter("Promulgated in the official gazette"),
    )
    hits = found(cast.coordinator, "gazette")[policy.short_title]
    assert [h.kind for h in hits] == ["letter"]
    assert hits[0].kind_label == "Decree of endorsement"


def test_a_rolled_back_letter_leaves_no_index_row(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)

    def support_then_fail():
        with transaction.atomic():
            services.record_support(
                policy,
                actor=cast.bureau_member,
                organization=cast.bureau,
                decision=Support.Decision.SUPPORTED,
                letter=letter("Signed by the Director of Remittances"),
            )
            assert SearchEntry.objects.filter(kind=SearchEntry.Kind.LETTER).exists()
            raise RuntimeError("the request failed after the support")

    with pytest.raises(RuntimeError):
        support_then_fail()
    assert not SearchEntry.objects.filter(kind=SearchEntry.Kind.LETTER).exists()
    assert found(cast.coordinator, "remittances") == {}


# -- rebuild ------------------------------------------------------------------------


def test_rebuild_writes_the_same_rows_for_translations_and_letters(policy_in, cast, add_text):
    policy = register(cast, "PK labour policy")
    add_text(policy, "Labour migration.")
    translate(policy, "fa", "مقدمه", DARI_VOWELLED, actor=cast.drafter)
    supported = policy_in(State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        supported,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision=Support.Decision.SUPPORTED,
        letter=letter("Signed by the Director of Remittances"),
    )
    # The supported policy was written without the services: only its letter is compared.
    before = rows(policy)
    assert any(row[3] == "letter" for row in before[0])
    assert any(row[7] == "fa" for row in before[0])

    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert rows(policy) == before


def test_the_page_links_to_the_translation_and_the_letter(client, policy_in, cast, add_text):
    policy = register(cast, "PK labour policy")
    add_text(policy, "Labour migration.")
    translation = translate(policy, "fa", DARI_VOWELLED, actor=cast.drafter)
    supported = policy_in(State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        supported,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision=Support.Decision.SUPPORTED,
        letter=letter("Signed by the Director of Remittances"),
    )
    client.force_login(cast.coordinator)

    page = client.get(reverse("web:search"), {"q": DARI_QUERY}).content.decode()
    preview = reverse("documents:translation_preview", kwargs={"pk": translation.pk})
    assert f'href="{preview}#p-1"' in page
    assert "translation of version 1 (current)" in page

    page = client.get(reverse("web:search"), {"q": "remittances"}).content.decode()
    download = reverse("documents:letter", kwargs={"pk": Evidence.objects.get().pk})
    assert f'href="{download}"' in page
