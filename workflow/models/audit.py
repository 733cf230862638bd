"""The audit log: one append-only row for every change to a policy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from workflow import transitions
from workflow.models import policy as _declares_the_transitions  # noqa: F401
from workflow.models.base import AppendOnlyModel


def _actions():
    """The record's own acts, then each transition under the name it is declared with."""
    own = [
        ("REGISTERED", "registered", _("Registered")),
        ("DETAILS_CHANGED", "details_changed", _("Details changed")),
        ("VERSION_ADDED", "version_added", _("Version added")),
        ("WITHDRAW_VERSION", "withdraw_version", _("Version withdrawn")),
        ("REVIEW", "review", _("Review recorded")),
        ("TRANSLATION_ADDED", "translation_added", _("Translation added")),
        ("SUPPORT", "support", _("Support recorded")),
        ("SUPPORT_DECLINED", "support_declined", _("Support declined")),
    ]
    declared = [(s.name.upper(), s.name, s.recorded_as) for s in transitions.all_steps()]
    return [(member, (value, label)) for member, value, label in own + declared]


AuditAction = models.TextChoices("AuditAction", _actions())


def action_choices():
    # A callable: a new transition needs no migration of the audit log.
    return AuditAction.choices


# The labels by value, built once: Django's own get_action_display rebuilds
# them from the callable choices on every call, and a timeline calls it for
# every entry it shows.
ACTION_LABELS = dict(AuditAction.choices)


class AuditEntry(AppendOnlyModel):
    Action = AuditAction

    policy = models.ForeignKey(
        "workflow.Policy", on_delete=models.PROTECT, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=30, choices=action_choices)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30, blank=True)
    version = models.ForeignKey(
        "workflow.DocumentVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    comment = models.TextField(_("comment"), blank=True)
    # What else identifies the act: the institution and decision of a
    # support, the instrument of an endorsement, the fields that changed.
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            # When support was complete, for each policy awaiting endorsement
            # (``obligations.endorsements_owed``), out of thirty-odd entries each.
            models.Index(
                fields=["policy", "-at"],
                condition=Q(action=AuditAction.COMPLETE_SUPPORT),
                name="audit_support_completed",
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} · {self.policy} · {self.get_action_display()}"

    def get_action_display(self):
        """The action's label in the active language (the value itself if unknown)."""
        return force_str(ACTION_LABELS.get(self.action, self.action), strings_only=True)
