"""The policy page: what each person sees of a policy, and what they may do on it."""

import datetime
import io
import itertools
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.services import add_version, make_endorsement_record
from tests.factories import docx_upload, register
from workflow import services
from workflow.models import DocumentVersion, Policy, Review, Support
from workflow.rules import display_name

pytestmark = pytest.mark.django_db
State = Policy.State
CORPUS = Path(__file__).resolve().parents[1] / "documents" / "corpus"


def page_of(page_client, user, policy):
    response = page_client(user).get(reverse("web:policy", args=[policy.pk]))
    assert response.status_code == 200
    return response.content.decode()


def forms_posting_to(html, url):
    return re.findall(rf'<form[^>]*action="{re.escape(url)}"', html)


def action_url(policy, name):
    return reverse("web:action", args=[policy.pk, name])


# -- who sees what -------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["foreign_member", "other_implementer_coordinator", "other_observer"]
)
def test_a_foreign_user_gets_404(page_client, cast, new_policy, who):
    response = page_client(getattr(cast, who)).get(reverse("web:policy", args=[new_policy.pk]))
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, new_policy):
    response = client.get(reverse("web:policy", args=[new_policy.pk]))
    assert response.status_code == 302
    assert "/login/" in response.url


def test_the_header_says_what_the_policy_is_and_what_it_waits_for(page_client, cast, new_policy):
    html = page_of(page_client, cast.bureau_member, new_policy)
    assert '<h1 class="h2" dir="auto">National Emigration and Welfare Policy' in html
    assert "PK emigration policy" in html
    assert "Pakistan" in html
    assert "Ministry of Overseas Pakistanis and Human Resource Development" in html
    assert "Silk Routes" in html
    assert 'class="badge state-badge state-drafting"' in html
    assert f"A first draft from {display_name(cast.drafter)}." in html


def test_the_drafter_sees_the_upload_form_and_submit(page_client, cast, new_policy, walk):
    walk.upload(new_policy)
    html = page_of(page_client, cast.drafter, new_policy)
    assert forms_posting_to(html, reverse("web:upload", args=[new_policy.pk]))
    assert 'type="file"' in html
    assert (
        'accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"'
        in html
    )
    assert forms_posting_to(html, action_url(new_policy, "submit_for_review"))
    assert f'name="revision" value="{new_policy.revision}"' in html
    # A drafter may not withdraw, and nothing else is offered.
    assert not forms_posting_to(html, action_url(new_policy, "withdraw"))
    assert not forms_posting_to(html, reverse("web:review", args=[new_policy.pk]))


def test_submit_waits_for_a_reviewer_to_be_assigned(page_client, cast, new_policy, walk):
    services.update_policy(new_policy, actor=cast.coordinator, reviewers=[])
    walk.upload(new_policy)
    html = page_of(page_client, cast.drafter, new_policy)
    assert not forms_posting_to(html, action_url(new_policy, "submit_for_review"))
    blocked = html[html.index("Not yet possible") :]
    assert "Submit for review" in blocked
    assert "No reviewer is assigned." in blocked


def test_the_reviewer_sees_the_review_form_on_the_current_version(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    html = page_of(page_client, cast.reviewer, new_policy)
    version = new_policy.current_version
    assert forms_posting_to(html, reverse("web:review", args=[new_policy.pk]))
    assert f'name="version" value="{version.pk}"' in html
    assert 'value="approved"' in html
    assert 'value="changes_requested"' in html
    assert ">Approve and clear</button>" in html
    assert ">Request changes</button>" in html
    # "Request changes" sends the draft back: no second form asks for the reason again.
    assert not forms_posting_to(html, action_url(new_policy, "request_revision"))
    # Clearing waits for an approving review.
    assert not forms_posting_to(html, action_url(new_policy, "clear_review"))
    assert "has no approving review by someone other than its author" in html
    assert not forms_posting_to(html, reverse("web:upload", args=[new_policy.pk]))


def test_an_unassigned_expert_sees_no_review_form(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    services.update_policy(new_policy, actor=cast.coordinator, drafters=[cast.drafter])
    html = page_of(page_client, cast.coordinator, new_policy)
    assert not forms_posting_to(html, reverse("web:review", args=[new_policy.pk]))


def test_an_institution_member_sees_the_support_form_of_its_institution(
    page_client, cast, policy_in
):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    html = page_of(page_client, cast.bureau_member, new_policy)
    assert len(forms_posting_to(html, reverse("web:support", args=[new_policy.pk]))) == 1
    assert f'name="organization" value="{cast.bureau.pk}"' in html
    assert f'name="organization" value="{cast.agency.pk}"' not in html
    assert f'name="version" value="{new_policy.current_version.pk}"' in html
    assert 'value="supported"' in html
    assert 'value="declined"' in html


def test_the_support_form_goes_once_the_institution_decided(page_client, cast, policy_in):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        new_policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
    )
    html = page_of(page_client, cast.bureau_member, new_policy)
    assert not forms_posting_to(html, reverse("web:support", args=[new_policy.pk]))
    assert "There is nothing for you to do on this policy now." in html


def test_the_endorser_sees_endorse_with_instrument_and_date(page_client, cast, policy_in):
    new_policy = policy_in(State.AWAITING_ENDORSEMENT)
    html = page_of(page_client, cast.endorser, new_policy)
    endorse = html[html.index(f'action="{action_url(new_policy, "endorse")}"') :]
    endorse = endorse[: endorse.index("</form>")]
    assert 'name="instrument"' in endorse
    today = timezone.localdate().isoformat()
    assert re.search(rf'<input type="date" name="date" value="{today}"', endorse)
    assert 'name="comment"' in endorse
    assert forms_posting_to(html, action_url(new_policy, "return_for_revision"))
    # Available actions come in the services' order: endorse before returning.
    assert html.index(action_url(new_policy, "endorse")) < html.index(
        action_url(new_policy, "return_for_revision")
    )


def test_a_reason_is_required_where_the_next_person_needs_one(page_client, cast, new_policy):
    html = page_of(page_client, cast.coordinator, new_policy)
    withdraw = html[html.index(f'action="{action_url(new_policy, "withdraw")}"') :]
    withdraw = withdraw[: withdraw.index("</form>")]
    assert re.search(r"<textarea[^>]*required", withdraw)


def test_an_observer_sees_no_actions(page_client, cast, policy_in):
    new_policy = policy_in(State.AWAITING_ENDORSEMENT)
    html = page_of(page_client, cast.observer, new_policy)
    assert 'method="post" action="/policies/' not in html
    assert "Not yet possible" not in html
    assert "There is nothing for you to do on this policy now." in html


# -- the workflow picture --------------------------------------------------------


def test_the_steps_mark_what_is_done_and_where_the_policy_is(page_client, cast, policy_in):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    html = page_of(page_client, cast.observer, new_policy)
    steps = html[html.index('<ol class="workflow-steps">') : html.index("</ol>")]
    items = re.findall(r'<li(?: class="([^"]*)")?([^>]*)>([^<]*)', steps)
    assert [(css, label) for css, _, label in items] == [
        ("done", "Drafting"),
        ("done", "Expert review"),
        ("current", "Institutional support"),
        ("", "Awaiting endorsement"),
        ("", "Endorsed"),
    ]
    assert items[2][1] == ' aria-current="step"'
    assert steps.count("aria-current") == 1


def test_a_withdrawn_policy_says_so(page_client, cast, policy_in, walk):
    new_policy = policy_in(State.EXPERT_REVIEW)
    walk.to(new_policy, State.WITHDRAWN)
    html = page_of(page_client, cast.observer, new_policy)
    assert '<li class="withdrawn current" aria-current="step">Withdrawn</li>' in html
    assert '<li class="done">Drafting' in html
    assert "This policy is withdrawn." in html
    assert "Mandate ended." in html


# -- versions, reviews, supports, endorsement, history -------------------------------


def test_versions_are_listed_newest_first_with_their_links(page_client, cast, new_policy):
    first = add_version(
        new_policy, actor=cast.drafter, uploaded_file=docx_upload("One.", name="first.docx")
    )
    second = add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=SimpleUploadedFile(
            "commented.docx", (CORPUS / "comments-rich-para.docx").read_bytes()
        ),
    )
    html = page_of(page_client, cast.bureau_member, new_policy)
    assert html.index("commented.docx") < html.index("first.docx")
    for version in (first, second):
        assert reverse("documents:download", args=[version.pk]) in html
        assert reverse("documents:preview", args=[version.pk]) in html
    second.refresh_from_db()
    assert second.comment_count > 0
    warning = html[html.index("Still unresolved in this file:") : html.index("first.docx")]
    assert f"{second.comment_count} comment" in warning
    # The compare form offers both, newest preselected as the newer one.
    assert f'action="{reverse("web:compare", args=[new_policy.pk])}"' in html
    assert re.search(r'<select class="form-select" id="compare-older" name="older">', html)
    assert f'<option value="{second.pk}" selected>Version 2</option>' in html
    assert f'<option value="{first.pk}" selected>Version 1</option>' in html


def test_reviews_and_history_are_shown_newest_first(page_client, cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    services.record_review(
        new_policy,
        actor=cast.second_reviewer,
        decision=Review.Decision.CHANGES_REQUESTED,
        comment="Section 4 needs the costs.",
    )
    html = page_of(page_client, cast.observer, new_policy)
    reviews = html[html.index('id="reviews-heading"') : html.index('id="timeline-heading"')]
    assert "Changes requested" in reviews
    assert '<td dir="auto">Section 4 needs the costs.</td>' in reviews
    timeline = html[html.index('<ul class="timeline">') :]
    timeline = timeline[: timeline.index("</ul>")]
    order = [
        timeline.index("Review recorded"),
        timeline.index("Submitted for review"),
        timeline.index("Version added"),
        timeline.index("Registered"),
    ]
    assert order == sorted(order)
    assert "from Drafting to Expert review" in timeline
    assert '<p class="mb-0" dir="auto">Section 4 needs the costs.</p>' in timeline


def test_support_on_an_older_version_is_shown_as_void(page_client, cast, policy_in, walk):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        new_policy,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision=Support.Decision.SUPPORTED,
        statement="Fine by the Bureau.",
    )
    services.perform_transition(
        new_policy, "return_to_drafting", actor=cast.coordinator, comment="FIA asks for changes."
    )
    walk.upload(new_policy)
    walk.to(new_policy, State.INSTITUTIONAL_SUPPORT)
    assert new_policy.current_version.number == 2

    html = page_of(page_client, cast.observer, new_policy)
    matrix = html[html.index('id="supports-heading"') : html.index('id="reviews-heading"')]
    bureau = matrix[matrix.index("Bureau of Emigration") :]
    bureau = bureau[: bureau.index("Federal Investigation Agency")]
    assert "No decision yet" in bureau
    assert '<span class="void" dir="auto">Supported' in bureau
    assert "Fine by the Bureau." in bureau
    assert "given on version 1, does not count for version 2" in bureau
    agency = matrix[matrix.index("Federal Investigation Agency") :]
    assert "No decision yet" in agency
    assert 'class="void"' not in agency
    # And the Bureau may decide again, on version 2.
    html = page_of(page_client, cast.bureau_member, new_policy)
    assert forms_posting_to(html, reverse("web:support", args=[new_policy.pk]))


def test_the_endorsement_block_shows_the_record_once_made(page_client, cast, policy_in):
    new_policy = policy_in(State.ENDORSED)
    html = page_of(page_client, cast.observer, new_policy)
    block = html[html.index('id="endorsement-heading"') : html.index('id="versions-heading"')]
    assert "Cabinet decision 12/2026" in block
    assert "Version 1" in block
    assert display_name(cast.endorser) in block
    assert "The endorsement record is being prepared." in block

    record = make_endorsement_record(new_policy.endorsement)
    html = page_of(page_client, cast.observer, new_policy)
    assert reverse("documents:record", args=[record.pk]) in html
    assert "The endorsement record is being prepared." not in html


# -- comparing versions ------------------------------------------------------------


def test_compare_redirects_to_the_comparison_of_two_versions(page_client, cast, new_policy, walk):
    first, second = walk.upload(new_policy), walk.upload(new_policy)
    client = page_client(cast.drafter)
    url = reverse("web:compare", args=[new_policy.pk])
    # Picked the wrong way round, they are still shown older first.
    response = client.get(url, {"older": second.pk, "newer": first.pk})
    assert response.status_code == 302
    assert response.url == reverse("documents:compare", args=[first.pk, second.pk])
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("web:policy", args=[new_policy.pk]) in html
    assert reverse("documents:redline", args=[first.pk, second.pk]) in html
    assert '<div class="document comparison' in html
    assert "Paragraphs: 1 changed, 0 added, 0 removed." in html


def test_compare_refuses_versions_of_another_policy(page_client, cast, new_policy, walk):
    mine = walk.upload(new_policy)
    other = services.register_policy(
        actor=cast.coordinator,
        project=cast.project,
        title="Another policy",
        short_title="Another",
        country="PK",
        lead_ministry=cast.ministry,
        drafters=[cast.drafter],
    )
    theirs = walk.upload(other)
    client = page_client(cast.drafter)
    url = reverse("web:compare", args=[new_policy.pk])
    assert client.get(url, {"older": mine.pk, "newer": theirs.pk}).status_code == 404
    assert client.get(url, {"older": mine.pk, "newer": "x"}).status_code == 404
    assert client.get(url).status_code == 404
    foreign = page_client(cast.foreign_member)
    assert foreign.get(url, {"older": mine.pk, "newer": mine.pk}).status_code == 404


@pytest.mark.parametrize(
    "older", ["99999999999999999999", str(2**63), "0", "-1", "+1", "1_0", "٣", " ", "\x00"]
)
def test_compare_refuses_ids_no_version_can_have(page_client, cast, new_policy, walk, older):
    first, second = walk.upload(new_policy), walk.upload(new_policy)
    client = page_client(cast.drafter)
    url = reverse("web:compare", args=[new_policy.pk])
    assert client.get(url, {"older": older, "newer": second.pk}).status_code == 404
    assert client.get(url, {"older": second.pk, "newer": older}).status_code == 404
    assert client.get(url, {"older": f" {first.pk} ", "newer": second.pk}).status_code == 302


def test_the_preview_links_back_to_the_policy(page_client, cast, new_policy, walk):
    version = walk.upload(new_policy)
    response = page_client(cast.drafter).get(reverse("documents:preview", args=[version.pk]))
    html = response.content.decode()
    assert reverse("web:policy", args=[new_policy.pk]) in html
    assert '<div class="document' in html
    assert 'dir="auto"' in html


# -- a constant number of queries --------------------------------------------------


_copies = itertools.count(1)


def commented_docx():
    """The corpus file with comments in it, each time a file of its own (a new
    version may not repeat an earlier one) with the same document inside."""
    copy = next(_copies)
    original = zipfile.ZipFile(CORPUS / "comments-rich-para.docx")
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as docx:
        for item in original.infolist():
            docx.writestr(item, original.read(item.filename))
        docx.comment = f"copy {copy}".encode()
    return SimpleUploadedFile(f"commented-{copy}.docx", data.getvalue())


def _to_support(policy, cast, walk, *, commented=False):
    """From drafting: a new version, reviewed, cleared, and supported by the Bureau."""
    if commented:
        add_version(policy, actor=cast.drafter, uploaded_file=commented_docx())
    else:
        walk.upload(policy)
    # The comments left in a commented version are seen and passed on (``acknowledged``).
    services.perform_transition(policy, "submit_for_review", actor=cast.drafter, acknowledged=True)
    services.record_review(
        policy, actor=cast.second_reviewer, decision="changes_requested", comment="Costs?"
    )
    services.record_review(
        policy, actor=cast.second_reviewer, decision="approved", acknowledged=True
    )
    services.record_review(
        policy, actor=cast.reviewer, decision="approved", comment="Sound.", acknowledged=True
    )
    services.perform_transition(policy, "clear_review", actor=cast.reviewer)
    services.record_support(
        policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
    )


def _small_policy(cast, walk):
    policy = register(cast, "Small")
    _to_support(policy, cast, walk)
    return policy


def _large_policy(cast, walk):
    policy = register(cast, "Large")
    for round_ in range(3):
        _to_support(policy, cast, walk, commented=True)
        services.record_support(
            policy,
            actor=cast.agency_member,
            organization=cast.agency,
            decision="declined",
            statement=f"Not this text ({round_}).",
        )
        services.perform_transition(
            policy, "return_to_drafting", actor=cast.coordinator, comment="Back to drafting."
        )
    _to_support(policy, cast, walk, commented=True)
    for day in range(1, 16):
        services.update_policy(
            policy,
            actor=cast.coordinator,
            review_due=timezone.localdate() + datetime.timedelta(days=30 + day),
        )
    return policy


@pytest.mark.parametrize("role", ["coordinator", "agency_member", "drafter", "observer"])
def test_the_page_costs_the_same_queries_whatever_the_history(page_client, cast, walk, role):
    small, large = _small_policy(cast, walk), _large_policy(cast, walk)
    assert (small.versions.count(), large.versions.count()) == (1, 4)
    # Every version of the large one has comments left in its file, listed on the page.
    assert large.versions.filter(comment_count__gt=0).count() == 4
    assert not small.versions.filter(comment_count__gt=0).exists()
    assert large.audit_entries.count() > 3 * small.audit_entries.count()
    assert large.supports.count() > small.supports.count()
    client = page_client(getattr(cast, role))

    def queries(policy):
        url = reverse("web:policy", args=[policy.pk])
        assert client.get(url).status_code == 200  # warm the session and caches
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        return len(context.captured_queries)

    assert queries(small) == queries(large)


def test_versions_are_listed_without_their_extracted_text(page_client, cast, new_policy, walk):
    walk.upload(new_policy)
    add_version(new_policy, actor=cast.drafter, uploaded_file=commented_docx())
    walk.to(new_policy, State.ENDORSED)  # the endorsement names a version, too
    client = page_client(cast.observer)
    with CaptureQueriesContext(connection) as context:
        html = client.get(reverse("web:policy", args=[new_policy.pk])).content.decode()
    assert "Still unresolved in this file:" in html
    # Nothing on the page reads the extracted text, not even for the comments' authors.
    assert not [q["sql"] for q in context.captured_queries if '"extraction"' in q["sql"]]
    versions = DocumentVersion._meta.db_table
    users = get_user_model()._meta.db_table
    listing = [
        q["sql"]
        for q in context.captured_queries
        if f'FROM "{versions}"' in q["sql"] and f'JOIN "{users}"' in q["sql"]
    ]
    assert len(listing) == 1
    assert '"extraction"' not in listing[0]
