"""Webhook endpoints in the admin: coordinators register theirs through the
service, the secret is generated and never typed; dead webhook rows are retried."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from notifications.models import OutboxMessage, WebhookEndpoint
from workflow import webhooks

pytestmark = pytest.mark.django_db
ADD = reverse("admin:notifications_webhookendpoint_add")
CHANGELIST = reverse("admin:notifications_webhookendpoint_changelist")


def form(cast, **changes):
    return {
        "organization": cast.implementer.pk,
        "name": "Dashboard",
        "url": "https://hooks.example.org/in",
        "events": ["endorsed"],
        "is_active": "on",
        "secret": "whsec_chosen-by-hand",
        **changes,
    }


def test_a_coordinator_registers_one_and_the_secret_is_generated(login, cast):
    client = login(cast.coordinator)
    response = client.post(ADD, form(cast))
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret != "whsec_chosen-by-hand"
    assert (endpoint.owner, endpoint.created_by) == (
        f"organization/{cast.implementer.pk}",
        cast.coordinator,
    )


def test_a_refused_url_shows_on_the_form_and_nothing_is_written(login, cast):
    response = login(cast.coordinator).post(ADD, form(cast, url="https://u:p@hooks.example.org/"))
    assert response.status_code == 200
    assert "user name or password" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_staff_who_coordinate_nothing_see_no_webhooks(login, cast):
    hooks = webhooks.register_webhook(
        cast.coordinator, cast.implementer, "Theirs", "https://hooks.example.org/", ["endorsed"]
    )
    client = login(cast.drafter)
    assert client.get(CHANGELIST).status_code == 403
    assert client.post(ADD, form(cast)).status_code == 403
    other = login(cast.other_implementer_coordinator)
    change = reverse("admin:notifications_webhookendpoint_change", args=[hooks.pk])
    assert other.get(change).status_code == 302  # "not found": back to the admin's index
    assert WebhookEndpoint.objects.count() == 1


def test_rotating_the_secret_from_the_list(login, cast):
    hooks = webhooks.register_webhook(
        cast.coordinator, cast.implementer, "Ours", "https://hooks.example.org/", ["endorsed"]
    )
    client = login(cast.coordinator)
    client.post(CHANGELIST, {"action": "rotate_secret", "_selected_action": [hooks.pk]})
    assert WebhookEndpoint.objects.get().secret != hooks.secret


def test_a_dead_webhook_row_is_retried_from_the_outbox(client, cast, django_user_model):
    hooks = webhooks.register_webhook(
        cast.coordinator, cast.implementer, "Ours", "https://hooks.example.org/", ["endorsed"]
    )
    row = OutboxMessage.objects.create(
        key="endorsed:1:1:e1:webhook",
        event="endorsed",
        channel=OutboxMessage.Channel.WEBHOOK,
        endpoint=hooks,
        subject="endorsed",
        body="{}",
        status=OutboxMessage.Status.DEAD,
        attempts=8,
        last_error="DeliveryFailed: HTTP 500",
    )
    operator = django_user_model.objects.create_user("operator", is_staff=True)
    operator.user_permissions.set(
        Permission.objects.filter(codename__in=["view_outboxmessage", "change_outboxmessage"])
    )
    client.force_login(operator)
    client.post(
        reverse("admin:notifications_outboxmessage_changelist"),
        {"action": "retry", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxMessage.Status.PENDING, 0)
