"""One answer per refusal: what the services refuse with, read once for every door."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from documents.services import add_version
from policyflow import refusals
from policyflow.middleware import UserErrorMiddleware
from policyflow.refusals import Kind
from tests.factories import docx_upload
from workflow import services
from workflow.exceptions import ConcurrentChange

pytestmark = pytest.mark.django_db


def refused(act):
    """The refusal ``act`` (a service call) raises."""
    with pytest.raises(refusals.REFUSALS) as caught:
        act()
    return caught.value


def test_an_act_the_actor_may_not_take_is_403(cast, new_policy):
    exception = refused(
        lambda: services.perform_transition(
            new_policy, "withdraw", actor=cast.observer, comment="Stop."
        )
    )
    refusal = refusals.classify(exception)
    assert (refusal.kind, refusal.status, refusal.code) == (
        Kind.PERMISSION_DENIED,
        403,
        "permission_denied",
    )
    assert str(refusal.title) == "Not allowed"
    assert refusal.reasons == ("You may not take this action on this policy.",)
    assert refusal.field_errors == {}


def test_a_blocked_transition_is_409_with_every_reason(cast, new_policy):
    exception = refused(
        lambda: services.perform_transition(new_policy, "submit_for_review", actor=cast.drafter)
    )
    refusal = refusals.classify(exception)
    assert (refusal.kind, refusal.status, refusal.code) == (
        Kind.TRANSITION_BLOCKED,
        409,
        "transition_blocked",
    )
    assert str(refusal.title) == "This is not possible now"
    assert "No document version has been uploaded yet." in refusal.reasons
    assert refusal.reasons == tuple(exception.reasons)
    assert refusal.detail == " ".join(exception.reasons)


def test_a_change_on_a_stale_picture_is_409(cast, new_policy, walk):
    stale = new_policy.revision
    walk.upload(new_policy)
    new_policy.revision = stale
    exception = refused(
        lambda: services.perform_transition(
            new_policy, "withdraw", actor=cast.coordinator, comment="Stop."
        )
    )
    refusal = refusals.classify(exception)
    assert (refusal.kind, refusal.status) == (Kind.CONCURRENT_CHANGE, 409)
    assert str(refusal.title) == "Someone else changed this policy meanwhile."
    assert refusal.reasons == (str(ConcurrentChange.default_message),)


def test_invalid_input_is_400_with_its_field_errors(cast):
    exception = refused(
        lambda: services.register_policy(
            actor=cast.coordinator,
            project=cast.project,
            title="A policy",
            short_title="A policy",
            country="PK",
            lead_ministry=cast.foreign_ministry,
        )
    )
    refusal = refusals.classify(exception)
    assert (refusal.kind, refusal.status, refusal.code) == (Kind.INVALID, 400, "invalid")
    assert str(refusal.title) == "This cannot be done"
    assert refusal.field_errors == {
        "lead_ministry": ("The lead ministry must be of the policy's country.",)
    }
    assert refusal.reasons == ("The lead ministry must be of the policy's country.",)


def test_the_intakes_own_code_is_kept(cast, new_policy):
    upload = docx_upload("The text.")
    same = SimpleUploadedFile("again.docx", upload.read(), content_type=upload.content_type)
    add_version(new_policy, actor=cast.drafter, uploaded_file=upload)
    exception = refused(lambda: add_version(new_policy, actor=cast.drafter, uploaded_file=same))
    refusal = refusals.classify(exception)
    assert (refusal.kind, refusal.status, refusal.code) == (Kind.INVALID, 400, "duplicate")
    assert refusal.reasons == ("This file is identical to version 1.",)


def test_anything_else_is_no_refusal():
    with pytest.raises(TypeError):
        refusals.classify(ValueError("a bug"))


class PolicyDetails(forms.Form):
    lead_ministry = forms.CharField(required=False)
    file = forms.CharField(required=False)


def test_field_errors_go_on_their_fields_and_the_rest_above_the_form():
    form = PolicyDetails({})
    assert form.is_valid()
    refusals.put_on_form(
        form,
        ValidationError({"lead_ministry": "Not of this country.", "reviewers": "Not a reviewer."}),
    )
    assert form.errors == {
        "lead_ministry": ["Not of this country."],
        "__all__": ["Not a reviewer."],
    }


def test_a_refusal_without_fields_goes_on_the_field_given_else_above_the_form():
    on_field = PolicyDetails({})
    on_field.is_valid()
    refusals.put_on_form(on_field, ValidationError("Not a Word document.", code="not_docx"), "file")
    above = PolicyDetails({})
    above.is_valid()
    refusals.put_on_form(above, ConcurrentChange("Version 1 is no longer the current version."))
    assert on_field.errors == {"file": ["Not a Word document."]}
    assert above.errors == {"__all__": ["Version 1 is no longer the current version."]}


def answered(exception, user):
    request = RequestFactory().post("/policies/1/actions/withdraw/")
    request.user = user
    return UserErrorMiddleware(lambda request: None).process_exception(request, exception)


def test_a_refusal_no_view_caught_is_its_page(cast, new_policy):
    blocked = refused(
        lambda: services.perform_transition(new_policy, "submit_for_review", actor=cast.drafter)
    )
    stale = ConcurrentChange()
    invalid = ValidationError({"comment": "Say why."})
    for exception, status, title in (
        (blocked, 409, "This is not possible now"),
        (stale, 409, "Someone else changed this policy meanwhile."),
        (invalid, 400, "This cannot be done"),
    ):
        response = answered(exception, cast.coordinator)
        assert response.status_code == status
        page = response.content.decode()
        assert f'<h1 class="h3">{title}</h1>'.replace("'", "&#x27;") in page
        for reason in refusals.classify(exception).reasons:
            assert reason.replace("'", "&#x27;") in page


def test_a_permission_refusal_is_left_to_djangos_403_page(cast, new_policy):
    exception = refused(
        lambda: services.perform_transition(
            new_policy, "withdraw", actor=cast.observer, comment="Stop."
        )
    )
    assert answered(exception, cast.observer) is None
