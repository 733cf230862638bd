"""The policy page's one-step review decisions, its confirm step before acts that
cannot be taken back, its warning about unresolved changes, and its corrections."""

import html as markup
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents.services import add_version
from tests.web.test_policy_actions import last_audit, post_action, snapshot
from tests.web.test_policy_page import action_url, forms_posting_to, page_of
from workflow import services
from workflow.models import AuditEntry, Endorsement, Policy, Review, Support, VersionWithdrawal
from workflow.rules import display_name

pytestmark = pytest.mark.django_db
State = Policy.State
Action = AuditEntry.Action
CORPUS = Path(__file__).parents[1] / "documents" / "corpus"


def revision(policy):
    return Policy.objects.get(pk=policy.pk).revision


def review(client, policy, decision, comment="", **extra):
    return client.post(
        reverse("web:review", args=[policy.pk]),
        {
            "revision": revision(policy),
            "version": policy.current_version.pk,
            "decision": decision,
            "comment": comment,
            **extra,
        },
    )


def support(client, policy, organization, decision, statement="", **extra):
    return client.post(
        reverse("web:support", args=[policy.pk]),
        {
            "revision": revision(policy),
            "organization": organization.pk,
            "version": policy.current_version.pk,
            "decision": decision,
            "statement": statement,
            **extra,
        },
    )


def text_of(response):
    """The page's text, tags and entities aside."""
    return " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# -- one-step decisions ------------------------------------------------------------


def test_request_changes_is_one_post_that_returns_the_draft(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    client = page_client(cast.reviewer)
    before = snapshot(new_policy)

    response = review(client, new_policy, "changes_requested", "Name the families.")

    assert response.status_code == 303
    shown = client.get(response.url).content.decode()
    assert "The draft is back with the drafters, with your comment." in shown
    new_policy.refresh_from_db()
    assert new_policy.state == State.DRAFTING
    after = snapshot(new_policy)
    assert after["reviews"] == before["reviews"] + 1
    assert after["audit"] == before["audit"] + 2  # the review, and the request for revision
    entry = last_audit(new_policy)
    assert (entry.action, entry.comment) == (Action.REQUEST_REVISION, "Name the families.")


def test_approving_waits_and_says_for_whom(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    services.record_review(
        new_policy,
        actor=cast.second_reviewer,
        decision=Review.Decision.CHANGES_REQUESTED,
        comment="Costs are missing.",
    )
    client = page_client(cast.reviewer)
    page = page_of(page_client, cast.reviewer, new_policy)
    waiting = f"{display_name(cast.second_reviewer)} requested changes to version 1."
    form = page[page.index('id="form-review"') :]
    form = form[: form.index("</form>")]
    assert "Approving does not clear the review yet; clearing waits for:" in form
    assert waiting in form
    assert ">Approve</button>" in form

    response = review(client, new_policy, "approved")

    assert response.status_code == 303
    shown = client.get(response.url).content.decode()
    assert "The review is not cleared yet; see what it waits for." in shown
    assert waiting in shown
    new_policy.refresh_from_db()
    assert new_policy.state == State.EXPERT_REVIEW
    assert last_audit(new_policy).action == Action.REVIEW


def test_a_review_without_a_decision_is_400(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    before = snapshot(new_policy)
    response = review(page_client(cast.reviewer), new_policy, "", "Fine.")
    assert response.status_code == 400
    assert "Choose a review decision." in response.content.decode()
    assert snapshot(new_policy) == before


# -- the confirm step ----------------------------------------------------------------


def test_support_asks_to_confirm_and_names_who_will_be_told(page_client, cast, new_policy, walk):
    walk.to(new_policy, State.INSTITUTIONAL_SUPPORT)
    client = page_client(cast.bureau_member)
    before = snapshot(new_policy)

    response = support(client, new_policy, cast.bureau, "supported", "We support it.")

    assert response.status_code == 200
    assert snapshot(new_policy) == before  # nothing written, not even a notification
    text = text_of(response)
    assert f"{cast.bureau.name} supports version 1." in text
    assert "this decision is final for version 1" in text
    assert f"The coordinators: {display_name(cast.coordinator)}" in text
    assert "awaits endorsement" not in text  # the agency has not decided yet
    html = response.content.decode()
    assert '<input type="hidden" name="confirmed" value="1">' in html
    assert '<input type="hidden" name="statement" value="We support it.">' in html
    assert not re.findall(r"<script(?![^>]*\bsrc=)", html)  # no inline script

    response = support(client, new_policy, cast.bureau, "supported", "We support it.", confirmed=1)
    assert response.status_code == 303
    assert Support.objects.filter(organization=cast.bureau).count() == 1


def test_the_last_support_says_the_ministry_will_be_asked(page_client, cast, policy_in):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        new_policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
    )
    response = support(page_client(cast.agency_member), new_policy, cast.agency, "supported")
    assert response.status_code == 200
    text = text_of(response)
    assert "It is the last support required: the policy then awaits endorsement by" in text
    assert f"The lead ministry: {display_name(cast.endorser)}" in text


def test_a_decline_asks_to_confirm_and_tells_coordinators_and_drafters(
    page_client, cast, policy_in
):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    client = page_client(cast.bureau_member)
    before = snapshot(new_policy)
    response = support(client, new_policy, cast.bureau, "declined", "Not this text.")
    assert response.status_code == 200
    assert snapshot(new_policy) == before
    text = text_of(response)
    assert f"{cast.bureau.name} declines to support version 1." in text
    assert f"The coordinators: {display_name(cast.coordinator)}" in text
    assert f"The drafters: {display_name(cast.drafter)}" in text
    assert ">Decline support</button>" in response.content.decode()


def test_a_refused_decision_is_refused_before_any_confirm_step(page_client, cast, policy_in):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    before = snapshot(new_policy)
    response = support(page_client(cast.bureau_member), new_policy, cast.bureau, "declined")
    assert response.status_code == 400
    assert "Say why the institution declines." in response.content.decode()
    assert "What will happen" not in response.content.decode()
    assert snapshot(new_policy) == before


def test_endorsing_asks_to_confirm_and_names_everyone_told(page_client, cast, new_policy, walk):
    walk.to(new_policy, State.AWAITING_ENDORSEMENT)
    client = page_client(cast.endorser)
    before = snapshot(new_policy)
    fields = {"instrument": "Cabinet decision 7/2026", "date": timezone.localdate().isoformat()}

    response = post_action(client, new_policy, "endorse", **fields)

    assert response.status_code == 200
    assert snapshot(new_policy) == before
    assert not Endorsement.objects.exists()
    text = text_of(response)
    assert "endorses version 1 by Cabinet decision 7/2026" in text
    assert "This is final" in text
    for audience, person in (
        ("The coordinators", cast.coordinator),
        ("The drafters", cast.drafter),
        ("The reviewers", cast.reviewer),
        ("The required institutions", cast.bureau_member),
        ("The donors", cast.observer),
    ):
        assert audience in text
        assert display_name(person) in text
    assert display_name(cast.endorser) not in text.split("Who will be told")[1]

    response = post_action(client, new_policy, "endorse", confirmed="1", **fields)
    assert response.status_code == 303
    assert Endorsement.objects.filter(policy=new_policy).exists()


def test_withdrawing_asks_to_confirm(page_client, cast, new_policy):
    client = page_client(cast.coordinator)
    before = snapshot(new_policy)
    response = post_action(client, new_policy, "withdraw", comment="Mandate ended.")
    assert response.status_code == 200
    assert snapshot(new_policy) == before
    text = text_of(response)
    assert "The policy is withdrawn" in text
    assert f"The drafters: {display_name(cast.drafter)}" in text
    assert "Go back without recording anything" in text


def test_a_stale_confirmation_is_409_and_records_nothing(page_client, cast, new_policy):
    client = page_client(cast.coordinator)
    shown = revision(new_policy)
    assert post_action(client, new_policy, "withdraw", comment="Ended.").status_code == 200
    services.update_policy(new_policy, actor=cast.coordinator, summary="Changed meanwhile.")
    before = snapshot(new_policy)
    response = post_action(
        client, new_policy, "withdraw", comment="Ended.", confirmed="1", revision=shown
    )
    assert response.status_code == 409
    assert snapshot(new_policy) == before


# -- the warning about unresolved changes --------------------------------------------


def tracked(policy, cast):
    content = (CORPUS / "redline-v1-v2.docx").read_bytes()
    return add_version(
        policy, actor=cast.drafter, uploaded_file=SimpleUploadedFile("tracked.docx", content)
    )


def test_submitting_warns_and_needs_the_box_ticked(page_client, cast, new_policy):
    tracked(new_policy, cast)
    client = page_client(cast.drafter)
    page = page_of(page_client, cast.drafter, new_policy)
    form = page[page.index('id="form-submit_for_review"') :]
    form = form[: form.index("</form>")]
    assert "Version 1 still has tracked changes (281) and comments (0)." in form
    assert 'name="acknowledged"' in form
    before = snapshot(new_policy)

    response = post_action(client, new_policy, "submit_for_review")
    assert response.status_code == 400
    assert "Confirm that you have seen them." in response.content.decode()
    assert snapshot(new_policy) == before

    response = post_action(client, new_policy, "submit_for_review", acknowledged="on")
    assert response.status_code == 303
    entry = last_audit(new_policy)
    assert entry.action == Action.SUBMIT_FOR_REVIEW
    assert entry.details["acknowledged"] == {"tracked_changes": 281, "comments": 0}
    shown = client.get(response.url).content.decode()
    assert (
        "Went ahead knowing that the version still had tracked changes (281) and comments (0)."
    ) in shown


def test_a_clean_version_shows_no_warning(page_client, cast, new_policy, walk):
    walk.upload(new_policy)
    page = page_of(page_client, cast.drafter, new_policy)
    assert 'name="acknowledged"' not in page


def test_approving_warns_and_needs_the_box_ticked(page_client, cast, new_policy):
    tracked(new_policy, cast)
    services.perform_transition(
        new_policy, "submit_for_review", actor=cast.drafter, acknowledged=True
    )
    client = page_client(cast.reviewer)
    assert 'id="form-review-unresolved"' in page_of(page_client, cast.reviewer, new_policy)
    response = review(client, new_policy, "approved")
    assert response.status_code == 400
    assert not Review.objects.exists()
    response = review(client, new_policy, "approved", acknowledged="on")
    assert response.status_code == 303
    entry = AuditEntry.objects.get(policy=new_policy, action=Action.REVIEW)
    assert entry.details["acknowledged"] == {"tracked_changes": 281, "comments": 0}


# -- corrections ------------------------------------------------------------------


def test_the_drafter_recalls_a_submission_from_the_page(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    page = page_of(page_client, cast.drafter, new_policy)
    assert forms_posting_to(page, action_url(new_policy, "recall"))
    client = page_client(cast.drafter)
    response = post_action(client, new_policy, "recall", comment="Wrong annex attached.")
    assert response.status_code == 303
    new_policy.refresh_from_db()
    assert new_policy.state == State.DRAFTING
    assert last_audit(new_policy).action == Action.RECALL
    shown = client.get(response.url).content.decode()
    assert "Submission recalled" in shown


def test_after_a_review_the_page_offers_no_recall(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    services.record_review(
        new_policy, actor=cast.second_reviewer, decision="changes_requested", comment="x"
    )
    page = page_of(page_client, cast.drafter, new_policy)
    assert not forms_posting_to(page, action_url(new_policy, "recall"))
    assert "so the submission can no longer be recalled" in page


def test_the_drafter_withdraws_a_version_from_the_page(page_client, cast, new_policy, walk):
    first = walk.upload(new_policy)
    second = walk.upload(new_policy)
    url = reverse("web:withdraw_version", args=[new_policy.pk])
    page = page_of(page_client, cast.drafter, new_policy)
    assert forms_posting_to(page, url)
    assert "Withdraw version 2" in page
    # Others see no such form.
    assert not forms_posting_to(page_of(page_client, cast.reviewer, new_policy), url)

    client = page_client(cast.drafter)
    data = {"revision": revision(new_policy), "version": second.pk, "reason": ""}
    before = snapshot(new_policy)
    assert client.post(url, data).status_code == 400
    assert snapshot(new_policy) == before

    response = client.post(url, {**data, "reason": "Wrong file uploaded."})
    assert response.status_code == 303
    assert VersionWithdrawal.objects.get().version == second
    new_policy.refresh_from_db()
    assert new_policy.current_version == first
    shown = client.get(response.url).content.decode()
    assert "Version 2 is withdrawn; it stays in the history." in shown
    assert "withdrawn</span>" in shown
    assert "Wrong file uploaded." in shown
    assert "Withdraw version 1" in shown  # nobody acted on version 1 either


def test_a_submitted_version_offers_no_withdrawal(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    services.perform_transition(
        new_policy, "request_revision", actor=cast.coordinator, comment="Not yet."
    )
    page = page_of(page_client, cast.drafter, new_policy)
    assert not forms_posting_to(page, reverse("web:withdraw_version", args=[new_policy.pk]))
