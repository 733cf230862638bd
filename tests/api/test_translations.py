"""Translations and marked-up copies through the API: the same intake and rules
as the pages, for those who take part in the policy and nobody else."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from documents import services as documents
from tests.documents.test_marked_up_copy import marked_up_docx, reviewed_docx
from tests.factories import docx_bytes, docx_upload
from workflow import services
from workflow.models import MarkedUpCopy, Policy, Project, Review, Translation

pytestmark = pytest.mark.django_db
State = Policy.State
DARI = "این پالیسی حقوق مهاجرین افغان را در کشورهای میزبان حمایت می‌کند."
READERS = ["drafter", "reviewer", "coordinator", "endorser", "bureau_member", "observer"]
OUTSIDERS = ["foreign_member", "other_implementer_coordinator", "other_observer"]


@pytest.fixture(autouse=True)
def languages(cast):
    Project.objects.filter(pk=cast.project.pk).update(translation_languages=["fa", "ps"])


def translations_url(policy, number=1):
    return reverse("api:translations", kwargs={"pk": policy.pk, "number": number})


def file_url(policy, language, number=1):
    return reverse(
        "api:translation_file", kwargs={"pk": policy.pk, "number": number, "language": language}
    )


def post(client, policy, language="fa", content=None, **fields):
    content = docx_bytes(DARI) if content is None else content
    return client.post(
        translations_url(policy),
        {"language": language, "file": ContentFile(content, name="dari.docx"), **fields},
        format="multipart",
    )


@pytest.fixture
def drafted(new_policy, walk):
    walk.upload(new_policy)
    new_policy.refresh_from_db()
    return new_policy


def test_a_drafter_adds_a_translation_and_readers_list_and_download_it(api_client, cast, drafted):
    response = post(api_client(cast.drafter), drafted)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["language"], body["language_name"], body["direction"]) == ("fa", "Dari", "rtl")
    translation = Translation.objects.get()
    assert body["sha256"] == translation.sha256
    assert response["Location"].endswith(file_url(drafted, "fa"))
    for who in READERS:
        client = api_client(getattr(cast, who))
        listed = client.get(translations_url(drafted))
        assert listed.status_code == 200, who
        assert [t["language"] for t in listed.json()] == ["fa"]
        download = client.get(file_url(drafted, "fa"))
        assert download.status_code == 200, who
        assert b"".join(download.streaming_content) == docx_bytes(DARI)
    assert api_client(cast.drafter).get(file_url(drafted, "ps")).status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_everywhere(api_client, cast, drafted, who):
    documents.add_translation(
        drafted,
        actor=cast.drafter,
        version=drafted.current_version,
        language="fa",
        uploaded_file=docx_upload(DARI),
    )
    client = api_client(getattr(cast, who))
    assert client.get(translations_url(drafted)).status_code == 404
    assert client.get(file_url(drafted, "fa")).status_code == 404
    assert post(client, drafted, "ps").status_code == 404
    assert Translation.objects.count() == 1


def test_those_who_may_not_add_get_403(api_client, cast, drafted):
    for who in ("reviewer", "bureau_member", "observer"):
        assert post(api_client(getattr(cast, who)), drafted).status_code == 403, who
    assert not Translation.objects.exists()


def test_a_hostile_translation_is_400_with_its_code(api_client, cast, drafted):
    response = post(api_client(cast.drafter), drafted, content=b"not a zip at all")
    assert response.status_code == 400
    assert response.json()["code"] == "not_zip"
    assert not Translation.objects.exists()


def test_an_endorsed_policy_takes_no_translation(api_client, cast, policy_in):
    policy = policy_in(State.ENDORSED)
    response = post(api_client(cast.coordinator), policy, reason="Late.")
    assert response.status_code == 409
    assert not Translation.objects.exists()


def test_required_languages_show_as_blockers_of_the_transition(api_client, cast, drafted):
    Project.objects.filter(pk=cast.project.pk).update(required_translations=["ps"])
    detail = api_client(cast.drafter).get(f"/api/v1/policies/{drafted.pk}/").json()
    submit = next(t for t in detail["transitions"] if t["name"] == "submit_for_review")
    assert submit["possible"] is False
    assert "Version 1 has no Pashto translation; the project requires one." in submit["blockers"]


@pytest.fixture
def in_review(new_policy, cast):
    documents.add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=ContentFile(reviewed_docx(), name="policy.docx"),
    )
    services.perform_transition(new_policy, "submit_for_review", actor=cast.drafter)
    return new_policy


def test_a_review_with_a_marked_up_copy_in_multipart(api_client, cast, in_review):
    client = api_client(cast.reviewer)
    response = client.post(
        f"/api/v1/policies/{in_review.pk}/reviews/",
        {
            "decision": "changes_requested",
            "comment": "See my marks.",
            "marked_up_copy": ContentFile(marked_up_docx(), name="marked.docx"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    copy = response.json()["marked_up_copy"]
    assert copy["sha256"] == MarkedUpCopy.objects.get().sha256
    grant = next(c for c in copy["comments"] if c["text"] == "Name the ministry that pays it.")
    assert (grant["section"], grant["paragraph"], grant["anchored_text"]) == (
        "4.2",
        3,
        "reintegration grant",
    )
    listed = client.get(f"/api/v1/policies/{in_review.pk}/reviews/").json()
    assert listed[0]["marked_up_copy"]["comments"][0]["paragraph"] == 3


def test_json_reviews_still_work_and_carry_no_copy(api_client, cast, in_review):
    response = api_client(cast.reviewer).post(
        f"/api/v1/policies/{in_review.pk}/reviews/",
        {"decision": "approved", "comment": "Sound."},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["marked_up_copy"] is None
    assert not MarkedUpCopy.objects.exists()


def test_a_hostile_marked_up_copy_is_400_and_no_review_is_recorded(api_client, cast, in_review):
    response = api_client(cast.reviewer).post(
        f"/api/v1/policies/{in_review.pk}/reviews/",
        {
            "decision": "approved",
            "marked_up_copy": ContentFile(b"not a zip", name="marked.docx"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_zip"
    assert not Review.objects.exists()
