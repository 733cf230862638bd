"""What an event is: who hears of it, how it reads, and whom it asks to act.

A transition declares the event it announces next to its state machine
entry (``workflow/models/policy.py``); the events that follow no
transition (a support, a new version, a reminder) are declared in
``workflow.notify``. Both are ``Event``s, read by the notifications, the
preferences page and the confirm steps.
"""

from dataclasses import dataclass

# Audiences, resolved for each policy by ``workflow.notify.audience``.
DRAFTERS = "drafters"
REVIEWERS = "reviewers"
COORDINATORS = "coordinators"
SUPPORTERS = "supporters"  # members of the required institutions
LEAD_MINISTRY = "lead_ministry"  # endorsers of the lead ministry
DONORS = "donors"  # observers of the project's donors


@dataclass(frozen=True)
class Event:
    code: str  # stored in the outbox and the preferences
    label: str  # in the email preferences
    headline: str
    sentence: str  # worded with the policy's facts (``workflow.notify.announce``)
    audiences: tuple = ()
    # The audience asked to act, in the state the policy is then in; the
    # others are told for their information. None: nobody is asked.
    asks: str | None = None
