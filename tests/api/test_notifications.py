"""The caller's own notifications through the API: listed, and marked read."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from workflow.models import Policy

pytestmark = pytest.mark.django_db
State = Policy.State
LIST = reverse("api:notifications")
READ_ALL = reverse("api:notifications_read")
_keys = itertools.count(1)
ROLES = [
    "drafter",
    "reviewer",
    "coordinator",
    "endorser",
    "bureau_member",
    "observer",
    "foreign_member",
    "other_implementer_coordinator",
]


def notify(user, title="Review requested: PK emigration policy", *, read=False, done=False):
    return Notification.objects.create(
        key=f"test:{next(_keys)}:{user.pk}",
        recipient=user,
        event="submitted_for_review",
        title=title,
        body="Dear reader,\n\nVersion 2 waits for your review.",
        link="http://127.0.0.1:8000/policies/1/",
        read_at=timezone.now() if read else None,
        done_at=timezone.now() if done else None,
    )


def read_url(notification):
    return reverse("api:notification_read", kwargs={"pk": notification.pk})


@pytest.mark.parametrize("role", ROLES)
def test_each_person_lists_only_their_own_notifications_newest_first(api_client, cast, role):
    person = getattr(cast, role)
    older = notify(person, "Older news")
    newer = notify(person, "Newer news", read=True)
    notify(cast.second_reviewer, "Someone else's news")
    response = api_client(person).get(LIST)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [newer.pk, older.pk]
    assert response.json()["count"] == 2
    first = rows[0]
    assert first["title"] == "Newer news"
    assert first["event"] == "submitted_for_review"
    assert first["link"] == "http://127.0.0.1:8000/policies/1/"
    assert first["read_at"] is not None
    assert (first["unread"], rows[1]["unread"]) == (False, True)


def test_a_relative_link_is_made_absolute_and_none_stays_empty(api_client, cast):
    relative = notify(cast.drafter, "Relative")
    Notification.objects.filter(pk=relative.pk).update(link="/policies/7/")
    nowhere = notify(cast.drafter, "Nowhere")
    Notification.objects.filter(pk=nowhere.pk).update(link="")
    rows = {row["title"]: row for row in api_client(cast.drafter).get(LIST).json()["results"]}
    assert rows["Relative"]["link"] == "http://testserver/policies/7/"
    assert rows["Nowhere"]["link"] == ""


def test_unread_filters_the_list(api_client, cast):
    new = notify(cast.reviewer, "New")
    read = notify(cast.reviewer, "Read", read=True)
    done = notify(cast.reviewer, "Done", done=True)
    client = api_client(cast.reviewer)
    unread = client.get(LIST, {"unread": "true"}).json()["results"]
    assert [row["id"] for row in unread] == [new.pk]
    others = client.get(LIST, {"unread": "false"}).json()["results"]
    assert {row["id"] for row in others} == {read.pk, done.pk}
    assert next(row for row in others if row["id"] == done.pk)["done_at"] is not None
    refused = client.get(LIST, {"unread": "perhaps"})
    assert refused.status_code == 400
    assert "unread" in refused.json()["field_errors"]


@pytest.mark.parametrize(
    ("query", "status"),
    [({"page": "99"}, 404), ({"page": "x"}, 404), ({"page_size": "1" + "0" * 30}, 200)],
)
def test_odd_pages_are_answered_without_error(api_client, cast, query, status):
    notify(cast.drafter)
    response = api_client(cast.drafter).get(LIST, query)
    assert response.status_code == status
    if status == 404:
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("role", ROLES)
def test_marking_one_read_changes_that_row_alone(api_client, cast, role):
    person = getattr(cast, role)
    mine = notify(person)
    also_mine = notify(person)
    theirs = notify(cast.second_reviewer)
    response = api_client(person).post(read_url(mine))
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert response.json()["id"] == mine.pk
    assert response.json()["unread"] is False
    assert Notification.objects.get(pk=also_mine.pk).read_at is None
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_marking_read_again_keeps_the_first_reading(api_client, cast):
    mine = notify(cast.drafter, read=True)
    first = Notification.objects.get(pk=mine.pk).read_at
    response = api_client(cast.drafter).post(read_url(mine))
    assert response.status_code == 200
    assert Notification.objects.get(pk=mine.pk).read_at == first


def test_another_persons_notification_is_not_found_and_stays_unread(api_client, cast):
    theirs = notify(cast.reviewer)
    response = api_client(cast.drafter).post(read_url(theirs))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    huge = reverse("api:notification_read", kwargs={"pk": 10**25})
    assert api_client(cast.drafter).post(huge).status_code == 404


def test_marking_all_read_says_how_many_and_leaves_others_alone(api_client, cast):
    notify(cast.endorser)
    notify(cast.endorser)
    notify(cast.endorser, read=True)
    theirs = notify(cast.observer)
    response = api_client(cast.endorser).post(READ_ALL)
    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert not Notification.objects.filter(recipient=cast.endorser, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert api_client(cast.endorser).post(READ_ALL).json() == {"marked": 0}


def test_notifications_need_a_signed_in_caller(client, cast):
    notify(cast.drafter)
    assert client.get(LIST).status_code == 401
    assert client.post(READ_ALL).status_code == 401
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_the_walk_writes_notifications_the_api_lists(api_client, cast, new_policy, walk, settings):
    # Delivery runs after commit; the test's transaction never commits, so deliver here.
    walk.to(new_policy, State.EXPERT_REVIEW)
    services.deliver()
    rows = api_client(cast.reviewer).get(LIST, {"unread": "true"}).json()["results"]
    assert {row["event"] for row in rows} >= {"submitted_for_review"}
    assert all(row["link"].startswith(settings.SITE_URL) for row in rows)
