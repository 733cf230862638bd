"""The outbox: delivered after commit, exactly once in the app, retried, never blocking."""

import threading

import pytest
from celery import current_app
from django.core import mail

from notifications import dispatch, services
from notifications.models import EmailPreference, Notification, OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


def enqueue_for(*people, key="test:1"):
    return services.enqueue(
        "submitted_for_review",
        recipients=people,
        key=key,
        link="http://127.0.0.1:8000/policies/1/",
        context={
            "headline": "Review requested",
            "sentence": "Version 2 is ready for review.",
            "policy_title": "National Comprehensive Migration Policy",
            "country": "Afghanistan",
            "version_number": 2,
            "actor_name": "Farid Karimi",
            "comment": "",
        },
    )


def test_rows_are_delivered_only_after_commit(django_capture_on_commit_callbacks):
    person = UserFactory(username="reviewer")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_for(person)
    assert len(callbacks) == 1
    assert OutboxMessage.objects.filter(status=Status.PENDING).count() == 2
    assert not Notification.objects.exists()
    assert mail.outbox == []

    callbacks[0]()  # the commit happens

    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.DELIVERED}
    note = Notification.objects.get()
    # The inbox needs no name of the app; an email's subject has it.
    assert (note.recipient, note.title) == (
        person,
        "Review requested: National Comprehensive Migration Policy",
    )
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == "[policyflow] Review requested: National Comprehensive Migration Policy"
    assert email.to == [person.email]
    assert "Version 2 is ready for review." in email.body
    assert "http://127.0.0.1:8000/policies/1/" in email.body
    key = OutboxMessage.objects.get(channel="email").key
    assert email.extra_headers["Message-ID"] == services.message_id(key)


def test_delivering_a_key_twice_shows_once_and_enqueueing_twice_writes_once():
    person = UserFactory(username="reviewer")
    enqueue_for(person)
    enqueue_for(person)
    assert OutboxMessage.objects.count() == 2
    services.deliver()
    OutboxMessage.objects.update(status=Status.PENDING)  # as if the worker died before marking
    services.deliver()
    assert Notification.objects.count() == 1
    assert services.message_id("a") == services.message_id("a") != services.message_id("b")


def test_keys_too_long_for_the_outbox_are_refused_never_cut_short():
    """Two occurrences whose keys differ only past what the outbox stores
    would share rows if cut short; each is refused, naming its key."""
    person = UserFactory(username="reviewer")
    room = services.KEY_MAX_LENGTH - len(f":{person.pk}:in_app")
    kept = enqueue_for(person, key="k" * room)  # the longest key that fits is kept whole
    assert max(len(row.key) for row in kept) == services.KEY_MAX_LENGTH
    OutboxMessage.objects.all().delete()

    for last in "ab":
        key = "k" * services.KEY_MAX_LENGTH + last
        with pytest.raises(ValueError, match=f"Outbox key '{key}:{person.pk}:"):
            enqueue_for(person, key=key)
    assert not OutboxMessage.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_email_preferences_are_honoured_and_in_app_stays_on():
    person = UserFactory(username="reviewer")
    services.set_email_preferences(person, {"submitted_for_review": False})
    enqueue_for(person)
    services.deliver()
    assert mail.outbox == []
    assert OutboxMessage.objects.get(channel="email").status == Status.SKIPPED
    assert Notification.objects.filter(recipient=person).count() == 1
    assert EmailPreference.objects.get(user=person).email is False


def test_failures_back_off_and_end_dead_with_the_last_error(monkeypatch, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    person = UserFactory(username="reviewer")
    enqueue_for(person)

    def smtp_down(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP server refused the connection")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", smtp_down)
    services.deliver()
    row = OutboxMessage.objects.get(channel="email")
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert "SMTP server refused" in row.last_error
    assert row.next_attempt_at > row.created_at

    services.deliver()  # not due yet: nothing happens
    assert OutboxMessage.objects.get(channel="email").attempts == 1

    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)
    services.deliver()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.DEAD, 2)
    assert OutboxMessage.objects.get(channel="in_app").status == Status.DELIVERED


def test_backoff_grows_and_is_capped():
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3, 10)] == [30, 60, 120, 3600]


def test_the_sweeper_delivers_what_was_never_published(django_capture_on_commit_callbacks):
    person = UserFactory(username="reviewer")
    with django_capture_on_commit_callbacks(execute=False):
        enqueue_for(person)  # committed, but the publish never happened
    assert services.sweep() == 0  # still within the grace period
    OutboxMessage.objects.update(created_at="2026-01-01T00:00:00Z")
    assert services.sweep() == 2
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.fixture
def with_broker():
    """Tasks go to a broker instead of running in-process, for one test."""
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    yield
    current_app.conf.task_always_eager = eager


def test_a_request_never_waits_on_the_broker(
    monkeypatch, with_broker, django_capture_on_commit_callbacks
):
    """With a broker that hangs, publishing happens off the request's thread."""
    hung = threading.Event()
    published_from = []

    def hanging_send_task(name, args=None, **kwargs):
        published_from.append(threading.current_thread().name)
        hung.wait(timeout=10)  # Redis is not answering

    monkeypatch.setattr(current_app, "send_task", hanging_send_task)
    person = UserFactory(username="reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_for(person)
    # The request's thread is back here while the publisher still hangs.
    assert OutboxMessage.objects.filter(status=Status.PENDING).count() == 2
    hung.set()
    dispatch._publisher.submit(lambda: None).result(timeout=10)
    assert published_from
    assert published_from[0].startswith("outbox-publish")
    assert threading.current_thread().name not in published_from


def test_an_unreachable_broker_is_logged_not_raised_and_pauses_publishing(
    monkeypatch, with_broker, caplog
):
    monkeypatch.setattr(dispatch, "_paused_until", 0.0)  # restored after the test
    attempts = []

    def refused(*args, **kwargs):
        attempts.append(args)
        raise ConnectionRefusedError("redis://127.0.0.1:6399 refused")

    monkeypatch.setattr(current_app, "send_task", refused)
    dispatch._publish(dispatch.DELIVER_TASK, (["k"],))
    assert "the sweeper will" in caplog.text
    dispatch._publish(dispatch.DELIVER_TASK, (["k2"],))  # within the pause: not even tried
    assert len(attempts) == 1
