"""Reports on the whole portfolio: the status page and the spreadsheet export.

Both show only the policies the user may see. The .docx status report is
made by ``documents:portfolio_report`` from the same reading as the page.
"""

import csv

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from notifications.plain_text import without_bidi_controls
from policyflow.formats.countries import country_name
from web.selectors import reports as selectors
from workflow.models import PolicyState

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@require_GET
@login_required
def portfolio(request):
    return render(
        request,
        "web/reports/portfolio.html",
        {"nav": "reports", "portfolio": selectors.portfolio(request.user)},
    )


@require_GET
@login_required
def policies_csv(request):
    """Every visible policy as one CSV row, streamed; Excel reads it as UTF-8 thanks to the BOM."""
    rows = selectors.policy_export(request.user)
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    name = f"policies-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class _Echo:
    """A file that hands back what is written to it, for ``csv.writer``."""

    def write(self, value):
        return value


def _csv_lines(rows):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(_header())
    for row in rows:
        yield writer.writerow([_safe_cell(value) for value in _readable(row)])


def _header():
    return [
        _("Short title"),
        _("Title"),
        _("Country"),
        _("Lead ministry"),
        _("State"),
        _("Current version"),
        _("Registered"),
        _("Review due"),
        _("Support due"),
        _("Last change"),
        _("Endorsed on"),
        _("Instrument"),
    ]


def _readable(row):
    """A stored row (``selectors.EXPORT_FIELDS``) as a reader expects it."""
    (
        short_title,
        title,
        country,
        lead_ministry,
        state,
        version_number,
        registered,
        review_due,
        support_due,
        last_change,
        endorsed_on,
        instrument,
    ) = row
    return [
        short_title,
        title,
        country_name(country),
        lead_ministry,
        PolicyState.label_for(state),
        version_number or "",
        _date(registered),
        _date(review_due),
        _date(support_due),
        _moment(last_change),
        _date(endorsed_on),
        instrument or "",
    ]


def _date(value):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localdate(value)
    return value.isoformat()


def _moment(value):
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def _safe_cell(value):
    """Plain text: no bidi control to turn a cell round, and text that a
    spreadsheet would run as a formula kept as text."""
    text = without_bidi_controls(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
