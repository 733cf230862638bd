"""Decisions taken on a policy, each bound to the version it was given on.

Support given on version 3 says nothing about version 4: every decision
row names its ``version`` and rules only count rows on the current one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models.base import AppendOnlyModel
from workflow.models.organizations import Organization


class Review(AppendOnlyModel):
    """An expert's opinion on one version. A reviewer may give several."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    policy = models.ForeignKey("workflow.Policy", on_delete=models.PROTECT, related_name="reviews")
    version = models.ForeignKey(
        "workflow.DocumentVersion", on_delete=models.PROTECT, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_given"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("given"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["approved", "changes_requested"]),
                name="review_decision_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_decision_display()} · v{self.version.number} · {self.reviewer}"


class Support(AppendOnlyModel):
    """An institution's decision on one version: one per institution and version."""

    class Decision(models.TextChoices):
        SUPPORTED = "supported", _("Supported")
        DECLINED = "declined", _("Declined")

    policy = models.ForeignKey("workflow.Policy", on_delete=models.PROTECT, related_name="supports")
    version = models.ForeignKey(
        "workflow.DocumentVersion", on_delete=models.PROTECT, related_name="supports"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="supports_given"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    statement = models.TextField(_("statement"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supports_recorded"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("institutional support")
        verbose_name_plural = _("institutional supports")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organization"], name="support_one_per_version_and_institution"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["supported", "declined"]),
                name="support_decision_valid",
            ),
        ]
        indexes = [
            # The declines, few among the supports: a decline to resolve
            # (``obligations.declines_owed``) is found without reading the rest.
            models.Index(
                fields=["policy", "version"],
                condition=Q(decision="declined"),
                name="support_declined",
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_decision_display()} · v{self.version.number}"


class Endorsement(AppendOnlyModel):
    """The lead ministry's endorsement. A policy is endorsed at most once."""

    policy = models.OneToOneField(
        "workflow.Policy", on_delete=models.PROTECT, related_name="endorsement"
    )
    version = models.ForeignKey(
        "workflow.DocumentVersion", on_delete=models.PROTECT, related_name="endorsements"
    )
    ministry = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="endorsements"
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="endorsements"
    )
    instrument = models.CharField(
        _("instrument"),
        max_length=200,
        help_text=_("The act that endorses the policy, e.g. a cabinet decision number."),
    )
    endorsed_on = models.DateField(_("date of endorsement"))
    comment = models.TextField(_("comment"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")

    def __str__(self):
        return f"{self.policy} · {self.instrument} · {self.endorsed_on}"

    @property
    def reference(self):
        """The record's reference number, quoted in correspondence: unique (the
        row's key) and stable (an endorsement never changes)."""
        return f"PF-{self.endorsed_on:%Y}-{self.pk:05d}"
