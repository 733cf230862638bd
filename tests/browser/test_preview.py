"""A reviewer reading a draft in the browser: the contents list jumps to a
chapter, tracked changes are marked, and each Word comment stands beside its
paragraph."""

from django.core.files.base import ContentFile
from playwright.sync_api import expect

from documents.services import add_version
from tests.browser.pages import sign_in_on
from tests.documents import make_docs as md


def marked_draft():
    chapters = "".join(
        md.paragraph(f"Chapter {n}", style="Heading1")
        + "".join(md.paragraph(f"Paragraph {n}.{k} of the policy text.") for k in range(1, 30))
        for n in range(1, 6)
    )
    return md.docx_bytes(
        md.paragraph("Fees ", md.inserted("are "), md.deleted("were "), "paid by employers.")
        + md.paragraph('<w:commentRangeStart w:id="0"/>', "Workers register abroad.")
        + chapters,
        styles=md.HEADINGS_STYLES,
        comments=md.comments(("Omar Reviewer", "Who keeps the register?")),
    )


def test_the_preview_shows_changes_comments_and_an_outline(context, cast, new_policy, screenshot):
    version = add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=ContentFile(marked_draft(), name="marked.docx"),
    )
    page = sign_in_on(context, cast.reviewer)
    page.goto(f"/documents/versions/{version.pk}/preview/")

    document = page.locator(".document")
    expect(document.locator("ins").first).to_have_text("are ")
    expect(document.locator("ins").first).to_have_attribute(
        "title", "Inserted by Reviewer, 1 January 2024"
    )
    expect(document.locator("del").first).to_have_text("were ")
    comment = document.get_by_text("Who keeps the register?")
    expect(comment).to_be_visible()
    # The comment stands after its paragraph and before the next one.
    anchored = page.locator("#p-2").bounding_box()["y"]
    following = page.locator("#p-3").bounding_box()["y"]
    assert anchored < comment.bounding_box()["y"] < following
    screenshot("changes-and-comments", page)

    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="Chapter 4").click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#p-{3 + 3 * 30}")
    chapter = page.locator(f"#p-{3 + 3 * 30}")
    expect(chapter).to_have_text("Chapter 4")
    expect(chapter).to_be_in_viewport()
    screenshot("outline-jump", page)
