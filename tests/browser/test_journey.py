"""One policy's whole journey, in the browser, through every role.

The coordinator registers it; the drafter uploads a first draft and
submits it; the reviewer requests changes, which sends it back in the same
step; the drafter uploads a second version and submits again; the
reviewer compares the two versions and approves, which clears the review;
both required institutions support it, each confirming first, which moves
it on to the ministry on its own; the ministry endorses it after a confirm
step, and its endorsement record is downloaded.

Each person works in a browser profile of their own, through the pages
only. After every step the test checks both what the page shows and what
the database holds.
"""

import datetime
import hashlib
import io
import re

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from documents.models import GeneratedRecord
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.pages import current_step, policy_state, reload_until_visible, sign_in_on
from tests.factories import docx_upload
from workflow.models import AuditEntry, DocumentVersion, Endorsement, Policy, Review, Support
from workflow.rules import display_name

State = Policy.State
Action = AuditEntry.Action

TITLE = "National Emigration and Welfare Policy for Overseas Pakistanis"
SHORT_TITLE = "PK emigration and welfare"
FIRST_DRAFT = [
    TITLE,
    "Purpose. This policy protects Pakistani emigrants abroad.",
    "Scope. It applies to every worker recruited through licensed overseas employment promoters.",
    "Registration with the Bureau is voluntary.",
]
# One paragraph edited, one replaced by an unrelated one: 1 changed, 1 added, 1 removed.
SECOND_DRAFT = [
    TITLE,
    "Purpose. This policy protects Pakistani emigrants and their families abroad.",
    FIRST_DRAFT[2],
    "Remittances are sent through formal banking channels.",
]
REVISION_REASON = "Section 2 must name the families of emigrants, not only the workers."
REVIEW_COMMENT = "The families are covered now; ready for the institutions."
INSTRUMENT = "Cabinet decision 14/2026"
RECORD_LINK = "Download the endorsement record"

# Names as the people would have them, so that every label on the pages is known.
NAMES = {
    "coordinator": ("Réka", "Szabó"),
    "drafter": ("Amina", "Qureshi"),
    "reviewer": ("Farid", "Rahimi"),
    "second_reviewer": ("Layla", "Hassan"),
    "unassigned_expert": ("Omar", "Siddiqui"),
    "bureau_member": ("Saima", "Akhtar"),
    "agency_member": ("Imran", "Butt"),
    "endorser": ("Nadia", "Malik"),
}


@pytest.fixture
def people(cast):
    """The cast, each with a name of their own (the factories' names may repeat)."""
    for role, (first, last) in NAMES.items():
        user = getattr(cast, role)
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    return cast


@pytest.fixture
def page_of(new_context, transactional_db):
    """``page_of(user)``: the user's page in a browser profile of their own, signed in.

    The same page comes back for the same user, as a person keeps their
    window open between their turns.
    """
    pages = {}

    def open_for(user):
        if user.pk not in pages:
            profile = new_context()
            profile.set_default_timeout(TIMEOUT_MS)
            profile.set_default_navigation_timeout(TIMEOUT_MS)
            pages[user.pk] = sign_in_on(profile, user)
        return pages[user.pk]

    return open_for


def test_one_policy_through_every_role_to_endorsement(
    page, sign_in, page_of, people, screenshot, tmp_path
):
    cast = people
    policy = register(page, sign_in, cast, screenshot)
    first = upload_first_draft_and_submit(page_of(cast.drafter), policy, cast, screenshot, tmp_path)
    request_revision(page_of(cast.reviewer), policy, first, cast, screenshot)
    second = upload_second_draft_and_submit(page_of(cast.drafter), policy, cast, tmp_path)
    compare_approve_and_clear(page_of(cast.reviewer), policy, first, second, cast, screenshot)
    collect_support(page_of, policy, second, cast, screenshot)
    endorse_and_download_the_record(page_of(cast.endorser), policy, second, cast, screenshot)


# -- the steps ----------------------------------------------------------------


def register(page, sign_in, cast, screenshot):
    """The coordinator registers the policy with its people and deadlines."""
    today = timezone.localdate()
    review_due, support_due = today + datetime.timedelta(14), today + datetime.timedelta(45)
    sign_in(cast.coordinator)
    screenshot("coordinator-dashboard")

    page.get_by_role("link", name="New policy", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a new policy")
    field(page, "Title").fill(TITLE)
    field(page, "Short title").fill(SHORT_TITLE)
    field(page, "Country").select_option(label="Pakistan")
    field(page, "Project").select_option(label=str(cast.project))
    field(page, "Lead ministry").select_option(label=f"{cast.ministry.name} (Pakistan)")
    supporters = page.get_by_role("group", name="Required supporting institutions")
    for institution in (cast.bureau, cast.agency):
        supporters.get_by_label(f"{institution.name} (Pakistan)", exact=True).check()
    page.get_by_role("group", name="Drafters").get_by_label(expert(cast.drafter, cast)).check()
    page.get_by_role("group", name="Reviewers").get_by_label(expert(cast.reviewer, cast)).check()
    field(page, "Review due").fill(review_due.isoformat())
    field(page, "Support due").fill(support_due.isoformat())
    screenshot("new-policy-form")
    page.get_by_role("button", name="Register the policy").click()

    expect(page).to_have_url(re.compile(r"/policies/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text(f"“{SHORT_TITLE}” is registered.")).to_be_visible()
    expect_state(page, "Drafting")
    expect(page.get_by_text(f"A first draft from {display_name(cast.drafter)}.")).to_be_visible()
    screenshot("policy-drafting")

    policy = Policy.objects.get(short_title=SHORT_TITLE)
    assert page.url.endswith(f"/policies/{policy.pk}/")
    assert (policy.title, policy.state, policy.country.code) == (TITLE, State.DRAFTING, "PK")
    assert (policy.project, policy.lead_ministry) == (cast.project, cast.ministry)
    assert set(policy.required_supporters.all()) == {cast.bureau, cast.agency}
    assert list(policy.drafters.all()) == [cast.drafter]
    assert list(policy.reviewers.all()) == [cast.reviewer]
    assert (policy.review_due, policy.support_due) == (review_due, support_due)
    registered = AuditEntry.objects.get(policy=policy)
    assert (registered.action, registered.actor, registered.to_state) == (
        Action.REGISTERED,
        cast.coordinator,
        State.DRAFTING,
    )
    return policy


def upload_first_draft_and_submit(page, policy, cast, screenshot, tmp_path):
    """The drafter finds the policy waiting, is told why it cannot go to review
    yet, uploads the first draft and submits it."""
    work = page.get_by_role("table", name="What waits on you, soonest due first")
    row = work.get_by_role("row").filter(has_text=SHORT_TITLE)
    expect(row).to_contain_text("Upload the first draft.")
    screenshot("drafter-dashboard", page)
    row.get_by_role("link", name=SHORT_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # Too early: the page lists the submission as not yet possible, with the reason.
    expect(page.get_by_role("button", name="Submit for review")).to_have_count(0)
    not_yet = page.locator("#not-yet-possible")
    expect(not_yet.get_by_role("heading")).to_have_text("Not yet possible")
    expect(not_yet.get_by_role("listitem").filter(has_text="Submit for review")).to_contain_text(
        "No document version has been uploaded yet."
    )
    screenshot("policy-drafting-not-yet-possible", page)

    version = upload(page, policy, cast, tmp_path, FIRST_DRAFT, "First complete draft.", 1)
    expect(page.locator("#not-yet-possible")).to_have_count(0)
    submit_for_review(page, policy, version, cast)
    screenshot("policy-expert-review", page)
    return version


def request_revision(page, policy, first, cast, screenshot):
    """The reviewer requests changes: one form, one click, and version 1 is back
    with the drafter with a reason they can act on."""
    row = page.get_by_role("row").filter(has_text=SHORT_TITLE)
    expect(row).to_contain_text("Review version 1.")
    screenshot("reviewer-dashboard", page)
    row.get_by_role("link", name=SHORT_TITLE).click()
    expect_state(page, "Expert review")
    # No second form asks for the reason again.
    expect(page.get_by_role("form", name="Request revision", exact=True)).to_have_count(0)

    form = page.get_by_role("form", name="Review version 1")
    field(form, "Comment").fill(REVISION_REASON)
    form.get_by_role("button", name="Request changes", exact=True).click()

    expect_state(page, "Drafting")
    expect(
        page.get_by_text("The draft is back with the drafters, with your comment.")
    ).to_be_visible()
    history = page.get_by_role("region", name="History")
    latest = history.get_by_role("listitem").first
    expect(latest).to_contain_text("Revision requested")
    expect(latest).to_contain_text("from Expert review to Drafting")
    expect(latest).to_contain_text(REVISION_REASON)
    screenshot("policy-revision-requested", page)

    policy.refresh_from_db()
    assert policy.state == State.DRAFTING
    entry = AuditEntry.objects.filter(policy=policy).latest("at", "pk")
    assert (entry.action, entry.actor, entry.version, entry.comment) == (
        Action.REQUEST_REVISION,
        cast.reviewer,
        first,
        REVISION_REASON,
    )
    assert (entry.from_state, entry.to_state) == (State.EXPERT_REVIEW, State.DRAFTING)
    # Recorded as the reviewer's review of version 1 too, in the same step.
    review = Review.objects.get(policy=policy)
    assert (review.decision, review.version, review.comment) == (
        Review.Decision.CHANGES_REQUESTED,
        first,
        REVISION_REASON,
    )


def upload_second_draft_and_submit(page, policy, cast, tmp_path):
    """The drafter may not submit the returned version again; a revised one goes."""
    page.reload()
    expect_state(page, "Drafting")
    expect(page.locator("#not-yet-possible")).to_contain_text(
        "Version 1 was sent back for revision; upload a revised version first."
    )
    version = upload(page, policy, cast, tmp_path, SECOND_DRAFT, "Families included.", 2)
    submit_for_review(page, policy, version, cast)
    return version


def compare_approve_and_clear(page, policy, first, second, cast, screenshot):
    """The reviewer compares the two versions and approves version 2, which clears the review."""
    page.reload()
    expect_state(page, "Expert review")
    compare = page.get_by_role("form", name="Compare two versions")
    compare.get_by_label("Older version").select_option(label="Version 1")
    compare.get_by_label("Newer version").select_option(label="Version 2")
    compare.get_by_role("button", name="Compare the versions").click()

    expect(page).to_have_url(re.compile(rf"/versions/{first.pk}/compare/{second.pk}/$"))
    expect(page.get_by_text("Changes from version 1 to version 2.")).to_be_visible()
    summary = page.get_by_label("Summary of the changes")
    for term, count in (
        ("Paragraphs changed", 1),
        ("Paragraphs added", 1),
        ("Paragraphs removed", 1),
    ):
        expect(summary.locator("div").filter(has_text=term).get_by_role("definition")).to_have_text(
            str(count)
        )
    expect(page.get_by_role("insertion").first).to_have_text("and their families ")
    # Whole paragraphs added and removed are marked as insertion and deletion.
    expect(page.get_by_role("insertion").filter(has_text=SECOND_DRAFT[3])).to_have_count(1)
    expect(page.get_by_role("deletion").filter(has_text=FIRST_DRAFT[3])).to_have_count(1)
    screenshot("comparison", page)

    page.get_by_role("link", name="Back to the policy page").click()
    review = page.get_by_role("form", name="Review version 2")
    field(review, "Comment").fill(REVIEW_COMMENT)
    screenshot("review-form", page)
    review.get_by_role("button", name="Approve and clear", exact=True).click()
    expect(page.get_by_text("Your review of version 2 is recorded: approved.")).to_be_visible()
    reviews = page.get_by_role("region", name="Reviews")
    expect(reviews.get_by_role("row").filter(has_text=REVIEW_COMMENT)).to_contain_text("Approved")

    approved = Review.objects.get(policy=policy, version=second)
    assert (approved.decision, approved.version, approved.reviewer, approved.comment) == (
        Review.Decision.APPROVED,
        second,
        cast.reviewer,
        REVIEW_COMMENT,
    )

    expect_state(page, "Institutional support")
    screenshot("policy-institutional-support", page)
    policy.refresh_from_db()
    assert policy.state == State.INSTITUTIONAL_SUPPORT
    assert last_entry(policy, Action.CLEAR_REVIEW).version == second


def collect_support(page_of, policy, second, cast, screenshot):
    """Both required institutions support version 2; the last moves the policy on."""
    bureau = page_of(cast.bureau_member)
    record_support(bureau, policy, cast.bureau, cast, screenshot, "bureau")
    matrix = support_matrix(bureau, second)
    expect(institution_row(matrix, cast.bureau)).to_contain_text("Supported")
    expect(institution_row(matrix, cast.bureau)).to_contain_text(statement(cast.bureau))
    expect(institution_row(matrix, cast.agency)).to_contain_text("No decision yet")
    expect(bureau.get_by_text(f"Support for version 2 from {cast.agency.name}.")).to_be_visible()
    # The bureau does not speak for the agency: no form for it, nothing left to do.
    expect(bureau.get_by_role("form", name=re.compile("^Decision of"))).to_have_count(0)
    screenshot("policy-one-support", bureau)
    assert [s.organization for s in Support.objects.filter(policy=policy)] == [cast.bureau]
    policy.refresh_from_db()
    assert policy.state == State.INSTITUTIONAL_SUPPORT

    agency = page_of(cast.agency_member)
    record_support(agency, policy, cast.agency, cast, screenshot, "agency")
    expect(
        agency.get_by_text("All required support is in: the policy now awaits endorsement.")
    ).to_be_visible()
    expect_state(agency, "Awaiting endorsement")
    matrix = support_matrix(agency, second)
    for institution in (cast.bureau, cast.agency):
        expect(institution_row(matrix, institution)).to_contain_text("Supported")
    screenshot("policy-awaiting-endorsement", agency)

    policy.refresh_from_db()
    assert policy.state == State.AWAITING_ENDORSEMENT
    supports = Support.objects.filter(policy=policy)
    assert {(s.organization, s.version, s.decision) for s in supports} == {
        (cast.bureau, second, Support.Decision.SUPPORTED),
        (cast.agency, second, Support.Decision.SUPPORTED),
    }
    completed = last_entry(policy, Action.COMPLETE_SUPPORT)
    assert (completed.from_state, completed.to_state, completed.version) == (
        State.INSTITUTIONAL_SUPPORT,
        State.AWAITING_ENDORSEMENT,
        second,
    )


def endorse_and_download_the_record(page, policy, second, cast, screenshot):
    """The ministry endorses version 2; its record is downloaded and checked."""
    # The day the policy was submitted (today): an endorsement may not predate it.
    endorsed_on = timezone.localdate()
    row = page.get_by_role("row").filter(has_text=SHORT_TITLE)
    expect(row).to_contain_text("Endorse version 2, or return it for revision.")
    screenshot("endorser-dashboard", page)
    row.get_by_role("link", name=SHORT_TITLE).click()
    expect_state(page, "Awaiting endorsement")

    form = page.get_by_role("form", name="Endorse", exact=True)
    field(form, "Instrument").fill(INSTRUMENT)
    field(form, "Date of endorsement").fill(endorsed_on.isoformat())
    form.get_by_role("button", name="Endorse", exact=True).click()

    # The confirm step says what will happen and who will be told; nothing is recorded yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm the endorsement")
    told = page.locator("#confirm")
    expect(told).to_contain_text(f"endorses version 2 by {INSTRUMENT}")
    for person in (cast.coordinator, cast.drafter, cast.reviewer, cast.bureau_member):
        expect(told).to_contain_text(display_name(person))
    screenshot("confirm-endorsement", page)
    assert not Endorsement.objects.filter(policy=policy).exists()
    page.get_by_role("button", name="Endorse version 2", exact=True).click()

    expect_state(page, "Endorsed")
    endorsement_card = page.get_by_role("region", name="Endorsement")
    expect(endorsement_card).to_contain_text(INSTRUMENT)
    expect(endorsement_card).to_contain_text("Version 2")
    policy.refresh_from_db()
    assert policy.state == State.ENDORSED
    endorsement = Endorsement.objects.get(policy=policy)
    assert (endorsement.instrument, endorsement.endorsed_on, endorsement.version) == (
        INSTRUMENT,
        endorsed_on,
        second,
    )
    assert (endorsement.endorsed_by, endorsement.ministry) == (cast.endorser, cast.ministry)
    assert last_entry(policy, Action.ENDORSE).details["instrument"] == INSTRUMENT

    # The record is made after the commit: reload until its link is there.
    link = reload_until_visible(page, page.get_by_role("link", name=RECORD_LINK))
    expect(link).to_be_visible()
    screenshot("policy-endorsed", page)
    with page.expect_download() as started:
        link.click()
    download = started.value
    content = download.path().read_bytes()

    record = GeneratedRecord.objects.get(endorsement=endorsement)
    assert record.kind == GeneratedRecord.Kind.ENDORSEMENT_RECORD
    assert download.suggested_filename == record.file_name
    assert record.file_name.endswith(".docx")
    assert hashlib.sha256(content).hexdigest() == record.sha256
    assert INSTRUMENT in docx_text(content)


# -- what the steps share -------------------------------------------------------


def upload(page, policy, cast, tmp_path, paragraphs, note, number):
    """Uploads a .docx of ``paragraphs`` as version ``number`` and checks it was stored as sent."""
    name = f"emigration-policy-v{number}.docx"
    content = docx_upload(*paragraphs, name=name).read()
    path = tmp_path / name
    path.write_bytes(content)

    form = page.get_by_role("form", name="Upload a new version")
    form.get_by_label("Word document (.docx)").set_input_files(path)
    form.get_by_label("Note (optional)").fill(note)
    form.get_by_role("button", name="Upload the version").click()

    expect(page.get_by_text(f"Version {number} ({name}) was added.")).to_be_visible()
    versions = page.get_by_role("region", name="Versions")
    expect(versions.get_by_role("row").filter(has_text=name)).to_contain_text(note)
    version = DocumentVersion.objects.defer("extraction").get(policy=policy, number=number)
    assert (version.original_name, version.uploaded_by, version.note) == (name, cast.drafter, note)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.size == len(content)
    added = last_entry(policy, Action.VERSION_ADDED)
    assert (added.version, added.actor) == (version, cast.drafter)
    return version


def submit_for_review(page, policy, version, cast):
    page.get_by_role("button", name="Submit for review", exact=True).click()
    expect_state(page, "Expert review")
    expect(
        page.get_by_text(
            f"Expert review of version {version.number} by {display_name(cast.reviewer)}."
        )
    ).to_be_visible()
    policy.refresh_from_db()
    assert policy.state == State.EXPERT_REVIEW
    assert policy.current_version == version
    submitted = last_entry(policy, Action.SUBMIT_FOR_REVIEW)
    assert (submitted.actor, submitted.version) == (cast.drafter, version)


def record_support(page, policy, institution, cast, screenshot, who):
    """An institution member finds the task on the dashboard and records support."""
    row = page.get_by_role("row").filter(has_text=SHORT_TITLE)
    expect(row).to_contain_text(f"Record the decision of {institution.name} on version 2.")
    screenshot(f"{who}-dashboard", page)
    row.get_by_role("link", name=SHORT_TITLE).click()
    expect_state(page, "Institutional support")

    form = page.get_by_role("form", name=f"Decision of {institution.name} on version 2")
    form.get_by_label("Supported").check()
    form.get_by_label("Statement").fill(statement(institution))
    form.get_by_role("button", name=f"Record the decision of {institution.short_name}").click()
    # A confirm step: what will happen and who will be told; nothing is recorded yet.
    confirm = page.get_by_role("form", name=f"Confirm the decision of {institution.name}")
    expect(page.get_by_text(f"{institution.name} supports version 2.")).to_be_visible()
    expect(page.get_by_text(f"The coordinators: {display_name(cast.coordinator)}")).to_be_visible()
    screenshot(f"{who}-confirm-support", page)
    assert not Support.objects.filter(policy=policy, organization=institution).exists()
    confirm.get_by_role("button", name="Record the support").click()
    expect(
        page.get_by_text(f"The decision of {institution.name} on version 2 is recorded: supported.")
    ).to_be_visible()
    support = Support.objects.get(policy=policy, organization=institution)
    assert (support.decision, support.statement) == (
        Support.Decision.SUPPORTED,
        statement(institution),
    )
    assert support.recorded_by == getattr(cast, f"{who}_member")
    assert last_entry(policy, Action.SUPPORT).details["organization"] == institution.name


def field(scope, label):
    """A form field by its label; a required field's label ends with an asterisk."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def expect_state(page, label):
    expect(policy_state(page)).to_have_text(label)
    expect(current_step(page)).to_have_text(label)


def support_matrix(page, version):
    name = (
        f"Decisions of the required institutions on version {version.number}, "
        "the current version. Only these count."
    )
    return page.get_by_role("table", name=name)


def institution_row(matrix, institution):
    # The inner locator is relative to each row, so it starts from the page.
    header = matrix.page.get_by_role("rowheader", name=institution.name, exact=True)
    return matrix.get_by_role("row").filter(has=header)


def statement(institution):
    return f"{institution.name} supports the policy as drafted in version 2."


def expert(user, cast):
    """How the policy form names an expert: full name and organisation."""
    return f"{display_name(user)} — {cast.implementer.name}"


def last_entry(policy, action):
    return AuditEntry.objects.filter(policy=policy, action=action).latest("at", "pk")


def docx_text(content):
    """Every paragraph and table cell of a .docx, as one string."""
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(texts)
