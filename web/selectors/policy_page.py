"""Everything the policy page shows, read in a fixed number of queries.

The page lists every version, review, support and audit entry of a
policy. Each list is one query; the versions are read once, without their
(large) extracted text, and every row that names a version is given the
already-loaded object, so that no row costs a query of its own.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from documents.models import GeneratedRecord
from policyflow.formats import languages
from workflow import obligations, permissions, rules, selectors, services
from workflow.models import (
    AuditEntry,
    DocumentVersion,
    Endorsement,
    Evidence,
    Organization,
    Policy,
    Review,
    Support,
    Translation,
)

State = Policy.State

# The path a policy takes, in order; "withdrawn" leaves it.
STEPS = tuple(state for state in State if state != State.WITHDRAWN)


@dataclass(frozen=True)
class Step:
    state: str
    label: str
    status: str  # "done", "current" or "" (still ahead)


@dataclass(frozen=True)
class BlockedAction:
    """A transition the user is permitted but that conditions still hold back."""

    name: str
    label: str
    reasons: list


@dataclass
class SupportRow:
    """One required institution and its decision on the current version."""

    organization: Organization
    decision: Support | None = None
    # Decisions the institution gave on earlier versions: they no longer count.
    void: list = field(default_factory=list)


@dataclass
class PolicyPage:
    policy: Policy
    current_version: DocumentVersion | None
    versions: list
    reviews: list
    support_rows: list
    timeline: list
    steps: list
    waiting_for: str
    step: selectors.CurrentStep | None  # since when it waits, when that is due
    withdrawn_entry: AuditEntry | None
    endorsement: Endorsement | None
    endorsement_record: GeneratedRecord | None
    letters: list  # official letters (Evidence), newest first
    # What the user may do now.
    actions: list  # transition names, in the order of their declarations
    blocked: list  # BlockedAction
    may_review: bool
    # For a reviewer: what clearing the review would still wait for once they approve.
    clearing_waits_for: list
    support_organizations: list  # institutions the user speaks for, still undecided
    may_upload: bool
    may_withdraw_version: bool  # the current version, uploaded by mistake
    may_edit: bool
    # Tracked changes and comments left in the current version (services.unresolved_in).
    unresolved: dict
    # The project's translation languages: [(code, name, translation of the
    # current version or None)]; whether the user may add one now, and must say why.
    languages: list = field(default_factory=list)
    may_translate: bool = False
    translation_needs_reason: bool = False
    # Within each language, each translation with the one before it, newest
    # first: [(code, name, [(older, newer)])], for comparing within a language.
    translation_comparisons: list = field(default_factory=list)
    # The Word comments of the last review's marked-up copy, for the drafters.
    last_review_comments: list = field(default_factory=list)
    last_marked_up_copy: object = None


def policy_page(policy_pk, user):
    """The policy page for ``user``; 404 when the policy is not theirs to see."""
    policy = get_object_or_404(
        Policy.objects.visible_to(user)
        .select_related("project__implementer", "lead_ministry")
        .prefetch_related(
            "drafters",
            "reviewers",
            "themes",
            Prefetch("required_supporters", queryset=Organization.objects.order_by("name")),
        ),
        pk=policy_pk,
    )
    versions = list(
        DocumentVersion.objects.filter(policy=policy)
        .defer("extraction")
        .select_related("uploaded_by", "withdrawal__withdrawn_by")
        .order_by("-number")
    )
    by_pk = {version.pk: version for version in versions}
    for version in versions:
        version.withdrawn = getattr(version, "withdrawal", None)
    current = next((v for v in versions if v.withdrawn is None), None)

    reviews = _with_versions(
        Review.objects.filter(policy=policy)
        .select_related("reviewer", "marked_up_copy")
        .defer("marked_up_copy__extraction")
        .order_by("-created_at", "-pk"),
        by_pk,
    )
    translations = _with_versions_of_translations(policy, by_pk)
    supports = _with_versions(
        Support.objects.filter(policy=policy)
        .select_related("organization", "recorded_by")
        .order_by("-recorded_at", "-pk"),
        by_pk,
    )
    timeline = _with_versions(
        AuditEntry.objects.filter(policy=policy).select_related("actor").order_by("-at", "-pk"),
        by_pk,
    )
    _describe(timeline)
    endorsement, record = _endorsement(policy, by_pk)
    withdrawn_entry = _withdrawal(policy, timeline)
    support_rows = _support_rows(policy, current, supports)
    actions, blocked = _transitions(policy, user)
    may_review = (
        policy.state == State.EXPERT_REVIEW
        and current is not None
        and permissions.may_record_review(policy, user)
    )
    if may_review:
        # The review form's "Request changes" records the review and sends it back.
        actions = [name for name in actions if name != "request_revision"]
    return PolicyPage(
        policy=policy,
        current_version=current,
        versions=versions,
        reviews=reviews,
        support_rows=support_rows,
        timeline=timeline,
        steps=_steps(policy, withdrawn_entry),
        waiting_for=selectors.waiting_for(
            policy,
            current.number if current else None,
            [row.decision for row in support_rows if row.decision is not None],
        ),
        step=selectors.current_step(policy, _entered_current_state(policy, timeline)),
        withdrawn_entry=withdrawn_entry,
        endorsement=endorsement,
        endorsement_record=record,
        letters=_with_versions(
            Evidence.objects.filter(policy=policy)
            .defer("text")
            .select_related("support__organization", "added_by")
            .order_by("-added_at", "-pk"),
            by_pk,
        ),
        actions=actions,
        blocked=blocked,
        may_review=may_review,
        clearing_waits_for=(
            services.clear_review_blockers(policy, user, approving=True) if may_review else []
        ),
        support_organizations=_undecided_organizations(policy, user),
        may_upload=policy.state == State.DRAFTING and permissions.may_add_version(policy, user),
        may_withdraw_version=(
            policy.state == State.DRAFTING
            and current is not None
            and permissions.may_withdraw_version(policy, user)
            and not rules.version_withdrawal(policy, current)
        ),
        may_edit=policy.state != State.ENDORSED and permissions.may_edit_details(policy, user),
        unresolved=services.unresolved_in(current),
        **_translation_fields(policy, user, current, translations),
        **_last_review_comments(policy, reviews),
    )


def _with_versions_of_translations(policy, by_pk):
    rows = list(
        Translation.objects.filter(version__policy=policy)
        .defer("extraction")
        .select_related("uploaded_by")
        .order_by("language", "-version__number")
    )
    for row in rows:
        row.version = by_pk[row.version_id]
    return rows


def _translation_fields(policy, user, current, translations):
    """What the page shows of the translations, and whether the user may add one."""
    codes = policy.project.translation_languages or []
    of_current = {t.language: t for t in translations if current and t.version_id == current.pk}
    comparisons = []
    for code in codes:
        rows = [t for t in translations if t.language == code]  # newest version first
        pairs = list(zip(rows[1:], rows, strict=False))
        if pairs:
            comparisons.append((code, languages.language_name(code), pairs))
    in_drafting = policy.state == State.DRAFTING
    may = bool(codes) and current is not None and policy.state != State.ENDORSED
    if may:
        may = (
            permissions.may_add_version(policy, user)
            if in_drafting
            else permissions.is_coordinator(policy, user)
        )
    return {
        "languages": [(c, languages.language_name(c), of_current.get(c)) for c in codes],
        "may_translate": may and any(c not in of_current for c in codes),
        "translation_needs_reason": not in_drafting,
        "translation_comparisons": comparisons,
    }


def _last_review_comments(policy, reviews):
    """In drafting, the comments of the newest review's marked-up copy: what the next
    upload answers."""
    if policy.state != State.DRAFTING or not reviews:
        return {}
    copy = getattr(reviews[0], "marked_up_copy", None)
    if copy is None:
        return {}
    return {"last_review_comments": copy.comments, "last_marked_up_copy": copy}


def _entered_current_state(policy, timeline):
    """When the policy entered its state, read from the (newest first) timeline."""
    entered = (e for e in timeline if e.to_state == policy.state and e.from_state != e.to_state)
    return next((e.at for e in entered), None)


def _with_versions(queryset, by_pk):
    """The rows, each pointing at its version from ``by_pk`` instead of a query of its own."""
    rows = list(queryset)
    for row in rows:
        if row.version_id in by_pk:
            row.version = by_pk[row.version_id]
    return rows


def _describe(timeline):
    """What the timeline shows of an entry besides its action.

    ``from_label``/``to_label``: the states it moved between (both empty
    when it did not move the policy; ``from_label`` empty for the
    registration); ``decision_label``: a review's or support's decision;
    ``changes``: each detail it changed, with its value before and after;
    ``endorsed_on``: an endorsement's official date (the entry's own time is
    when it was recorded); ``language_name``: a translation's language;
    ``acknowledged``: the tracked changes and comments
    the actor was warned of and went past; ``letter``: the official letter
    that came with it (its name and SHA-256), if any.
    """
    decisions = {**dict(Review.Decision.choices), **dict(Support.Decision.choices)}
    for entry in timeline:
        moved = entry.from_state != entry.to_state
        entry.from_label = (
            State(entry.from_state).label if moved and entry.from_state in State.values else ""
        )
        entry.to_label = State.label_for(entry.to_state) if moved else ""
        entry.decision_label = decisions.get(entry.details.get("decision"), "")
        official_date = entry.details.get("endorsed_on")
        entry.endorsed_on = datetime.date.fromisoformat(official_date) if official_date else None
        entry.acknowledged = entry.details.get("acknowledged") or {}
        language = entry.details.get("language")
        entry.language_name = languages.language_name(language) if language else ""
        entry.letter = entry.details.get("letter") or entry.details.get("decree") or {}
        entry.changes = [
            _Change(str(_field_label(name)), _shown(values.get("from")), _shown(values.get("to")))
            for name, values in (entry.details.get("changed", {}) or {}).items()
        ]


@dataclass(frozen=True)
class _Change:
    field: str
    before: str
    after: str


CHANGE_SHOWN_LENGTH = 120  # a long summary shows its start; the audit keeps it whole


def _shown(value):
    """A changed value as the history shows it: lists joined, long text cut."""
    if isinstance(value, list):
        value = ", ".join(value)
    value = str(value or "")
    if len(value) > CHANGE_SHOWN_LENGTH:
        value = value[: CHANGE_SHOWN_LENGTH - 1].rstrip() + "…"
    return value


def _field_label(name):
    try:
        return Policy._meta.get_field(name).verbose_name
    except FieldDoesNotExist:  # a field since renamed: its stored name is all there is
        return name


def _endorsement(policy, by_pk):
    if policy.state != State.ENDORSED:
        return None, None
    endorsement = (
        Endorsement.objects.filter(policy=policy).select_related("endorsed_by", "ministry").first()
    )
    if endorsement is None:
        return None, None
    endorsement.version = by_pk[endorsement.version_id]
    record = (
        GeneratedRecord.objects.filter(
            kind=GeneratedRecord.Kind.ENDORSEMENT_RECORD, endorsement=endorsement
        )
        .only("pk", "file_name", "created_at", "size")
        .first()
    )
    return endorsement, record


def _withdrawal(policy, timeline):
    """The audit entry that withdrew the policy, while it stays withdrawn."""
    if policy.state != State.WITHDRAWN:
        return None
    return next((e for e in timeline if e.action == AuditEntry.Action.WITHDRAW), None)


def _steps(policy, withdrawn_entry):
    """The workflow path with the steps behind the policy marked done.

    A withdrawn policy shows how far it had come: the steps before the
    state it was withdrawn from are done, and none is current.
    """
    if policy.state == State.WITHDRAWN:
        reached = withdrawn_entry.from_state if withdrawn_entry else State.DRAFTING
        position, current = (STEPS.index(reached) if reached in STEPS else 0), None
    else:
        position = current = STEPS.index(policy.state)

    def status(index):
        if index == current:
            return "current"
        return "done" if index < position else ""

    return [Step(s.value, s.label, status(i)) for i, s in enumerate(STEPS)]


def _support_rows(policy, current, supports):
    """One row per required institution: its decision on the current version,
    and the decisions it gave on earlier versions (void)."""
    rows = {o.pk: SupportRow(o) for o in policy.required_supporters.all()}
    for support in supports:  # newest first
        row = rows.get(support.organization_id)
        if row is None:
            continue
        if current is not None and support.version_id == current.pk:
            row.decision = support
        else:
            row.void.append(support)
    return list(rows.values())


def _undecided_organizations(policy, user):
    """The institutions ``user`` speaks for whose decision ``policy`` waits on."""
    if policy.state != State.INSTITUTIONAL_SUPPORT:
        return []
    owed = obligations.supports_owed_by(user).filter(policy=policy)
    return list(Organization.objects.filter(pk__in=owed.values("organization")).order_by("name"))


def _transitions(policy, user):
    """The transitions ``user`` may take now, and those permitted but blocked (with reasons).
    ``policy`` was read through ``visible_to(user)`` (``policy_page``)."""
    available, blocked = [], []
    for step, reasons in services.transition_choices(policy, user, visible=True):
        if reasons:
            blocked.append(BlockedAction(step.name, step.label, reasons))
        else:
            available.append(step.name)
    return available, blocked


# -- what the action endpoints read ------------------------------------------


def visible_policy(user, pk):
    """The policy to act on, or 404 when it is not the user's to see."""
    return get_object_or_404(
        Policy.objects.visible_to(user).select_related("project", "lead_ministry"), pk=pk
    )


def versions_to_compare(user, pk, older, newer):
    """Two versions of a visible policy, older first; 404 for anything else.

    ``older`` and ``newer`` are ids as ``web.forms.actions.stored_number``
    reads them: None when the query named no version.
    """
    policy = visible_policy(user, pk)
    if older is None or newer is None:
        raise Http404
    pks = {older, newer}
    versions = list(
        DocumentVersion.objects.filter(policy=policy, pk__in=pks)
        .only("pk", "number")
        .order_by("number")
    )
    if len(versions) != len(pks):
        raise Http404
    return versions[0], versions[-1]
