"""The outbox in the admin: only those who may change outbox rows retry dead ones."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from notifications.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status
CHANGELIST = reverse("admin:notifications_outboxmessage_changelist")


def staff_with(*codenames):
    user = UserFactory(username="operator", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="notifications", codename__in=codenames)
    )
    return user


@pytest.fixture
def dead_row():
    return OutboxMessage.objects.create(
        key="test:1:1:email",
        event="submitted_for_review",
        channel=OutboxMessage.Channel.EMAIL,
        recipient=UserFactory(username="reader"),
        subject="Review requested",
        body="Version 2 is ready for review.",
        status=Status.DEAD,
        attempts=8,
        last_error="SMTPServerDisconnected: down",
    )


def retry(client, row):
    return client.post(CHANGELIST, {"action": "retry", "_selected_action": [row.pk]}, follow=True)


def offered_actions(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    form = response.context["action_form"]  # None when no action is offered
    return [] if form is None else [name for name, _label in form.fields["action"].choices]


def test_who_may_only_view_the_outbox_is_not_offered_retry_and_cannot_run_it(client, dead_row):
    client.force_login(staff_with("view_outboxmessage"))
    assert "retry" not in offered_actions(client)

    retry(client, dead_row)
    dead_row.refresh_from_db()
    assert (dead_row.status, dead_row.attempts) == (Status.DEAD, 8)


def test_who_may_change_the_outbox_retries_dead_messages(client, dead_row):
    client.force_login(staff_with("view_outboxmessage", "change_outboxmessage"))
    assert "retry" in offered_actions(client)

    response = retry(client, dead_row)
    assert "1 messages will be delivered again." in response.content.decode()
    dead_row.refresh_from_db()
    assert (dead_row.status, dead_row.attempts) == (Status.PENDING, 0)
