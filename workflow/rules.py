"""What must hold before a transition, as reasons a person can act on.

Each rule takes a policy and returns the list of unmet conditions, empty
when the transition may go ahead. A transition's declaration names its
rule; the state machine runs it as its condition, and the services raise
what it found as ``TransitionBlocked`` (``workflow.transitions``).
Only decisions on the current version count.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from policyflow.formats import languages
from workflow import transitions
from workflow.exceptions import TransitionBlocked


def require_state(policy, state, message):
    """Refuse unless ``policy`` is in ``state``; ``message`` may name the actual %(state)s."""
    if policy.state != state:
        raise TransitionBlocked(message % {"state": policy.get_state_display().lower()})


def _no_version_reason():
    return _("No document version has been uploaded yet.")


def submit_for_review(policy):
    reasons = []
    version = policy.current_version
    if version is None:
        reasons.append(_no_version_reason())
    reviewer_ids = set(policy.reviewers.values_list("pk", flat=True))
    if not reviewer_ids:
        reasons.append(_("No reviewer is assigned."))
    elif version is not None and reviewer_ids == {version.uploaded_by_id}:
        reasons.append(
            _(
                "The only assigned reviewer uploaded version %(number)s; assign a reviewer "
                "who did not (four-eyes rule)."
            )
            % {"number": version.number}
        )
    if version is not None and version_was_sent_back(policy, version):
        reasons.append(
            _("Version %(number)s was sent back for revision; upload a revised version first.")
            % {"number": version.number}
        )
    return reasons + missing_translations(policy)


def missing_translations(policy):
    """The translations of the current version the project requires and it lacks
    (``Project.required_translations``): before submission and before endorsement."""
    required = policy.project.required_translations or []
    version = policy.current_version
    if not required or version is None:
        return []
    present = set(version.translations.values_list("language", flat=True))
    return [
        _("Version %(number)s has no %(language)s translation; the project requires one.")
        % {"number": version.number, "language": languages.language_name(code)}
        for code in required
        if code not in present
    ]


def version_was_sent_back(policy, version):
    """Whether someone returned ``version`` for revision: submitting it again changes nothing."""
    sent_back = transitions.sending_back()
    return policy.audit_entries.filter(version=version, action__in=sent_back).exists()


def submitted_on(policy, version):
    """The local date ``version`` was first submitted for review, or None if never."""
    entry = (
        policy.audit_entries.filter(version=version, action="submit_for_review")
        .order_by("at", "pk")
        .first()
    )
    return timezone.localdate(entry.at) if entry else None


def latest_reviews(version):
    """Each reviewer's latest review of ``version``, by reviewer id."""
    latest = {}
    for review in version.reviews.select_related("reviewer").order_by("created_at", "pk"):
        latest[review.reviewer_id] = review
    return latest


def clear_review(policy, *, approving=None):
    """What stands in the way of clearing the review; with ``approving`` (a
    reviewer), what would still stand once that reviewer approved."""
    version = policy.current_version
    if version is None:
        return [_no_version_reason()]
    reasons = []
    # Only the reviewers assigned now speak for the review.
    assigned = set(policy.reviewers.values_list("pk", flat=True))
    latest = {k: r for k, r in latest_reviews(version).items() if k in assigned}
    if approving is not None:
        latest.pop(approving.pk, None)
    approvals = [
        r
        for r in latest.values()
        if r.decision == r.Decision.APPROVED and r.reviewer_id != version.uploaded_by_id
    ]
    if not approvals and approving is None:
        reasons.append(
            _("Version %(number)s has no approving review by someone other than its author.")
            % {"number": version.number}
        )
    for review in latest.values():
        if review.decision == review.Decision.CHANGES_REQUESTED:
            reasons.append(
                _("%(reviewer)s requested changes to version %(number)s.")
                % {"reviewer": display_name(review.reviewer), "number": version.number}
            )
    if not policy.required_supporters.exists():
        reasons.append(_("No supporting institution is named; the coordinator must name one."))
    return reasons


def recall(policy):
    """A submission can be taken back until the first review of its version is recorded."""
    version = policy.current_version
    if version is None:
        return [_no_version_reason()]
    if version.reviews.exists():
        return [
            _(
                "A review of version %(number)s is recorded; it stands, so the submission "
                "can no longer be recalled."
            )
            % {"number": version.number}
        ]
    return []


def version_withdrawal(policy, version):
    """What keeps ``version`` from being withdrawn: only the current version, in
    drafting, before anyone acted on it (no review or support, no submission
    that was not recalled)."""
    if policy.state != policy.State.DRAFTING:
        return [_("A version can only be withdrawn in drafting.")]
    current = policy.current_version
    if current is None or version.pk != current.pk:
        return [_("Only the current version can be withdrawn.")]
    reasons = []
    if version.reviews.exists() or version.supports.exists():
        reasons.append(
            _("Version %(number)s was already reviewed or supported; it stays on record.")
            % {"number": version.number}
        )
    entries = policy.audit_entries.filter(version=version)
    if entries.filter(action="submit_for_review").count() > entries.filter(action="recall").count():
        reasons.append(
            _("Version %(number)s was submitted for review; upload a revised version instead.")
            % {"number": version.number}
        )
    return reasons


def complete_support(policy):
    version = policy.current_version
    if version is None:
        return [_no_version_reason()]
    required = list(policy.required_supporters.order_by("name"))
    if not required:
        return [_("No supporting institution is named; the coordinator must name one.")]
    decisions = {s.organization_id: s for s in version.supports.all()}
    reasons = []
    for organization in required:
        support = decisions.get(organization.pk)
        if support is None:
            reasons.append(
                _("%(organization)s has not recorded support on version %(number)s.")
                % {"organization": organization.name, "number": version.number}
            )
        elif support.decision == support.Decision.DECLINED:
            reasons.append(
                _("%(organization)s declined to support version %(number)s.")
                % {"organization": organization.name, "number": version.number}
            )
    return reasons


def endorse(policy):
    reasons = complete_support(policy) + missing_translations(policy)
    if hasattr(policy, "endorsement"):
        reasons.append(_("This policy is already endorsed."))
    return reasons


def display_name(user):
    return user.get_full_name() or user.get_username()
