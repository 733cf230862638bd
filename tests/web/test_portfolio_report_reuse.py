"""The .docx portfolio report: made once for a burst of requests, refused when empty."""

import datetime
import types

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import GeneratedRecord
from documents.services import records
from workflow import services
from workflow.models import Policy

REPORT = reverse("documents:portfolio_report")
Kind = GeneratedRecord.Kind


def reports():
    return GeneratedRecord.objects.filter(kind=Kind.PORTFOLIO_REPORT)


def stored_reports(root):
    folder = root / "records" / "portfolio_report"
    return sorted(folder.rglob("*.docx")) if folder.exists() else []


@pytest.fixture
def coordinator_client(page_client, cast, policy_in):
    policy_in("institutional_support")
    return page_client(cast.coordinator)


def test_asking_again_soon_for_the_same_report_gets_the_same_one(
    coordinator_client, private_storage
):
    answers = [coordinator_client.post(REPORT) for _ in range(5)]
    record = reports().get()
    assert {(a.status_code, a.url) for a in answers} == {
        (302, reverse("documents:record", args=[record.pk]))
    }
    assert len(stored_reports(private_storage)) == 1
    assert len(record.content_fingerprint) == 64


def test_a_change_in_the_portfolio_makes_a_new_report(coordinator_client, cast):
    coordinator_client.post(REPORT)
    records.make_portfolio_report(actor=cast.coordinator)
    assert reports().count() == 1
    policy = Policy.objects.get()
    services.perform_transition(
        policy, "return_to_drafting", actor=cast.coordinator, comment="One more round."
    )
    coordinator_client.post(REPORT)
    first, second = reports().order_by("pk")
    assert first.content_fingerprint != second.content_fingerprint


def test_another_person_or_language_gets_a_report_of_their_own(
    coordinator_client, page_client, cast, settings
):
    coordinator_client.post(REPORT)
    page_client(cast.observer).post(REPORT)
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    coordinator_client.post(REPORT)
    coordinator_client.post(REPORT)
    made = reports().order_by("pk")
    assert [r.created_by.username for r in made] == ["coordinator", "observer", "coordinator"]
    assert len({r.content_fingerprint for r in made}) == 3


def test_a_report_older_than_a_few_minutes_is_made_again(cast, policy_in, monkeypatch):
    policy_in("drafting")
    first = records.make_portfolio_report(actor=cast.coordinator)
    later = timezone.now() + records.REUSE_PORTFOLIO_REPORT_WITHIN + datetime.timedelta(seconds=1)
    clock = types.SimpleNamespace(now=lambda: later, localdate=timezone.localdate)
    monkeypatch.setattr(records, "timezone", clock)
    second = records.make_portfolio_report(actor=cast.coordinator)
    assert second.pk != first.pk
    assert second.content_fingerprint == first.content_fingerprint


def test_someone_who_sees_no_policy_is_told_there_is_nothing_to_report(
    page_client, cast, new_policy, private_storage
):
    client = page_client(cast.foreign_member)
    assert REPORT not in client.get(reverse("web:portfolio")).content.decode()
    response = client.post(REPORT)
    assert response.status_code == 400
    assert "There is nothing to report: you take part in no policy." in response.content.decode()
    assert not reports().exists()
    assert stored_reports(private_storage) == []
