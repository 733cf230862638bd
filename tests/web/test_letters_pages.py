"""Official letters on the policy page: attached to an institution's decision or an
endorsement, carried through the confirm step, listed with their SHA-256 and
downloaded as received; refused files never stored."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.documents import pdfs
from tests.web.test_decisions_pages import support, text_of
from tests.web.test_policy_actions import post_action, snapshot
from workflow.models import Endorsement, Evidence, Policy, Support

pytestmark = pytest.mark.django_db
State = Policy.State


def files_under(root, directory):
    return [p for p in root.rglob("*") if p.is_file() and directory in p.parts]


def carried_token(response, field="letter"):
    found = re.search(rf'name="{field}_pending" value="([^"]+)"', response.content.decode())
    assert found, "the confirm step carries the kept letter"
    return found.group(1)


def download(client, letter):
    response = client.get(reverse("documents:letter", args=[letter.pk]))
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def test_a_letter_goes_through_the_confirm_step_and_is_kept_with_the_support(
    page_client, cast, policy_in, private_storage
):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    client = page_client(cast.bureau_member)
    data = pdfs.arabic_pdf()
    digest = hashlib.sha256(data).hexdigest()
    before = snapshot(policy)

    response = support(
        client, policy, cast.bureau, "supported", letter=SimpleUploadedFile("letter.pdf", data)
    )
    assert response.status_code == 200
    assert snapshot(policy) == before
    assert not Evidence.objects.exists()
    assert files_under(private_storage, "evidence") == []  # the rehearsal left nothing
    assert len(files_under(private_storage, "pending")) == 1
    assert f"The letter “letter.pdf” (SHA-256 {digest}) will be attached" in text_of(response)
    token = carried_token(response)

    response = support(
        client, policy, cast.bureau, "supported", confirmed="1", letter_pending=token
    )
    assert response.status_code == 303
    evidence = Evidence.objects.get()
    assert evidence.support == Support.objects.get(organization=cast.bureau)
    assert evidence.sha256 == digest
    assert files_under(private_storage, "pending") == []

    page = client.get(reverse("web:policy", args=[policy.pk]))
    assert page.content.decode().count(digest) == 2  # the letters table, and the history
    assert "Official letters" in text_of(page)
    assert "Letter: letter.pdf" in text_of(page)
    response, body = download(page_client(cast.observer), evidence)
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body).hexdigest() == digest


@pytest.mark.parametrize(
    ("build", "code_phrase"),
    [
        (pdfs.open_action_javascript, "JavaScript"),
        (pdfs.flate_bomb, "unpacks to more than"),
        (pdfs.encrypted_pdf, "password-protected"),
    ],
)
def test_a_refused_letter_shows_on_its_field_and_nothing_is_stored(
    page_client, cast, policy_in, private_storage, build, code_phrase
):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    before = snapshot(policy)
    response = support(
        page_client(cast.bureau_member),
        policy,
        cast.bureau,
        "supported",
        letter=SimpleUploadedFile("letter.pdf", build()),
    )
    assert response.status_code == 400
    assert code_phrase in text_of(response)
    assert "What will happen" not in text_of(response)
    assert snapshot(policy) == before
    assert not Evidence.objects.exists()
    assert files_under(private_storage, "evidence") == []
    assert files_under(private_storage, "pending") == []


def test_a_required_letter_missing_is_said_on_the_form(page_client, cast, policy_in):
    cast.project.support_letter_required = True
    cast.project.save()
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    response = support(page_client(cast.bureau_member), policy, cast.bureau, "supported")
    assert response.status_code == 400
    assert "Attach the institution's signed letter" in text_of(response)


def test_a_token_of_another_session_attaches_nothing(page_client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    first = support(
        page_client(cast.bureau_member),
        policy,
        cast.bureau,
        "supported",
        letter=SimpleUploadedFile("letter.pdf", pdfs.text_pdf()),
    )
    token = carried_token(first)
    response = support(
        page_client(cast.bureau_member),
        policy,
        cast.bureau,
        "supported",
        confirmed="1",
        letter_pending=token,
    )
    assert response.status_code == 400
    assert "no longer waiting" in text_of(response)
    assert not Support.objects.filter(organization=cast.bureau).exists()


def test_the_ministry_endorses_with_its_decree_through_the_confirm_step(
    page_client, cast, policy_in
):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    client = page_client(cast.endorser)
    data = pdfs.scanned_pdf()
    fields = {
        "instrument": "Decree 7/2026",
        "date": timezone.localdate().isoformat(),
        "acknowledged": "on",
    }
    response = post_action(
        client, policy, "endorse", decree=SimpleUploadedFile("decree.pdf", data), **fields
    )
    assert response.status_code == 200
    assert (
        'enctype="multipart/form-data"'
        in client.get(reverse("web:policy", args=[policy.pk])).content.decode()
    )
    token = carried_token(response, "decree")
    response = post_action(client, policy, "endorse", confirmed="1", decree_pending=token, **fields)
    assert response.status_code == 303
    evidence = Evidence.objects.get()
    assert evidence.endorsement == Endorsement.objects.get()
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()


def test_outsiders_cannot_download_a_letter(page_client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    client = page_client(cast.bureau_member)
    first = support(
        client,
        policy,
        cast.bureau,
        "supported",
        letter=SimpleUploadedFile("letter.pdf", pdfs.text_pdf()),
    )
    support(
        client, policy, cast.bureau, "supported", confirmed="1", letter_pending=carried_token(first)
    )
    evidence = Evidence.objects.get()
    for outsider in (cast.foreign_member, cast.other_observer):
        response, _ = download(page_client(outsider), evidence)
        assert response.status_code == 404
