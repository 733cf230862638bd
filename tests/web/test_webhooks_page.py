"""Who registers webhooks, through the service and the page, and what is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import OutboxMessage, WebhookEndpoint
from tests.web.test_markup import assert_sound
from workflow import notify, services
from workflow import webhooks as hooks
from workflow.models import Membership

pytestmark = pytest.mark.django_db
URL = "/webhooks/"


def other_implementer(cast):
    return Membership.objects.get(user=cast.other_implementer_coordinator).organization


@pytest.fixture
def endpoint(cast, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    return hooks.register_webhook(
        cast.coordinator,
        cast.implementer,
        "Project dashboard",
        "https://hooks.example.org/policyflow",
        ["withdrawn", "endorsed"],
        projects=[cast.project],
    )


def posted(cast, **changes):
    return {
        "organization": cast.implementer.pk,
        "name": "Reporting",
        "url": "https://reports.example.org/in",
        "events": ["submitted_for_review", "reminder"],
        **changes,
    }


# -- the service ---------------------------------------------------------------------


def test_a_coordinator_of_the_implementer_registers_one(cast, endpoint):
    assert endpoint.owner == f"organization/{cast.implementer.pk}"
    assert endpoint.topics == [f"project/{cast.project.pk}"]
    assert endpoint.events == ["withdrawn", "endorsed"]
    assert (endpoint.is_active, endpoint.created_by) == (True, cast.coordinator)
    assert endpoint.secret.startswith("whsec_")


@pytest.mark.parametrize("who", ["other_implementer_coordinator", "drafter", "observer"])
def test_nobody_else_registers_or_changes_one(cast, endpoint, who):
    actor = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        hooks.register_webhook(
            actor, cast.implementer, "Theirs", "https://evil.example.org/", ["withdrawn"]
        )
    secret = endpoint.secret
    for change in (
        lambda: hooks.update_webhook(actor, endpoint, url="https://evil.example.org/"),
        lambda: hooks.rotate_webhook_secret(actor, endpoint),
        lambda: hooks.remove_webhook(actor, endpoint),
    ):
        with pytest.raises(PermissionDenied):
            change()
    assert list(WebhookEndpoint.objects.values_list("url", "secret", "is_active")) == [
        ("https://hooks.example.org/policyflow", secret, True)
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Give the URL"),
        ("ftp://hooks.example.org/", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("https:///path-only", "must name a host"),
        ("https://user:secret@hooks.example.org/", "user name or password"),
        ("https://hooks.example.org/" + "a" * 500, "at most 500"),
        ("https://hooks.example.org:99999/", "not a valid URL"),
        ("https://hooks example.org/", "not a valid URL"),
        ("http://127.0.0.1:8080/", "public addresses only"),
        ("http://[::1]/", "public addresses only"),
        ("http://10.0.0.7/", "public addresses only"),
        ("http://169.254.169.254/latest/", "public addresses only"),
    ],
)
def test_a_bad_url_is_refused_with_a_reason_and_nothing_written(cast, settings, url, message):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(ValidationError) as refused:
        hooks.register_webhook(cast.coordinator, cast.implementer, "Bad", url, ["withdrawn"])
    assert message in " ".join(refused.value.message_dict["url"])
    assert not WebhookEndpoint.objects.exists()


def test_a_private_address_is_accepted_when_the_setting_allows_it(cast, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    hooks.register_webhook(
        cast.coordinator, cast.implementer, "Local", "http://127.0.0.1:9/", ["withdrawn"]
    )
    assert WebhookEndpoint.objects.count() == 1


@pytest.mark.parametrize(
    ("events", "message"),
    [([], "at least one"), (["withdrawn", "lunch_served"], "lunch_served")],
)
def test_unknown_or_no_events_are_refused(cast, events, message):
    with pytest.raises(ValidationError) as refused:
        hooks.register_webhook(
            cast.coordinator, cast.implementer, "Bad", "https://hooks.example.org/", events
        )
    assert message in " ".join(refused.value.message_dict["events"])
    assert not WebhookEndpoint.objects.exists()


def test_every_event_of_the_table_can_be_chosen():
    assert [code for code, _ in hooks.event_choices()] == list(notify.EVENTS)
    assert {"reminder", "escalation"} <= set(notify.EVENTS)


def test_a_project_of_another_implementer_is_refused(cast):
    theirs = other_implementer(cast).implemented_projects.get()
    with pytest.raises(ValidationError) as refused:
        hooks.register_webhook(
            cast.coordinator,
            cast.implementer,
            "Bad",
            "https://hooks.example.org/",
            ["withdrawn"],
            projects=[theirs],
        )
    assert "projects" in refused.value.message_dict
    assert not WebhookEndpoint.objects.exists()


# -- the page ------------------------------------------------------------------------


def test_the_page_lists_the_coordinators_endpoints_with_their_secret(page_client, cast, endpoint):
    hooks.register_webhook(
        cast.other_implementer_coordinator,
        other_implementer(cast),
        "Not yours",
        "https://theirs.example.org/",
        ["withdrawn"],
    )
    policy = services.register_policy(
        actor=cast.coordinator,
        project=cast.project,
        title="A policy to withdraw",
        short_title="To withdraw",
        country="PK",
        lead_ministry=cast.ministry,
    )
    services.perform_transition(policy, "withdraw", actor=cast.coordinator, comment="Ended.")
    OutboxMessage.objects.filter(endpoint=endpoint).update(
        status=OutboxMessage.Status.DEAD, attempts=8, last_error="DeliveryFailed: HTTP 410 Gone"
    )

    response = page_client(cast.coordinator).get(URL)
    page = response.content.decode()
    assert_sound(response)
    assert "Project dashboard" in page
    assert "https://hooks.example.org/policyflow" in page
    assert endpoint.secret in page
    assert "Not yours" not in page
    assert "Failed for good" in page
    assert "DeliveryFailed: HTTP 410 Gone" in page
    # The events are offered by their labels, every one of them.
    for _code, label in hooks.event_choices():
        assert f">{label}</label>" in page
    assert f'href="{URL}"' in page  # the header's menu links it


@pytest.mark.parametrize("who", ["drafter", "observer", "endorser"])
def test_anyone_but_a_coordinator_is_refused_and_not_shown_the_link(page_client, cast, who):
    client = page_client(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, posted(cast)).status_code == 403
    assert not WebhookEndpoint.objects.exists()
    assert f'href="{URL}"' not in client.get("/").content.decode()


def test_a_coordinator_registers_one_on_the_page(page_client, cast):
    response = page_client(cast.coordinator).post(URL, posted(cast, projects=[cast.project.pk]))
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.name, endpoint.url, endpoint.events, endpoint.topics) == (
        "Reporting",
        "https://reports.example.org/in",
        ["submitted_for_review", "reminder"],
        [f"project/{cast.project.pk}"],
    )
    assert endpoint.created_by == cast.coordinator


def test_another_implementers_coordinator_cannot_register_for_this_one(page_client, cast):
    response = page_client(cast.other_implementer_coordinator).post(URL, posted(cast))
    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"url": "https://user:pw@reports.example.org/"}, "url", "user name or password"),
        ({"url": "gopher://reports.example.org/"}, "url", "http:// or https://"),
        ({"events": ["lunch_served"]}, "events", "Select a valid choice"),
        ({"events": []}, "events", "This field is required"),
    ],
)
def test_bad_input_on_the_page_is_shown_on_its_field(page_client, cast, changes, field, message):
    response = page_client(cast.coordinator).post(URL, posted(cast, **changes))
    assert_sound(response, status=400)
    assert message in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_rotating_and_turning_off_and_on(page_client, cast, endpoint):
    client = page_client(cast.coordinator)
    secret = endpoint.secret
    assert client.post(reverse("web:webhook_rotate", args=[endpoint.pk])).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret != secret
    assert endpoint.secret.startswith("whsec_")

    assert client.post(reverse("web:webhook_deactivate", args=[endpoint.pk])).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_active is False
    assert client.post(reverse("web:webhook_activate", args=[endpoint.pk])).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_active is True


@pytest.mark.parametrize(
    ("who", "status"), [("other_implementer_coordinator", 404), ("drafter", 403)]
)
def test_an_endpoint_of_another_organisation_is_not_found(page_client, cast, endpoint, who, status):
    client = page_client(getattr(cast, who))
    for name in ("webhook_rotate", "webhook_deactivate"):
        assert client.post(reverse(f"web:{name}", args=[endpoint.pk])).status_code == status
    refreshed = WebhookEndpoint.objects.get(pk=endpoint.pk)
    assert (refreshed.secret, refreshed.is_active) == (endpoint.secret, True)
