"""Hostile input to the pages: ids past 64 bits in the multi-selects, bidi controls in the CSV."""

import pytest
from django import forms
from django.urls import reverse

from tests.web.test_editing import CREATE, details, edit_url, registration
from web.forms.policy import PolicyEditForm, PolicyForm
from workflow.models import AuditEntry, Policy

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
