"""What a confirm step shows before an act that cannot be taken back: what will
happen, and who will be told (read from ``workflow.notify``'s table, never restated)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from policyflow.formats import dates
from workflow import notify, services, transitions
from workflow.models import Support
from workflow.rules import display_name


@dataclass(frozen=True)
class Audience:
    label: str
    names: list


@dataclass(frozen=True)
class Confirmation:
    title: str
    happens: list  # sentences
    told: list  # Audience, in the order of the event table
    button: str


def _told(policy, events, actor):
    """Everyone the ``events`` would reach, audience by audience, each person once."""
    audiences, seen = [], set()
    for event in events:
        for label, people in notify.told(policy, event, actor=actor):
            names = [display_name(u) for u in people if u.pk not in seen]
            seen.update(u.pk for u in people)
            if names:
                audiences.append(Audience(str(label), names))
    return audiences


def _unresolved(version, acknowledged):
    unresolved = services.unresolved_in(version)
    if not (unresolved and acknowledged):
        return []
    return [
        _(
            "Version %(number)s still has tracked changes (%(changes)s) and comments "
            "(%(comments)s); the record notes that you saw them."
        )
        % {
            "number": version.number,
            "changes": unresolved["tracked_changes"],
            "comments": unresolved["comments"],
        }
    ]


def transition_confirmation(policy, actor, name, *, fields, acknowledged=False):
    """The confirm step of a transition declared ``confirmed``: what happens (said
    here for the endorsement and the withdrawal) and who is told (its event)."""
    version = policy.current_version
    step = transitions.step(name)
    told = _told(policy, [step.event.code], actor)
    if name == "endorse":
        happens = [
            _("%(ministry)s endorses version %(number)s by %(instrument)s, dated %(date)s.")
            % {
                "ministry": policy.lead_ministry.name,
                "number": version.number,
                "instrument": fields["instrument"],
                "date": dates.day(fields["date"]),
            },
            _(
                "This is final: version %(number)s becomes the official text and the policy "
                "no longer changes. An endorsement record is made."
            )
            % {"number": version.number},
            *_unresolved(version, acknowledged),
        ]
        return Confirmation(
            _("Confirm the endorsement"),
            happens,
            told,
            _("Endorse version %(number)s") % {"number": version.number},
        )
    if name == "withdraw":
        return Confirmation(
            _("Confirm the withdrawal"),
            [
                _("The policy is withdrawn: its work stops, whatever step it was at."),
                _("Nothing more happens to it unless a coordinator reopens it."),
            ],
            told,
            _("Withdraw the policy"),
        )
    return Confirmation(step.label, [*_unresolved(version, acknowledged)], told, step.label)


def support_confirmation(policy, actor, organization, decision):
    """The confirm step of an institution's decision on the current version."""
    version = policy.current_version
    wording = {"organization": organization.name, "number": version.number}
    if decision == Support.Decision.DECLINED:
        return Confirmation(
            _("Confirm the decision of %(organization)s") % wording,
            [
                _("%(organization)s declines to support version %(number)s.") % wording,
                _(
                    "The institution decides once per version: this decision is final for "
                    "version %(number)s. The policy cannot go on to endorsement with it."
                )
                % wording,
            ],
            _told(policy, ["support_declined"], actor),
            _("Decline support"),
        )
    happens = [
        _("%(organization)s supports version %(number)s.") % wording,
        _(
            "The institution decides once per version: this decision is final for "
            "version %(number)s."
        )
        % wording,
    ]
    events = ["support_recorded"]
    if _completes_support(policy, version, organization):
        happens.append(
            _(
                "It is the last support required: the policy then awaits endorsement by "
                "%(ministry)s."
            )
            % {"ministry": policy.lead_ministry.name}
        )
        events.append(transitions.step("complete_support").event.code)
    return Confirmation(
        _("Confirm the decision of %(organization)s") % wording,
        happens,
        _told(policy, events, actor),
        _("Record the support"),
    )


def _completes_support(policy, version, organization):
    """Whether ``organization``'s support would be the last one required on ``version``."""
    supported = set(
        version.supports.filter(decision=Support.Decision.SUPPORTED).values_list(
            "organization_id", flat=True
        )
    )
    others = policy.required_supporters.exclude(pk=organization.pk).values_list("pk", flat=True)
    return all(pk in supported for pk in others)
