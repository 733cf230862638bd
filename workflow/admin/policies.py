"""Policies: details through register/update_policy, transitions through perform_transition."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from policyflow import refusals
from workflow import evidence, permissions, services, transitions
from workflow.admin.access import PolicyChoicesAccess
from workflow.admin.base import ServiceAdmin, ServiceForm
from workflow.models import Endorsement, Policy


class PolicyForm(ServiceForm):
    # The revision the editor loaded: an edit on a policy that moved since
    # is refused (ConcurrentChange) instead of overwriting the other change.
    loaded_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    backfill = forms.BooleanField(
        label=_("I am recording dates that have already passed (back-filling history)"),
        required=False,
        help_text=_("Only then may a due date lie in the past."),
    )

    class Meta:
        model = Policy
        fields = [*services.DETAIL_FIELDS, *services.ASSIGNMENT_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_revision"].initial = self.instance.revision
            self.fields["loaded_revision"].required = True

    def write(self, actor):
        data = self.cleaned_data
        values = {
            name: list(value) if name in services.ASSIGNMENT_FIELDS else value
            for name, value in data.items()
            if name in services.DETAIL_FIELDS or name in services.ASSIGNMENT_FIELDS
        }
        backfill = data.get("backfill", False)
        if self.instance.pk is None:
            return services.register_policy(actor=actor, backfill=backfill, **values)
        self.instance.revision = data["loaded_revision"]
        changes = {name: values[name] for name in self.changed_data if name in values}
        return services.update_policy(self.instance, actor=actor, backfill=backfill, **changes)


def acknowledgement_field():
    """The box a person ticks to pass on a version that still holds tracked
    changes or comments (the service refuses without it)."""
    return forms.BooleanField(
        label=_("I have seen the tracked changes and comments still in this version."),
        required=False,
    )


def _instrument_field():
    instrument = Endorsement._meta.get_field("instrument")
    return forms.CharField(
        label=capfirst(instrument.verbose_name), help_text=instrument.help_text, required=False
    )


def _date_field():
    return forms.DateField(
        label=capfirst(Endorsement._meta.get_field("endorsed_on").verbose_name),
        required=False,
        widget=AdminDateWidget,
    )


def _decree_field():
    return forms.FileField(
        label=_("Decree or cabinet decision (PDF or Word)"),
        required=False,
        help_text=_("The signed instrument, scanned or as issued; the record lists it."),
    )


# The field for each input a transition may declare (``Step.fields``).
STEP_FIELDS = {"instrument": _instrument_field, "date": _date_field, "decree": _decree_field}
NOT_ALLOWED = _("You may not take this action on this policy.")


class TransitionForm(forms.Form):
    """What a person adds to a transition; the service decides what is required."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, name, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        step = transitions.step(name)
        if step.needs_reason:
            self.fields["comment"].help_text = _("Required: say why, for the next person.")
        for field in step.fields:
            self.fields[field] = STEP_FIELDS[field]()
        if step.warns:
            self.fields["acknowledged"] = acknowledgement_field()

    def service_arguments(self):
        """The keyword arguments of ``perform_transition`` besides policy, name and actor."""
        step = transitions.step(self.name)
        fields = ["comment", *step.fields, *(["acknowledged"] if step.warns else [])]
        return {field: self.cleaned_data[field] for field in fields}


@admin.register(Policy)
class PolicyAdmin(PolicyChoicesAccess, ServiceAdmin):
    form = PolicyForm
    list_display = ["short_title", "country", "state", "lead_ministry", "project", "updated_at"]
    list_filter = ["state", "project"]
    list_select_related = ["lead_ministry", "project"]
    search_fields = ["title", "short_title", "summary"]
    filter_horizontal = services.ASSIGNMENT_FIELDS
    readonly_fields = ["state", "revision", "created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_fieldsets(self, request, obj=None):
        details = ["title", "short_title", "country", "lead_ministry", "project", "summary"]
        if obj is not None and self.has_change_permission(request, obj):
            details.append("loaded_revision")
        fieldsets = [
            (None, {"fields": [*details, "themes"]}),
            (_("Who takes part"), {"fields": ["required_supporters", "drafters", "reviewers"]}),
            (_("Deadlines"), {"fields": ["review_due", "support_due", "backfill"]}),
        ]
        if obj is not None:
            fieldsets.append((_("Status"), {"fields": self.readonly_fields}))
        return fieldsets

    def has_change_permission(self, request, obj=None):
        # Others still open the page read-only, with the actions theirs to take.
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.may_edit_details(obj, request.user)
        )

    def has_delete_permission(self, request, obj=None):
        return False  # a policy's record stays; withdraw it instead

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            choices = services.transition_choices(obj, request.user)
            context["transitions"] = [
                {"label": step.label, "url": self._url("transition", obj, step.name)}
                for step, reasons in choices
                if not reasons
            ]
            context["blocked_transitions"] = [
                {"label": step.label, "reasons": reasons} for step, reasons in choices if reasons
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="workflow_policy_transition",
            ),
            *super().get_urls(),
        ]

    def _url(self, view, policy, *args):
        return reverse(
            f"admin:workflow_policy_{view}",
            args=[policy.pk, *args],
            current_app=self.admin_site.name,
        )

    def transition_view(self, request, object_id, name):
        """Show the form for one transition; on POST, ask the service to take it."""
        policy = self.get_object(request, unquote(object_id))
        if policy is None or not transitions.is_user_step(name):
            raise Http404(_("No such policy or action."))
        if not self.has_view_permission(request, policy):
            raise PermissionDenied
        change_url = self._url("change", policy)
        step = transitions.step(name)
        label = step.label
        form = TransitionForm(
            name,
            data=request.POST if request.method == "POST" else None,
            files=request.FILES if request.method == "POST" else None,
            initial={"revision": policy.revision},
        )
        if form.is_valid():
            # Act on the policy as it was when the form was shown.
            policy.revision = form.cleaned_data["revision"]
            try:
                arguments = form.service_arguments()
                for field in evidence.LETTER_FIELDS & set(arguments):
                    if arguments[field] is not None:
                        # Who is asking first: nobody else makes the server read a file.
                        if not step.may(policy, request.user):
                            raise PermissionDenied(
                                _("You may not take this action on this policy.")
                            )
                        arguments[field] = evidence.take_in(arguments[field], field)
                services.perform_transition(policy, name, actor=request.user, **arguments)
            except refusals.REFUSALS as exception:
                refusal = refusals.classify(exception)
                if refusal.kind == refusals.Kind.INVALID:
                    refusals.put_on_form(form, exception)
                else:
                    # Not the form's fault: said on the policy's page.
                    for reason in refusal.reasons:
                        messages.error(request, reason)
                    return redirect(change_url)
            else:
                messages.success(
                    request,
                    _("%(action)s. The policy is now in %(state)s.")
                    % {
                        "action": transitions.step(name).recorded_as,
                        "state": policy.get_state_display().lower(),
                    },
                )
                return redirect(change_url)
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": label,
            "action_label": label,
            "policy": policy,
            "form": form,
            "change_url": change_url,
            "blockers": step.reasons(policy) if policy.state in step.sources else [],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/workflow/policy/transition.html", context)
