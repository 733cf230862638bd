"""Document versions and generated records in the admin: written by services, never changed.

Documents are private, so the admin never links to the stored file; it
shows what identifies a version (name, size, SHA-256) and links to the
download view, which checks who is asking.
"""

from django import forms
from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from documents.models import GeneratedRecord
from documents.selectors import visible_records
from documents.services import add_translation, add_version
from workflow.admin import PolicyRecordAdmin, ServiceForm
from workflow.admin.base import ReadOnlyPolicyRecordAdmin
from workflow.models import DocumentVersion, MarkedUpCopy, Policy, Translation


class DocumentVersionForm(ServiceForm):
    uploaded_file = forms.FileField(
        label=_("file"),
        help_text=_("A Word (.docx) document. Once added, a version never changes."),
        widget=forms.FileInput(attrs={"accept": ".docx"}),
    )

    class Meta:
        model = DocumentVersion
        fields = ["policy", "note"]

    def write(self, actor):
        data = self.cleaned_data
        return add_version(
            data["policy"], actor=actor, uploaded_file=data["uploaded_file"], note=data["note"]
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
        "word_count",
        "unresolved",
        "open_links",
    ]

    @admin.display(description=_("size"), ordering="size")
    def file_size(self, version):
        return filesizeformat(version.size)

    @admin.display(description=_("SHA-256"), ordering="sha256")
    def short_sha256(self, version):
        return f"{version.sha256[:12]}…"

    @admin.display(description=_("left in the file"))
    def unresolved(self, version):
        return _("%(ins)s tracked insertions, %(del)s tracked deletions, %(comments)s comments") % {
            "ins": version.tracked_insertions,
            "del": version.tracked_deletions,
            "comments": version.comment_count,
        }

    @admin.display(description=_("open"))
    def open_links(self, version):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("documents:preview", args=[version.pk]),
            _("preview"),
            reverse("documents:download", args=[version.pk]),
            _("download"),
        )


@admin.register(GeneratedRecord)
class GeneratedRecordAdmin(ReadOnlyPolicyRecordAdmin):
    list_display = ["file_name", "kind", "policy", "created_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["policy", "created_by"]
    record_fields = [*list_display, "size", "sha256", "download"]
    readonly_fields = record_fields

    def get_queryset(self, request):
        # Reports belong to whoever made them; records to the policy's participants.
        return visible_records(request.user, admin.ModelAdmin.get_queryset(self, request))

    @admin.display(description=_("download"))
    def download(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("documents:record", args=[record.pk]), _("download")
        )


class TranslationForm(ServiceForm):
    uploaded_file = forms.FileField(
        label=_("file"),
        help_text=_("The version in this language, a Word (.docx) document."),
        widget=forms.FileInput(attrs={"accept": ".docx"}),
    )

    class Meta:
        model = Translation
        fields = ["version", "language", "reason"]
        help_texts = {
            "version": _("The current version of the policy."),
            "language": _("One of the project's translation languages, e.g. fa."),
            "reason": _("Required after drafting: why the translation is added now."),
        }

    def write(self, actor):
        data = self.cleaned_data
        version = data["version"]
        return add_translation(
            version.policy,
            actor=actor,
            version=version,
            language=data["language"],
            uploaded_file=data["uploaded_file"],
            reason=data["reason"],
        )


class VersionPartAdmin(PolicyRecordAdmin):
    """Rows bound to a version rather than to a policy: seen with the policy."""

    list_select_related = ["version__policy"]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        visible = Policy.objects.visible_to(request.user).values("pk")
        return queryset.filter(version__policy__in=visible)

    @admin.display(description=_("policy"))
    def policy(self, row):
        return row.version.policy

    @admin.display(description=_("version"), ordering="version__number")
    def version_number(self, row):
        return row.version.number


@admin.register(Translation)
class TranslationAdmin(VersionPartAdmin):
    form = TranslationForm
    list_display = ["policy", "version_number", "language", "original_name", "uploaded_at"]
    list_filter = ["language"]
    search_fields = ["original_name", "sha256", "version__policy__short_title"]
    add_fields = ["version", "language", "uploaded_file", "reason"]
    record_fields = [
        "policy",
        "version_number",
        "language",
        "original_name",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "reason",
        "open_links",
    ]
    readonly_fields = ["policy", "version_number", "open_links"]

    @admin.display(description=_("open"))
    def open_links(self, translation):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("documents:translation_preview", args=[translation.pk]),
            _("preview"),
            reverse("documents:translation", args=[translation.pk]),
            _("download"),
        )


@admin.register(MarkedUpCopy)
class MarkedUpCopyAdmin(VersionPartAdmin):
    list_display = ["policy", "version_number", "review", "original_name", "uploaded_at"]
    list_select_related = ["version__policy", "review__reviewer"]
    search_fields = ["original_name", "sha256", "version__policy__short_title"]
    record_fields = [
        "policy",
        "version_number",
        "review",
        "original_name",
        "size",
        "sha256",
        "uploaded_at",
        "open_links",
    ]
    readonly_fields = record_fields

    def has_add_permission(self, request):
        return False  # written with its review only

    @admin.display(description=_("open"))
    def open_links(self, copy):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("documents:marked_up", args=[copy.pk]),
            _("comments and changes"),
            reverse("documents:marked_up_download", args=[copy.pk]),
            _("download"),
        )
