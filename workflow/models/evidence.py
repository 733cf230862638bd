"""Official letters kept as evidence of a decision: a letter of support (or of a
decline) from an institution, the decree or cabinet decision that endorses.

A letter is part of the record, like the decision it proves: written once,
under the policy's lock and in the decision's transaction, by the services
(``workflow.services.record_support``, the ``endorse`` transition), from a
file that passed the intake in ``documents`` (``workflow.evidence.Letter``).
Its file lies in private storage under a generated name; only views that
check who is asking hand it out.
"""

import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models.base import AppendOnlyModel, ImmutableFileField

_UNSAFE_IN_NAME = re.compile(r"[^\w \-\u2013\u2014(),]+")


def evidence_upload_to(instance, filename):
    return f"policies/{instance.policy_id}/evidence/{uuid.uuid4().hex}.{instance.kind}"


class Evidence(AppendOnlyModel):
    """One official letter, bound to the decision it proves and the version it names."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF")
        DOCX = "docx", _("Word document")

    CONTENT_TYPES = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }

    policy = models.ForeignKey("workflow.Policy", on_delete=models.PROTECT, related_name="evidence")
    version = models.ForeignKey(
        "workflow.DocumentVersion", on_delete=models.PROTECT, related_name="evidence"
    )
    support = models.ForeignKey(
        "workflow.Support",
        on_delete=models.PROTECT,
        related_name="letters",
        null=True,
        blank=True,
    )
    endorsement = models.ForeignKey(
        "workflow.Endorsement",
        on_delete=models.PROTECT,
        related_name="letters",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = ImmutableFileField(_("file"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    # Web links a PDF holds (``/URI`` actions): allowed, and listed for the reader.
    links = models.JSONField(_("links"), default=list, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence_added"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("official letter")
        verbose_name_plural = _("official letters")
        constraints = [
            # A letter proves exactly one decision: a support or an endorsement.
            models.CheckConstraint(
                condition=(
                    Q(support__isnull=False, endorsement__isnull=True)
                    | Q(support__isnull=True, endorsement__isnull=False)
                ),
                name="evidence_proves_one_decision",
            ),
            models.CheckConstraint(condition=Q(kind__in=["pdf", "docx"]), name="evidence_kind"),
        ]

    def __str__(self):
        return f"{self.policy} · {self.original_name}"

    @property
    def content_type(self):
        return self.CONTENT_TYPES[self.kind]

    @property
    def download_name(self):
        """The uploaded name's stem, made safe, with the extension of its kind."""
        stem = self.original_name.rsplit(".", 1)[0] if "." in self.original_name else ""
        stem = " ".join((stem or self.original_name).split())
        stem = _UNSAFE_IN_NAME.sub("-", stem).strip(" -_")[:100].strip()
        return f"{stem or f'letter-{self.pk}'}.{self.kind}"
