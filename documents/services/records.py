"""Generated records: the endorsement record and the portfolio status report.

Both are .docx files written once to private storage and kept as
``GeneratedRecord`` rows. The endorsement record is made right after the
endorsement commits (``notifications.dispatch``) and, should that fail, by the
periodic sweep; making it twice is impossible (one record per endorsement).
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from documents.docx import records as engine
from documents.models import GeneratedRecord
from workflow import selectors
from workflow.guard import service_write
from workflow.models import Endorsement, Policy, PolicyState
from workflow.rules import display_name

logger = logging.getLogger(__name__)


def _store(record, content):
    """Write ``content`` and its row in one go; remove the file if the row fails."""
    record.size = len(content)
    record.sha256 = hashlib.sha256(content).hexdigest()
    record.file.save("record.docx", ContentFile(content), save=False)
    try:
        with transaction.atomic(), service_write():
            record.save()
    except BaseException:
        record.file.storage.delete(record.file.name)
        raise
    return record


def endorsement_record_data(endorsement):
    policy = endorsement.policy
    version = endorsement.version
    supports = version.supports.select_related("organization", "recorded_by").order_by(
        "organization__name"
    )
    reviews = policy.reviews.select_related("version", "reviewer").order_by("created_at", "pk")
    history = policy.audit_entries.select_related("actor", "version").order_by("at", "pk")
    return engine.EndorsementRecordData(
        policy_title=policy.title,
        short_title=policy.short_title,
        country=policy.country.name,
        lead_ministry=endorsement.ministry.name,
        version_number=version.number,
        version_sha256=version.sha256,
        instrument=endorsement.instrument,
        endorsed_on=endorsement.endorsed_on,
        endorsed_by=display_name(endorsement.endorsed_by),
        recorded_at=endorsement.recorded_at,
        supports=[
            engine.SupportRow(
                institution=s.organization.name,
                decision=s.get_decision_display(),
                recorded_on=s.recorded_at,
                person=display_name(s.recorded_by),
                statement=s.statement,
            )
            for s in supports
        ],
        reviews=[
            engine.ReviewRow(
                version_number=r.version.number,
                reviewer=display_name(r.reviewer),
                decision=r.get_decision_display(),
                given_on=r.created_at,
                comment=r.comment,
            )
            for r in reviews
        ],
        history=[
            engine.HistoryRow(
                at=e.at,
                action=e.get_action_display(),
                from_state=PolicyState.label_for(e.from_state),
                to_state=PolicyState.label_for(e.to_state),
                actor=display_name(e.actor) if e.actor else "",
                comment=e.comment,
            )
            for e in history
        ],
        generated_at=timezone.now(),
    )


def make_endorsement_record(endorsement):
    """The endorsement's record, made once; later calls return the same one."""
    existing = GeneratedRecord.objects.filter(endorsement=endorsement).first()
    if existing is not None:
        return existing
    content = engine.endorsement_record_docx(endorsement_record_data(endorsement))
    record = GeneratedRecord(
        kind=GeneratedRecord.Kind.ENDORSEMENT_RECORD,
        policy=endorsement.policy,
        endorsement=endorsement,
        file_name=f"{slugify(endorsement.policy.short_title)}-endorsement-record.docx",
    )
    try:
        return _store(record, content)
    except IntegrityError:
        # Made meanwhile by another worker: theirs stands.
        return GeneratedRecord.objects.get(endorsement=endorsement)


def make_missing_endorsement_records():
    """The sweep: make every endorsement record that is still missing."""
    missing = Endorsement.objects.filter(record__isnull=True).select_related(
        "policy", "version", "ministry", "endorsed_by"
    )
    made = []
    for endorsement in missing:
        try:
            made.append(make_endorsement_record(endorsement))
        except Exception:  # one failing record must not hold up the others
            logger.exception("Could not make the record of endorsement %s", endorsement.pk)
    return made


def portfolio_data(actor):
    policies = (
        Policy.objects.visible_to(actor)
        .select_related("lead_ministry")
        .prefetch_related("required_supporters", "drafters", "reviewers")
    )
    rows = []
    for policy in policies:
        step = selectors.last_step(policy)
        rows.append(
            engine.PortfolioRow(
                country=policy.country.name,
                policy=policy.title,
                state=policy.get_state_display(),
                last_step=selectors.action_label(step),
                last_step_on=step.at if step else None,
                waiting_for=selectors.waiting_for(policy),
            )
        )
    counts = {state.label: 0 for state in PolicyState}
    for policy in policies:
        counts[policy.get_state_display()] += 1
    return engine.PortfolioData(
        generated_at=timezone.now(),
        generated_for=display_name(actor),
        rows=rows,
        state_counts=counts,
    )


def make_portfolio_report(*, actor):
    """A status report of every policy ``actor`` may see, stored for them."""
    content = engine.portfolio_report_docx(portfolio_data(actor))
    record = GeneratedRecord(
        kind=GeneratedRecord.Kind.PORTFOLIO_REPORT,
        created_by=actor,
        file_name=f"portfolio-status-{timezone.localdate():%Y-%m-%d}.docx",
    )
    return _store(record, content)
