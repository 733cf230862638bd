"""Official letters through the admin: the same intake, the same refusals, the
same rows as the pages and the API."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.admin.helpers import State, admin_url, page_text, snapshot, transition_url
from tests.documents import pdfs
from workflow.models import Endorsement, Evidence, Support

pytestmark = pytest.mark.django_db


def add_support(client, policy, organization, letter):
    return client.post(
        admin_url(Support, "add"),
        {
            "policy": policy.pk,
            "version": policy.current_version.pk,
            "organization": organization.pk,
            "decision": "supported",
            "letter": letter,
        },
    )


def test_a_support_added_in_the_admin_keeps_its_letter(cast, policy_in, login):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    data = pdfs.text_pdf()
    add_support(
        login(cast.bureau_member), policy, cast.bureau, SimpleUploadedFile("letter.pdf", data)
    )
    evidence = Evidence.objects.get()
    assert evidence.support == Support.objects.get()
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()


def test_a_hostile_letter_is_refused_on_its_field_in_the_admin(cast, policy_in, login):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    before = snapshot(policy)
    response = add_support(
        login(cast.bureau_member),
        policy,
        cast.bureau,
        SimpleUploadedFile("letter.pdf", pdfs.launch_action()),
    )
    assert response.status_code == 200
    assert "starts a program" in page_text(response)
    assert not Support.objects.exists()
    assert not Evidence.objects.exists()
    assert snapshot(policy) == before


def test_the_admin_endorses_with_a_decree(cast, policy_in, login):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    client = login(cast.endorser)
    assert 'enctype="multipart/form-data"' in page_text(
        client.get(transition_url(policy, "endorse"))
    )
    client.post(
        transition_url(policy, "endorse"),
        {
            "revision": policy.revision,
            "instrument": "Decree 7/2026",
            "date": timezone.localdate().isoformat(),
            "acknowledged": "on",
            "decree": SimpleUploadedFile("decree.pdf", pdfs.scanned_pdf()),
        },
    )
    assert Evidence.objects.get().endorsement == Endorsement.objects.get()


def test_letters_are_listed_read_only_to_those_who_see_the_policy(cast, policy_in, login):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    add_support(
        login(cast.bureau_member),
        policy,
        cast.bureau,
        SimpleUploadedFile("letter.pdf", pdfs.text_pdf()),
    )
    evidence = Evidence.objects.get()
    client = login(cast.coordinator)
    listed = client.get(admin_url(Evidence, "changelist"))
    assert listed.status_code == 200
    assert evidence.sha256 in page_text(client.get(admin_url(Evidence, "change", evidence.pk)))
    assert client.get(admin_url(Evidence, "add")).status_code == 403
    other = login(cast.other_implementer_coordinator)
    assert "letter.pdf" not in page_text(other.get(admin_url(Evidence, "changelist")))
