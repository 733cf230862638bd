"""What a refusal answers, wherever it is given: the one mapping.

The services refuse with four exceptions, each carrying sentences written
for the person who caused it:

=========================================  ======  ======================
exception                                  status  kind
=========================================  ======  ======================
``django.core.exceptions.PermissionDenied``   403  ``permission_denied``
``workflow.exceptions.TransitionBlocked``     409  ``transition_blocked``
``workflow.exceptions.ConcurrentChange``      409  ``concurrent_change``
``django.core.exceptions.ValidationError``    400  ``invalid``
=========================================  ======  ======================

``classify`` reads one into a ``Refusal``; the pages (``web.views``), the
admin, the middleware's refusal page and ``put_on_form`` all answer from
it. An API renders RFC 9457 problem details from it without restating
anything: ``type`` ends with ``kind``, ``title`` and ``status`` are the
refusal's, ``detail`` is ``detail``, and ``code`` and ``field_errors``
are extension members.
"""

import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from workflow.exceptions import ConcurrentChange, TransitionBlocked

# What a service raises when it refuses; anything else it raises is a bug.
REFUSALS = (PermissionDenied, TransitionBlocked, ConcurrentChange, ValidationError)


class Kind(enum.StrEnum):
    """The kinds of refusal: stable names an API and the templates rely on."""

    PERMISSION_DENIED = "permission_denied"
    TRANSITION_BLOCKED = "transition_blocked"
    CONCURRENT_CHANGE = "concurrent_change"
    INVALID = "invalid"


# Per kind: the HTTP status and a title that does not change from one
# refusal to the next (the reasons say what this one is about).
ANSWERS = {
    Kind.PERMISSION_DENIED: (403, _("Not allowed")),
    Kind.TRANSITION_BLOCKED: (409, _("This is not possible now")),
    Kind.CONCURRENT_CHANGE: (409, _("Someone else changed this policy meanwhile.")),
    Kind.INVALID: (400, _("This cannot be done")),
}


@dataclass(frozen=True)
class Refusal:
    """One refusal, as every door answers it.

    ``reasons`` holds every sentence the refusal carries; ``field_errors``,
    for a ``ValidationError`` that names fields, the sentences per field
    (``"__all__"`` for those about the input as a whole, as Django names
    them). ``code`` is the ``ValidationError``'s own code when it carries
    one (the document intake's "duplicate", "no_text", ...), else the kind.
    """

    kind: Kind
    status: int
    title: str
    reasons: tuple
    field_errors: dict
    code: str

    @property
    def detail(self):
        """The reasons as one text, for a message that has room for one."""
        return " ".join(self.reasons)


def classify(exception):
    """The ``Refusal`` that answers ``exception``, one of ``REFUSALS``."""
    if isinstance(exception, ValidationError):
        return _refusal(
            Kind.INVALID,
            exception.messages,
            field_errors=_field_errors(exception),
            code=_code(exception),
        )
    if isinstance(exception, ConcurrentChange):
        return _refusal(Kind.CONCURRENT_CHANGE, exception.reasons)
    if isinstance(exception, TransitionBlocked):
        return _refusal(Kind.TRANSITION_BLOCKED, exception.reasons)
    if isinstance(exception, PermissionDenied):
        return _refusal(Kind.PERMISSION_DENIED, [str(exception) or _("You may not do this.")])
    raise TypeError(f"{exception!r} is not a refusal")


def put_on_form(form, exception, field=None):
    """Show a service's refusal on ``form``.

    The errors of a field the form has go on that field; the rest on
    ``field`` when given (the field the input came in), else above the form.
    """
    refusal = classify(exception)
    if not refusal.field_errors:
        form.add_error(field, list(refusal.reasons))
        return
    for name, messages in refusal.field_errors.items():
        form.add_error(name if name in form.fields else field, list(messages))


def _refusal(kind, reasons, *, field_errors=None, code=None):
    status, title = ANSWERS[kind]
    reasons = tuple(str(reason) for reason in reasons)
    return Refusal(kind, status, title, reasons, field_errors or {}, code or str(kind))


def _field_errors(error):
    if not hasattr(error, "error_dict"):
        return {}
    return {name: tuple(messages) for name, messages in error.message_dict.items()}


def _code(error):
    """The code a ``ValidationError`` that names no field carries, if any."""
    if hasattr(error, "error_dict"):
        return None
    return next((e.code for e in error.error_list if e.code), None)
