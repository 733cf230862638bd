"""The portfolio page, its .docx report and the CSV export: visible policies only, fixed queries."""

import csv
import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from documents.models import GeneratedRecord
from documents.services.records import portfolio_data
from workflow import selectors, services
from workflow.models import AuditEntry, Policy, PolicyState, Support

State = Policy.State
_numbers = itertools.count(1)


def register(cast, short_title=None, *, title=None, country="PK", ministry=None, supporters=None):
    short_title = short_title or f"Policy {next(_numbers)}"
    return services.register_policy(
        actor=cast.coordinator,
        project=cast.project,
        title=title or f"{short_title}: the full title",
        short_title=short_title,
        country=country,
        lead_ministry=ministry or cast.ministry,
        required_supporters=[cast.bureau, cast.agency] if supporters is None else supporters,
        drafters=[cast.drafter],
        reviewers=[cast.reviewer],
    )


def in_state(policy_in, cast, state):
    """A policy as ``register`` makes it, in ``state`` (``PolicyFactory``)."""
    return policy_in(state, short_title=f"Policy {next(_numbers)}", reviewers=[cast.reviewer])


def portfolio_in_every_state(cast, policy_in):
    """One policy in each state, one whose support was declined, one in Iraq."""
    policies = [in_state(policy_in, cast, state) for state in State]
    declined = in_state(policy_in, cast, State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        declined,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision=Support.Decision.DECLINED,
        statement="Conflicts with our ordinance.",
    )
    iraqi = register(cast, country="IQ", ministry=cast.foreign_ministry, supporters=[])
    return [*policies, declined, iraqi]


def docx_text(content):
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def csv_rows(response):
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM, so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# -- the portfolio page ---------------------------------------------------------


def test_a_ministry_user_sees_only_their_policies_and_the_right_counts(client, cast, policy_in):
    own = policy_in(State.EXPERT_REVIEW, short_title="PK emigration", reviewers=[cast.reviewer])
    register(cast, "PK labour")
    register(cast, "IQ diaspora", country="IQ", ministry=cast.foreign_ministry, supporters=[])

    client.force_login(cast.endorser)
    response = client.get(reverse("web:portfolio"))
    assert response.status_code == 200
    assert response.context["nav"] == "reports"
    portfolio = response.context["portfolio"]
    assert portfolio.total == 2
    counts = {state.value: count for state, count in portfolio.state_counts}
    assert counts == {
        "drafting": 1,
        "expert_review": 1,
        "institutional_support": 0,
        "awaiting_endorsement": 0,
        "endorsed": 0,
        "withdrawn": 0,
    }
    assert [group.name for group in portfolio.countries] == ["Pakistan"]
    page = response.content.decode()
    assert "PK emigration: the full title" in page
    assert "PK labour: the full title" in page
    assert "IQ diaspora" not in page
    assert reverse("web:policy", args=[own.pk]) in page
    assert "Expert review of version 1 by" in page  # what it waits for
    assert "Submitted for review" in page  # its last step
    assert f'class="badge state-badge state-{State.EXPERT_REVIEW}"' in page


def test_the_page_reads_what_the_docx_report_prints(client, cast, policy_in):
    portfolio_in_every_state(cast, policy_in)
    client.force_login(cast.coordinator)
    page = client.get(reverse("web:portfolio")).content.decode()
    data = portfolio_data(cast.coordinator)
    assert len(data.rows) == 8
    for row in data.rows:
        assert row.policy in page
        assert row.waiting_for.replace("'", "&#x27;") in page
    assert "Iraq" in page
    assert "Pakistan" in page


def test_the_report_button_posts_and_downloads_the_docx(client, cast, policy_in):
    policy_in(State.INSTITUTIONAL_SUPPORT, short_title="PK emigration", reviewers=[cast.reviewer])
    client.force_login(cast.coordinator)
    page = client.get(reverse("web:portfolio")).content.decode()
    action = reverse("documents:portfolio_report")
    assert f'<form method="post" action="{action}">' in page
    assert 'name="csrfmiddlewaretoken"' in page.split(action, 1)[1].split("</form>", 1)[0]
    assert reverse("web:policies_csv") in page

    response = client.post(action)
    assert response.status_code == 302
    record = GeneratedRecord.objects.get(kind=GeneratedRecord.Kind.PORTFOLIO_REPORT)
    download = client.get(response.url)
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    text = docx_text(b"".join(download.streaming_content))
    assert record.created_by == cast.coordinator
    assert "PK emigration: the full title" in text
    assert "Support for version 1 from Bureau of Emigration" in text


def test_portfolio_data_says_what_each_policy_waits_for_as_the_policy_page_does(cast, policy_in):
    policies = portfolio_in_every_state(cast, policy_in)
    rows = {row.policy: row for row in portfolio_data(cast.coordinator).rows}
    assert len(rows) == len(policies)
    for policy in policies:
        policy = Policy.objects.get(pk=policy.pk)
        row = rows[policy.title]
        step = policy.audit_entries.order_by("-at", "-pk").first()
        assert row.waiting_for == selectors.waiting_for(policy), policy.state
        assert row.last_step == AuditEntry.Action(step.action).label
        # An endorsement is dated by its official date, not by when it was recorded.
        official = step.action == AuditEntry.Action.ENDORSE
        assert row.last_step_on == (policy.endorsement.endorsed_on if official else step.at)
        assert row.state == policy.get_state_display()
        assert row.country == policy.country.name
    declined = [row for row in rows.values() if "declined" in row.waiting_for]
    assert len(declined) == 1
    assert declined[0].waiting_for.startswith("The coordinator: Bureau of Emigration")


def test_portfolio_data_counts_every_state_in_workflow_order(cast, policy_in):
    portfolio_in_every_state(cast, policy_in)
    data = portfolio_data(cast.coordinator)
    assert list(data.state_counts) == [state.label for state in PolicyState]
    assert data.state_counts[State.INSTITUTIONAL_SUPPORT.label] == 2
    assert data.state_counts[State.DRAFTING.label] == 2
    assert sum(data.state_counts.values()) == 8
    assert portfolio_data(cast.foreign_member).rows == []


# -- the CSV export -------------------------------------------------------------


def test_the_csv_lists_the_visible_policies_with_a_header(client, cast, policy_in):
    endorsed = policy_in(State.ENDORSED, short_title="PK emigration", reviewers=[cast.reviewer])
    register(cast, "IQ diaspora", country="IQ", ministry=cast.foreign_ministry, supporters=[])
    client.force_login(cast.coordinator)
    response = client.get(reverse("web:policies_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="policies-{today:%Y-%m-%d}.csv"'
    )
    header, *rows = csv_rows(response)
    assert header == [
        "Short title",
        "Title",
        "Country",
        "Lead ministry",
        "State",
        "Current version",
        "Registered",
        "Review due",
        "Support due",
        "Last change",
        "Endorsed on",
        "Instrument",
    ]
    by_title = {row[0]: row for row in rows}
    assert set(by_title) == {"PK emigration", "IQ diaspora"}
    row = by_title["PK emigration"]
    assert row[1:6] == [
        "PK emigration: the full title",
        "Pakistan",
        "Ministry of Overseas Pakistanis and Human Resource Development",
        "Endorsed",
        "1",
    ]
    assert row[6] == timezone.localdate(endorsed.created_at).isoformat()
    assert row[9].startswith(today.isoformat()[:4])  # a date and time
    assert row[10:] == [endorsed.endorsement.endorsed_on.isoformat(), "Cabinet decision 12/2026"]
    assert by_title["IQ diaspora"][4:6] == ["Drafting", ""]


def test_a_foreign_users_export_leaves_out_what_they_may_not_see(client, cast):
    register(cast, "PK emigration")
    register(cast, "IQ diaspora", country="IQ", ministry=cast.foreign_ministry, supporters=[])
    client.force_login(cast.foreign_endorser)
    _header, *rows = csv_rows(client.get(reverse("web:policies_csv")))
    assert [row[0] for row in rows] == ["IQ diaspora"]
    client.force_login(cast.agency_member)  # not a supporter of the Iraqi policy
    _header, *rows = csv_rows(client.get(reverse("web:policies_csv")))
    assert [row[0] for row in rows] == ["PK emigration"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_a_spreadsheet_would_run_stay_text(client, cast, start):
    register(cast, f"{start}cmd|' /C calc'!A0", title=f'{start}HYPERLINK("http://x")')
    client.force_login(cast.coordinator)
    _header, row = csv_rows(client.get(reverse("web:policies_csv")))
    assert row[0] == f"'{start}cmd|' /C calc'!A0"
    assert row[1] == f'\'{start}HYPERLINK("http://x")'


def test_arabic_script_survives_the_export(client, cast):
    register(cast, "سياسة الهجرة", title="السياسة الوطنية للهجرة")
    client.force_login(cast.coordinator)
    _header, row = csv_rows(client.get(reverse("web:policies_csv")))
    assert row[:2] == ["سياسة الهجرة", "السياسة الوطنية للهجرة"]


# -- a fixed number of queries ------------------------------------------------------


def counted(action):
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def test_reports_run_the_same_queries_whatever_the_portfolio_size(client, cast, policy_in):
    client.force_login(cast.coordinator)

    def page():
        assert client.get(reverse("web:portfolio")).status_code == 200

    def export():
        response = client.get(reverse("web:policies_csv"))
        b"".join(response.streaming_content)

    def data():
        portfolio_data(cast.coordinator)

    portfolio_in_every_state(cast, policy_in)
    page()  # anything read once per process is read now
    small = [counted(page), counted(export), counted(data)]
    portfolio_in_every_state(cast, policy_in)
    portfolio_in_every_state(cast, policy_in)
    assert Policy.objects.count() == 24
    assert [counted(page), counted(export), counted(data)] == small
