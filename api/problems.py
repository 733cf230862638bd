"""Every refusal of the API as RFC 9457 problem details, in one place.

A service's refusal answers as ``policyflow.refusals`` says (its kind,
status, title, reasons, field errors and code); the API's own refusals
(not signed in, not found, too many requests, a stale ``If-Match``, a
malformed body) answer in the same shape. The body is
``application/problem+json``::

    {"type": "urn:policyflow:problem:transition_blocked",
     "title": "This is not possible now", "status": 409,
     "detail": "Bureau of … has not recorded support on version 3.",
     "instance": "/api/v1/policies/12/transitions/endorse/",
     "code": "transition_blocked",
     "reasons": ["Bureau of … has not recorded support on version 3."]}

``field_errors`` is added when the input named fields.
"""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from policyflow import refusals

PROBLEM_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:policyflow:problem:"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The policy changed since the version you sent in If-Match: read it again, "
        "then decide whether to act."
    )
    default_code = "precondition_failed"


# The API's own refusals: (code, title) per DRF exception.
OWN = [
    (exceptions.NotAuthenticated, "not_authenticated", _("Not signed in")),
    (exceptions.AuthenticationFailed, "authentication_failed", _("Not signed in")),
    (exceptions.PermissionDenied, "permission_denied", _("Not allowed")),
    (exceptions.NotFound, "not_found", _("Not found")),
    (exceptions.MethodNotAllowed, "method_not_allowed", _("Method not allowed")),
    (exceptions.NotAcceptable, "not_acceptable", _("Not acceptable")),
    (exceptions.UnsupportedMediaType, "unsupported_media_type", _("Unsupported media type")),
    (exceptions.Throttled, "throttled", _("Too many requests")),
    (PreconditionFailed, "precondition_failed", _("The policy changed meanwhile")),
    (exceptions.ParseError, "parse_error", _("The request cannot be read")),
    (exceptions.ValidationError, "invalid", _("This cannot be done")),
]


def problem_details(exc, context):
    """DRF's exception handler: a problem for every refusal; anything else is a bug (500)."""
    request = context.get("request")
    instance = request.path if request is not None else None
    if isinstance(exc, refusals.REFUSALS):
        refusal = refusals.classify(exc)
        return _problem(
            status=refusal.status,
            kind=refusal.kind,
            title=refusal.title,
            reasons=list(refusal.reasons),
            field_errors=refusal.field_errors,
            code=refusal.code,
            instance=instance,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)  # sets WWW-Authenticate and Retry-After
    if response is None:
        return None
    kind, title = next(((k, t) for cls, k, t in OWN if isinstance(exc, cls)), ("error", ""))
    reasons, field_errors = _reasons(exc.detail)
    problem = _problem(
        status=response.status_code,
        kind=kind,
        title=title or str(exc.default_detail),
        reasons=reasons,
        field_errors=field_errors,
        code=kind,
        instance=instance,
    )
    for header, value in response.headers.items():
        if header.lower() in ("www-authenticate", "retry-after", "allow"):
            problem[header] = value
    return problem


def _problem(*, status, kind, title, reasons, field_errors, code, instance):
    body = problem_body(
        status=status,
        kind=kind,
        title=title,
        reasons=reasons,
        field_errors=field_errors,
        code=code,
        instance=instance,
    )
    return Response(body, status=status, content_type=PROBLEM_TYPE)


def problem_body(*, status, kind, title, reasons, field_errors, code, instance):
    """The problem details of a refusal, as a JSON object."""
    body = {
        "type": TYPE_PREFIX + str(kind),
        "title": str(title),
        "status": status,
        "detail": " ".join(str(reason) for reason in reasons),
        "code": code,
        "reasons": [str(reason) for reason in reasons],
    }
    if instance:
        body["instance"] = instance
    if field_errors:
        body["field_errors"] = {
            name: [str(message) for message in messages] for name, messages in field_errors.items()
        }
    return body


def not_found(request, exception):
    """The site's 404 (``handler404``): under /api/, an address that names no
    operation answers in the API's own shape; elsewhere, the app's page."""
    if not request.path_info.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    kind, title = next((k, t) for cls, k, t in OWN if cls is exceptions.NotFound)
    body = problem_body(
        status=status.HTTP_404_NOT_FOUND,
        kind=kind,
        title=title,
        reasons=[exceptions.NotFound.default_detail],
        field_errors={},
        code=kind,
        instance=request.path,
    )
    return JsonResponse(body, status=status.HTTP_404_NOT_FOUND, content_type=PROBLEM_TYPE)


def _reasons(detail):
    """A DRF error's detail as (reasons, field errors)."""
    if isinstance(detail, dict):
        fields = {name: _flatten(messages) for name, messages in detail.items()}
        reasons = [message for messages in fields.values() for message in messages]
        return reasons, {name: messages for name, messages in fields.items()}
    return _flatten(detail), {}


def _flatten(detail):
    if isinstance(detail, list | tuple):
        return [message for item in detail for message in _flatten(item)]
    if isinstance(detail, dict):
        return [message for item in detail.values() for message in _flatten(item)]
    return [str(detail)]
