"""Subjects and emails are plain text: not HTML-escaped, and no bidi control turns them round."""

import pytest
from django.urls import reverse

from documents.services import add_version
from notifications.models import Notification, OutboxMessage
from tests.admin.helpers import make_staff
from tests.factories import docx_upload
from workflow import services

pytestmark = pytest.mark.django_db

RLO = "\u202e"
AMPERSAND_TITLE = "Women's & Children's <Protection> Policy"


def submitted(cast, title, short_title, capture):
    """A policy titled ``title``, submitted for review, its messages delivered."""
    with capture(execute=True):
        policy = services.register_policy(
            actor=cast.coordinator,
            project=cast.project,
            title=title,
            short_title=short_title,
            country="PK",
            lead_ministry=cast.ministry,
            required_supporters=[cast.bureau],
            drafters=[cast.drafter],
            reviewers=[cast.reviewer],
        )
        add_version(policy, actor=cast.drafter, uploaded_file=docx_upload("Draft."))
        services.perform_transition(policy, "submit_for_review", actor=cast.drafter)
    return policy


def test_a_subject_is_plain_text_and_the_inbox_escapes_it_once(
    cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    submitted(cast, AMPERSAND_TITLE, "W&C policy", django_capture_on_commit_callbacks)
    row = OutboxMessage.objects.get(
        event="submitted_for_review", recipient=cast.reviewer, channel="email"
    )
    assert row.subject == f"[policyflow] Review requested: {AMPERSAND_TITLE}"
    email = next(
        m for m in mailoutbox if m.to == [cast.reviewer.email] and "Review requested" in m.subject
    )
    assert email.subject == f"[policyflow] Review requested: {AMPERSAND_TITLE}"
    assert f"Policy: {AMPERSAND_TITLE} (Pakistan)" in email.body

    client.force_login(cast.reviewer)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "Women&#x27;s &amp; Children&#x27;s &lt;Protection&gt; Policy" in html
    assert "&amp;amp;" not in html
    assert "&amp;#x27;" not in html


def test_emails_and_subjects_carry_no_bidi_controls(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    policy = submitted(
        cast, f"Emigration policy {RLO}draft", f"PK {RLO}policy", django_capture_on_commit_callbacks
    )
    services.record_review(
        policy, actor=cast.reviewer, decision="changes_requested", comment=f"Fix {RLO}this."
    )
    rows = OutboxMessage.objects.all()
    assert rows
    for row in rows:
        assert RLO not in row.subject
        assert RLO not in row.body
    assert mailoutbox
    for email in mailoutbox:
        assert RLO not in email.subject
        assert RLO not in email.body
    assert "Emigration policy draft" in mailoutbox[0].subject
    assert Notification.objects.exists()
    assert not Notification.objects.filter(title__contains=RLO).exists()


def page_title(html):
    return html[html.index("<title>") + len("<title>") : html.index("</title>")]


def test_page_titles_and_messages_carry_no_bidi_controls(cast, client):
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("web:policy_create"),
        {
            "title": f"Emigration {RLO}policy",
            "short_title": f"PK {RLO}policy",
            "country": "PK",
            "project": cast.project.pk,
            "lead_ministry": cast.ministry.pk,
            "drafters": [cast.drafter.pk],
            "reviewers": [cast.reviewer.pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "is registered." in html
    messages_part = html[html.index('class="messages"') :]
    assert RLO not in messages_part[: messages_part.index("</div>\n")]
    assert RLO not in page_title(html)
    assert "PK policy" in page_title(html)
    # The page itself still shows the title as stored, isolated in its element.
    assert f"PK {RLO}policy" in html


def test_admin_titles_and_messages_carry_no_bidi_controls(cast, client, new_policy):
    services.update_policy(new_policy, actor=cast.coordinator, short_title=f"PK {RLO}policy")
    client.force_login(make_staff(cast.coordinator))
    html = client.get(
        reverse("admin:workflow_policy_change", args=[new_policy.pk])
    ).content.decode()
    assert "PK policy" in page_title(html)
    assert RLO not in page_title(html)
