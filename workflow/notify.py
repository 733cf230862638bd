"""Who hears about what: the events, and turning a change into outbox rows.

The events are the transitions' (declared with them in
``workflow/models/policy.py``) and those below; together they are the
README's "Who hears what" table, which a test compares with them.
Everyone is told in the app; email follows each person's preferences.
The person who acted is never told of their own act.
"""

import operator
from functools import reduce

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from notifications import catalogue
from notifications import services as notifications
from policyflow.formats.countries import country_name
from workflow import clock, obligations, transitions
from workflow.events import (
    COORDINATORS,
    DONORS,
    DRAFTERS,
    LEAD_MINISTRY,
    REVIEWERS,
    SUPPORTERS,
    Event,
)
from workflow.models import Membership, Policy, Project
from workflow.rules import display_name

Role = Membership.Role

# The events that follow no transition; each transition declares its own
# (``workflow/models/policy.py``).
OWN_EVENTS = (
    Event(
        "support_recorded",
        _("Support recorded"),
        _("Support recorded"),
        _("%(organization)s supports version %(number)s."),
        (COORDINATORS,),
    ),
    Event(
        "support_declined",
        _("Support declined"),
        _("Support declined"),
        _("%(organization)s declined to support version %(number)s."),
        (COORDINATORS, DRAFTERS),
        asks=COORDINATORS,
    ),
    Event(
        "version_uploaded",
        _("New version uploaded"),
        _("New version"),
        _("%(actor)s uploaded version %(number)s."),
        (REVIEWERS, COORDINATORS),
    ),
    Event(
        "reminder",
        _("Reminders"),
        _("Reminder"),
        _("%(task)s is overdue since %(due)s."),
        (),  # addressed to whoever owes the step (workflow.reminders)
    ),
    Event(
        "escalation",
        _("Escalations"),
        _("Overdue after two reminders"),
        _("%(task)s is overdue since %(due)s and two reminders went unanswered."),
        (COORDINATORS,),
    ),
)

# Every event by its code. What asked for a step (``Event.asks``) is settled
# (shown done) once the policy leaves that state, or once the person's own
# part is done (``review_given``, ``decision_given``). Reminders and
# escalations ask everyone they reach.
EVENTS = {
    event.code: event for event in (*(step.event for step in transitions.all_steps()), *OWN_EVENTS)
}


def register_events():
    for code, event in EVENTS.items():
        catalogue.register(code, event.label)


def _members(**membership):
    return Q(pk__in=Membership.objects.filter(**membership).values("user"))


def _audience(policy, name):
    """Who an audience means for ``policy``, as a condition on users (subqueries,
    so that several audiences read in one query)."""
    if name == DRAFTERS:
        return Q(pk__in=Policy.drafters.through.objects.filter(policy=policy).values("user"))
    if name == REVIEWERS:
        return Q(pk__in=Policy.reviewers.through.objects.filter(policy=policy).values("user"))
    if name == COORDINATORS:
        return _members(
            organization_id=policy.project.implementer_id, role__in=obligations.COORDINATOR_ROLES
        )
    if name == SUPPORTERS:
        required = Policy.required_supporters.through.objects.filter(policy=policy)
        return _members(
            organization__in=required.values("organization"),
            role__in=obligations.SUPPORTER_ROLES,
        )
    if name == LEAD_MINISTRY:
        return _members(
            organization_id=policy.lead_ministry_id, role__in=obligations.ENDORSER_ROLES
        )
    if name == DONORS:
        donors = Project.donors.through.objects.filter(project_id=policy.project_id)
        return _members(organization__in=donors.values("organization"), role=Role.OBSERVER)
    raise ValueError(name)


def audience(policy, name):
    """The active users an audience means for ``policy``."""
    return get_user_model().objects.filter(_audience(policy, name), is_active=True)


# Whom an event that asks an audience to act asks: those of it who owe the
# step now (``workflow.obligations``); the rest of the audience is told.
OWING = {
    DRAFTERS: obligations.owing_draft,
    REVIEWERS: obligations.owing_review,
    SUPPORTERS: obligations.owing_supports,
    LEAD_MINISTRY: obligations.owing_endorsement,
    COORDINATORS: obligations.owing_decline_resolution,
}


AUDIENCE_LABELS = {
    DRAFTERS: _("the drafters"),
    REVIEWERS: _("the reviewers"),
    COORDINATORS: _("the coordinators"),
    SUPPORTERS: _("the required institutions"),
    LEAD_MINISTRY: _("the lead ministry"),
    DONORS: _("the donors"),
}


def told(policy, event, *, actor=None):
    """Who ``event`` on ``policy`` would reach, audience by audience, from the table:
    ``[(audience label, [users])]``, each person once, the actor left out, empty
    audiences too (so a page can say that nobody there would hear)."""
    seen = {actor.pk} if actor is not None else set()
    groups = []
    for name in EVENTS[event].audiences:
        people = [u for u in audience(policy, name).distinct().order_by("pk") if u.pk not in seen]
        seen.update(u.pk for u in people)
        groups.append((AUDIENCE_LABELS[name], people))
    return groups


def recipients(policy, event, *, actor=None):
    """Everyone ``event`` on ``policy`` is for, without the person who acted."""
    audiences = EVENTS[event].audiences
    if not audiences:
        return []
    anyone = reduce(operator.or_, (_audience(policy, name) for name in audiences))
    people = get_user_model().objects.filter(anyone, is_active=True).order_by("pk")
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    return list(people)


def policy_link(policy):
    """The policy's page, where the reader can see what happened and act on it."""
    return settings.SITE_URL + reverse("web:policy", args=[policy.pk])


def worded(template, values):
    """``template % values``, worded when it is rendered, in the reader's language.

    Notifications are written for each recipient in their own language
    (``notifications.services.enqueue``); text formatted now would be in
    the language of whoever caused the event.
    """
    return lazy(lambda: str(template) % values, str)()


def subject(policy):
    """What notifications about ``policy`` are about, for ``notifications.settle``."""
    return f"policy/{policy.pk}"


def support_step(organization):
    """The step of one institution's decision, within institutional support."""
    return f"{Policy.State.INSTITUTIONAL_SUPPORT.value}/{organization.pk}"


def settle_left_states(policy):
    """What asked for a step in a state the policy has left is done."""
    left = [state for state in Policy.State.values if state != policy.state]
    notifications.settle(subject(policy), left, at=clock.now())


def review_given(policy, reviewer):
    """The reviewer's review is in: what asked them to review is done for them."""
    notifications.settle(
        subject(policy), [Policy.State.EXPERT_REVIEW.value], recipients=[reviewer], at=clock.now()
    )


def decision_given(policy, organization):
    """An institution decided on the current version: what asked for its decision is done.

    That is its reminders and their escalations, and the request for
    support to its people, unless they also speak for a required
    institution that has not decided yet.
    """
    about, at = subject(policy), clock.now()
    notifications.settle(about, [support_step(organization)], at=at)
    undecided = (
        obligations.supports_owed()
        .filter(policy=policy)
        .exclude(organization=organization)
        .values("organization")
    )
    speakers = Membership.objects.filter(role__in=obligations.SUPPORTER_ROLES)
    done = speakers.filter(organization=organization).exclude(
        user__in=speakers.filter(organization__in=undecided).values("user")
    )
    notifications.settle(
        about,
        [Policy.State.INSTITUTIONAL_SUPPORT.value],
        recipients=done.values_list("user", flat=True),
        at=at,
    )


def webhook_owner(organization_id):
    """The owner label of an implementer's webhook endpoints."""
    return f"organization/{organization_id}"


def webhook_topic(project_id):
    """The topic label of a project, among an endpoint's topics."""
    return f"project/{project_id}"


def webhook_payload(policy, event, *, actor=None, version=None, comment=""):
    """What a webhook says of ``event`` on ``policy``: plain facts, no prose to translate."""
    return {
        "type": event,
        "timestamp": clock.now().isoformat(),
        "data": {
            "policy": {
                "id": policy.pk,
                "title": policy.title,
                "short_title": policy.short_title,
                "country": str(policy.country),
                "state": policy.state,
                "revision": policy.revision,
                "project": policy.project_id,
            },
            "version": version.number if version is not None else None,
            "actor": actor.get_username() if actor is not None else None,
            "comment": comment,
            "url": policy_link(policy),
        },
    }


def announce(
    policy,
    event,
    *,
    occurrence,
    actor=None,
    people=None,
    version=None,
    comment="",
    asks=None,
    **facts,
):
    """Write the outbox rows for ``event`` in the caller's transaction.

    ``occurrence`` makes the keys unique to this happening (an audit entry's
    id, or a reminder's item and period); ``people`` overrides the table,
    and are all asked to act, on ``asks`` (default: the policy's state).
    Whatever asked for a step in a state the policy has left is settled
    first: every change of state is announced. The implementer's webhook
    endpoints that subscribe to ``event`` (for every project of theirs, or
    for this policy's) get a row each, in the same transaction.
    """
    settle_left_states(policy)
    declared = EVENTS[event]
    number = version.number if version is not None else ""
    wording = {
        "actor": display_name(actor) if actor else "",
        "number": number,
        "ministry": policy.lead_ministry.name,
        "institutions": ", ".join(o.name for o in policy.required_supporters.all()),
        **facts,
    }
    if people is not None:
        to, asked = people, {person.pk for person in people}
    else:
        to = recipients(policy, event, actor=actor)
        asked = (
            set(OWING[declared.asks](policy).values_list("pk", flat=True))
            if declared.asks
            else set()
        )
    context = {
        "headline": declared.headline,
        "sentence": worded(declared.sentence, wording),
        "policy_title": policy.title,
        "country": lazy(country_name, str)(policy.country),
        "version_number": number,
        "actor_name": wording["actor"],
        "comment": comment,
    }
    return notifications.enqueue(
        event,
        recipients=to,
        key=f"{event}:{policy.pk}:{occurrence}",
        link=policy_link(policy),
        at=clock.now(),
        context=context,
        about=subject(policy),
        step=asks or policy.state,
        asked=asked,
        webhook=notifications.Webhook(
            owner=webhook_owner(policy.project.implementer_id),
            topic=webhook_topic(policy.project_id),
            payload=webhook_payload(policy, event, actor=actor, version=version, comment=comment),
        ),
    )
