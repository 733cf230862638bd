"""Document versions: each uploaded draft, kept exactly as written.

A version is part of the policy's record: reviews, supports, the
endorsement and audit entries name the version they were given on, and it
is written under the policy's lock, like them. The .docx engine that reads
it and the storage that keeps it live in ``documents``; the version's
file lies in private storage under a generated name, and only views that
check who is asking hand it out.
"""

import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models.base import AppendOnlyModel, ImmutableFileField
from workflow.models.policy import Policy

# What a download name keeps of the uploaded one: letters and digits of any
# script, spaces, dashes, brackets and commas; anything else (quotes,
# semicolons, dots, slashes, control characters) becomes "-".
_UNSAFE_IN_NAME = re.compile(r"[^\w \-\u2013\u2014(),]+")


def safe_download_name(original_name, fallback):
    """The uploaded name's stem, made safe, and .docx; ``fallback`` when nothing is left."""
    stem = original_name.rsplit(".", 1)[0] if "." in original_name else ""
    stem = " ".join((stem or original_name).split())  # tabs, newlines: one space
    stem = _UNSAFE_IN_NAME.sub("-", stem).strip(" -_")[:100].strip()
    return f"{stem or fallback}.docx"


def version_upload_to(instance, filename):
    return f"policies/{instance.policy_id}/versions/{uuid.uuid4().hex}.docx"


def newest_version(outer="pk"):
    """The current version of the policy that ``outer`` names (the newest not
    withdrawn), for a subquery.

    ``outer`` is the outer query's field holding the policy: "pk" in a policy
    query, "policy" in a query of rows that name one.
    """
    return DocumentVersion.objects.filter(policy=OuterRef(outer), withdrawal__isnull=True).order_by(
        "-number"
    )


class DocumentVersion(AppendOnlyModel):
    """One uploaded draft. Once written it never changes: bytes, hash or metadata.

    What intake reads out of the file (the text as a reader sees it, the
    tracked changes and comments left in it, its properties) is stored with
    it, so pages, comparisons and reports never open the .docx again.
    """

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = ImmutableFileField(_("file"), upload_to=version_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploaded_versions"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    extraction = models.JSONField(_("extracted content"), default=dict, editable=False)
    word_count = models.PositiveIntegerField(_("words"), default=0)
    tracked_insertions = models.PositiveIntegerField(_("unresolved insertions"), default=0)
    tracked_deletions = models.PositiveIntegerField(_("unresolved deletions"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)

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

    @property
    def download_name(self):
        """The name the file is served under: the uploaded name's stem, made safe, and .docx.

        Whatever it was uploaded as (``policy.exe``, ``policy.html``, a name
        with quotes), it is a Word document and is served as one;
        ``original_name`` keeps what was uploaded.
        """
        return safe_download_name(self.original_name, f"version-{self.number}")

    @property
    def properties(self):
        return self.extraction.get("properties", {})

    @property
    def comment_authors(self):
        return sorted({c["author"] for c in self.extraction.get("comments", []) if c["author"]})

    @property
    def has_unresolved_changes(self):
        """Tracked changes or comments left in the file: what a reader should be warned of."""
        return bool(self.tracked_insertions or self.tracked_deletions or self.comment_count)


class VersionWithdrawal(AppendOnlyModel):
    """A version taken back by its drafters before anyone acted on it.

    The version stays, bytes and all, in the policy's history; this row
    marks it withdrawn, so that the version before it is current again.
    Written once by ``documents.services.withdraw_version``.
    """

    version = models.OneToOneField(
        DocumentVersion, on_delete=models.PROTECT, related_name="withdrawal"
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="withdrawn_versions"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), default=timezone.now)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("version withdrawal")
        verbose_name_plural = _("version withdrawals")

    def __str__(self):
        return f"{self.version} withdrawn"
