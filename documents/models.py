"""Document versions: every draft exactly as uploaded, numbered per policy."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models.base import AppendOnlyModel


def version_upload_to(instance, filename):
    # Generated names: nothing a user typed ever becomes a path on disk.
    return f"policies/{instance.policy_id}/{uuid.uuid4().hex}.docx"


class DocumentVersion(AppendOnlyModel):
    """One uploaded draft. Once written it never changes: bytes, hash or metadata."""

    policy = models.ForeignKey("workflow.Policy", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploaded_versions"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["policy", "number"]
        get_latest_by = "number"
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="version_number_unique"),
            models.UniqueConstraint(fields=["policy", "sha256"], name="version_bytes_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self):
        return f"{self.policy} v{self.number}"
