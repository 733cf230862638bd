"""The portfolio the web benchmark reads: 2,000 policies with five versions and 30 audit rows each.

Built in bulk, not through the services: walking 2,000 policies through
every transition would take far longer than the pages it feeds. The rows
are shaped as the services write them (an audit row for each review,
support and transition; reviews and supports naming their version;
supports only on the current version where the state implies them), so
a page pays for the same joins and row counts as in production. The
people and organisations follow the real case: one implementer, three
countries each with a lead ministry and national institutions, a donor.
"""

import datetime
import hashlib
import itertools
import random
from collections import Counter
from dataclasses import dataclass, field

from bench.web_cast import COUNTRIES

POLICIES = 2_000  # at scale 1
VERSIONS = 5
AUDIT_ENTRIES = 30
BATCH = 2_000
# Policies planned and written at a time, so that a scaled portfolio never
# holds more than this many histories in memory.
CHUNK = 2_000

TOPICS = [
    ("National Comprehensive Migration Policy", "migration"),
    ("National Emigration and Welfare Policy", "emigration"),
    ("Policy on Engagement with Citizens Abroad", "diaspora"),
    ("National Labour Migration Strategy", "labour"),
    ("Policy on the Return and Reintegration of Migrants", "return"),
    ("Counter-Trafficking Action Plan", "trafficking"),
    ("Policy on Remittances and Financial Inclusion", "remittances"),
    ("Border Management Strategy", "borders"),
]
THEMES = ["Labour migration", "Diaspora", "Return", "Trafficking", "Remittances", "Borders"]

# Share of the portfolio in each state; every state is present.
STATE_WEIGHTS = {
    "drafting": 30,
    "expert_review": 15,
    "institutional_support": 15,
    "awaiting_endorsement": 10,
    "endorsed": 20,
    "withdrawn": 10,
}

PARAGRAPHS = [
    "The Government recognises that migration, when well governed, contributes to "
    "development in countries of origin and of destination alike.",
    "This policy sets out the principles, objectives and institutional arrangements "
    "through which the State will protect the rights of its citizens abroad.",
    "Recruitment agencies shall be licensed, and the fees charged to workers shall be "
    "published and capped by regulation issued under this policy.",
    "The lead ministry shall coordinate with the national institutions named in annex "
    "two, and report annually to the Cabinet on progress against the action plan.",
    "Pre-departure orientation shall be offered free of charge in every province, in the "
    "national languages, before a worker's contract is attested.",
    "Returning migrants shall have access to counselling, recognition of skills acquired "
    "abroad, and referral to employment and business development services.",
    "Data on emigration, return and remittances shall be collected by the statistics "
    "authority and shared with the ministries concerned under a data protection agreement.",
    "Victims of trafficking shall be identified, referred and assisted without regard to "
    "their willingness to cooperate with criminal proceedings.",
]


def _block(text, style="Normal", level=0, kind="paragraph", rows=()):
    return {
        "kind": kind,
        "text": text,
        "style": style,
        "level": level,
        "direction": "ltr",
        "rows": [list(row) for row in rows],
    }


def extraction(policy_number, version_number):
    """A stored extraction of a few KB, shaped as intake writes it."""
    body = [_block(f"Policy {policy_number}, draft {version_number}", "Title")]
    for section in range(1, 4):
        body.append(_block(f"{section}. Section {section}", "Heading 1", 1))
        for offset in range(3):
            text = PARAGRAPHS[(policy_number + section * 3 + offset) % len(PARAGRAPHS)]
            body.append(_block(f"{section}.{offset + 1} {text}"))
    rows = [("Objective", "Lead", "Deadline"), ("Licensing of recruiters", "Bureau", "2026")]
    body.append(_block("", "", kind="table", rows=rows))
    return {
        "body": body,
        "headers": ["Draft for consultation"],
        "footers": ["Page"],
        "footnotes": ["As amended by the Cabinet in its last session."],
        "endnotes": [],
        "tracked_insertions": version_number % 3,
        "tracked_deletions": version_number % 2,
        "comments": [{"author": "Reviewer", "text": "Please check the figures in annex two."}],
        "properties": {
            "title": f"Policy {policy_number}",
            "author": "Technical expert",
            "last_modified_by": "Technical expert",
            "revision": str(version_number),
            "created": "2024-03-01T09:00:00Z",
            "modified": "2024-06-01T09:00:00Z",
        },
        "word_count": sum(len(block["text"].split()) for block in body) + 9,
    }


@dataclass
class Step:
    action: str
    from_state: str
    to_state: str
    actor: object
    version: int = None  # number, or None
    comment: str = ""
    details: dict = field(default_factory=dict)
    review: str = ""  # a review decision: this step also writes a Review row
    support: tuple = None  # (organization, decision): this step also writes a Support row


def review(reviewer, number, decision, comment, state="expert_review"):
    return Step(
        "review", state, state, reviewer, number, comment, {"decision": decision}, review=decision
    )


def support(member, organization, number, decision, statement):
    details = {
        "organization": organization.name,
        "organization_id": organization.pk,
        "decision": decision,
    }
    state = "institutional_support"
    return Step(
        "support",
        state,
        state,
        member,
        number,
        statement,
        details,
        support=(organization, decision),
    )


def history(state, rng, drafter, reviewers, supporters, coordinator, members, endorser):
    """The 30 audit steps of a policy that ends in ``state``, oldest first.

    Four rounds of draft, review and revision, a fifth version, then the
    steps its final state implies; padded with second opinions and
    detail changes to 30 rows.
    """
    D, R, S, A, E, W = (
        "drafting",
        "expert_review",
        "institutional_support",
        "awaiting_endorsement",
        "endorsed",
        "withdrawn",
    )
    first, second = reviewers
    steps = [Step("registered", "-", D, coordinator)]
    rounds = []
    for number in range(1, VERSIONS):
        rounds.append(
            [
                Step("version_added", D, D, drafter, number, f"Draft {number}.", {"sha256": ""}),
                Step("submit_for_review", D, R, drafter, number),
                review(first, number, "changes_requested", "Tighten the wording of section 2."),
                Step("request_revision", R, D, first, number, "See my comments on section 2."),
            ]
        )
    last = VERSIONS
    end = [Step("version_added", D, D, drafter, last, "Final draft.", {"sha256": ""})]
    final = state if state != W else rng.choice([D, R, S])
    if final in (R, S, A, E):
        end.append(Step("submit_for_review", D, R, drafter, last))
    if final in (S, A, E):
        end.append(review(first, last, "approved", "Sound."))
        end.append(Step("clear_review", R, S, first, last))
        decided = len(supporters) if final in (A, E) else rng.randrange(len(supporters))
        for organization in supporters[:decided]:
            member = members[organization.pk][0]
            end.append(support(member, organization, last, "supported", "We support it."))
        if final == S and decided < len(supporters) and rng.random() < 0.2:
            organization = supporters[decided]
            statement = "The fees in section 3 need the Cabinet's view first."
            member = members[organization.pk][0]
            end.append(support(member, organization, last, "declined", statement))
        if final in (A, E):
            end.append(Step("complete_support", S, A, end[-1].actor, last))
    if final == E:
        # The instrument and date are filled in with the Endorsement row.
        end.append(Step("endorse", A, E, endorser, last, "", {}))
    if state == W:
        end.append(Step("withdraw", final, W, coordinator, last, "Merged into a wider strategy."))

    # Padding: a second reviewer's opinion in the early rounds, then detail changes.
    missing = AUDIT_ENTRIES - 1 - sum(map(len, rounds)) - len(end)
    for round_ in rounds[:missing]:
        comment = "Agree; also define 'recruiting agent'."
        round_.insert(3, review(second, round_[0].version, "changes_requested", comment))
    for round_ in rounds:
        steps.extend(round_)
    missing = AUDIT_ENTRIES - len(steps) - len(end)
    for _ in range(missing):
        at = rng.randrange(1, len(steps) + 1)
        there = steps[at - 1].to_state
        change = {"review_due": {"from": "", "to": "2025-06-30"}}
        steps.insert(at, Step("details_changed", there, there, coordinator, None, "", change))
    steps.extend(end)
    assert len(steps) == AUDIT_ENTRIES, len(steps)
    return steps


@dataclass
class Plan:
    """One policy before it is written: the row, its history and who takes part."""

    policy: object
    steps: list
    times: list
    drafters: list
    reviewers: list
    required_supporters: list
    themes: list


def plan_portfolio(cast, rng, now, count=POLICIES):
    """Every policy with its history and people, not yet written, one at a time."""
    from workflow.models import Policy, Theme

    themes = Theme.objects.bulk_create(Theme(name=name) for name in THEMES)
    states = [state for state, weight in STATE_WEIGHTS.items() for _ in range(weight)]
    countries = list(COUNTRIES)
    for number in range(1, count + 1):
        country = countries[number % len(countries)]
        topic, topic_short = TOPICS[number % len(TOPICS)]
        # The first six take one state each, so that every state is present.
        state = list(STATE_WEIGHTS)[number - 1] if number <= 6 else rng.choice(states)
        institutions = cast.institutions[country]
        supporters = rng.sample(institutions, 2)
        drafters = rng.sample(cast.drafters, rng.choice([1, 2]))
        reviewers = rng.sample(cast.reviewers, 2)
        people = (cast.coordinator, cast.members, cast.endorsers[country])
        steps = history(state, rng, drafters[0], reviewers, supporters, *people)
        # Thirty steps spread over the months before ``now``, a few days apart.
        at = now - datetime.timedelta(days=rng.randrange(200, 900))
        times = []
        for _ in steps:
            at += datetime.timedelta(hours=rng.randrange(2, 24 * 9))
            times.append(min(at, now - datetime.timedelta(minutes=len(steps) - len(times))))
        policy = Policy(
            title=f"{topic} ({country}, {number:04d})",
            short_title=f"{country}-{number:04d} {topic_short}",
            country=country,
            lead_ministry=cast.ministries[country],
            project=cast.project,
            summary=f"{topic} for {country}: objectives, institutions and an action plan.",
            state=state,
            revision=len(steps),
            review_due=(now + datetime.timedelta(days=rng.randrange(-30, 60))).date(),
            support_due=(now + datetime.timedelta(days=rng.randrange(-30, 90))).date(),
        )
        yield Plan(policy, steps, times, drafters, reviewers, supporters, rng.sample(themes, 2))


class Writer:
    """Writes rows with PostgreSQL's COPY, their ids given here (bulk_create elsewhere).

    COPY takes rows many times faster than INSERT; it returns no ids, so each
    row gets the next id of its table from this writer, and the tables'
    sequences are moved past them at the end (``finish``).
    """

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.copying = connection.vendor == "postgresql"
        self.next_ids = {}

    def number(self, objects):
        """Give each unsaved object the next id of its table."""
        objects = list(objects)
        if not objects or not self.copying:
            return objects
        model = type(objects[0])
        if model not in self.next_ids:
            with self.connection.cursor() as cursor:
                table = self.connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
                self.next_ids[model] = cursor.fetchone()[0]
        start = self.next_ids[model]
        for offset, obj in enumerate(objects):
            obj.pk = start + offset
        self.next_ids[model] = start + len(objects)
        return objects

    def write(self, objects):
        objects = self.number(objects)
        if not objects:
            return
        model = type(objects[0])
        if not self.copying:
            model.objects.bulk_create(objects, batch_size=BATCH)
            return
        quote, connection = self.connection.ops.quote_name, self.connection
        fields = model._meta.concrete_fields
        columns = ", ".join(quote(f.column) for f in fields)
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for obj in objects:
                row = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                copy.write_row(row)

    def finish(self):
        """Move each written table's id sequence past the ids given here."""
        from django.core.management.color import no_style

        if self.next_ids:
            statements = self.connection.ops.sequence_reset_sql(no_style(), list(self.next_ids))
            with self.connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def write_policies(plans, writer):
    """The policies and their assignments (the through rows, written directly)."""
    from workflow.models import Policy

    writer.write([plan.policy for plan in plans])
    for name in ("drafters", "reviewers", "required_supporters", "themes"):
        relation = getattr(Policy, name)
        model, column = relation.through, relation.field.m2m_reverse_field_name()
        writer.write(
            [
                model(policy_id=plan.policy.pk, **{f"{column}_id": other.pk})
                for plan in plans
                for other in getattr(plan, name)
            ]
        )


def write_versions(plans, writer, first_index=1):
    """Five versions per policy, each with a stored extraction; by (policy id, number)."""
    from workflow.models import DocumentVersion

    versions = []
    for index, plan in enumerate(plans, first_index):
        policy = plan.policy
        for step, at in zip(plan.steps, plan.times, strict=True):
            if step.action != "version_added":
                continue
            content = extraction(index, step.version)
            digest = hashlib.sha256(f"{policy.short_title}/{step.version}".encode()).hexdigest()
            step.details["sha256"] = digest
            versions.append(
                DocumentVersion(
                    policy=policy,
                    number=step.version,
                    file=f"policies/{policy.pk}/versions/{digest[:32]}.docx",
                    original_name=f"{policy.short_title} v{step.version}.docx",
                    size=180_000 + 1_000 * step.version,
                    sha256=digest,
                    uploaded_by=step.actor,
                    uploaded_at=at,
                    note=step.comment,
                    extraction=content,
                    word_count=content["word_count"] * 40,
                    tracked_insertions=content["tracked_insertions"],
                    tracked_deletions=content["tracked_deletions"],
                    comment_count=len(content["comments"]),
                )
            )
    writer.write(versions)
    return {(version.policy_id, version.number): version for version in versions}


def write_records(plans, versions, writer):
    """The reviews, supports, endorsements and audit rows the histories describe."""
    from workflow.models import AuditEntry, Endorsement, Review, Support

    rows = {Review: [], Support: [], Endorsement: [], AuditEntry: []}
    for plan in plans:
        policy = plan.policy
        for step, at in zip(plan.steps, plan.times, strict=True):
            version = versions[(policy.pk, step.version)] if step.version else None
            if step.review:
                rows[Review].append(
                    Review(
                        policy=policy,
                        version=version,
                        reviewer=step.actor,
                        decision=step.review,
                        comment=step.comment,
                        created_at=at,
                    )
                )
            if step.support:
                organization, decision = step.support
                rows[Support].append(
                    Support(
                        policy=policy,
                        version=version,
                        organization=organization,
                        decision=decision,
                        statement=step.comment,
                        recorded_by=step.actor,
                        recorded_at=at,
                    )
                )
            if step.action == "endorse":
                instrument = f"Cabinet decision No. {policy.pk}/{at:%Y}"
                step.details.update(instrument=instrument, endorsed_on=at.date().isoformat())
                rows[Endorsement].append(
                    Endorsement(
                        policy=policy,
                        version=version,
                        ministry_id=policy.lead_ministry_id,
                        endorsed_by=step.actor,
                        instrument=instrument,
                        endorsed_on=at.date(),
                        recorded_at=at,
                    )
                )
            rows[AuditEntry].append(
                AuditEntry(
                    policy=policy,
                    actor=step.actor,
                    at=at,
                    action=step.action,
                    from_state=step.from_state,
                    to_state=step.to_state,
                    version=version,
                    comment=step.comment,
                    details=step.details,
                )
            )
    for objects in rows.values():
        writer.write(objects)
    return {model._meta.verbose_name_plural: len(objects) for model, objects in rows.items()}


def write_notifications(cast, plans, now):
    """Sixty notifications for each measured person, a quarter unread: the header counts them."""
    from notifications.models import Notification

    readers = [cast.coordinator, cast.endorser, cast.institution_member, cast.superuser]
    Notification.objects.bulk_create(
        Notification(
            key=f"bench:{reader.pk}:{n}",
            recipient=reader,
            event="submitted_for_review",
            title="Review requested",
            body="A new version is ready for review.",
            link=f"/policies/{plans[n].policy.pk}/",
            created_at=now - datetime.timedelta(hours=n),
            read_at=None if n % 4 == 0 else now,
        )
        for reader in readers
        for n in range(60)
    )


def build_portfolio(cast, now=None, seed=5, scale=1, policies=None):
    """Write the policies and their records; returns the number of rows per kind.

    ``scale`` multiplies the number of policies (and so of every row about them);
    ``policies`` names the number outright.
    """
    from django.db import connection, transaction

    from workflow.guard import service_write

    now = now or datetime.datetime.now(datetime.UTC)
    count = POLICIES * scale if policies is None else policies
    planned = plan_portfolio(cast, random.Random(seed), now, count)
    counts, written, first_plans = Counter(), 0, []
    writer = Writer()
    with transaction.atomic(), service_write(), connection.cursor() as cursor:
        # A throwaway database: no need to wait for the disk at each commit.
        cursor.execute("SET LOCAL synchronous_commit TO off")
        while plans := list(itertools.islice(planned, CHUNK)):
            write_policies(plans, writer)
            versions = write_versions(plans, writer, written + 1)
            counts.update(write_records(plans, versions, writer))
            counts["document versions"] += len(versions)
            written += len(plans)
            first_plans = first_plans or plans
        writer.finish()
    with connection.cursor() as cursor:
        # auto_now stamped every policy with this moment: give each the
        # times of its own history instead, as if it had been lived.
        cursor.execute(
            """
            UPDATE workflow_policy AS p
               SET created_at = a.first, updated_at = a.last
              FROM (SELECT policy_id, min(at) AS first, max(at) AS last
                      FROM workflow_auditentry GROUP BY policy_id) AS a
             WHERE a.policy_id = p.id
            """
        )
    write_notifications(cast, first_plans, now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    versions = counts.pop("document versions")
    return {"policies": written, "document versions": versions, **counts}
