"""Facts the official outputs state: a decline is named a decline, and an
endorsement is dated by its official date, never by when it was recorded."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import formats

from documents.docx.records import format_moment
from documents.services.records import (
    make_endorsement_record,
    make_portfolio_report,
    portfolio_data,
)
from tests.web.test_reports import csv_rows, docx_text
from workflow import clock, services
from workflow.models import AuditEntry, Endorsement, Policy, Support

State = Policy.State


@pytest.fixture
def declined(cast, policy_in):
    policy = policy_in(
        State.INSTITUTIONAL_SUPPORT, short_title="PK declined", reviewers=[cast.reviewer]
    )
    services.record_support(
        policy,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision=Support.Decision.DECLINED,
        statement="Conflicts with our ordinance.",
    )
    return policy


@pytest.fixture
def endorsed(cast, policy_in):
    """Submitted and supported in October, endorsed on 5 November, recorded today."""
    with clock.at(datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC)):
        policy = policy_in(
            State.AWAITING_ENDORSEMENT, short_title="PK endorsed", reviewers=[cast.reviewer]
        )
    services.perform_transition(
        policy,
        "endorse",
        actor=cast.endorser,
        instrument="Cabinet decision 12/2026",
        date=datetime.date(2026, 11, 5),
    )
    endorsement = Endorsement.objects.get(policy=policy)
    assert endorsement.endorsed_on != endorsement.recorded_at.date()
    return policy


def html_date(value):
    return formats.date_format(value, "DATE_FORMAT")


def row_of(page, title):
    """The table row of the report page that names ``title``."""
    rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
    return next(row for row in rows if title in row)


def test_a_decline_is_audited_as_a_decline(declined):
    entry = declined.audit_entries.order_by("-at", "-pk").first()
    assert entry.action == AuditEntry.Action.SUPPORT_DECLINED
    assert entry.details["decision"] == Support.Decision.DECLINED
    assert entry.get_action_display() == "Support declined"


def test_a_decline_is_named_so_in_the_history_and_the_recent_activity(client, cast, declined):
    client.force_login(cast.coordinator)
    history = client.get(reverse("web:policy", args=[declined.pk])).content.decode()
    assert "<strong>Support declined</strong>" in history

    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert "Support declined (version 1)" in dashboard


def test_a_decline_is_named_so_in_the_portfolio_page_and_docx(client, cast, declined):
    client.force_login(cast.coordinator)
    page = client.get(reverse("web:portfolio")).content.decode()
    assert "Support declined" in row_of(page, declined.title)
    assert "Support recorded" not in row_of(page, declined.title)

    (row,) = [r for r in portfolio_data(cast.coordinator).rows if r.policy == declined.title]
    assert row.last_step == "Support declined"
    record = make_portfolio_report(actor=cast.coordinator)
    text = docx_text(record.file.read())
    assert "Support declined on " in text
    assert "Support recorded" not in text


def test_the_portfolio_dates_an_endorsement_by_its_official_date(client, cast, endorsed):
    endorsement = Endorsement.objects.get(policy=endorsed)
    official, recorded = endorsement.endorsed_on, endorsement.recorded_at.date()

    client.force_login(cast.coordinator)
    row = row_of(client.get(reverse("web:portfolio")).content.decode(), endorsed.title)
    assert "Endorsed" in row
    assert html_date(official) in row
    assert html_date(recorded) not in row

    text = docx_text(make_portfolio_report(actor=cast.coordinator).file.read())
    assert f"Endorsed on {format_moment(official)}" in text
    assert format_moment(recorded) not in text.split("Endorsed on", 1)[1].split("\n", 1)[0]


def test_the_policy_page_labels_the_official_date_and_the_recording_time(client, cast, endorsed):
    endorsement = Endorsement.objects.get(policy=endorsed)
    client.force_login(cast.coordinator)
    page = client.get(reverse("web:policy", args=[endorsed.pk])).content.decode()
    block = page.split('id="endorsement-heading"', 1)[1].split("</section>", 1)[0]
    official = endorsement.endorsed_on
    shown = f'<time datetime="{official.isoformat()}">{html_date(official)}</time>'
    assert re.search(r"Date of endorsement</dt>\s*<dd[^>]*>" + re.escape(shown), block)
    assert "Recorded in policyflow" in block
    history = page.split('id="timeline-heading"', 1)[1]
    assert f"Date of endorsement: {html_date(endorsement.endorsed_on)}" in history


def test_the_csv_and_the_record_carry_the_official_date(client, cast, endorsed):
    endorsement = Endorsement.objects.get(policy=endorsed)
    client.force_login(cast.coordinator)
    header, *rows = csv_rows(client.get(reverse("web:policies_csv")))
    (row,) = [r for r in rows if endorsed.title in r]
    assert row[header.index("Endorsed on")] == endorsement.endorsed_on.isoformat()

    text = docx_text(make_endorsement_record(endorsement).file.read())
    assert f"Date of endorsement\n{endorsement.endorsed_on.isoformat()}" in text
