"""Acting on a policy through its page: each post goes through one service and
either writes its rows and goes back to the page, or writes nothing and says why."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from tests.factories import docx_upload
from workflow import clock, services
from workflow.models import AuditEntry, DocumentVersion, Endorsement, Policy, Review, Support

pytestmark = pytest.mark.django_db
State = Policy.State


def snapshot(policy):
    """Everything a post could write."""
    policy = Policy.objects.get(pk=policy.pk)
    return {
        "state": policy.state,
        "revision": policy.revision,
        "versions": DocumentVersion.objects.count(),
        "reviews": Review.objects.count(),
        "supports": Support.objects.count(),
        "endorsements": Endorsement.objects.count(),
        "audit": AuditEntry.objects.count(),
        "outbox": OutboxMessage.objects.count(),
    }


def post_action(client, policy, name, **data):
    data.setdefault("revision", Policy.objects.get(pk=policy.pk).revision)
    return client.post(reverse("web:action", args=[policy.pk, name]), data)


def assert_back_on_the_page(response, policy, client, message):
    assert response.status_code == 303
    assert response.url == reverse("web:policy", args=[policy.pk])
    page = client.get(response.url).content.decode()
    assert message in page


def last_audit(policy):
    return AuditEntry.objects.filter(policy=policy).order_by("-at", "-pk").first()


# -- 404, 403 and CSRF ---------------------------------------------------------------


def endpoints(policy):
    return [
        reverse("web:action", args=[policy.pk, "withdraw"]),
        reverse("web:action", args=[policy.pk, "submit_for_review"]),
        reverse("web:review", args=[policy.pk]),
        reverse("web:support", args=[policy.pk]),
        reverse("web:upload", args=[policy.pk]),
    ]


def test_a_foreign_user_gets_404_on_every_endpoint(page_client, cast, policy_in):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    client = page_client(cast.foreign_member)
    before = snapshot(new_policy)
    data = {
        "revision": new_policy.revision,
        "comment": "Stop.",
        "decision": "supported",
        "organization": cast.foreign_institution.pk,
        "version": new_policy.current_version.pk,
        "file": docx_upload("Foreign text."),
    }
    for url in endpoints(new_policy):
        assert client.post(url, data).status_code == 404, url
    assert snapshot(new_policy) == before


def test_an_unknown_action_is_404(page_client, cast, new_policy):
    before = snapshot(new_policy)
    unknown = f"/policies/{new_policy.pk}/actions/delete/"
    response = page_client(cast.coordinator).post(unknown, {"revision": new_policy.revision})
    assert response.status_code == 404
    assert snapshot(new_policy) == before


def test_visiting_an_endpoint_goes_to_the_policy_page(page_client, client, cast, new_policy):
    """After a refused post the address shown is the endpoint's; the language
    switch and the sign-in page send people back there, by GET."""
    page = reverse("web:policy", args=[new_policy.pk])
    signed_in = page_client(cast.coordinator)
    foreign = page_client(cast.foreign_member)
    before = snapshot(new_policy)
    for url in endpoints(new_policy):
        for method in (signed_in.get, signed_in.head):
            response = method(url)
            assert (response.status_code, response.url) == (302, page), url
        for method in (signed_in.put, signed_in.delete, signed_in.patch):
            assert method(url).status_code == 405, url
        assert foreign.get(url).status_code == 404, url
        # Signed out: to the sign-in page, which comes back here, then to the page.
        assert client.get(url).url == f"/accounts/login/?next={url}"
    unknown = f"/policies/{new_policy.pk}/actions/delete/"
    assert signed_in.get(unknown).status_code == 404
    assert snapshot(new_policy) == before


def test_an_action_the_user_may_not_take_is_403(page_client, cast, policy_in):
    new_policy = policy_in(State.AWAITING_ENDORSEMENT)
    before = snapshot(new_policy)
    response = post_action(
        page_client(cast.bureau_member),
        new_policy,
        "endorse",
        instrument="Decision 1",
        date=timezone.localdate().isoformat(),
    )
    assert response.status_code == 403
    assert snapshot(new_policy) == before


@pytest.mark.parametrize("organization", ["agency", "foreign_institution", "ministry"])
def test_recording_for_an_institution_one_does_not_speak_for_is_403_naming_nothing(
    page_client, cast, policy_in, organization
):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    organization = getattr(cast, organization)
    before = snapshot(new_policy)
    # Another required institution, another country's, the lead ministry.
    response = page_client(cast.bureau_member).post(
        reverse("web:support", args=[new_policy.pk]),
        {
            "revision": new_policy.revision,
            "organization": organization.pk,
            "version": new_policy.current_version.pk,
            "decision": "supported",
        },
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "You may not record a decision for that organisation on this policy." in html
    assert organization.name not in html
    assert snapshot(new_policy) == before


def test_a_post_without_the_csrf_token_is_refused(page_client, cast, new_policy):
    client = page_client(cast.coordinator, enforce_csrf_checks=True)
    before = snapshot(new_policy)
    response = post_action(client, new_policy, "withdraw", comment="Mandate ended.")
    assert response.status_code == 403
    assert snapshot(new_policy) == before


# -- each action writes its rows ---------------------------------------------------


def test_submitting_for_review(page_client, cast, new_policy, walk):
    walk.upload(new_policy)
    client = page_client(cast.drafter)
    response = post_action(client, new_policy, "submit_for_review", comment="Ready.")
    assert_back_on_the_page(
        response, new_policy, client, "Submitted for review. The policy is now in the state"
    )
    new_policy.refresh_from_db()
    assert new_policy.state == State.EXPERT_REVIEW
    entry = last_audit(new_policy)
    assert (entry.action, entry.actor, entry.comment) == (
        "submit_for_review",
        cast.drafter,
        "Ready.",
    )
    assert (entry.from_state, entry.to_state) == (State.DRAFTING, State.EXPERT_REVIEW)
    assert OutboxMessage.objects.filter(event="submitted_for_review").exists()


def test_approving_records_the_review_and_clears_it(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    version = new_policy.current_version
    client = page_client(cast.reviewer)
    response = client.post(
        reverse("web:review", args=[new_policy.pk]),
        {
            "revision": new_policy.revision,
            "version": version.pk,
            "decision": "approved",
            "comment": "Well argued.",
        },
    )
    assert_back_on_the_page(
        response,
        new_policy,
        client,
        "Your review of version 1 is recorded: approved. The review is cleared",
    )
    review = Review.objects.get()
    assert (review.reviewer, review.version, review.decision, review.comment) == (
        cast.reviewer,
        version,
        "approved",
        "Well argued.",
    )
    new_policy.refresh_from_db()
    assert new_policy.state == State.INSTITUTIONAL_SUPPORT
    entries = AuditEntry.objects.filter(policy=new_policy).order_by("-pk")[:2]
    assert [e.action for e in entries] == [AuditEntry.Action.CLEAR_REVIEW, AuditEntry.Action.REVIEW]


def test_requesting_changes_without_saying_which_is_400(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    before = snapshot(new_policy)
    response = page_client(cast.reviewer).post(
        reverse("web:review", args=[new_policy.pk]),
        {
            "revision": new_policy.revision,
            "version": new_policy.current_version.pk,
            "decision": "changes_requested",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say which changes are needed." in html
    assert 'id="form-review"' in html
    assert snapshot(new_policy) == before


def test_clearing_the_review_after_an_approval(page_client, cast, new_policy, walk):
    walk.to(new_policy, State.EXPERT_REVIEW)
    services.record_review(new_policy, actor=cast.reviewer, decision="approved")
    client = page_client(cast.reviewer)
    response = post_action(client, new_policy, "clear_review")
    assert_back_on_the_page(response, new_policy, client, "Review cleared.")
    new_policy.refresh_from_db()
    assert new_policy.state == State.INSTITUTIONAL_SUPPORT
    assert last_audit(new_policy).action == "clear_review"
    assert OutboxMessage.objects.filter(event="review_cleared").exists()


def test_recording_support_and_the_last_one_completes_the_step(page_client, cast, new_policy, walk):
    walk.to(new_policy, State.INSTITUTIONAL_SUPPORT)
    version = new_policy.current_version
    for person, organization in (
        (cast.bureau_member, cast.bureau),
        (cast.agency_member, cast.agency),
    ):
        client = page_client(person)
        response = client.post(
            reverse("web:support", args=[new_policy.pk]),
            {
                "revision": Policy.objects.get(pk=new_policy.pk).revision,
                "organization": organization.pk,
                "version": version.pk,
                "decision": "supported",
                "statement": f"{organization.short_name} supports it.",
                "confirmed": "1",
            },
        )
        assert response.status_code == 303
    page = client.get(response.url).content.decode()
    assert "The decision of Federal Investigation Agency on version 1 is recorded" in page
    assert "the policy now awaits endorsement" in page
    new_policy.refresh_from_db()
    assert new_policy.state == State.AWAITING_ENDORSEMENT
    assert Support.objects.filter(version=version, decision="supported").count() == 2
    actions = list(
        AuditEntry.objects.filter(policy=new_policy)
        .order_by("-at", "-pk")[:3]
        .values_list("action", flat=True)
    )
    assert actions == ["complete_support", "support", "support"]
    assert OutboxMessage.objects.filter(event="support_recorded").exists()
    assert OutboxMessage.objects.filter(event="awaiting_endorsement").exists()


def test_endorsing(page_client, cast, new_policy, walk):
    walk.to(new_policy, State.AWAITING_ENDORSEMENT)
    client = page_client(cast.endorser)
    response = post_action(
        client,
        new_policy,
        "endorse",
        instrument="Cabinet decision 7/2026",
        date=timezone.localdate().isoformat(),
        comment="Adopted.",
        confirmed="1",
    )
    assert_back_on_the_page(response, new_policy, client, "Endorsed.")
    new_policy.refresh_from_db()
    assert new_policy.state == State.ENDORSED
    endorsement = Endorsement.objects.get(policy=new_policy)
    assert (endorsement.instrument, endorsement.endorsed_on, endorsement.endorsed_by) == (
        "Cabinet decision 7/2026",
        timezone.localdate(),
        cast.endorser,
    )
    assert last_audit(new_policy).details["instrument"] == "Cabinet decision 7/2026"
    assert OutboxMessage.objects.filter(event="endorsed").exists()


def test_endorsing_without_instrument_or_with_a_future_date_is_400(page_client, cast, policy_in):
    new_policy = policy_in(State.AWAITING_ENDORSEMENT)
    before = snapshot(new_policy)
    client = page_client(cast.endorser)
    response = post_action(client, new_policy, "endorse", instrument="", date="")
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("This field is required.") == 2
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post_action(
        client, new_policy, "endorse", instrument="Decision 1", date=tomorrow.isoformat()
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The date of endorsement cannot be in the future." in html
    # The endorser's input is kept for the next try.
    assert 'value="Decision 1"' in html
    assert snapshot(new_policy) == before


def test_endorsing_with_a_date_before_the_submission_shows_on_the_date_field(
    page_client, cast, new_policy, walk
):
    submitted = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
    with clock.at(submitted):
        walk.to(new_policy, State.AWAITING_ENDORSEMENT)
    before = snapshot(new_policy)
    client = page_client(cast.endorser)

    response = post_action(
        client, new_policy, "endorse", instrument="Decision 1", date="0001-01-01"
    )

    assert response.status_code == 400
    html = response.content.decode()
    field = re.search(r'<input[^>]*name="date"[^>]*>', html).group()
    assert 'aria-invalid="true"' in field
    error_id = re.search(r'aria-describedby="([^"]*)"', field).group(1).split()[-1]
    error = re.search(rf'id="{error_id}"[^>]*>(.*?)</', html, re.S).group(1)
    assert "cannot be before version 1 was submitted for review, on 10 March 2026." in error
    assert snapshot(new_policy) == before


def test_withdrawing_needs_a_reason(page_client, cast, new_policy):
    client = page_client(cast.coordinator)
    before = snapshot(new_policy)
    response = post_action(client, new_policy, "withdraw", comment="  ")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="form-withdraw"' in html
    assert "This field is required." in html
    assert 'role="alert"' in html
    assert snapshot(new_policy) == before

    response = post_action(client, new_policy, "withdraw", comment="Mandate ended.", confirmed="1")
    assert_back_on_the_page(response, new_policy, client, "Withdrawn.")
    new_policy.refresh_from_db()
    assert new_policy.state == State.WITHDRAWN
    assert last_audit(new_policy).comment == "Mandate ended."
    assert OutboxMessage.objects.filter(event="withdrawn").exists()


def test_requesting_revision(page_client, cast, new_policy, walk):
    walk.to(new_policy, State.EXPERT_REVIEW)
    client = page_client(cast.reviewer)
    response = post_action(client, new_policy, "request_revision", comment="Add the costs.")
    assert_back_on_the_page(response, new_policy, client, "Revision requested.")
    new_policy.refresh_from_db()
    assert new_policy.state == State.DRAFTING
    assert last_audit(new_policy).comment == "Add the costs."
    assert OutboxMessage.objects.filter(event="revision_requested").exists()


def test_uploading_a_version(page_client, cast, new_policy):
    client = page_client(cast.drafter)
    response = client.post(
        reverse("web:upload", args=[new_policy.pk]),
        {
            "revision": new_policy.revision,
            "file": docx_upload("Purpose.", name="first draft.docx"),
            "note": "First full draft.",
        },
    )
    assert_back_on_the_page(response, new_policy, client, "Version 1 (first draft.docx) was added.")
    version = DocumentVersion.objects.get(policy=new_policy)
    assert (version.number, version.uploaded_by, version.note) == (
        1,
        cast.drafter,
        "First full draft.",
    )
    assert last_audit(new_policy).action == AuditEntry.Action.VERSION_ADDED
    assert OutboxMessage.objects.filter(event="version_uploaded").exists()


# -- refusals -----------------------------------------------------------------------


def test_a_blocked_action_is_409_with_its_reasons(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    before = snapshot(new_policy)
    response = post_action(page_client(cast.reviewer), new_policy, "clear_review")
    assert response.status_code == 409
    html = response.content.decode()
    alert = html[html.index('id="refusal"') :]
    alert = alert[: alert.index("</div>")]
    assert 'role="alert"' in html[html.index('id="refusal"') - 60 : html.index('id="refusal"')]
    assert "This is not possible now" in alert
    assert "Version 1 has no approving review by someone other than its author." in alert
    assert snapshot(new_policy) == before


def test_an_action_in_the_wrong_state_is_409(page_client, cast, new_policy):
    before = snapshot(new_policy)
    response = post_action(page_client(cast.coordinator), new_policy, "reopen")
    assert response.status_code == 409
    assert "This action is not possible while the policy is in drafting." in (
        response.content.decode()
    )
    assert snapshot(new_policy) == before


def test_a_stale_page_is_409_and_shows_the_policy_as_it_is_now(page_client, cast, new_policy, walk):
    walk.upload(new_policy)
    stale = Policy.objects.get(pk=new_policy.pk).revision
    # Meanwhile the drafter submits it.
    services.perform_transition(new_policy, "submit_for_review", actor=cast.drafter)
    before = snapshot(new_policy)
    response = post_action(
        page_client(cast.coordinator), new_policy, "withdraw", comment="Stop.", revision=stale
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this policy meanwhile" in html
    assert "it is in the state “Expert review”" in html
    assert 'class="badge state-badge state-expert_review"' in html
    # The forms now carry the revision of the page shown.
    assert f'name="revision" value="{before["revision"]}"' in html
    assert f'name="revision" value="{stale}"' not in html
    assert snapshot(new_policy) == before


def test_a_review_of_a_version_no_longer_current_is_409(page_client, cast, policy_in, walk):
    new_policy = policy_in(State.EXPERT_REVIEW)
    read = new_policy.current_version
    services.perform_transition(
        new_policy, "request_revision", actor=cast.second_reviewer, comment="More."
    )
    walk.upload(new_policy)
    services.perform_transition(new_policy, "submit_for_review", actor=cast.drafter)
    before = snapshot(new_policy)
    response = page_client(cast.reviewer).post(
        reverse("web:review", args=[new_policy.pk]),
        {"revision": before["revision"], "version": read.pk, "decision": "approved"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this policy meanwhile" in html
    assert "Version 1 is no longer the current version." in html
    assert snapshot(new_policy) == before


@pytest.mark.parametrize(
    "revision", [None, "", "abc", "-1", "+1", "1_0", "٣", "99999999999999999999"]
)
def test_a_missing_or_garbled_revision_is_400(page_client, cast, new_policy, revision):
    data = {"comment": "Mandate ended."}
    if revision is not None:
        data["revision"] = revision
    before = snapshot(new_policy)
    response = page_client(cast.coordinator).post(
        reverse("web:action", args=[new_policy.pk, "withdraw"]), data
    )
    assert response.status_code == 400
    assert "This form is incomplete or out of date." in response.content.decode()
    assert snapshot(new_policy) == before


def test_a_hostile_upload_is_400_with_the_intakes_message(page_client, cast, new_policy):
    before = snapshot(new_policy)
    response = page_client(cast.drafter).post(
        reverse("web:upload", args=[new_policy.pk]),
        {
            "revision": new_policy.revision,
            "file": SimpleUploadedFile("policy.docx", b"MZ\x90\x00 this is not a zip at all"),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    form = html[html.index('id="form-upload"') :]
    form = form[: form.index("</form>")]
    assert "The file is not a Word (.docx) document." in form
    assert snapshot(new_policy) == before
    assert not DocumentVersion.objects.exists()


def test_an_upload_without_a_file_is_400(page_client, cast, new_policy):
    before = snapshot(new_policy)
    response = page_client(cast.drafter).post(
        reverse("web:upload", args=[new_policy.pk]), {"revision": new_policy.revision}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert snapshot(new_policy) == before


def test_a_support_naming_an_unknown_version_is_400(page_client, cast, policy_in):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    before = snapshot(new_policy)
    response = page_client(cast.bureau_member).post(
        reverse("web:support", args=[new_policy.pk]),
        {
            "revision": new_policy.revision,
            "organization": cast.bureau.pk,
            "version": 999999,
            "decision": "supported",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    form = html[html.index(f'id="form-support-{cast.bureau.pk}"') :]
    assert "This form is incomplete or out of date." in form[: form.index("</form>")]
    assert snapshot(new_policy) == before


def test_a_stale_review_keeps_what_the_reviewer_typed(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    shown = Policy.objects.get(pk=new_policy.pk).revision
    # Meanwhile the coordinator changes the summary.
    services.update_policy(new_policy, actor=cast.coordinator, summary="A new summary.")
    before = snapshot(new_policy)
    assert before["revision"] != shown
    response = page_client(cast.reviewer).post(
        reverse("web:review", args=[new_policy.pk]),
        {
            "revision": shown,
            "version": new_policy.current_version.pk,
            "decision": "approved",
            "comment": "XYZZY",
        },
    )
    assert response.status_code == 409
    assert snapshot(new_policy) == before
    html = response.content.decode()
    assert "Someone else changed this policy meanwhile" in html
    form = html[html.index('id="form-review"') :]
    form = form[: form.index("</form>")]
    assert re.search(r"<textarea[^>]*>\s*XYZZY</textarea>", form)
    assert f'name="revision" value="{before["revision"]}"' in form
    assert f'name="revision" value="{shown}"' not in html


def test_a_stale_endorsement_keeps_the_instrument(page_client, cast, policy_in):
    new_policy = policy_in(State.AWAITING_ENDORSEMENT)
    shown = Policy.objects.get(pk=new_policy.pk).revision
    services.update_policy(new_policy, actor=cast.coordinator, summary="A new summary.")
    before = snapshot(new_policy)
    response = post_action(
        page_client(cast.endorser),
        new_policy,
        "endorse",
        revision=shown,
        instrument="Cabinet decision 9/2026",
        date="2026-01-15",
        comment="Adopted in session.",
    )
    assert response.status_code == 409
    assert snapshot(new_policy) == before
    html = response.content.decode()
    form = html[html.index('id="form-endorse"') :]
    form = form[: form.index("</form>")]
    assert 'value="Cabinet decision 9/2026"' in form
    assert 'value="2026-01-15"' in form
    assert "Adopted in session.</textarea>" in form
    assert f'name="revision" value="{before["revision"]}"' in form


def _filled_in(cast, policy, form):
    """The address, a valid post and the page's form id of one form of the page
    (confirmed, for the forms that ask to confirm first)."""
    data = {"revision": policy.revision, "confirmed": "1"}
    if form == "review":
        data.update(version=policy.current_version.pk, decision="changes_requested")
        return reverse("web:review", args=[policy.pk]), data, "form-review"
    if form == "support":
        data.update(organization=cast.bureau.pk, version=policy.current_version.pk)
        data["decision"] = "declined"
        return reverse("web:support", args=[policy.pk]), data, f"form-support-{cast.bureau.pk}"
    if form == "upload":
        data["file"] = docx_upload("A new text.")
        return reverse("web:upload", args=[policy.pk]), data, "form-upload"
    data.update(comment="Why.", instrument="Decision 1", date=timezone.localdate().isoformat())
    return reverse("web:action", args=[policy.pk, form]), data, f"form-{form}"


@pytest.mark.parametrize(
    ("state", "who", "form", "field", "limit"),
    [
        (State.EXPERT_REVIEW, "reviewer", "review", "comment", 5000),
        (State.INSTITUTIONAL_SUPPORT, "bureau_member", "support", "statement", 5000),
        (State.DRAFTING, "coordinator", "withdraw", "comment", 5000),  # a reason
        (State.EXPERT_REVIEW, "reviewer", "clear_review", "comment", 5000),  # optional
        (State.AWAITING_ENDORSEMENT, "endorser", "endorse", "instrument", 200),
        (State.DRAFTING, "drafter", "upload", "note", 1000),
    ],
)
def test_overlong_text_is_400_on_its_field_and_nothing_is_written(
    page_client, cast, policy_in, state, who, form, field, limit
):
    new_policy = policy_in(state)
    if form == "clear_review":
        services.record_review(new_policy, actor=cast.reviewer, decision="approved")
    policy = Policy.objects.get(pk=new_policy.pk)
    client = page_client(getattr(cast, who))
    url, data, form_id = _filled_in(cast, policy, form)
    data[field] = "x" * (limit + 1)
    before = snapshot(policy)
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    shown = html[html.index(f'id="{form_id}"') :]
    shown = shown[: shown.index("</form>")]
    assert f"Ensure this value has at most {limit} characters (it has {limit + 1})." in shown
    assert f'maxlength="{limit}"' in shown  # the browser stops there, too
    assert snapshot(policy) == before
    # Right at the limit, it is taken.
    url, data, _form_id = _filled_in(cast, policy, form)
    data[field] = "x" * limit
    assert client.post(url, data).status_code == 303
