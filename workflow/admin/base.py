"""What every admin that writes through a service shares.

Django's admin validates the form, then calls ``save_model`` and
``save_related`` inside one transaction. Here ``save_model`` hands the
cleaned form to a service, which writes the object; the admin itself never
saves a policy's record. A service's refusal raised there leaves that
transaction, which rolls back; the page is then shown again as posted,
with the refusal on the form.
"""

from django import forms
from django.contrib import admin

from policyflow import refusals
from workflow.models import Policy


class ServiceForm(forms.ModelForm):
    """A model form whose cleaned fields a service writes; it never saves itself.

    Its validation is the model's own checks; ``ServiceAdmin.save_model``
    calls ``write`` once they pass. ``refusal``, when set, is a refusal of
    the service a previous try of the same post met: validation shows it.
    """

    refusal = None

    def write(self, actor):
        """Make the change through a service, as ``actor``; return the written object."""
        raise NotImplementedError

    def full_clean(self):
        super().full_clean()
        if self.refusal is not None and self.is_bound:
            refusals.put_on_form(self, self.refusal)


class _Refused(Exception):
    """Carries a service's refusal out of ``save_model``, and so out of the
    admin's transaction, which rolls back whatever was written."""

    def __init__(self, refusal):
        super().__init__(refusal)
        self.refusal = refusal


# Where a refused post keeps its refusal while the page is built again.
_REFUSAL = "_service_refusal"


class ServiceAdmin(admin.ModelAdmin):
    """An admin whose ``save_model`` writes through its ``ServiceForm``'s service.

    No inlines: the service writes the object and everything it names.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            # Nothing was written. The same post again: the form now fails
            # validation with the refusal on it, and the page shows it.
            setattr(request, _REFUSAL, refused.refusal)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, _REFUSAL, None)
        if refusal is None:
            return form
        return type(form.__name__, (form,), {"refusal": refusal})

    def save_form(self, request, form, change):
        """The object as the form built it, unsaved (the form never saves)."""
        return form.instance

    def save_model(self, request, obj, form, change):
        """Write through the form's service; ``obj`` becomes the written object,
        which the admin then logs and redirects to."""
        try:
            written = form.write(request.user)
        except refusals.REFUSALS as refusal:
            raise _Refused(refusal) from refusal
        if written is not obj:
            vars(obj).update(vars(written))

    def save_related(self, request, form, formsets, change):
        """Nothing more to save: the service also set the many-to-many fields."""


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
