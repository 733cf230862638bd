"""Searching policies, decisions and the text of every version, on either engine."""

import pytest
from django.core.management import call_command
from django.db import transaction

from documents.services import withdraw_version
from tests.documents import make_docs as md
from tests.factories import PolicyFactory, iraqi, register, writing_the_record
from tests.search.conftest import found
from workflow import clock, services
from workflow.models import Policy, Review, SearchEntry, Support
from workflow.search.query import search

State = Policy.State


@pytest.fixture
def policy(cast):
    return register(cast, "PK emigration policy")


# -- Arabic script --------------------------------------------------------------


def test_a_plain_query_finds_vowelled_arabic_text(cast, add_text):
    policy = iraqi(cast, "IQ diaspora policy")
    version = add_text(policy, "تُشَجِّعُ الحُكُومَةُ تَحْوِيلَاتِ المُغْتَرِبِينَ إِلَى الوَطَنِ.")
    hits = found(cast.coordinator, "تحويلات المغتربين")["IQ diaspora policy"]
    assert [(h.kind, h.version_id, h.anchor, h.current) for h in hits] == [
        ("text", version.pk, "p-1", True)
    ]
    marked = [text for text, is_match in hits[0].fragments if is_match]
    assert marked == ["تَحْوِيلَاتِ", "المُغْتَرِبِينَ"]


def test_a_vowelled_query_finds_plain_arabic_text(cast, add_text):
    policy = iraqi(cast, "IQ return policy")
    add_text(policy, "تدعم الوزارة العودة الطوعية للمهاجرين.")
    assert "IQ return policy" in found(cast.coordinator, "العَوْدَةُ الطَّوْعِيَّةُ")
    assert "IQ return policy" in found(cast.coordinator, '"العودة الطوعية"')


def test_hamza_forms_and_alef_maksura_are_one_letter(cast, add_text):
    policy = iraqi(cast, "IQ policy")
    add_text(policy, "إدارة الهجرة الآمنة، على المستوى الأعلى للحماية.")
    assert "IQ policy" in found(cast.coordinator, "ادارة")
    assert "IQ policy" in found(cast.coordinator, "الامنة")
    assert "IQ policy" in found(cast.coordinator, "المستوي")


def test_persian_and_arabic_kaf_and_yeh_are_one_letter(cast, add_text):
    policy = register(cast, "AF migration policy")
    add_text(policy, "سیاست جامع ملی مهاجرت کشور")  # Dari: ک and ی
    assert "AF migration policy" in found(cast.coordinator, "سياست كشور")  # Arabic ك and ي
    policy = register(cast, "AF second policy")
    add_text(policy, "برنامه كمك به عودت كنندگان")  # typed with Arabic ك
    assert "AF second policy" in found(cast.coordinator, "کمک")  # searched with Persian ک


def test_zero_width_non_joiner_is_ignored(cast, add_text):
    policy = register(cast, "AF policy")
    add_text(policy, "وزارت‌ها و نهادهای ملی می‌خواهند")
    assert "AF policy" in found(cast.coordinator, "میخواهند")
    assert "AF policy" in found(cast.coordinator, "وزارتها")


def test_arabic_indic_and_persian_digits_equal_ascii_digits(cast, add_text):
    policy = register(cast, "AF plan")
    add_text(policy, "برنامه عمل سال ۱۴۰۳", "Action plan for 2026")
    assert "AF plan" in found(cast.coordinator, "1403")
    assert "AF plan" in found(cast.coordinator, "٢٠٢٦")


def test_urdu_text_is_found_and_ke_is_not_ki(cast, add_text, policy):
    add_text(policy, "بیرون ملک مقیم پاکستانیوں کے حقوق کا تحفظ")
    assert "PK emigration policy" in found(cast.coordinator, "پاكستانيوں")
    assert "PK emigration policy" in found(cast.coordinator, '"پاکستانیوں کے حقوق"')
    assert found(cast.coordinator, '"پاکستانیوں کی حقوق"') == {}


# -- Latin, phrases, prefixes -----------------------------------------------------


def test_latin_is_case_and_accent_insensitive_and_english_is_stemmed(cast, add_text, policy):
    add_text(policy, "Remittances sent through the RÉSEAU of licensed operators.")
    assert "PK emigration policy" in found(cast.coordinator, "reseau")
    assert "PK emigration policy" in found(cast.coordinator, "remittance")


def test_a_phrase_needs_its_words_in_order(cast, add_text, policy):
    add_text(policy, "Every citizen abroad has the right to return.", "Return is a right.")
    assert "PK emigration policy" in found(cast.coordinator, '"right to return"')
    assert found(cast.coordinator, '"return to right"') == {}


def test_a_phrase_never_spans_two_paragraphs(cast, add_text, policy):
    add_text(policy, "The policy protects the right", "Return is voluntary.")
    assert found(cast.coordinator, '"right return"') == {}


def test_a_prefix_finds_the_words_it_starts(cast, add_text, policy):
    add_text(policy, "Labour migration is governed by this policy.")
    hits = found(cast.coordinator, "migra*")["PK emigration policy"]
    assert [text for text, is_match in hits[0].fragments if is_match] == ["migration"]
    assert found(cast.coordinator, "migrx*") == {}


# -- what the text of a version is ----------------------------------------------


def test_tracked_insertions_are_found_and_deletions_are_not(cast, add_text, policy):
    add_text(
        policy,
        ("Remittances may be invested in ", md.inserted("diaspora bonds"), md.deleted("lotteries")),
    )
    assert "PK emigration policy" in found(cast.coordinator, "bonds")
    assert found(cast.coordinator, "lotteries") == {}


def test_footnotes_and_headers_are_found_with_their_anchor(cast, add_text, policy):
    add_text(
        policy,
        "The policy text.",
        footnotes=md.notes("footnote", "Sovereign remittance corridors are listed in annex two."),
        headers=["Restricted draft for consultation"],
    )
    [hit] = found(cast.coordinator, "corridors")["PK emigration policy"]
    assert (hit.kind, hit.anchor) == ("footnote", "fn-1")
    [hit] = found(cast.coordinator, "consultation")["PK emigration policy"]
    assert (hit.kind, hit.anchor) == ("header", "hd-1")


def test_content_controls_and_text_boxes_are_found(cast, add_text, policy):
    body = md.content_control(md.paragraph("Licensing of recruiting agents."))
    box = md.paragraph(md.text_box(md.paragraph("Pre-departure orientation is free.")))
    policy_file = md.docx_bytes(body + box)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services import add_version
    from tests.factories import DOCX_TYPE

    add_version(
        policy,
        actor=cast.drafter,
        uploaded_file=SimpleUploadedFile("d.docx", policy_file, content_type=DOCX_TYPE),
    )
    assert "PK emigration policy" in found(cast.coordinator, "recruiting")
    assert "PK emigration policy" in found(cast.coordinator, "orientation")


# -- versions: current or older ---------------------------------------------------


def test_older_versions_are_found_and_said_so_unless_current_only(cast, add_text, policy):
    first = add_text(policy, "Seasonal workers may apply.")
    second = add_text(policy, "Seasonal labour schemes are open.")
    hits = found(cast.coordinator, "seasonal")["PK emigration policy"]
    assert [(h.version_id, h.current) for h in hits] == [(second.pk, True), (first.pk, False)]
    assert found(cast.coordinator, "workers", current_only=True) == {}
    assert "PK emigration policy" in found(cast.coordinator, "workers")


def test_a_withdrawn_version_makes_the_one_before_current_again(cast, add_text, policy):
    first = add_text(policy, "Seasonal workers may apply.")
    second = add_text(policy, "A version uploaded by mistake.")
    withdraw_version(policy, actor=cast.drafter, version=second, reason="Wrong file.")
    [hit] = found(cast.coordinator, "workers", current_only=True)["PK emigration policy"]
    assert (hit.version_id, hit.current) == (first.pk, True)
    [hit] = found(cast.coordinator, "mistake")["PK emigration policy"]
    assert not hit.current


def test_version_notes_are_found(cast, add_text, policy):
    add_text(policy, "Text.", note="Aligned with the remittance regulation.")
    [hit] = found(cast.coordinator, "regulation")["PK emigration policy"]
    assert hit.kind == "note"


# -- the policy and its decisions ---------------------------------------------------


def test_title_summary_and_their_changes(cast, policy):
    services.update_policy(
        policy, actor=cast.coordinator, summary="Welfare of workers in the Gulf."
    )
    assert [h.kind for h in found(cast.coordinator, "gulf")["PK emigration policy"]] == ["summary"]
    services.update_policy(policy, actor=cast.coordinator, title="Overseas Employment Policy")
    assert "PK emigration policy" in found(cast.coordinator, "overseas employment")
    assert found(cast.coordinator, "full title") == {}


def test_review_comments_support_statements_and_the_endorsement(cast, walk, policy):
    walk.to(policy, State.EXPERT_REVIEW)
    services.record_review(
        policy,
        actor=cast.reviewer,
        decision=Review.Decision.APPROVED,
        comment="The grievance mechanism is sound.",
        acknowledged=True,
    )
    services.perform_transition(policy, "clear_review", actor=cast.reviewer)
    services.record_support(
        policy,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision=Support.Decision.SUPPORTED,
        statement="The Bureau supports the licensing chapter.",
    )
    services.record_support(
        policy,
        actor=cast.agency_member,
        organization=cast.agency,
        decision=Support.Decision.SUPPORTED,
    )
    services.perform_transition(
        policy,
        "endorse",
        actor=cast.endorser,
        instrument="Cabinet decision 77/2026",
        date=clock.today(),
        acknowledged=True,
    )
    assert [h.kind for h in found(cast.coordinator, "grievance")["PK emigration policy"]] == [
        "review"
    ]
    assert [h.kind for h in found(cast.coordinator, "licensing")["PK emigration policy"]] == [
        "support"
    ]
    assert [h.kind for h in found(cast.coordinator, "77")["PK emigration policy"]] == [
        "endorsement"
    ]
    assert search(cast.coordinator, "cabinet").policies[0].state == State.ENDORSED


# -- scope ----------------------------------------------------------------------------

SEES_PAKISTANI = {
    "coordinator",
    "drafter",
    "reviewer",
    "second_reviewer",
    "endorser",
    "bureau_member",
    "agency_member",
    "observer",
}
SEES_IRAQI = {
    "coordinator",
    "drafter",
    "reviewer",
    "second_reviewer",
    "foreign_endorser",
    "observer",
}
PEOPLE = [
    "coordinator",
    "drafter",
    "reviewer",
    "second_reviewer",
    "unassigned_expert",
    "endorser",
    "bureau_member",
    "agency_member",
    "foreign_endorser",
    "foreign_member",
    "observer",
    "other_implementer_coordinator",
    "other_observer",
]


@pytest.mark.parametrize("person", PEOPLE)
def test_results_hold_only_the_policies_the_person_takes_part_in(cast, add_text, policy, person):
    add_text(policy, "Diaspora engagement through consulates.")
    add_text(iraqi(cast, "IQ diaspora policy"), "Diaspora engagement through embassies.")
    expected = set()
    if person in SEES_PAKISTANI:
        expected.add("PK emigration policy")
    if person in SEES_IRAQI:
        expected.add("IQ diaspora policy")
    user = getattr(cast, person)
    assert set(found(user, "diaspora")) == expected
    assert search(user, "diaspora").total == len(expected)


def test_filters_by_country_and_state(cast, add_text, walk, policy):
    add_text(policy, "Diaspora engagement.")
    walk.to(policy, State.EXPERT_REVIEW)
    add_text(iraqi(cast, "IQ diaspora policy"), "Diaspora engagement.")
    assert set(found(cast.coordinator, "diaspora", country="IQ")) == {"IQ diaspora policy"}
    assert set(found(cast.coordinator, "diaspora", state=State.EXPERT_REVIEW)) == {
        "PK emigration policy"
    }


# -- the index and its transaction --------------------------------------------------


def test_a_rolled_back_version_leaves_no_index_row(cast, add_text, policy):
    indexed = []

    def upload_then_fail():
        with transaction.atomic():
            add_text(policy, "Circular migration pilots.")
            indexed.append(SearchEntry.objects.filter(folded__contains="circular").count())
            raise RuntimeError("the request failed after the upload")

    with pytest.raises(RuntimeError):
        upload_then_fail()
    assert indexed[0] > 0
    assert not SearchEntry.objects.filter(folded__contains="circular").exists()
    assert found(cast.coordinator, "circular") == {}


def test_a_refused_change_leaves_the_index_as_it_was(cast, policy):
    register(cast, "Other policy")
    with pytest.raises(Exception):  # noqa: B017, PT011 - the title is taken
        services.update_policy(policy, actor=cast.coordinator, short_title="Other policy")
    assert "PK emigration policy" in found(cast.coordinator, "emigration")


def test_rebuild_writes_the_rows_of_a_record_written_without_the_services(cast):
    with writing_the_record():
        PolicyFactory(
            state=State.ENDORSED,
            short_title="Written directly",
            coordinator=cast.coordinator,
            project=cast.project,
        )
    assert found(cast.coordinator, "directly") == {}
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    hits = found(cast.coordinator, "directly")["Written directly"]
    assert [h.kind for h in hits] == ["title", "short_title"]
    assert "Written directly" in found(cast.coordinator, "sound")  # the review comment
    assert "Written directly" in found(cast.coordinator, '"draft number 1"')  # the text


def test_the_tracked_changes_corpus_is_searched_as_accepted(cast, policy):
    """The Word-made document with 154 insertions and 127 deletions: words
    inserted are found; words only ever deleted are not."""
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.passages import passages
    from documents.selectors import content_of
    from documents.services import add_version
    from tests.factories import DOCX_TYPE
    from workflow.search.folding import words

    corpus = Path(__file__).parent.parent / "documents" / "corpus" / "redline-v1-v2.docx"
    version = add_version(
        policy,
        actor=cast.drafter,
        uploaded_file=SimpleUploadedFile("r.docx", corpus.read_bytes(), content_type=DOCX_TYPE),
    )
    content = content_of(version)
    accepted = {w for passage in passages(content) for w in words(passage.text)}
    accepted |= set(words(f"{policy.title} {policy.short_title} {version.note}"))
    segments = [s for b in content.body if b.kind == "paragraph" for s in b.changes]
    inserted = sorted({w for op, text, *_ in segments if op == "insert" for w in words(text)})
    deleted = {w for op, text, *_ in segments if op == "delete" for w in words(text)}
    only_deleted = sorted(deleted - accepted, key=lambda w: (-len(w), w))
    assert inserted
    assert only_deleted
    for word in inserted[:5]:
        assert "PK emigration policy" in found(cast.coordinator, word), word
    for word in only_deleted[:5]:
        assert found(cast.coordinator, word) == {}, word


def test_a_phrase_matches_its_words_as_written_and_a_word_its_stem(cast, add_text, policy):
    add_text(policy, "Skills recognition services for returning workers.")
    assert "PK emigration policy" in found(cast.coordinator, '"skills recognition"')
    assert "PK emigration policy" in found(cast.coordinator, "skill recognition")
    assert found(cast.coordinator, '"skill recognition"') == {}
