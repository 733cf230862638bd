"""A policy's record: reviews and supports through their services; the rest read-only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from workflow import evidence, permissions, services
from workflow.admin.base import (
    PolicyRecordAdmin,
    ReadOnlyPolicyRecordAdmin,
    ServiceForm,
)
from workflow.admin.policies import acknowledgement_field
from workflow.models import AuditEntry, Endorsement, Evidence, PolicyState, Review, Support


class ReviewForm(ServiceForm):
    acknowledged = acknowledgement_field()

    class Meta:
        model = Review
        fields = ["policy", "version", "decision", "comment"]
        help_texts = {"version": _("The version you reviewed; it must still be the current one.")}

    def write(self, actor):
        data = self.cleaned_data
        return services.record_review(
            data["policy"],
            actor=actor,
            decision=data["decision"],
            comment=data["comment"],
            version=data["version"],
            acknowledged=data["acknowledged"],
        )


@admin.register(Review)
class ReviewAdmin(PolicyRecordAdmin):
    form = ReviewForm
    list_display = ["policy", "version", "reviewer", "decision", "created_at"]
    list_filter = ["decision", ("policy", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["policy", "version__policy", "reviewer"]
    search_fields = ["comment", "policy__short_title", "reviewer__username"]
    add_fields = ["policy", "version", "decision", "comment", "acknowledged"]
    record_fields = ["policy", "version", "decision", "comment", "reviewer", "created_at"]


class SupportForm(ServiceForm):
    letter = forms.FileField(
        label=_("The institution's letter (PDF or Word)"),
        required=False,
        help_text=_("The signed letter on letterhead, scanned or as sent; the record lists it."),
    )

    class Meta:
        model = Support
        fields = ["policy", "version", "organization", "decision", "statement"]
        help_texts = {
            "version": _(
                "The version the institution decided on; it must still be the current one."
            )
        }

    def write(self, actor):
        data = self.cleaned_data
        letter = None
        if data.get("letter") is not None:
            # Who is asking first: nobody else makes the server read a file.
            if not permissions.may_record_support(data["policy"], actor, data["organization"]):
                raise PermissionDenied(
                    _("You may not record a decision for %(organization)s on this policy.")
                    % {"organization": data["organization"].name}
                )
            letter = evidence.take_in(data["letter"], "letter")
        return services.record_support(
            data["policy"],
            actor=actor,
            organization=data["organization"],
            decision=data["decision"],
            statement=data["statement"],
            version=data["version"],
            letter=letter,
        )


@admin.register(Support)
class SupportAdmin(PolicyRecordAdmin):
    form = SupportForm
    list_display = ["policy", "version", "organization", "decision", "recorded_by", "recorded_at"]
    list_filter = ["decision", ("policy", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["policy", "version__policy", "organization", "recorded_by"]
    search_fields = ["statement", "policy__short_title", "organization__name"]
    add_fields = ["policy", "version", "organization", "decision", "statement", "letter"]
    record_fields = [*add_fields[:-1], "recorded_by", "recorded_at"]


@admin.register(Endorsement)
class EndorsementAdmin(ReadOnlyPolicyRecordAdmin):
    list_display = ["policy", "instrument", "endorsed_on", "ministry", "version", "endorsed_by"]
    list_select_related = ["policy", "version__policy", "ministry", "endorsed_by"]
    search_fields = ["instrument", "policy__short_title", "policy__title"]
    date_hierarchy = "endorsed_on"


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyPolicyRecordAdmin):
    list_display = ["at", "policy", "action", "actor", "from_label", "to_label", "version"]
    list_filter = ["action", ("policy", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["policy", "actor", "version__policy"]
    search_fields = ["comment", "policy__title", "policy__short_title", "actor__username"]
    date_hierarchy = "at"
    record_fields = readonly_fields = [*list_display, "comment", "details"]

    @admin.display(description=_("from"), ordering="from_state")
    def from_label(self, entry):
        return PolicyState.label_for(entry.from_state)

    @admin.display(description=_("to"), ordering="to_state")
    def to_label(self, entry):
        return PolicyState.label_for(entry.to_state)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyPolicyRecordAdmin):
    """Official letters, as the services wrote them: read only, never changed."""

    list_display = ["policy", "original_name", "kind", "support", "endorsement", "added_by"]
    list_filter = ["kind", ("policy", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["policy", "support__organization", "endorsement", "added_by"]
    search_fields = ["original_name", "sha256", "policy__short_title"]
    record_fields = [
        "policy",
        "version",
        "support",
        "endorsement",
        "kind",
        "original_name",
        "size",
        "sha256",
        "pages",
        "added_by",
        "added_at",
    ]
