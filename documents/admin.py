"""Document versions in the admin: added through ``add_version``, never changed.

Documents are private, so the admin never links to the stored file; it
shows what identifies a version instead (name, size, SHA-256).
"""

from django import forms
from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from documents.models import DocumentVersion
from documents.services import add_version
from workflow.admin import PolicyRecordAdmin, ServiceForm


class DocumentVersionForm(ServiceForm):
    uploaded_file = forms.FileField(
        label=_("file"),
        help_text=_("A Word (.docx) document. Once added, a version never changes."),
        widget=forms.FileInput(attrs={"accept": ".docx"}),
    )

    class Meta:
        model = DocumentVersion
        fields = ["policy", "note"]

    def write(self, data):
        return add_version(
            data["policy"], actor=self.actor, uploaded_file=data["uploaded_file"], note=data["note"]
        )


@admin.register(DocumentVersion)
class DocumentVersionAdmin(PolicyRecordAdmin):
    form = DocumentVersionForm
    list_display = [
        "policy",
        "number",
        "original_name",
        "file_size",
        "short_sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = [("policy", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["policy", "uploaded_by"]
    search_fields = ["original_name", "sha256", "note", "policy__short_title"]

    add_fields = ["policy", "uploaded_file", "note"]
    record_fields = [
        "policy",
        "number",
        "original_name",
        "file_size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "note",
    ]

    @admin.display(description=_("size"), ordering="size")
    def file_size(self, version):
        return filesizeformat(version.size)

    @admin.display(description=_("SHA-256"), ordering="sha256")
    def short_sha256(self, version):
        return f"{version.sha256[:12]}…"
