"""Who hears about what: the event table, and turning a change into outbox rows.

The table below is the one in the README ("Who hears what"); tests walk
it. Everyone is told in the app; email follows each person's
preferences. The person who acted is never told of their own act.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from notifications import catalogue
from notifications import services as notifications
from policyflow.formats.countries import country_name
from workflow import clock
from workflow.models import Membership, Policy
from workflow.rules import display_name

Role = Membership.Role

# Audiences, resolved per policy by ``audience``.
DRAFTERS = "drafters"
REVIEWERS = "reviewers"
COORDINATORS = "coordinators"
SUPPORTERS = "supporters"  # members of the required institutions
LEAD_MINISTRY = "lead_ministry"  # endorsers of the lead ministry
DONORS = "donors"  # observers of the project's donors

# event: (label for preferences, headline, sentence, audiences)
EVENTS = {
    "submitted_for_review": (
        _("Submitted for review"),
        _("Review requested"),
        _("%(actor)s submitted version %(number)s for expert review."),
        (REVIEWERS, COORDINATORS),
    ),
    "revision_requested": (
        _("Revision requested"),
        _("Revision requested"),
        _("%(actor)s asked for a revision of version %(number)s."),
        (DRAFTERS, COORDINATORS),
    ),
    "submission_recalled": (
        _("Submission recalled"),
        _("Submission recalled"),
        _("%(actor)s recalled version %(number)s from expert review; no review is needed now."),
        (REVIEWERS, COORDINATORS),
    ),
    "review_cleared": (
        _("Review cleared"),
        _("Institutional support requested"),
        _(
            "The expert review of version %(number)s is cleared; "
            "it now needs the support of %(institutions)s."
        ),
        (SUPPORTERS, DRAFTERS, COORDINATORS),
    ),
    "support_recorded": (
        _("Support recorded"),
        _("Support recorded"),
        _("%(organization)s supports version %(number)s."),
        (COORDINATORS,),
    ),
    "support_declined": (
        _("Support declined"),
        _("Support declined"),
        _("%(organization)s declined to support version %(number)s."),
        (COORDINATORS, DRAFTERS),
    ),
    "awaiting_endorsement": (
        _("All support in"),
        _("Awaiting endorsement"),
        _(
            "Every required institution supports version %(number)s; "
            "it awaits endorsement by %(ministry)s."
        ),
        (LEAD_MINISTRY, COORDINATORS),
    ),
    "endorsed": (
        _("Endorsed"),
        _("Policy endorsed"),
        _("%(ministry)s endorsed version %(number)s (%(instrument)s)."),
        (COORDINATORS, DRAFTERS, REVIEWERS, SUPPORTERS, DONORS),
    ),
    "returned_for_revision": (
        _("Returned for revision"),
        _("Returned for revision"),
        _("%(ministry)s returned version %(number)s for revision."),
        (DRAFTERS, COORDINATORS),
    ),
    "returned_to_drafting": (
        _("Returned to drafting"),
        _("Returned to drafting"),
        _("%(actor)s returned version %(number)s to drafting."),
        (DRAFTERS, REVIEWERS),
    ),
    "withdrawn": (
        _("Withdrawn"),
        _("Policy withdrawn"),
        _("%(actor)s withdrew the policy."),
        (DRAFTERS, REVIEWERS, SUPPORTERS, LEAD_MINISTRY, DONORS),
    ),
    "reopened": (
        _("Reopened"),
        _("Policy reopened"),
        _("%(actor)s reopened the policy for drafting."),
        (DRAFTERS, COORDINATORS),
    ),
    "version_uploaded": (
        _("New version uploaded"),
        _("New version"),
        _("%(actor)s uploaded version %(number)s."),
        (REVIEWERS, COORDINATORS),
    ),
    "reminder": (
        _("Reminders"),
        _("Reminder"),
        _("%(task)s is overdue since %(due)s."),
        (),  # addressed to whoever owes the step (workflow.reminders)
    ),
    "escalation": (
        _("Escalations"),
        _("Overdue after two reminders"),
        _("%(task)s is overdue since %(due)s and two reminders went unanswered."),
        (COORDINATORS,),
    ),
}

# The audience each event asks to act, in the state the policy is then in;
# the others it reaches are told for their information. What asked for a
# step is settled (shown done) once the policy leaves that state, or once
# the person's own part is done (``review_given``, ``decision_given``).
# Reminders and escalations ask everyone they reach.
ASKS = {
    "submitted_for_review": REVIEWERS,
    "revision_requested": DRAFTERS,
    "review_cleared": SUPPORTERS,
    "support_declined": COORDINATORS,
    "awaiting_endorsement": LEAD_MINISTRY,
    "returned_for_revision": DRAFTERS,
    "returned_to_drafting": DRAFTERS,
    "reopened": DRAFTERS,
}

# The transition each event follows, where it is one.
TRANSITION_EVENTS = {
    "submit_for_review": "submitted_for_review",
    "request_revision": "revision_requested",
    "recall": "submission_recalled",
    "clear_review": "review_cleared",
    "complete_support": "awaiting_endorsement",
    "return_to_drafting": "returned_to_drafting",
    "return_for_revision": "returned_for_revision",
    "endorse": "endorsed",
    "withdraw": "withdrawn",
    "reopen": "reopened",
}


def register_events():
    for code, (label, *_rest) in EVENTS.items():
        catalogue.register(code, label)


def audience(policy, name):
    """The active users an audience means for ``policy``."""
    users = get_user_model().objects.filter(is_active=True)
    implementer = policy.project.implementer_id
    if name == DRAFTERS:
        return users.filter(drafting_policies=policy)
    if name == REVIEWERS:
        return users.filter(reviewing_policies=policy)
    if name == COORDINATORS:
        return users.filter(
            memberships__organization_id=implementer, memberships__role=Role.COORDINATOR
        )
    if name == SUPPORTERS:
        return users.filter(
            memberships__organization__in=policy.required_supporters.all(),
            memberships__role__in=[Role.INSTITUTION_MEMBER, Role.MINISTRY_ENDORSER],
        )
    if name == LEAD_MINISTRY:
        return users.filter(
            memberships__organization_id=policy.lead_ministry_id,
            memberships__role=Role.MINISTRY_ENDORSER,
        )
    if name == DONORS:
        return users.filter(
            memberships__organization__in=policy.project.donors.all(),
            memberships__role=Role.OBSERVER,
        )
    raise ValueError(name)


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
    for name in EVENTS[event][3]:
        people = [u for u in audience(policy, name).distinct().order_by("pk") if u.pk not in seen]
        seen.update(u.pk for u in people)
        groups.append((AUDIENCE_LABELS[name], people))
    return groups


def recipients(policy, event, *, actor=None):
    """Everyone ``event`` on ``policy`` is for, without the person who acted."""
    people = {}
    for name in EVENTS[event][3]:
        for user in audience(policy, name).distinct():
            people[user.pk] = user
    if actor is not None:
        people.pop(actor.pk, None)
    return list(people.values())


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


def decision_given(policy, organization, version):
    """An institution decided on ``version``: what asked for its decision is done.

    That is its reminders and their escalations, and the request for
    support to its people, unless they also speak for a required
    institution that has not decided yet.
    """
    about, at = subject(policy), clock.now()
    notifications.settle(about, [support_step(organization)], at=at)
    undecided = policy.required_supporters.exclude(
        pk__in=version.supports.values("organization")
    ).exclude(pk=organization.pk)
    speakers = Membership.objects.filter(role__in=[Role.INSTITUTION_MEMBER, Role.MINISTRY_ENDORSER])
    done = speakers.filter(organization=organization).exclude(
        user__in=speakers.filter(organization__in=undecided).values("user")
    )
    notifications.settle(
        about,
        [Policy.State.INSTITUTIONAL_SUPPORT.value],
        recipients=done.values_list("user", flat=True),
        at=at,
    )


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
    first: every change of state is announced.
    """
    settle_left_states(policy)
    _label, headline, sentence, _audiences = EVENTS[event]
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
            set(audience(policy, ASKS[event]).values_list("pk", flat=True))
            if event in ASKS
            else set()
        )
    context = {
        "headline": headline,
        "sentence": worded(sentence, wording),
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
    )
