"""A policy's versions through the API: listed, added through the intake,
downloaded, read and compared, by those who take part in it and nobody else."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.concurrency import etag_of
from documents.models import GeneratedRecord
from documents.services import add_version, withdraw_version
from notifications.models import OutboxMessage
from tests.documents import hostile
from tests.documents import make_docs as md
from tests.factories import docx_bytes, docx_upload
from workflow.models import AuditEntry, DocumentVersion, Policy

pytestmark = pytest.mark.django_db
State = Policy.State
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
READERS = ["drafter", "reviewer", "coordinator", "endorser", "bureau_member", "observer"]
OUTSIDERS = ["foreign_member", "other_implementer_coordinator", "other_observer"]


def versions_url(policy):
    return reverse("api:versions", kwargs={"pk": policy.pk})


def version_url(policy, number, name="api:version"):
    return reverse(name, kwargs={"pk": policy.pk, "number": number})


def compare_url(policy, older, newer, name="api:comparison"):
    return reverse(name, kwargs={"pk": policy.pk, "older": older, "newer": newer})


def upload(client, policy, content=None, *, name="draft.docx", note="", **headers):
    content = docx_bytes("A new draft of the policy.") if content is None else content
    return client.post(
        versions_url(policy),
        {"file": ContentFile(content, name=name), "note": note},
        format="multipart",
        **headers,
    )


def written(policy):
    """What an upload writes: versions, audit entries, outbox rows, the revision."""
    policy.refresh_from_db()
    return (
        DocumentVersion.objects.filter(policy=policy).count(),
        AuditEntry.objects.filter(policy=policy).count(),
        OutboxMessage.objects.count(),
        policy.revision,
    )


@pytest.fixture
def two_versions(new_policy, cast):
    first = add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=docx_upload("Purpose of the policy.", "Scope covers emigrants."),
    )
    second = add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=docx_upload(
            "Purpose of the policy.",
            "Scope covers emigrants and their families.",
            "سياسة الهجرة الوطنية",
            name="PK policy — v2.docx",
        ),
        note="Families added.",
    )
    return new_policy, first, second


# -- reading -----------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_everyone_taking_part_lists_the_versions_newest_first(api_client, cast, role, two_versions):
    policy, _first, second = two_versions
    response = api_client(getattr(cast, role)).get(versions_url(policy))
    assert response.status_code == 200
    assert response["ETag"] == etag_of(policy)
    assert [row["number"] for row in response.json()] == [2, 1]
    newest = response.json()[0]
    assert newest["sha256"] == second.sha256
    assert newest["size"] == second.size == len(second.file.open("rb").read())
    assert newest["uploaded_by"]["username"] == cast.drafter.username
    assert newest["note"] == "Families added."
    assert newest["original_name"] == "PK policy — v2.docx"
    assert newest["withdrawn"] is False
    assert newest["withdrawal"] is None
    assert (newest["tracked_insertions"], newest["comment_count"]) == (0, 0)
    assert newest["file_url"].endswith(version_url(policy, 2, "api:version_file"))


@pytest.mark.parametrize("role", READERS)
def test_everyone_taking_part_reads_one_version_and_downloads_its_exact_bytes(
    api_client, cast, role, two_versions
):
    policy, first, _second = two_versions
    client = api_client(getattr(cast, role))
    one = client.get(version_url(policy, 1))
    assert one.status_code == 200
    assert one.json()["sha256"] == first.sha256
    download = client.get(version_url(policy, 1, "api:version_file"))
    assert download.status_code == 200
    with first.file.open("rb") as stored:
        assert b"".join(download.streaming_content) == stored.read()
    assert download["Content-Type"] == DOCX_TYPE
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="draft.docx"' in download["Content-Disposition"]
    assert {"private", "no-store"} <= {d.strip() for d in download["Cache-Control"].split(",")}


def test_a_download_may_ask_for_a_word_document(api_client, cast, two_versions):
    policy, _first, _second = two_versions
    client = api_client(cast.observer)
    download = client.get(version_url(policy, 1, "api:version_file"), HTTP_ACCEPT=DOCX_TYPE)
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX_TYPE
    missing = client.get(version_url(policy, 9, "api:version_file"), HTTP_ACCEPT=DOCX_TYPE)
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["code"] == "not_found"


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_are_told_nothing_exists(api_client, cast, role, two_versions):
    policy, _first, _second = two_versions
    client = api_client(getattr(cast, role))
    before = written(policy)
    for url in (
        versions_url(policy),
        version_url(policy, 1),
        version_url(policy, 1, "api:version_file"),
        version_url(policy, 1, "api:version_text"),
        compare_url(policy, 1, 2),
        compare_url(policy, 1, 2, "api:redline"),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    assert upload(client, policy).status_code == 404
    assert written(policy) == before
    assert not GeneratedRecord.objects.exists()


@pytest.mark.parametrize("number", [3, 0, 99999999999999999999999])
def test_a_number_the_policy_has_no_version_of_is_not_found(api_client, cast, two_versions, number):
    policy, _first, _second = two_versions
    client = api_client(cast.coordinator)
    for url in (
        version_url(policy, number),
        version_url(policy, number, "api:version_file"),
        version_url(policy, number, "api:version_text"),
        compare_url(policy, 1, number),
        compare_url(policy, number, 2, "api:redline"),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"


def test_another_policys_version_is_not_found_under_this_one(
    api_client, cast, two_versions, policy_in
):
    policy, _first, _second = two_versions
    other = policy_in(State.DRAFTING, short_title="Other policy", versions=3)
    client = api_client(cast.coordinator)
    assert client.get(version_url(policy, 3)).status_code == 404
    assert client.get(version_url(other, 3)).status_code == 200
    assert client.get(reverse("api:versions", kwargs={"pk": 10**30})).status_code == 404


def test_a_withdrawn_version_is_listed_with_its_reason(api_client, cast, two_versions):
    policy, _first, second = two_versions
    withdraw_version(policy, actor=cast.drafter, version=second, reason="Wrong file.")
    rows = api_client(cast.reviewer).get(versions_url(policy)).json()
    assert [(row["number"], row["withdrawn"]) for row in rows] == [(2, True), (1, False)]
    assert rows[0]["withdrawal"]["reason"] == "Wrong file."
    assert rows[0]["withdrawal"]["withdrawn_by"]["username"] == cast.drafter.username


def test_the_text_is_what_intake_read_with_changes_and_comments(api_client, cast, new_policy):
    content = md.docx_bytes(
        md.paragraph("Purpose", style="Heading1")
        + md.paragraph("Fees ", md.inserted("are "), md.deleted("were "), "paid.")
        + md.paragraph('<w:commentRangeStart w:id="0"/>', "Workers register.")
        + md.paragraph("سياسة الهجرة الوطنية")
        + md.table(("Fee", "Amount")),
        comments=md.comments(("Omar", "Who registers them?")),
    )
    add_version(
        new_policy, actor=cast.drafter, uploaded_file=ContentFile(content, name="marked.docx")
    )
    response = api_client(cast.endorser).get(version_url(new_policy, 1, "api:version_text"))
    assert response.status_code == 200
    text = response.json()
    body = text["body"]
    assert [block["kind"] for block in body] == ["paragraph"] * 4 + ["table"]
    fees = body[1]
    assert fees["text"] == "Fees are paid."
    assert [(piece["op"], piece["text"]) for piece in fees["changes"]] == [
        ("equal", "Fees "),
        ("insert", "are "),
        ("delete", "were "),
        ("equal", "paid."),
    ]
    assert fees["changes"][1]["author"]
    assert body[2]["comments"] == [text["comments"][0]["id"]]
    assert text["comments"][0]["text"] == "Who registers them?"
    assert body[3]["direction"] == "rtl"
    assert body[0]["direction"] == "ltr"
    assert body[4]["rows"] == [["Fee", "Amount"]]
    assert (text["tracked_insertions"], text["tracked_deletions"]) == (1, 1)
    assert set(text["properties"]) >= {"title", "author", "modified"}


@pytest.mark.parametrize("role", READERS)
def test_the_comparison_names_each_change(api_client, cast, role, two_versions):
    policy, _first, _second = two_versions
    response = api_client(getattr(cast, role)).get(compare_url(policy, 1, 2))
    assert response.status_code == 200
    comparison = response.json()
    assert (comparison["older"], comparison["newer"]) == (1, 2)
    assert comparison["summary"] == {
        "paragraphs_added": 1,
        "paragraphs_removed": 0,
        "paragraphs_changed": 1,
        "words_added": 6,
        "words_removed": 0,
        "has_changes": True,
    }
    kinds = [block["kind"] for block in comparison["blocks"]]
    assert kinds == ["equal", "changed", "added"]
    changed = comparison["blocks"][1]
    assert {"op": "insert", "text": " and their families"} in changed["segments"]
    assert changed["older_text"] == "Scope covers emigrants."
    assert changed["newer_text"] == "Scope covers emigrants and their families."


def test_the_redline_is_a_word_document_and_too_much_text_a_problem(
    api_client, cast, two_versions, monkeypatch
):
    policy, _first, _second = two_versions
    client = api_client(cast.coordinator)
    monkeypatch.setattr("documents.docx.redline.MAX_CHARACTERS", 10)
    refused = client.get(compare_url(policy, 1, 2, "api:redline"))
    assert refused.status_code == 400
    assert refused.json()["code"] == "redline_too_large"
    assert not GeneratedRecord.objects.exists()
    monkeypatch.undo()
    made = client.get(compare_url(policy, 1, 2, "api:redline"))
    assert made.status_code == 200
    assert made["Content-Type"] == DOCX_TYPE
    record = GeneratedRecord.objects.get(kind=GeneratedRecord.Kind.REDLINE)
    with record.file.open("rb") as stored:
        assert b"".join(made.streaming_content) == stored.read()


# -- adding ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["drafter", "coordinator"])
def test_a_drafter_or_coordinator_adds_a_version_in_drafting(api_client, cast, policy_in, role):
    policy = policy_in(State.DRAFTING, versions=1)
    person = getattr(cast, role)
    client = api_client(person)
    etag = client.get(versions_url(policy))["ETag"]
    content = docx_bytes("The second draft, with families.")
    response = upload(
        client, policy, content, name="second.docx", note="Families.", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 201, response.json()
    version = DocumentVersion.objects.get(policy=policy, number=2)
    assert response.json()["number"] == 2
    assert response.json()["sha256"] == version.sha256
    assert response["Location"].endswith(version_url(policy, 2))
    policy.refresh_from_db()
    assert response["ETag"] == etag_of(policy) != etag
    assert (version.uploaded_by, version.note, version.original_name) == (
        person,
        "Families.",
        "second.docx",
    )
    assert version.file.storage.exists(version.file.name)
    with version.file.open("rb") as stored:
        assert stored.read() == content
    entry = AuditEntry.objects.filter(policy=policy).latest("at", "pk")
    assert (entry.action, entry.actor, entry.version) == (
        AuditEntry.Action.VERSION_ADDED,
        person,
        version,
    )


@pytest.mark.parametrize(
    ("state", "role", "status", "code"),
    [
        (State.EXPERT_REVIEW, "drafter", 409, "transition_blocked"),
        (State.ENDORSED, "coordinator", 409, "transition_blocked"),
        (State.DRAFTING, "reviewer", 403, "permission_denied"),
        (State.DRAFTING, "bureau_member", 403, "permission_denied"),
        (State.DRAFTING, "observer", 403, "permission_denied"),
    ],
)
def test_an_upload_refused_writes_nothing(api_client, cast, policy_in, state, role, status, code):
    policy = policy_in(state, versions=1)
    before = written(policy)
    response = upload(api_client(getattr(cast, role)), policy)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert written(policy) == before


def test_the_same_bytes_again_are_refused_as_a_duplicate(api_client, cast, new_policy):
    client = api_client(cast.drafter)
    assert upload(client, new_policy).status_code == 201
    before = written(new_policy)
    response = upload(client, new_policy, name="again.docx")
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate"
    assert "identical to version 1" in response.json()["detail"]
    assert written(new_policy) == before


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (hostile.plain_text, "not_zip"),
        (hostile.ole_container, "password_protected"),
        (hostile.macro_enabled_document, "not_docx_main"),
        (hostile.vba_in_docx, "active_content"),
        (hostile.billion_laughs, "doctype"),
        (hostile.zip_bomb, "compression_ratio"),
        (lambda: hostile.with_member("../evil.xml"), "unsafe_name"),
        (lambda: b"", "empty"),
    ],
)
def test_a_hostile_file_keeps_the_intakes_code(api_client, cast, new_policy, build, code):
    before = written(new_policy)
    response = upload(api_client(cast.drafter), new_policy, build())
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert written(new_policy) == before


def test_a_stale_if_match_writes_nothing(api_client, cast, new_policy, walk):
    client = api_client(cast.drafter)
    stale = client.get(versions_url(new_policy))["ETag"]
    walk.upload(new_policy)  # someone else was faster
    before = written(new_policy)
    response = upload(client, new_policy, HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert written(new_policy) == before


@pytest.mark.parametrize(
    ("data", "format_", "status"),
    [
        ({}, "multipart", 400),
        ({"note": "No file."}, "multipart", 400),
        ({"file": "not a file"}, "multipart", 400),
        ({"file": "not a file"}, "json", 415),
    ],
)
def test_a_malformed_upload_is_a_problem(api_client, cast, new_policy, data, format_, status):
    before = written(new_policy)
    response = api_client(cast.drafter).post(versions_url(new_policy), data, format=format_)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert written(new_policy) == before


def test_a_note_too_long_is_refused_on_its_field(api_client, cast, new_policy):
    response = upload(api_client(cast.drafter), new_policy, note="x" * 1001)
    assert response.status_code == 400
    assert "note" in response.json()["field_errors"]
    assert not DocumentVersion.objects.filter(policy=new_policy).exists()


def test_the_upload_reaches_reviewers_and_coordinators(api_client, cast, new_policy):
    upload(api_client(cast.drafter), new_policy)
    told = set(
        OutboxMessage.objects.filter(event="version_uploaded").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {
        cast.reviewer.username,
        cast.second_reviewer.username,
        cast.coordinator.username,
    }


def test_the_list_and_the_history_cost_the_same_queries_for_more_versions(
    api_client, cast, policy_in
):
    small = policy_in(State.DRAFTING, short_title="Small", versions=1)
    large = policy_in(State.DRAFTING, short_title="Large", versions=4)
    withdraw_version(large, actor=cast.drafter, version=large.current_version, reason="Wrong.")
    client = api_client(cast.observer)
    client.get(reverse("api:me"))  # the token's first use is recorded once

    def queries(url):
        with CaptureQueriesContext(connection) as run:
            assert client.get(url).status_code == 200
        return len(run)

    for name in ("api:versions", "api:history"):
        assert queries(reverse(name, kwargs={"pk": small.pk})) == queries(
            reverse(name, kwargs={"pk": large.pk})
        ), name
