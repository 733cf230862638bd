"""Generated records: the .docx files policyflow writes, kept exactly as written.

They live in private storage under generated names; nothing a user typed
becomes a path, and only views that check who is asking hand them out.
The versions they are made from are part of the policy's record
(``workflow.models.versions``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models import DocumentVersion
from workflow.models.base import AppendOnlyModel, ImmutableFileField


def record_upload_to(instance, filename):
    return f"records/{instance.kind}/{uuid.uuid4().hex}.docx"


class GeneratedRecord(AppendOnlyModel):
    """A .docx policyflow wrote: an endorsement record, a portfolio report or a redline.

    A redline (the changes between two versions) is made once per pair of
    versions and handed out again afterwards: both versions never change.
    """

    class Kind(models.TextChoices):
        ENDORSEMENT_RECORD = "endorsement_record", _("Endorsement record")
        PORTFOLIO_REPORT = "portfolio_report", _("Portfolio status report")
        REDLINE = "redline", _("Changes between two versions")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    policy = models.ForeignKey(
        "workflow.Policy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="generated_records",
    )
    endorsement = models.OneToOneField(
        "workflow.Endorsement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="record",
    )
    older_version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    newer_version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    file = ImmutableFileField(_("file"), upload_to=record_upload_to, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Null for records the system makes on its own (the endorsement record).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="generated_records",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # A portfolio report's fingerprint: the SHA-256 of what it prints, its
    # date aside. A request for the same report soon after gets this one.
    content_fingerprint = models.CharField(
        _("content fingerprint"), max_length=64, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("generated record")
        verbose_name_plural = _("generated records")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="endorsement_record") | Q(endorsement__isnull=False),
                name="record_endorsement_has_its_endorsement",
            ),
            models.CheckConstraint(
                condition=~Q(kind="redline")
                | Q(older_version__isnull=False, newer_version__isnull=False),
                name="record_redline_has_its_versions",
            ),
            models.UniqueConstraint(
                fields=["older_version", "newer_version"],
                condition=Q(kind="redline"),
                name="record_redline_once_per_pair",
            ),
        ]

    def __str__(self):
        return self.file_name
