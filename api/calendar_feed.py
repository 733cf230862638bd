"""Each person's calendar feed: what they owe, on the day it is due.

Calendar programs subscribe to an address and read it again now and then;
they cannot send a token, so the address holds a secret that is its own
credential. Only the secret's digest is kept (``CalendarFeed``): the
address is shown once, when it is made, and making a new one is the only
way to see one again. The old address then answers 404.

The events are ``workflow.selectors.owed_by``'s steps that have a due date,
so the feed, the dashboard and the reminders agree on what is owed and
when. A step done is simply no longer in the feed.
"""

import datetime
import secrets
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from api.models import CalendarFeed
from api.tokens import digest_of
from notifications.plain_text import without_bidi_controls
from notifications.services import languages_of
from workflow import selectors
from workflow.notify import policy_link
from workflow.selectors import Step

PRODUCT_ID = "-//policyflow//calendar feed//EN"


def make_feed(user):
    """Give ``user`` a new feed address and return it; any earlier one stops working."""
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            user=user, defaults={"digest": digest_of(secret), "created_at": timezone.now()}
        )
    return feed_url(secret)


def stop_feed(user):
    """Remove ``user``'s feed: its address answers 404 from now on."""
    CalendarFeed.objects.filter(user=user).delete()


def feed_of(user):
    """``user``'s feed (when it was made), or None."""
    return CalendarFeed.objects.filter(user=user).first()


def feed_url(secret):
    return settings.SITE_URL + reverse("api:calendar", args=[secret])


def owner_of(secret):
    """The active person whose feed address holds ``secret``; None for any other secret."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(digest=digest_of(secret), user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def _summary(owed):
    title = owed.policy.short_title
    if owed.step == Step.REVIEW:
        return _("Review due: %(title)s") % {"title": title}
    if owed.step == Step.SUPPORT:
        return _("Decision of %(organization)s due: %(title)s") % {
            "organization": owed.organization.name,
            "title": title,
        }
    if owed.step == Step.ENDORSEMENT:
        return _("Endorsement due: %(title)s") % {"title": title}
    if owed.step == Step.DRAFT:
        return _("Draft due: %(title)s") % {"title": title}
    return _("Decline to resolve: %(title)s") % {"title": title}


def _uid(owed, user, host):
    """One per step of one party on one policy: the institution whose decision,
    the ministry whose endorsement, else the person who owes it. Stable while
    the step is open, so that a calendar moves the event when its due date
    moves rather than adding another."""
    if owed.step == Step.SUPPORT:
        party = f"organization-{owed.organization.pk}"
    elif owed.step == Step.ENDORSEMENT:
        party = f"organization-{owed.policy.lead_ministry_id}"
    else:
        party = f"user-{user.pk}"
    return f"policy-{owed.policy.pk}-{owed.step}-{party}@{host}"


def _policy_fields(policies):
    return policies.only(
        "pk", "title", "short_title", "state", "review_due", "support_due", "lead_ministry"
    )


def render_feed(user):
    """``user``'s calendar, as iCalendar bytes, worded in their language."""
    host = urlsplit(settings.SITE_URL).hostname or "policyflow"
    stamp = timezone.now().astimezone(datetime.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    with translation.override(languages_of([user.pk])[user.pk]):
        calendar.add("x-wr-calname", _("policyflow: due dates"))
        # How often a calendar program should read the feed again (RFC 7986, and Outlook's).
        calendar.add(
            "refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"}
        )
        calendar.add("x-published-ttl", "PT1H")
        for owed in selectors.owed_by(user, _policy_fields):
            if owed.due is None:
                continue
            link = policy_link(owed.policy)
            event = icalendar.Event()
            event.add("uid", _uid(owed, user, host))
            event.add("dtstamp", stamp)
            event.add("dtstart", owed.due)
            event.add("dtend", owed.due + datetime.timedelta(days=1))
            # Plain text, where an override in a title would turn the whole line round.
            event.add("summary", without_bidi_controls(_summary(owed)))
            description = f"{owed.policy.title}\n{owed.task}\n{link}"
            event.add("description", without_bidi_controls(description))
            event.add("url", link)
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar.to_ical()
