"""The inbox and email preferences: one's own notifications, read with or without htmx."""

import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications import catalogue
from notifications.models import EmailPreference, Notification
from web.views.inbox import PER_PAGE

INBOX = reverse("notifications:inbox")
_keys = itertools.count(1)


def notify(user, title="Review requested: PK emigration policy", *, read=False):
    return Notification.objects.create(
        key=f"test:{next(_keys)}:{user.pk}",
        recipient=user,
        event="submitted_for_review",
        title=title,
        body="Dear reader,\n\nVersion 2 waits for your review.",
        link="http://127.0.0.1:8000/policies/1/",
        read_at=timezone.now() if read else None,
    )


def mark_read_url(notification):
    return reverse("notifications:mark_read", args=[notification.pk])


def test_the_inbox_lists_ones_own_notifications_newest_first(client, cast):
    older = notify(cast.reviewer, "Older news")
    newer = notify(cast.reviewer, "Newer news", read=True)
    notify(cast.drafter, "Someone else's news")
    client.force_login(cast.reviewer)
    response = client.get(INBOX)
    assert response.status_code == 200
    assert response.context["nav"] == "notifications"
    assert list(response.context["page"].object_list) == [newer, older]
    page = response.content.decode()
    assert "Someone else" not in page
    assert f'id="notification-{older.pk}"' in page
    assert f'action="{mark_read_url(older)}?page=1"' in page  # only the unread one
    assert f'action="{mark_read_url(newer)}' not in page
    assert 'href="http://127.0.0.1:8000/policies/1/"' in page
    assert "Mark all as read" in page


def test_the_inbox_is_paged(client, cast):
    for number in range(PER_PAGE + 3):
        notify(cast.reviewer, f"News {number}")
    client.force_login(cast.reviewer)
    first = client.get(INBOX)
    assert len(first.context["page"].object_list) == PER_PAGE
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(INBOX, {"page": 2})
    assert [n.title for n in second.context["page"].object_list] == ["News 2", "News 1", "News 0"]
    assert client.get(INBOX, {"page": "nonsense"}).status_code == 200


def test_marking_read_without_javascript_returns_to_the_inbox(client, cast):
    notification = notify(cast.reviewer)
    client.force_login(cast.reviewer)
    response = client.post(f"{mark_read_url(notification)}?page=2")
    assert response.status_code == 302
    assert response.url == f"{INBOX}?page=2"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert client.post(mark_read_url(notification)).url == INBOX


def test_marking_read_with_htmx_swaps_the_item_and_the_header_count(client, cast):
    notification = notify(cast.reviewer)
    notify(cast.reviewer, "Still unread")
    client.force_login(cast.reviewer)
    response = client.post(f"{mark_read_url(notification)}?page=1", headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page  # a fragment, not a page
    assert page.strip().startswith(
        f'<li class="list-group-item py-3" id="notification-{notification.pk}">'
    )
    assert "Mark as read" not in page  # it is read now
    assert (
        f'<a class="nav-link active" aria-current="page" href="{INBOX}" id="nav-notifications"'
        ' hx-swap-oob="true">Notifications <span class="badge text-bg-danger rounded-pill">1'
        '<span class="visually-hidden"> unread</span></span></a>'
    ) in page
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_last_unread_one_leaves_the_header_without_a_badge(client, cast):
    notification = notify(cast.reviewer)
    client.force_login(cast.reviewer)
    page = client.post(mark_read_url(notification), headers={"HX-Request": "true"}).content
    assert b'id="nav-notifications" hx-swap-oob="true">Notifications</a>' in page


def test_someone_elses_notification_cannot_be_marked(client, cast):
    notification = notify(cast.drafter)
    client.force_login(cast.reviewer)
    assert client.post(mark_read_url(notification)).status_code == 404
    assert (
        client.post(mark_read_url(notification), headers={"HX-Request": "true"}).status_code == 404
    )
    notification.refresh_from_db()
    assert notification.read_at is None
    assert client.get(mark_read_url(notification)).status_code == 405


def test_mark_all_read(client, cast):
    notify(cast.reviewer)
    notify(cast.reviewer)
    other = notify(cast.drafter)
    client.force_login(cast.reviewer)
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert not Notification.objects.filter(recipient=cast.reviewer, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_email_preferences_are_saved(client, cast):
    codes = [code for code, _label in catalogue.kinds()]
    assert "endorsed" in codes
    assert "reminder" in codes
    client.force_login(cast.reviewer)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    assert page.context["nav"] == "notifications"
    assert 'class="form-check-input"' in page.content.decode()

    wanted = [code for code in codes if code != "reminder"]
    response = client.post(reverse("notifications:preferences"), {code: "on" for code in wanted})
    assert response.status_code == 302
    assert not EmailPreference.objects.get(user=cast.reviewer, event="reminder").email
    assert EmailPreference.objects.get(user=cast.reviewer, event="endorsed").email
    assert not client.get(reverse("notifications:preferences")).context["form"]["reminder"].value()

    # Nothing ticked turns every email off.
    client.post(reverse("notifications:preferences"), {})
    assert not EmailPreference.objects.filter(user=cast.reviewer, email=True).exists()


def test_the_inbox_runs_the_same_queries_however_many_notifications(client, cast):
    client.force_login(cast.reviewer)

    def counted():
        with CaptureQueriesContext(connection) as context:
            assert client.get(INBOX).status_code == 200
        return len(context.captured_queries)

    notify(cast.reviewer)
    counted()  # anything read once per process is read now
    small = counted()
    for number in range(PER_PAGE * 2):
        notify(cast.reviewer, f"News {number}", read=number % 2 == 0)
    assert counted() == small


def test_marking_read_says_it_varies_with_htmx(client, cast):
    first, second = notify(cast.reviewer), notify(cast.reviewer)
    client.force_login(cast.reviewer)
    for notification, headers in ((first, {}), (second, {"HX-Request": "true"})):
        response = client.post(mark_read_url(notification), headers=headers)
        assert "HX-Request" in response.headers["Vary"]


def test_marking_read_after_the_session_ran_out_loads_the_sign_in_page(client, cast):
    notification = notify(cast.reviewer)
    response = client.post(
        mark_read_url(notification),
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{INBOX}?page=2"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/accounts/login/?next={INBOX}%3Fpage%3D2"
    assert b"notification-" not in response.content
    notification.refresh_from_db()
    assert notification.read_at is None
    # Without htmx, the usual redirect.
    response = client.post(mark_read_url(notification))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
