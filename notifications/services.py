"""Writing the outbox, delivering it, and the inbox.

``enqueue`` runs inside the caller's transaction: the outbox rows commit or
roll back with the change they report. Delivery happens after commit, in
a Celery task (or in-process without a broker), claims rows so that two
workers never hold the same one, and retries with backoff until a row is
delivered or, after ``NOTIFICATION_MAX_ATTEMPTS``, dead. The sweeper picks
up whatever was never published or whose worker died holding it.
"""

import datetime
import hashlib
import json
import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications import dispatch, webhooks
from notifications.models import (
    EmailPreference,
    LanguagePreference,
    Notification,
    OutboxMessage,
    WebhookEndpoint,
)

logger = logging.getLogger(__name__)

Channel = OutboxMessage.Channel
Status = OutboxMessage.Status
# The channels that reach a person; webhooks reach an endpoint.
PERSONAL_CHANNELS = (Channel.IN_APP, Channel.EMAIL)
# The longest row key the outbox (and the notification made from it) stores.
KEY_MAX_LENGTH = OutboxMessage._meta.get_field("key").max_length
# Rows younger than this are left to the delivery task published with them.
SWEEP_GRACE = datetime.timedelta(seconds=10)
# Recorded on a row whose delivery stopped while holding it.
INTERRUPTED = (
    "Interrupted: the delivery holding this message stopped before finishing "
    "(its worker died or lost its database connection)."
)


# -- writing -----------------------------------------------------------------


def enqueue(
    event,
    *,
    recipients,
    key,
    context,
    link="",
    at=None,
    about="",
    step="",
    asked=None,
    webhook=None,
):
    """Write one outbox row per recipient and channel; deliver them after commit.

    ``key`` identifies the occurrence (e.g. the audit entry it reports);
    each row's key adds the recipient and channel. ``context`` fills the
    templates ``notifications/subject.txt`` (email), ``notifications/title.txt``
    (in the app) and ``notifications/body.txt`` (with ``recipient`` added),
    in each recipient's language: pass lazy translations, not text already
    worded in the sender's. Rows whose key exists already are skipped, so
    enqueueing the same occurrence twice changes nothing; the rows actually
    written are returned. ``at`` is the moment of the occurrence (default:
    now); the notification carries it. ``about`` names what the message is
    about and ``step`` what it asks its readers to do there, for ``settle``;
    ``asked`` (ids) limits the asking to those readers, the others are only
    told. One call writes the whole occurrence, so one delivery carries it.

    ``webhook`` (a ``Webhook``) adds one row per endpoint that wants the
    event: its owner's active endpoints subscribed to ``event`` whose
    topics are empty or include the webhook's topic, each sent its payload.

    A row key longer than the outbox stores is refused (``ValueError``)
    before anything is written: cut short, two occurrences could share a
    key, and the second would be skipped as already sent.
    """
    rows = []
    recipients = {r.pk: r for r in recipients}
    languages = languages_of(recipients)
    for recipient in recipients.values():
        message = {**context, "recipient": recipient, "link": link}
        # Lazy values in ``context`` are worded here, in the reader's language.
        with translation.override(languages[recipient.pk]):
            subjects = {
                Channel.EMAIL: _one_line("notifications/subject.txt", message),
                Channel.IN_APP: _one_line("notifications/title.txt", message),
            }
            body = render_to_string("notifications/body.txt", message)
        for channel in PERSONAL_CHANNELS:
            if channel == Channel.EMAIL and not recipient.email:
                continue
            rows.append(
                OutboxMessage(
                    key=_row_key(key, recipient, channel),
                    event=event,
                    channel=channel,
                    recipient=recipient,
                    subject=subjects[channel][:255],
                    body=body,
                    link=link,
                    about=about,
                    step=step if asked is None or recipient.pk in asked else "",
                    created_at=at or timezone.now(),
                )
            )
    if webhook is not None:
        rows += _webhook_rows(event, webhook, key=key, link=link, at=at, about=about)
    known = set(
        OutboxMessage.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True)
    )
    rows = [row for row in rows if row.key not in known]
    # ignore_conflicts still guards against a concurrent writer of the same key.
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        dispatch.deliver_after_commit([row.key for row in rows])
    return rows


@dataclass(frozen=True, kw_only=True)
class Webhook:
    """What a webhook of one occurrence says, and whose endpoints hear it.

    ``owner`` and ``topic`` are labels in the sender's terms, matched with
    ``WebhookEndpoint.owner`` and ``.topics``; ``payload`` is sent as JSON.
    """

    owner: str
    topic: str
    payload: dict


def _webhook_rows(event, webhook, *, key, link, at, about):
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(owner=webhook.owner, is_active=True)
        if endpoint.wants(event, webhook.topic)
    ]
    body = json.dumps(webhook.payload, ensure_ascii=False, separators=(",", ":"))
    return [
        OutboxMessage(
            key=_row_key(key, f"e{endpoint.pk}", Channel.WEBHOOK),
            event=event,
            channel=Channel.WEBHOOK,
            endpoint=endpoint,
            subject=f"{event} → {endpoint.name}"[:255],
            body=body,
            link=link,
            about=about,
            created_at=at or timezone.now(),
        )
        for endpoint in endpoints
    ]


def _row_key(key, recipient, channel):
    """The row's key: the occurrence's, the addressee (a user, or ``e`` and an
    endpoint's id) and the channel."""
    addressee = getattr(recipient, "pk", recipient)
    row_key = f"{key}:{addressee}:{channel}"
    if len(row_key) > KEY_MAX_LENGTH:
        raise ValueError(
            f"Outbox key {row_key!r} is {len(row_key)} characters long; "
            f"the outbox stores at most {KEY_MAX_LENGTH}. Name the occurrence in fewer."
        )
    return row_key


def _one_line(template, context):
    return " ".join(render_to_string(template, context).split())


def settle(about, steps, *, recipients=None, at=None):
    """Mark done what asked its readers to take one of ``steps`` on ``about``.

    The sender calls this in the transaction that completes the step. A
    step covers the steps within it ("support" covers "support/7").
    ``recipients`` (users or their ids) limits it to those readers, e.g.
    the one whose part is done. Notifications get ``done_at`` (``at``,
    default now) and no longer count as unread; in-app messages not yet
    delivered carry it to the notification they become. Returns how many
    notifications were settled.
    """
    if not steps:
        return 0
    at = at or timezone.now()
    asking = Q()
    for step in steps:
        asking |= Q(step=step) | Q(step__startswith=f"{step}/")
    scope = Q(about=about) & asking
    if recipients is not None:
        scope &= Q(recipient__in=list(recipients))
    # The outbox first: a delivery under way holds its rows until its
    # notifications are written (``_deliver_in_app``), so either it reads
    # ``settled_at`` or the update of the notifications below sees them.
    OutboxMessage.objects.filter(scope, channel=Channel.IN_APP, settled_at__isnull=True).update(
        settled_at=at
    )
    return Notification.objects.filter(scope, done_at__isnull=True).update(done_at=at)


# -- delivering --------------------------------------------------------------


def claim(*, keys=None, limit=100, owner=""):
    """Lease up to ``limit`` due rows to ``owner`` and return them.

    ``skip_locked`` lets concurrent workers claim different rows instead of
    waiting on each other (PostgreSQL; SQLite serialises writers anyway).
    A row still leased to ``owner`` is taken back: a task runs again under
    its own id only once its earlier run is gone (killed, or retried after
    a database error). A row taken back, or whose lease ran out, was being
    delivered when that delivery stopped: the attempt and why are recorded.
    """
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    if owner:
        free |= Q(leased_by=owner)
    with transaction.atomic():
        due = (
            # of=self: lock only the outbox rows; locking the joined recipients
            # would make a concurrent delivery to the same person skip its rows.
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Status.PENDING, next_attempt_at__lte=now)
            .filter(free)
            .order_by("pk")
        )
        if keys is not None:
            due = due.filter(key__in=keys)
        rows = list(due.select_related("recipient", "endpoint")[:limit])
        for row in rows:
            if row.lease_until is not None:
                _record_interruption(row)
        rows = [row for row in rows if row.status == Status.PENDING]
        _lease(rows, owner)
    return rows


def _record_interruption(row):
    row.attempts += 1
    row.last_error = INTERRUPTED
    if row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        row.status = Status.DEAD
        row.lease_until = None
    logger.warning("Delivering %s was interrupted (attempt %s).", row.key, row.attempts)
    row.save(update_fields=["attempts", "last_error", "status", "lease_until"])


def _lease(rows, owner):
    """Hold ``rows`` for ``owner`` for NOTIFICATION_LEASE_SECONDS from now."""
    if rows:
        until = timezone.now() + datetime.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
        OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
            lease_until=until, leased_by=owner
        )


def deliver(*, keys=None, limit=100, owner=""):
    """Deliver due rows (those named by ``keys``, or any); return how many were handled.

    ``owner`` names this delivery in the leases (the task's id, so that the
    same task run again takes its rows back); without one, a fresh name.

    In-app rows are delivered together: their notifications and their
    status are written in one transaction, so they have no crash window.
    Emails go out over one connection, each marked delivered as soon as it
    is sent; a worker killed between the two sends that one email again
    (the Message-ID lets mail clients fold it).
    """
    owner = owner or uuid.uuid4().hex
    rows = claim(keys=keys, limit=limit, owner=owner)
    in_app = [row for row in rows if row.channel == Channel.IN_APP]
    emails = [row for row in rows if row.channel == Channel.EMAIL]
    hooks = [row for row in rows if row.channel == Channel.WEBHOOK]
    if in_app:
        _deliver_in_app(in_app)
    if emails:
        _deliver_emails(emails, owner)
    if hooks:
        _deliver_webhooks(hooks, owner)
    return len(rows)


def _deliver_in_app(rows):
    try:
        with transaction.atomic():
            # Locked until the notifications are written, so that ``settle``
            # either is seen here or waits and then sees them.
            settled = dict(
                OutboxMessage.objects.select_for_update()
                .filter(pk__in=[row.pk for row in rows])
                .values_list("pk", "settled_at")
            )
            Notification.objects.bulk_create(
                [
                    Notification(
                        key=row.key,
                        recipient_id=row.recipient_id,
                        event=row.event,
                        title=row.subject,
                        body=row.body,
                        link=row.link,
                        about=row.about,
                        step=row.step,
                        created_at=row.created_at,
                        done_at=settled.get(row.pk),
                    )
                    for row in rows
                ],
                ignore_conflicts=True,  # delivered before: still exactly one
            )
            _mark(rows, Status.DELIVERED)
    except Exception as error:
        for row in rows:
            _failed(row, error)


def _deliver_emails(rows, owner):
    unwanted = set(
        EmailPreference.objects.filter(
            user__in={row.recipient_id for row in rows},
            event__in={row.event for row in rows},
            email=False,
        ).values_list("user_id", "event")
    )
    _mark([row for row in rows if (row.recipient_id, row.event) in unwanted], Status.SKIPPED)
    wanted = [row for row in rows if (row.recipient_id, row.event) not in unwanted]
    if not wanted:
        return
    try:
        connection = get_connection()
        connection.open()
    except Exception as error:  # the mail server is down: every row waits
        for row in wanted:
            _failed(row, error)
        return
    # The lease is short, so that rows held by a delivery that died come
    # back soon; a long run of emails keeps renewing it.
    renew_every = settings.NOTIFICATION_LEASE_SECONDS / 3
    renewed = time.monotonic()
    try:
        for number, row in enumerate(wanted):
            if time.monotonic() - renewed > renew_every:
                _lease(wanted[number:], owner)
                renewed = time.monotonic()
            try:
                EmailMessage(
                    subject=row.subject,
                    body=row.body,
                    to=[row.recipient.email],
                    headers={"Message-ID": message_id(row.key)},
                    connection=connection,
                ).send()
            except Exception as error:
                _failed(row, error)
            else:
                _mark([row], Status.DELIVERED)
    finally:
        connection.close()


# Recorded on a webhook not sent because its endpoint was deactivated meanwhile.
ENDPOINT_INACTIVE = "Not sent: the webhook endpoint was deactivated."


def _deliver_webhooks(rows, owner):
    """POST each row's body to its endpoint, one after the other.

    A refused address is dead at once (retrying will not make it public);
    any other failure (a non-2xx answer, a timeout, a network error) is
    retried with the outbox's backoff. A row whose endpoint was deactivated
    since it was written is skipped.
    """
    renew_every = settings.NOTIFICATION_LEASE_SECONDS / 3
    renewed = time.monotonic()
    for number, row in enumerate(rows):
        if time.monotonic() - renewed > renew_every:
            _lease(rows[number:], owner)
            renewed = time.monotonic()
        endpoint = row.endpoint
        if not endpoint.is_active:
            OutboxMessage.objects.filter(pk=row.pk).update(
                status=Status.SKIPPED, last_error=ENDPOINT_INACTIVE, lease_until=None, leased_by=""
            )
            continue
        try:
            webhooks.send(endpoint.url, endpoint.secret, row.key, row.body)
        except webhooks.RefusedTarget as error:
            _failed(row, error, dead=True)
        except Exception as error:
            _failed(row, error)
        else:
            # A webhook's attempts count every POST its receiver may have
            # seen, the one that succeeded included.
            _mark([row], Status.DELIVERED, attempts=row.attempts + 1)


def _mark(rows, status, **fields):
    if rows:
        OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=status, delivered_at=timezone.now(), lease_until=None, leased_by="", **fields
        )


def _failed(row, error, *, dead=False):
    attempts = row.attempts + 1
    dead = dead or attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
    logger.warning("Delivering %s failed (attempt %s): %s", row.key, attempts, error)
    OutboxMessage.objects.filter(pk=row.pk).update(
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        status=Status.DEAD if dead else Status.PENDING,
        next_attempt_at=timezone.now() + backoff(attempts),
        lease_until=None,
        leased_by="",
    )


def backoff(attempts):
    """30 s, 1 min, 2 min … capped at one hour."""
    return datetime.timedelta(seconds=min(3600, 30 * 2 ** (attempts - 1)))


def message_id(key):
    """The same key always gives the same Message-ID, so mail clients fold repeats."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def sweep(*, grace=SWEEP_GRACE, batch=200, owner=""):
    """Deliver rows left pending past ``grace`` (never published, or their worker died)."""
    owner = owner or uuid.uuid4().hex
    cutoff = timezone.now() - grace
    handled = 0
    while True:
        stale = list(
            OutboxMessage.objects.filter(status=Status.PENDING, created_at__lte=cutoff)
            .filter(next_attempt_at__lte=timezone.now())
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=timezone.now()))
            .values_list("key", flat=True)[:batch]
        )
        if not stale:
            return handled
        done = deliver(keys=stale, limit=batch, owner=owner)
        handled += done
        if not done:
            return handled


# -- preferences and the inbox ---------------------------------------------------


def languages_of(users):
    """{user pk: the language to write to them in}, for the given user pks."""
    chosen = dict(
        LanguagePreference.objects.filter(user__in=list(users)).values_list("user", "language")
    )
    return {pk: chosen.get(pk, settings.LANGUAGE_CODE) for pk in users}


def set_language_preference(user, language):
    """Remember the language ``user`` chose; codes that are not offered are ignored."""
    if language not in dict(settings.LANGUAGES):
        return
    LanguagePreference.objects.update_or_create(user=user, defaults={"language": language})


def set_email_preferences(user, choices):
    """``choices``: {event: bool}. In-app notifications cannot be turned off."""
    for event, email in choices.items():
        EmailPreference.objects.update_or_create(user=user, event=event, defaults={"email": email})


def unread_count(user):
    """Notifications neither read nor done (``Notification.unread``)."""
    return Notification.objects.filter(
        recipient=user, read_at__isnull=True, done_at__isnull=True
    ).count()


def mark_read(user, notification_id):
    return Notification.objects.filter(
        recipient=user, pk=notification_id, read_at__isnull=True
    ).update(read_at=timezone.now())


def mark_all_read(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
