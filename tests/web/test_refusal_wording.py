"""The refusal on the policy page reads as sentences, as a screen reader or a copy gives it."""

import re

from django.utils.html import strip_tags

from tests.web.test_policy_actions import post_action
from workflow import services
from workflow.models import Policy


def alert_text(html):
    alert = html[html.index('id="refusal"') : html.index("</div>", html.index('id="refusal"'))]
    return re.sub(r"\s+", " ", strip_tags(alert.partition(">")[2])).strip()


def test_the_stale_page_notice_is_two_sentences(page_client, cast, new_policy, walk):
    walk.upload(new_policy)
    stale = Policy.objects.get(pk=new_policy.pk).revision
    services.perform_transition(new_policy, "submit_for_review", actor=cast.drafter)
    response = post_action(
        page_client(cast.coordinator), new_policy, "withdraw", comment="Stop.", revision=stale
    )
    assert response.status_code == 409
    assert alert_text(response.content.decode()).startswith(
        "Someone else changed this policy meanwhile. Nothing was recorded. "
    )
