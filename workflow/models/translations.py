"""What comes with a version besides its own file: translations and reviewers' marked-up copies.

A translation is the same version in another language (the project's
``translation_languages``); support and endorsement are of the version in
all its languages. A marked-up copy is the reviewed version as a reviewer
marked it up in Word (tracked changes, comments), sent with their review.
Both are kept exactly as uploaded, like the version; their files go
through the .docx intake in ``documents`` and are written by its services,
under the policy's lock.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from policyflow.formats import languages
from workflow.models.base import AppendOnlyModel, ImmutableFileField
from workflow.models.versions import DocumentVersion, safe_download_name


def translation_upload_to(instance, filename):
    return f"policies/{instance.version.policy_id}/translations/{uuid.uuid4().hex}.docx"


def marked_up_copy_upload_to(instance, filename):
    return f"policies/{instance.version.policy_id}/marked-up/{uuid.uuid4().hex}.docx"


class Translation(AppendOnlyModel):
    """A version in another language: one per version and language, never changed."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.PROTECT, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=languages.CODE_MAX_LENGTH)
    file = ImmutableFileField(_("file"), upload_to=translation_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    extraction = models.JSONField(_("extracted content"), default=dict, editable=False)
    word_count = models.PositiveIntegerField(_("words"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploaded_translations"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    # Why it came after drafting (a coordinator's addition); empty in drafting.
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["version", "language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="translation_one_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.version} · {self.language}"

    @property
    def language_name(self):
        return languages.language_name(self.language)

    @property
    def direction(self):
        return languages.direction(self.language)

    @property
    def download_name(self):
        return safe_download_name(
            self.original_name, f"version-{self.version.number}-{self.language}"
        )


class MarkedUpCopy(AppendOnlyModel):
    """The reviewed version as the reviewer marked it up in Word, sent with their review.

    ``comments`` holds each Word comment with the text it is anchored to
    and the paragraph of the reviewed version it belongs to (found through
    the comparison's alignment at intake), so the drafters read "on §4.2:
    ..." without opening Word.
    """

    review = models.OneToOneField(
        "workflow.Review", on_delete=models.PROTECT, related_name="marked_up_copy"
    )
    version = models.ForeignKey(
        DocumentVersion, on_delete=models.PROTECT, related_name="marked_up_copies"
    )
    file = ImmutableFileField(_("file"), upload_to=marked_up_copy_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    extraction = models.JSONField(_("extracted content"), default=dict, editable=False)
    # [{id, author, date, text, anchored_text, paragraph, section}]: ``paragraph``
    # the 1-based block of the reviewed version, ``section`` its number ("4.2") or "".
    comments = models.JSONField(_("comments"), default=list, editable=False)
    tracked_insertions = models.PositiveIntegerField(_("tracked insertions"), default=0)
    tracked_deletions = models.PositiveIntegerField(_("tracked deletions"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("marked-up copy")
        verbose_name_plural = _("marked-up copies")

    def __str__(self):
        return f"{self.version} · {self.original_name}"

    @property
    def download_name(self):
        return safe_download_name(self.original_name, f"version-{self.version.number}-marked-up")
