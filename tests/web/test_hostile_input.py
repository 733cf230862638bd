"""Hostile input to the pages: ids past 64 bits in the multi-selects, bidi controls
in the CSV, hidden ids that name nothing the form may name."""

import pytest
from django import forms
from django.urls import reverse

from tests.factories import register
from tests.web.test_editing import CREATE, details, edit_url, registration
from tests.web.test_policy_actions import snapshot
from web.forms.policy import PolicyEditForm, PolicyForm
from workflow.models import AuditEntry, Policy, VersionWithdrawal

TOO_BIG_ID = str(2**63)


def choice_fields(form_class):
    """Every field of ``form_class`` that names rows by id."""
    return [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.ModelChoiceField)  # multiple choice fields included
    ]


def test_the_forms_have_multi_selects():
    assert {"themes", "required_supporters", "drafters", "reviewers"} <= set(
        choice_fields(PolicyForm)
    )


@pytest.mark.parametrize("field", choice_fields(PolicyForm))
def test_an_id_past_64_bits_is_refused_on_registration(page_client, cast, field):
    client = page_client(cast.coordinator)
    response = client.post(CREATE, registration(cast, **{field: TOO_BIG_ID}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Policy.objects.exists()


@pytest.mark.parametrize("field", choice_fields(PolicyEditForm))
def test_an_id_past_64_bits_is_refused_on_edit(page_client, cast, new_policy, field):
    client = page_client(cast.coordinator)
    entries = AuditEntry.objects.count()
    response = client.post(edit_url(new_policy), details(new_policy, **{field: TOO_BIG_ID}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("start", ["", "="])
def test_the_csv_export_carries_no_bidi_controls(page_client, cast, start):
    client = page_client(cast.coordinator)
    client.post(CREATE, registration(cast, short_title=f"\u202e{start}PK policy"))
    response = client.get(reverse("web:policies_csv"))
    [row] = [line for line in response.getvalue().decode().splitlines()[1:]]
    assert "\u202e" not in row
    # With the override gone, a cell a spreadsheet would run is still kept as text.
    assert row.startswith(f"'{start}PK policy" if start else "PK policy")


# -- the hidden version and organisation of the policy page's forms ------------------

OUT_OF_DATE = "This form is incomplete or out of date."
NAMING_NOTHING = ["", "abc", "-1", "+1", "1_0", "٣", TOO_BIG_ID]


@pytest.fixture
def other_version(cast, walk):
    """A version of another policy, one the same people take part in."""
    other = register(
        cast, "Another policy", required_supporters=[cast.bureau], reviewers=[cast.reviewer]
    )
    return walk.upload(other)


def form_of(html, form_id):
    form = html[html.index(f'id="{form_id}"') :]
    return form[: form.index("</form>")]


@pytest.mark.parametrize("version", [*NAMING_NOTHING, "other"])
def test_a_review_naming_no_version_of_the_policy_is_400(
    page_client, cast, new_policy, walk, other_version, version
):
    walk.to(new_policy, Policy.State.EXPERT_REVIEW)
    before = snapshot(new_policy)
    response = page_client(cast.reviewer).post(
        reverse("web:review", args=[new_policy.pk]),
        {
            "revision": before["revision"],
            "version": other_version.pk if version == "other" else version,
            "decision": "approved",
        },
    )
    assert response.status_code == 400
    assert OUT_OF_DATE in form_of(response.content.decode(), "form-review")
    assert snapshot(new_policy) == before


@pytest.mark.parametrize("version", [*NAMING_NOTHING, "other"])
def test_a_version_withdrawal_naming_no_version_of_the_policy_is_400(
    page_client, cast, new_policy, walk, other_version, version
):
    walk.upload(new_policy)
    before = snapshot(new_policy)
    response = page_client(cast.drafter).post(
        reverse("web:withdraw_version", args=[new_policy.pk]),
        {
            "revision": before["revision"],
            "version": other_version.pk if version == "other" else version,
            "reason": "The wrong file.",
        },
    )
    assert response.status_code == 400
    assert OUT_OF_DATE in form_of(response.content.decode(), "form-withdraw-version")
    assert snapshot(new_policy) == before
    assert not VersionWithdrawal.objects.exists()


@pytest.mark.parametrize("organization", NAMING_NOTHING)
def test_a_support_naming_no_organisation_is_400(page_client, cast, new_policy, walk, organization):
    walk.to(new_policy, Policy.State.INSTITUTIONAL_SUPPORT)
    before = snapshot(new_policy)
    response = page_client(cast.bureau_member).post(
        reverse("web:support", args=[new_policy.pk]),
        {
            "revision": before["revision"],
            "organization": organization,
            "version": new_policy.current_version.pk,
            "decision": "supported",
        },
    )
    # Not an institution they do not speak for (403): a form out of date.
    assert response.status_code == 400
    assert OUT_OF_DATE in response.content.decode()
    assert snapshot(new_policy) == before


def test_a_support_naming_another_policys_version_is_400(
    page_client, cast, new_policy, walk, other_version
):
    walk.to(new_policy, Policy.State.INSTITUTIONAL_SUPPORT)
    before = snapshot(new_policy)
    response = page_client(cast.bureau_member).post(
        reverse("web:support", args=[new_policy.pk]),
        {
            "revision": before["revision"],
            "organization": cast.bureau.pk,
            "version": other_version.pk,
            "decision": "supported",
            "confirmed": "1",
        },
    )
    assert response.status_code == 400
    assert OUT_OF_DATE in form_of(response.content.decode(), f"form-support-{cast.bureau.pk}")
    assert snapshot(new_policy) == before
