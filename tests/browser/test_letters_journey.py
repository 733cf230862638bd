"""Official letters in the browser: an institution records its support with its
signed letter, the ministry endorses with its decree, the endorsement record
lists both with their SHA-256, and each downloads as the same file."""

import hashlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import GeneratedRecord
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.pages import reload_until_visible, sign_in_on
from tests.browser.test_journey import docx_text, expect_state, field
from tests.documents import pdfs
from workflow.models import Endorsement, Evidence, Policy, Support

State = Policy.State
INSTRUMENT = "Cabinet decision 21/2026"


@pytest.fixture
def page_of(new_context, transactional_db):
    def open_for(user):
        profile = new_context()
        profile.set_default_timeout(TIMEOUT_MS)
        profile.set_default_navigation_timeout(TIMEOUT_MS)
        return sign_in_on(profile, user)

    return open_for


def pdf_payload(name, data):
    return {"name": name, "mimeType": "application/pdf", "buffer": data}


def test_a_letter_of_support_and_a_decree_reach_the_record_unchanged(
    page_of, cast, policy_in, screenshot
):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    letter_bytes, decree_bytes = pdfs.arabic_pdf(), pdfs.scanned_pdf()

    # The bureau supports, with its signed letter, confirming first.
    bureau = page_of(cast.bureau_member)
    bureau.goto(f"/policies/{policy.pk}/")
    form = bureau.get_by_role("form", name=f"Decision of {cast.bureau.name} on version 1")
    form.get_by_label("Supported").check()
    form.get_by_label("The institution's letter (PDF or Word)").set_input_files(
        pdf_payload("bureau-letter.pdf", letter_bytes)
    )
    form.get_by_role("button", name=f"Record the decision of {cast.bureau.short_name}").click()
    letter_hash = hashlib.sha256(letter_bytes).hexdigest()
    expect(bureau.locator("#confirm")).to_contain_text(letter_hash)
    assert not Evidence.objects.exists()
    screenshot("confirm-support-with-letter", bureau)
    bureau.get_by_role("button", name="Record the support").click()
    letters = bureau.get_by_role("region", name="Official letters")
    expect(letters).to_contain_text(letter_hash)
    assert Evidence.objects.get().support == Support.objects.get(organization=cast.bureau)

    # The agency supports without one; the policy moves on to the ministry.
    agency = page_of(cast.agency_member)
    agency.goto(f"/policies/{policy.pk}/")
    form = agency.get_by_role("form", name=f"Decision of {cast.agency.name} on version 1")
    form.get_by_label("Supported").check()
    form.get_by_role("button", name=f"Record the decision of {cast.agency.short_name}").click()
    agency.get_by_role("button", name="Record the support").click()
    expect_state(agency, "Awaiting endorsement")

    # The ministry endorses with its decree.
    ministry = page_of(cast.endorser)
    ministry.goto(f"/policies/{policy.pk}/")
    form = ministry.get_by_role("form", name="Endorse", exact=True)
    field(form, "Instrument").fill(INSTRUMENT)
    field(form, "Date of endorsement").fill(timezone.localdate().isoformat())
    field(form, "Decree or cabinet decision (PDF or Word)").set_input_files(
        pdf_payload("decree.pdf", decree_bytes)
    )
    form.get_by_role("button", name="Endorse", exact=True).click()
    decree_hash = hashlib.sha256(decree_bytes).hexdigest()
    expect(ministry.locator("#confirm")).to_contain_text(decree_hash)
    ministry.get_by_role("button", name="Endorse version 1", exact=True).click()
    expect_state(ministry, "Endorsed")
    endorsement = Endorsement.objects.get(policy=policy)
    assert endorsement.letters.get().sha256 == decree_hash

    # The record lists both letters with their hashes.
    link = reload_until_visible(
        ministry, ministry.get_by_role("link", name="Download the endorsement record")
    )
    with ministry.expect_download() as started:
        link.click()
    record_text = docx_text(started.value.path().read_bytes())
    assert GeneratedRecord.objects.filter(endorsement=endorsement).exists()
    assert letter_hash in record_text
    assert decree_hash in record_text
    screenshot("policy-endorsed-with-letters", ministry)

    # Each letter downloads as the very file received.
    letters = ministry.get_by_role("region", name="Official letters")
    for name, expected in (("bureau-letter.pdf", letter_hash), ("decree.pdf", decree_hash)):
        with ministry.expect_download() as started:
            letters.get_by_role("link", name=name).click()
        assert hashlib.sha256(started.value.path().read_bytes()).hexdigest() == expected
