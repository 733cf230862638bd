"""Official letters through the API: attached to a support or an endorsement
(multipart), refused by the intake with its code and nothing stored, listed,
and downloaded exactly as received by those who take part only."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.documents import hostile, pdfs
from workflow.models import AuditEntry, Endorsement, Evidence, Policy, Support

State = Policy.State
pytestmark = pytest.mark.django_db


def stored_letters(root):
    return [p for p in root.rglob("*") if p.is_file() and "evidence" in p.parts]


def post_support(client, policy, organization, letter=None, **extra):
    data = {"organization": organization.pk, "decision": "supported", **extra}
    if letter is not None:
        data["letter"] = letter
    return client.post(f"/api/v1/policies/{policy.pk}/supports/", data, format="multipart")


def test_an_institution_attaches_its_letter_and_anyone_taking_part_downloads_it(
    api_client, cast, policy_in
):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    data = pdfs.arabic_pdf()
    response = post_support(
        api_client(cast.bureau_member),
        policy,
        cast.bureau,
        SimpleUploadedFile("letter.pdf", data, content_type="application/pdf"),
    )
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get()
    assert evidence.support_id == response.json()["id"]

    listed = api_client(cast.observer).get(f"/api/v1/policies/{policy.pk}/evidence/")
    assert listed.status_code == 200
    (row,) = listed.json()
    assert row["sha256"] == hashlib.sha256(data).hexdigest()
    assert (row["proves"], row["kind"], row["pages"], row["version"]) == ("support", "pdf", 1, 1)
    assert row["organization"]["id"] == cast.bureau.pk
    download = api_client(cast.coordinator).get(row["file"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == row["sha256"]


def test_the_links_a_letter_holds_are_listed(api_client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    post_support(
        api_client(cast.bureau_member),
        policy,
        cast.bureau,
        SimpleUploadedFile("letter.pdf", pdfs.uri_link()),
    )
    (row,) = api_client(cast.coordinator).get(f"/api/v1/policies/{policy.pk}/evidence/").json()
    assert row["links"] == ["https://www.example.org/decree"]
    assert Evidence.objects.get().links == ["https://www.example.org/decree"]


def test_json_still_records_a_support_without_a_letter(api_client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    response = api_client(cast.bureau_member).post(
        f"/api/v1/policies/{policy.pk}/supports/",
        {"organization": cast.bureau.pk, "decision": "supported"},
        format="json",
    )
    assert response.status_code == 201
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("build", "name", "code"),
    [
        (pdfs.open_action_javascript, "letter.pdf", "javascript"),
        (pdfs.launch_action, "letter.pdf", "launch"),
        (pdfs.embedded_file, "letter.pdf", "embedded_file"),
        (pdfs.xfa_form, "letter.pdf", "xfa"),
        (pdfs.encrypted_pdf, "letter.pdf", "encrypted"),
        (pdfs.flate_bomb, "letter.pdf", "stream_too_large"),
        (pdfs.truncated_pdf, "letter.pdf", "truncated"),
        (hostile.genuine_docx, "letter.pdf", "not_pdf"),
        (pdfs.text_pdf, "letter.docx", "pdf_named_docx"),
    ],
)
def test_a_refused_letter_answers_its_code_and_nothing_is_stored(
    api_client, cast, policy_in, private_storage, build, name, code
):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    supports, entries = Support.objects.count(), AuditEntry.objects.count()
    response = post_support(
        api_client(cast.bureau_member), policy, cast.bureau, SimpleUploadedFile(name, build())
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert Support.objects.count() == supports
    assert AuditEntry.objects.count() == entries
    assert not Evidence.objects.exists()
    assert stored_letters(private_storage) == []


def test_a_required_letter_missing_is_a_400_on_that_field(api_client, cast, policy_in):
    cast.project.support_letter_required = True
    cast.project.save()
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    response = post_support(api_client(cast.bureau_member), policy, cast.bureau)
    assert response.status_code == 400
    assert "letter" in response.json()["field_errors"]
    assert not Support.objects.filter(organization=cast.bureau).exists()


def test_someone_who_may_not_decide_is_refused_before_the_file_is_read(
    api_client, cast, policy_in, private_storage
):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    # A hostile file too: the 403 comes before the intake would name it.
    response = post_support(
        api_client(cast.agency_member),
        policy,
        cast.bureau,
        SimpleUploadedFile("letter.pdf", pdfs.open_action_javascript()),
    )
    assert response.status_code == 403
    outsider = post_support(
        api_client(cast.foreign_member),
        policy,
        cast.bureau,
        SimpleUploadedFile("letter.pdf", pdfs.text_pdf()),
    )
    assert outsider.status_code == 404
    assert stored_letters(private_storage) == []


def test_the_ministry_endorses_with_its_decree(api_client, cast, policy_in):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    data = pdfs.scanned_pdf()
    response = api_client(cast.endorser).post(
        f"/api/v1/policies/{policy.pk}/transitions/endorse/",
        {
            "instrument": "Decree 7/2026",
            "date": timezone.localdate().isoformat(),
            "acknowledged": "true",
            "decree": SimpleUploadedFile("decree.pdf", data),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    evidence = Evidence.objects.get()
    assert evidence.endorsement == Endorsement.objects.get()
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()


def test_a_decree_from_someone_who_may_not_endorse_is_refused_unread(
    api_client, cast, policy_in, private_storage
):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    response = api_client(cast.bureau_member).post(
        f"/api/v1/policies/{policy.pk}/transitions/endorse/",
        {"instrument": "x", "decree": SimpleUploadedFile("decree.pdf", pdfs.flate_bomb())},
        format="multipart",
    )
    assert response.status_code == 403
    assert stored_letters(private_storage) == []


def test_outsiders_neither_list_nor_download_letters(api_client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    post_support(
        api_client(cast.bureau_member),
        policy,
        cast.bureau,
        SimpleUploadedFile("letter.pdf", pdfs.text_pdf()),
    )
    evidence = Evidence.objects.get()
    for outsider in (cast.foreign_member, cast.other_observer, cast.other_implementer_coordinator):
        client = api_client(outsider)
        assert client.get(f"/api/v1/policies/{policy.pk}/evidence/").status_code == 404
        url = f"/api/v1/policies/{policy.pk}/evidence/{evidence.pk}/file/"
        assert client.get(url).status_code == 404
    # A letter of another policy is not found through this one.
    other = policy_in(State.DRAFTING, short_title="Other policy")
    url = f"/api/v1/policies/{other.pk}/evidence/{evidence.pk}/file/"
    assert api_client(cast.coordinator).get(url).status_code == 404
