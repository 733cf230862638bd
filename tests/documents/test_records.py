"""Generated records: the endorsement record after commit, the sweep, the portfolio report."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from docx import Document
from docx.oxml.ns import qn

from documents import services as documents_services
from documents.models import GeneratedRecord
from workflow.models import Endorsement, Policy

pytestmark = pytest.mark.django_db
State = Policy.State


def docx_text(fileobj):
    document = Document(fileobj)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_endorsing_makes_the_record_once_the_endorsement_commits(
    policy_in, cast, django_capture_on_commit_callbacks
):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    assert not GeneratedRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        from workflow import services

        services.perform_transition(
            policy,
            "endorse",
            actor=cast.endorser,
            instrument="Cabinet decision 45/2026",
            date=timezone.localdate(),
        )
        assert not GeneratedRecord.objects.exists()  # not before the commit
    assert len(callbacks) == 2  # the endorsement record, and the notifications

    record = GeneratedRecord.objects.get()
    endorsement = Endorsement.objects.get()
    assert record.endorsement == endorsement
    assert record.policy == policy
    assert record.kind == GeneratedRecord.Kind.ENDORSEMENT_RECORD
    with default_storage.open(record.file.name, "rb") as stored:
        content = stored.read()
    assert len(content) == record.size
    text = docx_text(io.BytesIO(content))
    version = endorsement.version
    assert "Cabinet decision 45/2026" in text
    assert version.sha256 in text
    assert "Bureau of Emigration and Overseas Employment" in text
    assert "Federal Investigation Agency" in text
    assert "We support it." in text
    assert "Sound." in text  # the review's comment, in the annex


def test_the_sweep_makes_missing_records_and_never_twice(policy_in, cast):
    policy = policy_in(State.ENDORSED)  # on-commit callbacks do not run here
    assert not GeneratedRecord.objects.exists()
    made = documents_services.make_missing_endorsement_records()
    assert [r.policy for r in made] == [policy]
    assert documents_services.make_missing_endorsement_records() == []
    again = documents_services.make_endorsement_record(Endorsement.objects.get())
    assert again == made[0]
    assert GeneratedRecord.objects.count() == 1


def test_records_download_for_participants_only(client, policy_in, cast):
    policy_in(State.ENDORSED)
    record = documents_services.make_missing_endorsement_records()[0]
    url = reverse("documents:record", args=[record.pk])
    client.force_login(cast.observer)
    assert client.get(url).status_code == 200
    client.force_login(cast.foreign_member)
    assert client.get(url).status_code == 404


def test_portfolio_report_lists_what_the_user_sees(client, policy_in, cast):
    policy_in(State.INSTITUTIONAL_SUPPORT)
    client.force_login(cast.coordinator)
    response = client.post(reverse("documents:portfolio_report"))
    record = GeneratedRecord.objects.get(kind=GeneratedRecord.Kind.PORTFOLIO_REPORT)
    assert response.status_code == 302
    assert response.url == reverse("documents:record", args=[record.pk])
    assert record.created_by == cast.coordinator
    download = client.get(response.url)
    text = docx_text(io.BytesIO(b"".join(download.streaming_content)))
    assert "Pakistan" in text
    assert "National Emigration and Welfare Policy for Overseas Pakistanis" in text
    assert "Institutional support" in text
    assert "Bureau of Emigration and Overseas Employment" in text  # what it waits for

    # Someone else's report is not theirs to download.
    client.force_login(cast.observer)
    assert client.get(response.url).status_code == 404


def test_portfolio_report_of_an_outsider_is_refused(cast, policy_in, private_storage):
    policy_in(State.DRAFTING)
    with pytest.raises(ValidationError, match="nothing to report") as refusal:
        documents_services.make_portfolio_report(actor=cast.foreign_member)
    assert refusal.value.code == "empty_portfolio"
    assert not GeneratedRecord.objects.filter(kind=GeneratedRecord.Kind.PORTFOLIO_REPORT).exists()
    assert not private_storage.exists() or not any(private_storage.rglob("*.docx"))


def test_records_never_change(policy_in):
    policy_in(State.ENDORSED)
    record = documents_services.make_missing_endorsement_records()[0]
    from workflow.exceptions import ImmutableRecord

    with pytest.raises(ImmutableRecord):
        record.save()
    with pytest.raises(ImmutableRecord):
        GeneratedRecord.objects.all().delete()


def record_title(policy_in, *, active_language):
    endorsement = Endorsement.objects.get(policy=policy_in(State.ENDORSED))
    with translation.override(active_language):
        record = documents_services.make_endorsement_record(endorsement)
    with default_storage.open(record.file.name, "rb") as stored:
        return Document(stored).paragraphs[0].text, endorsement, record


def test_the_record_is_written_in_the_record_language_whoever_endorses(policy_in, settings):
    # An Arabic-speaking ministry's request makes the record; RECORD_LANGUAGE decides.
    title, *_ = record_title(policy_in, active_language="ar")
    assert title == "Endorsement record"


def test_the_record_language_is_a_setting(policy_in, settings):
    settings.RECORD_LANGUAGE = "ar"
    with translation.override("ar"):
        arabic = gettext("Endorsement record")
    assert arabic != "Endorsement record"
    title, *_ = record_title(policy_in, active_language="en")
    assert title == arabic


def first_paragraph(record):
    with default_storage.open(record.file.name, "rb") as stored:
        return Document(stored).paragraphs[0].text


@pytest.mark.parametrize("process", ["after the endorsement commits", "the sweep"])
def test_whichever_process_makes_the_record_it_is_in_the_record_language(
    policy_in, cast, settings, django_capture_on_commit_callbacks, process
):
    """Neither the endorser's language nor the one a worker runs in decides."""
    settings.RECORD_LANGUAGE = "fa"
    with translation.override("fa"):
        dari = gettext("Endorsement record")
    assert dari != "Endorsement record"

    if process == "the sweep":
        policy_in(State.ENDORSED)
        with translation.override("ur"):
            (record,) = documents_services.make_missing_endorsement_records()
    else:
        from notifications.services import set_language_preference
        from workflow import services

        policy = policy_in(State.AWAITING_ENDORSEMENT)
        set_language_preference(cast.endorser, "ar")
        with (
            translation.override("ar"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            services.perform_transition(
                policy,
                "endorse",
                actor=cast.endorser,
                instrument="Cabinet decision 45/2026",
                date=timezone.localdate(),
            )
        record = GeneratedRecord.objects.get(kind=GeneratedRecord.Kind.ENDORSEMENT_RECORD)
    assert first_paragraph(record) == dari


def test_the_record_carries_the_endorsements_reference_and_where_to_check_it(
    client, policy_in, cast, settings
):
    settings.SITE_URL = "https://policyflow.example.org"
    _, endorsement, record = record_title(policy_in, active_language="en")
    assert endorsement.reference == f"PF-{endorsement.endorsed_on:%Y}-{endorsement.pk:05d}"
    with default_storage.open(record.file.name, "rb") as stored:
        document = Document(stored)
    footer = document.sections[0].footer.paragraphs[0]
    assert endorsement.reference in "".join(t.text for t in footer._p.iter(qn("w:t")))
    text = docx_text(io.BytesIO(record.file.open("rb").read()))
    page = reverse("web:policy", args=[endorsement.policy.pk])
    assert f"https://policyflow.example.org{page} (reference {endorsement.reference})" in text

    client.force_login(cast.coordinator)
    shown = client.get(page).content.decode()
    assert f"<bdi>{endorsement.reference}</bdi>" in shown
