"""Decisions in the browser: the warning about tracked changes a drafter must go
past, a decline confirmed (and first backed out of), and an approval that waits
for another reviewer and says for whom."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from documents.services import add_version
from tests.browser.pages import policy_state, sign_in_on
from workflow import services
from workflow.models import AuditEntry, Policy, Review, Support
from workflow.rules import display_name

State = Policy.State
CORPUS = Path(__file__).parents[1] / "documents" / "corpus"


def open_policy(context, user, policy):
    page = sign_in_on(context, user)
    page.goto(f"/policies/{policy.pk}/")
    return page


def test_submitting_a_version_with_tracked_changes_needs_the_warning_ticked(
    context, cast, new_policy, screenshot
):
    content = (CORPUS / "redline-v1-v2.docx").read_bytes()
    add_version(
        new_policy, actor=cast.drafter, uploaded_file=SimpleUploadedFile("tracked.docx", content)
    )
    page = open_policy(context, cast.drafter, new_policy)
    form = page.get_by_role("form", name="Submit for review", exact=True)
    expect(form).to_contain_text("Version 1 still has tracked changes (281) and comments (0).")
    screenshot("warning", page)

    form.get_by_role("button", name="Submit for review").click()
    form = page.get_by_role("form", name="Submit for review", exact=True)
    expect(form).to_contain_text("Confirm that you have seen them.")
    expect(policy_state(page)).to_have_text("Drafting")
    screenshot("warning-not-ticked", page)

    form.get_by_label("I have seen the tracked changes and comments still in this version.").check()
    form.get_by_role("button", name="Submit for review").click()
    expect(policy_state(page)).to_have_text("Expert review")
    expect(page.get_by_role("region", name="History")).to_contain_text(
        "Went ahead knowing that the version still had tracked changes (281) and comments (0)."
    )
    entry = AuditEntry.objects.filter(policy=new_policy).latest("pk")
    assert entry.details["acknowledged"] == {"tracked_changes": 281, "comments": 0}


def test_a_decline_is_confirmed_and_can_be_backed_out_of(
    context, cast, new_policy, walk, screenshot
):
    walk.to(new_policy, State.INSTITUTIONAL_SUPPORT)
    page = open_policy(context, cast.bureau_member, new_policy)
    form = page.get_by_role("form", name=f"Decision of {cast.bureau.name} on version 1")
    form.get_by_label("Declined").check()
    form.get_by_label("Statement").fill("Section 4 contradicts our mandate.")
    form.get_by_role("button", name=f"Record the decision of {cast.bureau.short_name}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Confirm the decision of {cast.bureau.name}"
    )
    summary = page.locator("#confirm")
    expect(summary).to_contain_text(f"{cast.bureau.name} declines to support version 1.")
    expect(summary).to_contain_text(f"The coordinators: {display_name(cast.coordinator)}")
    expect(summary).to_contain_text(f"The drafters: {display_name(cast.drafter)}")
    screenshot("confirm-decline", page)

    page.get_by_role("link", name="Go back without recording anything").click()
    expect(policy_state(page)).to_have_text("Institutional support")
    assert not Support.objects.exists()

    form = page.get_by_role("form", name=f"Decision of {cast.bureau.name} on version 1")
    form.get_by_label("Declined").check()
    form.get_by_label("Statement").fill("Section 4 contradicts our mandate.")
    form.get_by_role("button", name=f"Record the decision of {cast.bureau.short_name}").click()
    page.get_by_role("button", name="Decline support").click()
    expect(
        page.get_by_text(f"The decision of {cast.bureau.name} on version 1 is recorded: declined.")
    ).to_be_visible()
    support = Support.objects.get()
    assert (support.organization, support.decision) == (cast.bureau, "declined")


def test_an_approval_that_cannot_clear_yet_says_for_whom_it_waits(
    context, cast, new_policy, walk, screenshot
):
    walk.to(new_policy, State.EXPERT_REVIEW)
    services.record_review(
        new_policy,
        actor=cast.second_reviewer,
        decision=Review.Decision.CHANGES_REQUESTED,
        comment="The costs are missing.",
    )
    page = open_policy(context, cast.reviewer, new_policy)
    form = page.get_by_role("form", name="Review version 1")
    waiting = f"{display_name(cast.second_reviewer)} requested changes to version 1."
    expect(form).to_contain_text(waiting)
    form.get_by_role("button", name="Approve", exact=True).click()
    expect(
        page.get_by_text("The review is not cleared yet; see what it waits for.")
    ).to_be_visible()
    expect(page.locator("#not-yet-possible")).to_contain_text(waiting)
    expect(policy_state(page)).to_have_text("Expert review")
    screenshot("approval-waits", page)
    assert Review.objects.filter(reviewer=cast.reviewer, decision="approved").count() == 1
