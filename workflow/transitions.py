"""How a transition is declared, and what the rest of the app reads from it.

Every transition of ``Policy`` is declared once, in
``workflow/models/policy.py``, with ``@declared(...)``: the django-fsm
transition (source, target, who may take it, what must hold first) and all
that people see of it (its button, whether it needs a reason, its place
among the buttons, the audit entry it writes, the event it announces).
The services, pages, admin, audit log and notifications read these
declarations; none of them restates one.

The conditions run once per attempt: django-fsm evaluates them when the
transition is taken, and the reasons they found are kept on the policy for
the service to raise (``reasons_found``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django_fsm import transition

from workflow.events import Event


@dataclass(frozen=True)
class Step:
    name: str
    sources: tuple
    target: str
    label: str  # the button
    recorded_as: str  # the audit entry's action, as the history reads it
    event: Event  # announced when taken
    # Its place among the buttons, forward steps first; None when the
    # services take it on their own (``complete_support``).
    order: int | None
    permission: Callable | None = None  # (policy, user) -> bool
    blockers: Callable | None = None  # (policy) -> reasons still in the way
    needs_reason: bool = False  # the next person must read why
    # It passes the version on to others: whoever takes it is warned of the
    # tracked changes and comments left in it, and must say they saw them.
    warns: bool = False
    confirmed: bool = False  # final: the page asks to confirm first
    sends_back: bool = False  # returns the version for revision: it is not resubmitted as it is
    fields: tuple = ()  # what it takes besides the comment

    @property
    def automatic(self):
        return self.order is None

    def may(self, policy, user):
        """Whether ``user`` may take it on ``policy`` (its state aside)."""
        return self.permission is None or bool(self.permission(policy, user))

    def reasons(self, policy):
        """What stands in the way on ``policy`` now (its state and the user aside)."""
        return list(self.blockers(policy)) if self.blockers else []


_DECLARED = {}
# A transition's name is its audit entry's action (``AuditEntry.action``).
ACTION_MAX_LENGTH = 30


def declared(*, source, target, order=None, permission=None, blockers=None, **shown):
    """Declare the decorated method a transition of ``Policy.state``."""
    sources = tuple(source) if isinstance(source, list | tuple) else (source,)

    def decorate(method):
        if len(method.__name__) > ACTION_MAX_LENGTH:
            raise ValueError(f"{method.__name__}: the audit log stores {ACTION_MAX_LENGTH} chars")
        step = Step(
            name=method.__name__,
            sources=tuple(str(s) for s in sources),
            target=str(target),
            order=order,
            permission=permission,
            blockers=blockers,
            **shown,
        )
        _DECLARED[step.name] = step
        return transition(
            field="state",
            source=list(sources),
            target=target,
            permission=permission,
            conditions=[_Condition(step)] if blockers else [],
            custom={"label": step.label, "step": step},
        )(method)

    return decorate


class _Condition:
    """A django-fsm condition that keeps the reasons it found on the policy."""

    def __init__(self, step):
        self.step = step
        self.__name__ = step.blockers.__name__

    def __call__(self, policy):
        reasons = self.step.reasons(policy)
        policy.__dict__.setdefault("_reasons_found", {})[self.step.name] = reasons
        return not reasons


def reasons_found(policy, name):
    """The reasons transition ``name``'s conditions found when last evaluated on ``policy``."""
    return policy.__dict__.get("_reasons_found", {}).get(name, [])


def step(name):
    """The declaration of transition ``name``; KeyError for anything else."""
    return _DECLARED[name]


def all_steps():
    """Every transition, as declared."""
    return list(_DECLARED.values())


def user_steps():
    """The transitions people take, in the order pages show them."""
    return sorted((s for s in _DECLARED.values() if not s.automatic), key=lambda s: s.order)


def sending_back():
    """The names of the transitions that return a version for revision."""
    return [s.name for s in _DECLARED.values() if s.sends_back]


def is_user_step(name):
    return name in _DECLARED and not _DECLARED[name].automatic
