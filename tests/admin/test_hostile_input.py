"""What an attacker types into the admin's addresses and forms is answered, never a 500.

The admins are taken from the admin site's registry, so one added later is
covered too: every filter of every changelist gets a NUL character, every
date hierarchy a year, month and day no calendar has, every object address
and every multi-select an id past 64 bits.
"""

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory

from tests.admin.helpers import admin_url
from workflow.models import Policy

TOO_BIG_ID = str(2**63)
OUT_OF_CALENDAR = "2147483648"

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
IDS = [model._meta.label for model, _ in ADMINS]


@pytest.fixture
def superuser(cast, policy_in):
    """A superuser (who sees every admin) on a site with a policy's whole record."""
    policy_in(Policy.State.ENDORSED)
    user = cast.coordinator
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def filter_parameters(model_admin, user):
    """The query-string names the changelist's filters use."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    return sorted({name for spec in changelist.filter_specs for name in spec.expected_parameters()})


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_a_nul_character_in_any_filter_is_a_bad_request(client, superuser, model, model_admin):
    client.force_login(superuser)
    url = admin_url(model, "changelist")
    for name in [*filter_parameters(model_admin, superuser), "q", "o", "p"]:
        response = client.get(url, {name: "\x00"})
        assert response.status_code == 400, name
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_an_id_past_64_bits_in_any_filter_is_answered(client, superuser, model, model_admin):
    client.force_login(superuser)
    url = admin_url(model, "changelist")
    for name in [*filter_parameters(model_admin, superuser), "p"]:
        # A list without rows, or the admin's "wrong filter" redirect.
        assert client.get(url, {name: TOO_BIG_ID}).status_code in (200, 302), name


@pytest.mark.parametrize(
    ("model", "model_admin"),
    [(model, model_admin) for model, model_admin in ADMINS if model_admin.date_hierarchy],
    ids=[label for label, (_, a) in zip(IDS, ADMINS, strict=True) if a.date_hierarchy],
)
def test_a_date_no_calendar_has_is_a_bad_request(client, superuser, model, model_admin):
    client.force_login(superuser)
    url = admin_url(model, "changelist")
    field = model_admin.date_hierarchy
    for query in (
        {f"{field}__year": OUT_OF_CALENDAR},
        {f"{field}__year": "2026", f"{field}__month": OUT_OF_CALENDAR},
        {f"{field}__year": "2026", f"{field}__month": "1", f"{field}__day": OUT_OF_CALENDAR},
        {f"{field}__year": "0"},
        {f"{field}__year": "-1"},
    ):
        assert client.get(url, query).status_code == 400, query
    assert client.get(url, {f"{field}__year": "2026"}).status_code == 200


def test_every_admin_with_dates_is_covered():
    """The admins above include the ones of the workflow's record."""
    with_dates = {model._meta.label for model, a in ADMINS if a.date_hierarchy}
    assert {"workflow.AuditEntry", "workflow.Endorsement"} <= with_dates


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_an_object_id_past_64_bits_is_not_found(client, superuser, model, model_admin):
    client.force_login(superuser)
    for view in ("change", "history", "delete"):
        response = client.get(admin_url(model, view, TOO_BIG_ID))
        # The admin sends a missing object back to the list with a message.
        assert response.status_code in (302, 403, 404), view


def choice_fields(model_admin, user):
    request = RequestFactory().get("/")
    request.user = user
    form = model_admin.get_form(request)
    return [
        name
        for name, field in form.base_fields.items()
        if isinstance(field, forms.ModelChoiceField)  # multiple choice fields included
    ]


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_an_id_past_64_bits_in_any_choice_is_refused(client, superuser, model, model_admin):
    client.force_login(superuser)
    request = RequestFactory().get("/")
    request.user = superuser
    if not model_admin.has_add_permission(request):
        pytest.skip("nothing is added here")
    before = model.objects.count()
    for name in choice_fields(model_admin, superuser):
        response = client.post(admin_url(model, "add"), {name: TOO_BIG_ID})
        assert response.status_code == 200, name
        assert name in response.context["adminform"].form.errors, name
    assert model.objects.count() == before
