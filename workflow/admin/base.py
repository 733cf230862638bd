"""What every admin that writes through a service shares.

The admin's forms hand their cleaned fields to a service and show its
refusals as errors; the admin itself never saves a policy's record.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from workflow.exceptions import WorkflowError
from workflow.models import Policy

# What a service raises when it refuses: each carries a message for the user.
REFUSALS = (PermissionDenied, ValidationError, WorkflowError)


def refusal_messages(refusal):
    """The sentences a refusal carries, for a message or a form's top errors."""
    if isinstance(refusal, WorkflowError):
        return refusal.reasons
    if isinstance(refusal, ValidationError):
        return refusal.messages
    return [str(refusal) or _("You may not do this.")]


def add_refusal(form, refusal):
    """Show a service's refusal on ``form``: field errors where they belong, the rest on top."""
    if isinstance(refusal, ValidationError) and hasattr(refusal, "error_dict"):
        for field, errors in refusal.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in refusal_messages(refusal):
            form.add_error(None, message)


class ServiceForm(forms.ModelForm):
    """A model form whose last validation step is the service call that writes.

    Once the model's own checks pass, ``write`` hands the cleaned fields to a
    service inside the admin's transaction. A refusal becomes a form error;
    as a service writes all or nothing, a refused form leaves nothing behind.
    """

    actor = None  # the requesting user, bound by ServiceAdmin.get_form

    def write(self, data):
        """Make the change through a service and return the written object."""
        raise NotImplementedError

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.instance = self.write(self.cleaned_data)
        except REFUSALS as refusal:
            add_refusal(self, refusal)


class ServiceAdmin(admin.ModelAdmin):
    """An admin whose ``ServiceForm`` writes; it saves nothing itself.

    No inlines: their validation would run after the service has written.
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        """Nothing to save: the form's service call wrote the object."""

    def save_related(self, request, form, formsets, change):
        """Nothing to save: the service also set the many-to-many fields."""


class PolicyRecordAdmin(ServiceAdmin):
    """Rows of a policy's record: seen by whoever sees the policy, never changed."""

    list_select_related = ["policy"]
    # The fields of the add form (a service's input) and of a written row;
    # None shows every field.
    add_fields = record_fields = None

    def get_fields(self, request, obj=None):
        fields = self.add_fields if obj is None else self.record_fields
        return fields or super().get_fields(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(policy__in=Policy.objects.visible_to(request.user).values("pk"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "policy":
            kwargs["queryset"] = Policy.objects.visible_to(request.user)
        elif db_field.name == "version":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                policy__in=Policy.objects.visible_to(request.user).values("pk")
            ).select_related("policy")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyPolicyRecordAdmin(PolicyRecordAdmin):
    """Rows written only as part of another act (a transition, any service)."""

    def has_add_permission(self, request):
        return False
