"""The outbox, in-app notifications and email preferences.

This app knows users and messages, nothing of policies: whoever writes an
outbox row hands it finished text, a link and an idempotency key, and may
say what the message is about and which step it asks its reader to take
(opaque labels, in the sender's terms). When that step is done, the sender
settles the message: its notification shows as done, no longer unread.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One message to one person on one channel (or, on the webhook channel, to
    one endpoint), written with the change it reports.

    Its ``key`` names the (event, recipient, channel) once and for all:
    delivering the same key twice never shows twice in the inbox, and an
    email carries a Message-ID derived from it.
    """

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In the app")
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        SKIPPED = "skipped", _("Not wanted by the recipient")
        DEAD = "dead", _("Failed for good")

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    event = models.CharField(_("event"), max_length=40, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # A person for the in-app and email channels; an endpoint for webhooks.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="outbox_messages",
        null=True,
        blank=True,
    )
    endpoint = models.ForeignKey(
        "WebhookEndpoint",
        on_delete=models.PROTECT,
        related_name="deliveries",
        null=True,
        blank=True,
        verbose_name=_("webhook endpoint"),
    )
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    # What the message is about (e.g. "policy/12"), and the step it asks its
    # reader to take there (e.g. "expert_review"; blank: it only informs).
    about = models.CharField(_("about"), max_length=100, blank=True, db_index=True)
    step = models.CharField(_("step"), max_length=100, blank=True)
    # Set when the step was done before the in-app notification was made:
    # the notification is made done.
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # Set while a delivery holds the row, and renewed while it works: a
    # lease that ran out means it died, and the sweeper may take the row
    # again. ``leased_by`` names the delivery (its task id), so that the same
    # task, redelivered after its process was killed, takes its rows back.
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    leased_by = models.CharField(_("leased by"), max_length=64, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        constraints = [
            # A webhook goes to an endpoint, every other message to a person.
            models.CheckConstraint(
                condition=(
                    models.Q(channel="webhook", endpoint__isnull=False, recipient__isnull=True)
                    | (
                        ~models.Q(channel="webhook")
                        & models.Q(endpoint__isnull=True, recipient__isnull=False)
                    )
                ),
                name="outbox_addressee",
            ),
        ]

    def __str__(self):
        return f"{self.key} ({self.get_status_display()})"


class WebhookEndpoint(models.Model):
    """An address that is sent a signed POST for each event it subscribes to.

    ``owner`` and ``topics`` are opaque labels in the sender's terms, like
    ``OutboxMessage.about``: the sender writes a row for the endpoints of the
    owner an event belongs to, whose topics are empty (everything of the
    owner) or name the event's topic. The secret signs every delivery
    (Standard Webhooks: ``whsec_`` and the base64 of 32 random bytes).
    """

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    owner = models.CharField(_("owner"), max_length=100, db_index=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.name

    def wants(self, event, topic):
        """Whether a delivery of ``event`` on ``topic`` is for this endpoint."""
        return self.is_active and event in self.events and (not self.topics or topic in self.topics)


class Notification(models.Model):
    """An in-app notification; one per outbox key, however often it is delivered.

    One that asked its reader to take a step is done once the step is done
    (``done_at``): it stays in the inbox, marked done, and is not unread.
    """

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    about = models.CharField(_("about"), max_length=100, blank=True, db_index=True)
    step = models.CharField(_("step"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title

    @property
    def unread(self):
        """New to its reader: neither read nor settled by the step it asked for being done."""
        return self.read_at is None and self.done_at is None


class LanguagePreference(models.Model):
    """The language a person reads policyflow in: their pages after signing in,
    and the notifications and emails written for them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self):
        return f"{self.user} · {self.language}"


class EmailPreference(models.Model):
    """Whether a person wants email for one kind of event. In-app is always on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    event = models.CharField(_("event"), max_length=40)
    email = models.BooleanField(_("send email"), default=True)

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="email_preference_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.event} · {'on' if self.email else 'off'}"
