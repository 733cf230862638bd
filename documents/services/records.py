"""Generated records: the endorsement record and the portfolio status report.

Both are .docx files written once to private storage and kept as
``GeneratedRecord`` rows. The endorsement record is made right after the
endorsement commits (``notifications.dispatch``) and, should that fail, by the
periodic sweep; making it twice is impossible (one record per endorsement).
"""

import datetime
import hashlib
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from documents.docx import records as engine
from documents.models import GeneratedRecord
from documents.selectors import by_country
from policyflow.formats import languages
from policyflow.formats.countries import country_name
from workflow import selectors
from workflow.guard import service_write
from workflow.models import (
    AuditEntry,
    Endorsement,
    Evidence,
    Policy,
    PolicyState,
    Support,
    newest_version,
)
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
        reference=endorsement.reference,
        check_url=settings.SITE_URL + reverse("web:policy", args=[policy.pk]),
        policy_title=policy.title,
        short_title=policy.short_title,
        country=country_name(policy.country),
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
        letters=endorsement_letters(endorsement),
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
        language_files=_language_files(policy, version),
        generated_at=timezone.now(),
    )


def _language_files(policy, version):
    """The endorsed version's own file, then each translation, by language code."""
    own = engine.LanguageFileRow(
        language=languages.language_name(policy.project.version_language),
        file_name=version.original_name,
        sha256=version.sha256,
    )
    return [own] + [
        engine.LanguageFileRow(language=t.language_name, file_name=t.original_name, sha256=t.sha256)
        for t in version.translations.order_by("language")
    ]


def endorsement_letters(endorsement):
    """The official letters behind an endorsement: the institutions' letters on the
    endorsed version, by institution, then the decree."""
    on_version = Q(support__version=endorsement.version)
    letters = (
        Evidence.objects.filter(on_version | Q(endorsement=endorsement))
        .select_related("support__organization", "added_by")
        .order_by("endorsement", "support__organization__name", "added_at", "pk")
    )
    rows = []
    for letter in letters:
        if letter.endorsement_id:
            proves = _("Decree of endorsement")
        else:
            proves = _("Letter of %(institution)s (%(decision)s)") % {
                "institution": letter.support.organization.name,
                "decision": letter.support.get_decision_display().lower(),
            }
        rows.append(
            engine.LetterRow(
                proves=proves,
                name=letter.original_name,
                sha256=letter.sha256,
                added_by=display_name(letter.added_by),
                added_on=letter.added_at,
            )
        )
    return rows


def make_endorsement_record(endorsement):
    """The endorsement's record, made once; later calls return the same one.

    It is written in ``RECORD_LANGUAGE`` whoever endorsed and whichever
    process (the request's after-commit task or a worker's sweep) makes it.
    """
    existing = GeneratedRecord.objects.filter(endorsement=endorsement).first()
    if existing is not None:
        return existing
    with translation.override(settings.RECORD_LANGUAGE):
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


# -- the portfolio status report ----------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PortfolioEntry:
    """One policy as the portfolio report shows it (the page and the .docx alike)."""

    policy: Policy  # with its lead ministry loaded
    version_number: int | None  # the current version's number; None before the first upload
    last_action: str  # the stored action of its latest audit entry; "" if none
    last_step_on: datetime.datetime | datetime.date | None  # an endorsement: its official date
    waiting_for: str

    @property
    def last_step(self):
        """The label of the latest step: its audit action's."""
        return AuditEntry.Action(self.last_action).label if self.last_action else ""

    def as_row(self):
        return engine.PortfolioRow(
            country=country_name(self.policy.country),
            policy=self.policy.title,
            state=self.policy.get_state_display(),
            last_step=self.last_step,
            last_step_on=self.last_step_on,
            waiting_for=self.waiting_for,
        )


def portfolio_entries(actor):
    """Every policy ``actor`` may see, with its last step and what it waits for.

    Reads a fixed number of queries however large the portfolio: the latest
    audit entry and the current version come as subqueries of the policy
    query, who owes each step in up to three more
    (``workflow.selectors.parties_owing``), and the supports given on the
    current versions in one more. ``waiting_for`` then words each policy
    with ``workflow.selectors.waiting_for`` over what was read.
    """
    latest = selectors.latest_audit_entry()
    current = newest_version()
    policies = list(
        Policy.objects.visible_to(actor)
        .select_related("lead_ministry")
        .annotate(
            latest_action=Subquery(latest.values("action")[:1]),
            latest_step_at=Subquery(latest.values("at")[:1]),
            official_endorsement_date=F("endorsement__endorsed_on"),
            latest_version_pk=Subquery(current.values("pk")[:1]),
            latest_version_number=Subquery(current.values("number")[:1]),
        )
    )
    supports = _supports_on_current_versions(policies)
    owing = selectors.parties_owing(policies)
    return [
        PortfolioEntry(
            policy=policy,
            version_number=policy.latest_version_number,
            last_action=policy.latest_action or "",
            last_step_on=_last_step_on(policy),
            waiting_for=selectors.waiting_for(
                policy,
                policy.latest_version_number,
                supports.get(policy.latest_version_pk, []),
                owing[policy.pk],
            ),
        )
        for policy in policies
    ]


def _last_step_on(policy):
    """When the latest step happened; for an endorsement, its official date, not
    the moment it was recorded."""
    if policy.latest_action == AuditEntry.Action.ENDORSE and policy.official_endorsement_date:
        return policy.official_endorsement_date
    return policy.latest_step_at


def portfolio_state_counts(entries):
    """Policies per state, every state in workflow order, zeros included."""
    counted = Counter(entry.policy.state for entry in entries)
    return [(state, counted[state.value]) for state in PolicyState]


def _supports_on_current_versions(policies):
    """{version pk: [its supports]} for the policies collecting support.

    Only that state's sentence names supports, so only those versions are read.
    """
    version_pks = [
        p.latest_version_pk
        for p in policies
        if p.state == PolicyState.INSTITUTIONAL_SUPPORT and p.latest_version_pk
    ]
    by_version = defaultdict(list)
    if version_pks:
        for support in (
            Support.objects.filter(version_id__in=version_pks)
            .select_related("organization")
            .only("pk", "version_id", "organization_id", "organization__name", "decision")
            .order_by("recorded_at", "pk")
        ):
            by_version[support.version_id].append(support)
    return by_version


def portfolio_data(actor):
    """The portfolio report's content: what ``portfolio_entries`` reads, as the engine wants it."""
    entries = portfolio_entries(actor)
    return engine.PortfolioData(
        generated_at=timezone.now(),
        generated_for=display_name(actor),
        countries=[
            (country, [entry.as_row() for entry in grouped])
            for country, grouped in by_country(entries)
        ],
        state_counts={state.label: count for state, count in portfolio_state_counts(entries)},
    )


# A report asked for again within this time, with the same content, is the
# one already made: a double click or a reload stores nothing new.
REUSE_PORTFOLIO_REPORT_WITHIN = datetime.timedelta(minutes=5)


def make_portfolio_report(*, actor):
    """A status report of every policy ``actor`` may see, stored for them.

    Someone who sees no policy is refused (``ValidationError``), as there
    is nothing to report. The same report asked for again within
    ``REUSE_PORTFOLIO_REPORT_WITHIN`` is the one already made.
    """
    data = portfolio_data(actor)
    if not data.rows:
        raise ValidationError(
            _("There is nothing to report: you take part in no policy."), code="empty_portfolio"
        )
    fingerprint = _portfolio_fingerprint(data)
    recent = GeneratedRecord.objects.filter(
        kind=GeneratedRecord.Kind.PORTFOLIO_REPORT,
        created_by=actor,
        content_fingerprint=fingerprint,
        created_at__gte=timezone.now() - REUSE_PORTFOLIO_REPORT_WITHIN,
    ).first()
    if recent is not None:
        return recent
    record = GeneratedRecord(
        kind=GeneratedRecord.Kind.PORTFOLIO_REPORT,
        created_by=actor,
        file_name=f"portfolio-status-{timezone.localdate():%Y-%m-%d}.docx",
        content_fingerprint=fingerprint,
    )
    return _store(record, engine.portfolio_report_docx(data))


def _portfolio_fingerprint(data):
    """The SHA-256 of everything the report prints but its date, in the language it is in."""
    printed = (
        translation.get_language(),
        data.generated_for,
        list(data.rows),
        sorted((data.state_counts or {}).items()),
    )
    return hashlib.sha256(repr(printed).encode()).hexdigest()
