"""A reviewer's marked-up copy: kept with the review, its comments placed in the version."""

import functools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services as documents
from tests.documents.make_docs import (
    HEADINGS_STYLES,
    comments,
    deleted,
    docx_bytes,
    inserted,
    paragraph,
)
from tests.documents.test_add_version import HOSTILE, stored_files
from workflow.models import AuditEntry, MarkedUpCopy, Policy, Review

pytestmark = pytest.mark.django_db
State = Policy.State

REVIEWED = [
    ("4. Return and reintegration", "Heading1"),
    ("4.1 The state assists returnees on arrival.", None),
    ("4.2 Returnees receive a reintegration grant within thirty days.", None),
    ("Consular services are open to every citizen abroad.", None),
    ("Diaspora investment is promoted through a single window.", None),
]


@functools.cache
def reviewed_docx():
    """The reviewed version's bytes, made once: a zip stamps its entries with the
    time, so two makings a second apart differ."""
    body = "".join(paragraph(text, style=style) for text, style in REVIEWED)
    return docx_bytes(body, styles=HEADINGS_STYLES)


def commented(comment_id, *content):
    """Runs anchored to comment ``comment_id``: its range, then its mark."""
    return (
        f'<w:commentRangeStart w:id="{comment_id}"/>{"".join(content)}'
        f'<w:commentRangeEnd w:id="{comment_id}"/>'
        f'<w:r><w:commentReference w:id="{comment_id}"/></w:r>'
    )


def run(text):
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def marked_up_docx():
    """The reviewed text with a paragraph added at the top, tracked changes in
    4.2 and the consular paragraph, and comments in three paragraphs."""
    body = "".join(
        [
            paragraph(inserted("Summary added by the reviewer for the minister.", 9)),
            paragraph("4. Return and reintegration", style="Heading1"),
            paragraph("4.1 The state assists returnees on arrival."),
            paragraph(
                run("4.2 Returnees receive a "),
                commented(0, run("reintegration grant")),
                run(" within "),
                deleted("thirty", 3),
                inserted("sixty", 4),
                run(" days."),
            ),
            paragraph(
                commented(1, run("Consular services")),
                run(" are open to every citizen abroad"),
                inserted(" and their families", 5),
                run("."),
            ),
            paragraph(
                run("Diaspora investment is promoted through a "),
                commented(2, run("single window")),
                run("."),
            ),
        ]
    )
    return docx_bytes(
        body,
        styles=HEADINGS_STYLES,
        comments=comments(
            ("Reviewer", "Name the ministry that pays it."),
            ("Reviewer", "Families too: say so."),
            ("Reviewer", "Which ministry runs the window?"),
        ),
    )


@pytest.fixture
def in_review(new_policy, cast):
    documents.add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=SimpleUploadedFile("policy.docx", reviewed_docx()),
    )
    from workflow import services

    services.perform_transition(new_policy, "submit_for_review", actor=cast.drafter)
    return new_policy


def review_with(policy, cast, content, **review):
    return documents.record_review_with_copy(
        policy,
        actor=cast.reviewer,
        decision=review.pop("decision", Review.Decision.CHANGES_REQUESTED),
        comment=review.pop("comment", "See my marks."),
        marked_up_copy=SimpleUploadedFile("policy reviewed.docx", content),
        **review,
    )


def test_each_comment_is_placed_at_its_paragraph_of_the_reviewed_version(in_review, cast):
    review = review_with(in_review, cast, marked_up_docx(), decide=True)

    copy = MarkedUpCopy.objects.get(review=review)
    assert copy.version == in_review.versions.get()
    assert copy.original_name == "policy reviewed.docx"
    assert copy.tracked_insertions == 3
    assert copy.tracked_deletions == 1
    placed = {c["text"]: c for c in copy.comments}
    grant = placed["Name the ministry that pays it."]
    # Paragraph 3 of the reviewed version, though the copy's 4th (a paragraph was added above).
    assert (grant["anchored_text"], grant["paragraph"], grant["section"]) == (
        "reintegration grant",
        3,
        "4.2",
    )
    consular = placed["Families too: say so."]
    assert (consular["anchored_text"], consular["paragraph"], consular["section"]) == (
        "Consular services",
        4,
        "4",  # under heading 4, unnumbered itself
    )
    window = placed["Which ministry runs the window?"]
    assert (window["anchored_text"], window["paragraph"]) == ("single window", 5)
    assert all(c["author"] == "Reviewer" for c in copy.comments)
    # The review and the transition it led to, as without a copy.
    in_review.refresh_from_db()
    assert in_review.state == State.DRAFTING


def test_the_copy_is_written_with_the_review_or_not_at_all(in_review, cast):
    files_before = stored_files()
    with pytest.raises(PermissionDenied):
        documents.record_review_with_copy(
            in_review,
            actor=cast.drafter,
            decision=Review.Decision.APPROVED,
            marked_up_copy=SimpleUploadedFile("x.docx", marked_up_docx()),
        )
    assert not MarkedUpCopy.objects.exists()
    assert not Review.objects.exists()
    assert stored_files() == files_before


@pytest.mark.parametrize("case", ["zip bomb", "billion laughs", "OLE embedding", "unreadable"])
def test_a_hostile_marked_up_copy_refuses_the_review_and_stores_nothing(in_review, cast, case):
    make, code = HOSTILE[case]
    files_before = stored_files()
    reviews_before = AuditEntry.objects.filter(action="review").count()
    with pytest.raises(ValidationError) as refused:
        review_with(in_review, cast, make())
    assert refused.value.code == code
    assert not Review.objects.exists()
    assert not MarkedUpCopy.objects.exists()
    assert stored_files() == files_before
    assert AuditEntry.objects.filter(action="review").count() == reviews_before


def test_the_unmarked_version_is_not_a_marked_up_copy(in_review, cast):
    with pytest.raises(ValidationError) as refused:
        review_with(in_review, cast, reviewed_docx())
    assert refused.value.code == "duplicate"
    assert not Review.objects.exists()
