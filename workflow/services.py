"""Every write to a policy goes through here.

Each service is one transaction: lock the policy row, check that the actor
may act and that the policy allows it, make the change, save it and write
its audit row. Pages, the admin, commands and the shell all call these;
none of them re-implements a check.

Refusals:
- ``PermissionDenied``: the actor may not do this to this policy;
- ``TransitionBlocked``: the state or an unmet condition forbids it (its
  ``reasons`` say what is missing);
- ``ConcurrentChange``: the policy changed after the actor loaded it;
- ``ValidationError``: the input itself is wrong (missing comment, date).
"""

import contextlib
import datetime
import threading

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from notifications import dispatch
from policyflow.formats.dates import day
from workflow import audit, clock, notify, permissions, rules, titles, transitions
from workflow.evidence import Letter
from workflow.exceptions import ConcurrentChange, TransitionBlocked
from workflow.guard import service_write
from workflow.locking import locked_policy, save_change
from workflow.models import (
    AuditEntry,
    Endorsement,
    Evidence,
    Membership,
    Organization,
    Policy,
    Review,
    Support,
)
from workflow.search import index as search_index

Role = Membership.Role
State = Policy.State

# The task that makes an endorsement's official record, run by name once the
# endorsement commits (``notifications.dispatch``). The record is made by
# ``documents``, which sits above the workflow: it registers its task under
# this name (``documents/tasks.py``), and the workflow never imports it.
ENDORSEMENT_RECORD_TASK = "documents.make_endorsement_record"

# Comments, reasons and statements are read by people and copied into every
# notification: a few pages at most.
TEXT_MAX_LENGTH = 5000


def _length_error(text, limit=TEXT_MAX_LENGTH):
    """What to tell someone whose text is longer than ``limit``; None if it is not."""
    if len(text) <= limit:
        return None
    return _("This text has %(length)s characters; the limit is %(limit)s.") % {
        "length": len(text),
        "limit": limit,
    }


def check_length(field, text, limit=TEXT_MAX_LENGTH):
    """Refuse text longer than ``limit`` characters, naming ``field``."""
    error = _length_error(text, limit)
    if error:
        raise ValidationError({field: error})


def _ensure_may_view(policy, actor):
    if not permissions.may_view(policy, actor):
        raise PermissionDenied(_("You do not take part in this policy."))


def _state_label(policy):
    return policy.get_state_display().lower()


# -- reading -----------------------------------------------------------------


def transition_choices(policy, user, *, visible=False):
    """The transitions ``user`` may take out of the policy's state, in the order
    pages show them, each with what still stands in its way (empty: possible now).
    Each one's conditions are evaluated once. ``visible``: the caller read
    ``policy`` through ``Policy.objects.visible_to(user)``, so it need not be asked again."""
    if not visible and not permissions.may_view(policy, user):
        return []
    return [
        (step, step.reasons(policy))
        for step in transitions.user_steps()
        if policy.state in step.sources and step.may(policy, user)
    ]


def available_transitions(policy, user):
    """Names of the transitions ``user`` can take on ``policy`` right now."""
    return [step.name for step, reasons in transition_choices(policy, user) if not reasons]


def transition_blockers(policy, name):
    """What still stands in the way of transition ``name``, for the pages."""
    return transitions.step(name).reasons(policy)


# -- transitions -------------------------------------------------------------


def perform_transition(policy, name, *, actor, comment="", acknowledged=False, **fields):
    """Take transition ``name`` on ``policy`` as ``actor``.

    ``endorse`` also takes ``instrument`` (e.g. a cabinet decision number)
    and ``date`` (a ``datetime.date``, not in the future). A transition that
    passes a version on (``warns``) of a version that still holds tracked
    changes or comments needs ``acknowledged=True``: the actor saw the warning.
    """
    if not transitions.is_user_step(name):
        raise TransitionBlocked(_("“%(name)s” is not an action on a policy.") % {"name": name})
    comment = (comment or "").strip()
    with letters_removed_on_failure(), locked_policy(policy) as locked:
        _ensure_may_view(locked, actor)
        _take(locked, name, actor=actor, comment=comment, acknowledged=acknowledged, **fields)
    return policy


def _take(locked, name, *, actor=None, comment="", acknowledged=False, **fields):
    """Check and take transition ``name`` on the ``locked`` policy: state, permission,
    conditions (evaluated once, by the state machine), input; then the change, its
    audit row and its notifications. An automatic transition is recorded as the
    act of ``actor`` (whose act set it off) without a permission of its own."""
    step = transitions.step(name)
    if locked.state not in step.sources:
        raise TransitionBlocked(
            _("This action is not possible while the policy is in %(state)s.")
            % {"state": _state_label(locked)}
        )
    if not step.automatic and not step.may(locked, actor):
        raise PermissionDenied(_("You may not take this action on this policy."))
    from_state = locked.state
    try:
        getattr(locked, name)()
    except TransitionNotAllowed:
        raise TransitionBlocked(*transitions.reasons_found(locked, name)) from None
    version = locked.current_version
    details = _check_input(locked, step, comment, fields)
    if step.warns:
        details.update(_acknowledgement(version, acknowledged))
    save_change(locked)
    if name == "endorse":
        _record_endorsement(locked, actor, version, comment, details, fields.get("decree"))
    entry = audit.record(
        locked,
        actor=actor,
        action=name,
        from_state=from_state,
        version=version,
        comment=comment,
        **details,
    )
    notify.announce(
        locked,
        step.event.code,
        occurrence=entry.pk,
        # What happens on its own is news to everyone, whoever's act set it off.
        actor=None if step.automatic else actor,
        version=version,
        comment=comment,
        instrument=details.get("instrument", ""),
    )
    if name == "clear_review":
        _complete_support_if_ready(locked, actor=actor, version=version)


def _record_endorsement(locked, actor, version, comment, details, decree):
    """The endorsement row, its decree if attached, and its official record made
    once the transaction commits."""
    endorsement = Endorsement.objects.create(
        policy=locked,
        version=version,
        ministry=locked.lead_ministry,
        endorsed_by=actor,
        comment=comment,
        recorded_at=clock.now(),
        instrument=details["instrument"],
        endorsed_on=datetime.date.fromisoformat(details["endorsed_on"]),
    )
    search_index.index_decision(endorsement)
    if decree is not None:
        _store_letter(locked, version, actor, decree, endorsement=endorsement)
    dispatch.run_after_commit(ENDORSEMENT_RECORD_TASK, endorsement.pk)


# -- official letters ----------------------------------------------------------

# The letters stored by the services running in this thread, so that a
# failure after a file reached storage removes it again: a refusal inside the
# service, or one further out that wraps it in ``letters_removed_on_failure``
# (a page's rehearsal). A rollback further out still leaves an orphan for
# ``documents.services.remove_orphaned_files``.
_stored = threading.local()


@contextlib.contextmanager
def letters_removed_on_failure():
    """Remove the letters stored inside the block if it fails (nested blocks too)."""
    if not hasattr(_stored, "names"):
        _stored.names, _stored.depth = [], 0
    names = _stored.names
    mark = len(names)
    _stored.depth += 1
    try:
        yield
    except BaseException:
        for storage, name in names[mark:]:
            storage.delete(name)
        del names[mark:]
        raise
    finally:
        _stored.depth -= 1
        if not _stored.depth:
            names.clear()


def _check_letter(field, letter, *, required, required_message):
    """Refuse a letter that is missing where the project requires one; return the
    audit entry's summary of it (None without one)."""
    if letter is None:
        if required:
            raise ValidationError({field: required_message})
        return None
    if not isinstance(letter, Letter):
        # Only the intake makes a Letter: a raw upload has not been checked.
        raise TypeError(f"{field} must be a workflow.evidence.Letter from the intake")
    if not letter.intact():
        raise ValidationError({field: _("The file changed after it was checked. Attach it again.")})
    return letter.summary()


def _store_letter(locked, version, actor, letter, *, support=None, endorsement=None):
    evidence = Evidence(
        policy=locked,
        version=version,
        support=support,
        endorsement=endorsement,
        kind=letter.kind,
        original_name=letter.original_name[:255] or f"letter.{letter.kind}",
        size=letter.size,
        sha256=letter.sha256,
        pages=letter.pages,
        text=letter.text,
        links=list(letter.links),
        added_by=actor,
        added_at=clock.now(),
    )
    evidence.file.save(f"letter.{letter.kind}", ContentFile(letter.content), save=False)
    _stored.names.append((evidence.file.storage, evidence.file.name))
    evidence.save()
    search_index.index_letter(evidence)
    return evidence


def unresolved_in(version):
    """``{"tracked_changes": n, "comments": m}`` left in ``version``; empty when none."""
    if version is None or not version.has_unresolved_changes:
        return {}
    return {
        "tracked_changes": version.tracked_insertions + version.tracked_deletions,
        "comments": version.comment_count,
    }


def _acknowledgement(version, acknowledged):
    """The audit details of a warning the actor went past; refuse if they did not.

    Passing on a version that still holds tracked changes or comments is
    allowed (they may be meant for the next reader), but never unawares.
    """
    unresolved = unresolved_in(version)
    if not unresolved:
        return {}
    if acknowledged is not True:
        raise ValidationError(
            {
                "acknowledged": _(
                    "Version %(number)s still has tracked changes (%(changes)s) and comments "
                    "(%(comments)s). Confirm that you have seen them."
                )
                % {
                    "number": version.number,
                    "changes": unresolved["tracked_changes"],
                    "comments": unresolved["comments"],
                }
            }
        )
    return {"acknowledged": unresolved}


def _check_input(locked, step, comment, fields):
    """Check what comes with the transition (``step.fields``, the comment); return
    what the audit entry records of it beyond the comment."""
    unexpected = set(fields) - set(step.fields)
    if unexpected:
        raise TypeError(f"{step.name}() got unexpected fields: {', '.join(sorted(unexpected))}")
    errors = {}
    if step.needs_reason and not comment:
        errors["comment"] = _("Say why, so that the next person knows what to do.")
    elif _length_error(comment):
        errors["comment"] = _length_error(comment)
    details = {}
    if "instrument" in step.fields:
        instrument = (fields.get("instrument") or "").strip()
        if not instrument:
            errors["instrument"] = _(
                "Name the instrument that endorses the policy, e.g. the cabinet decision number."
            )
        elif len(instrument) > Endorsement._meta.get_field("instrument").max_length:
            errors["instrument"] = _("The instrument is too long (200 characters at most).")
        details["instrument"] = instrument
    if "date" in step.fields:
        date = fields.get("date")
        if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
            errors["date"] = _("Give the date of endorsement.")
        elif date > clock.today():
            errors["date"] = _("The date of endorsement cannot be in the future.")
        else:
            errors.update(_date_before_submission(locked, date))
        details["endorsed_on"] = date.isoformat() if "date" not in errors else None
    if "decree" in step.fields:
        try:
            decree = _check_letter(
                "decree",
                fields.get("decree"),
                required=locked.project.endorsement_letter_required,
                required_message=_(
                    "Attach the decree or cabinet decision that endorses the policy "
                    "(a PDF or a Word document): this project requires it."
                ),
            )
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            if decree:
                details["decree"] = decree
    if errors:
        raise ValidationError(errors)
    return details


def _date_before_submission(policy, date):
    """The error of a date before the current version was submitted for review, if it is."""
    version = policy.current_version
    submitted = rules.submitted_on(policy, version)
    if submitted is None or date >= submitted:
        return {}
    return {
        "date": _(
            "The date of endorsement cannot be before version %(number)s was "
            "submitted for review, on %(submitted)s."
        )
        % {"number": version.number, "submitted": day(submitted)}
    }


# -- decisions ---------------------------------------------------------------


def _ensure_current(locked, shown):
    """Refuse a decision taken on a version that is no longer the current one."""
    current = locked.current_version
    if shown is not None and (current is None or shown.pk != current.pk):
        raise ConcurrentChange(
            _("Version %(number)s is no longer the current version. Reload and look again.")
            % {"number": shown.number}
        )
    return current


def record_review(policy, *, actor, decision, comment="", version=None, acknowledged=False):
    """Record an assigned reviewer's decision on the current version, and only that.

    ``version``, when given, is the version the reviewer read: if another
    became current meanwhile, the review is refused rather than filed
    against a text the reviewer never saw. An approval of a version that
    still holds tracked changes or comments needs ``acknowledged=True``.
    ``decide_review`` also takes the step that follows the decision.
    """
    decision, comment = _clean_decision(decision, comment)
    with locked_policy(policy) as locked:
        review = _record_review(locked, actor, decision, comment, version, acknowledged)
    return review


def decide_review(policy, *, actor, decision, comment="", version=None, acknowledged=False):
    """A reviewer's decision and the step it leads to, in one transaction.

    "changes_requested" records the review and returns the draft to drafting
    with the comment as the reason (``request_revision``: one notification).
    "approved" records the approval and clears the review when the rules
    allow (``clear_review``); otherwise the policy stays in expert review and
    ``clear_review_blockers`` says what clearing still waits for. Returns the
    review. The audit log holds the review and the transition, as when the
    two steps are taken one after the other.
    """
    decision, comment = _clean_decision(decision, comment)
    with locked_policy(policy) as locked:
        review = _record_review(locked, actor, decision, comment, version, acknowledged)
        if decision == Review.Decision.CHANGES_REQUESTED:
            _take(locked, "request_revision", actor=actor, comment=comment)
        elif not clear_review_blockers(locked, actor):
            _take(locked, "clear_review", actor=actor, comment="")
    return review


def clear_review_blockers(policy, actor, *, approving=False):
    """Why ``actor`` could not clear the review (now, or once they approve with
    ``approving``): the rules' reasons, or that they may not clear it."""
    if not transitions.step("clear_review").may(policy, actor):
        return [_("Only an assigned reviewer or a coordinator may clear the review.")]
    return rules.clear_review(policy, approving=actor if approving else None)


def _clean_decision(decision, comment):
    if decision not in Review.Decision.values:
        raise ValidationError({"decision": _("Choose a review decision.")})
    return decision, (comment or "").strip()


def _record_review(locked, actor, decision, comment, shown, acknowledged):
    _ensure_may_view(locked, actor)
    rules.require_state(
        locked,
        State.EXPERT_REVIEW,
        _("Reviews are recorded during expert review; the policy is in %(state)s."),
    )
    if not permissions.is_assigned_reviewer(locked, actor):
        raise PermissionDenied(_("Only the assigned reviewers may review this policy."))
    version = _ensure_current(locked, shown)
    if version.uploaded_by_id == actor.pk:
        raise PermissionDenied(
            _("You uploaded version %(number)s, so someone else must review it.")
            % {"number": version.number}
        )
    _refuse_repeated_review(version, actor, decision)
    if decision == Review.Decision.CHANGES_REQUESTED and not comment:
        raise ValidationError({"comment": _("Say which changes are needed.")})
    check_length("comment", comment)
    details = {"decision": decision}
    if decision == Review.Decision.APPROVED:
        details.update(_acknowledgement(version, acknowledged))
    review = Review.objects.create(
        policy=locked,
        version=version,
        reviewer=actor,
        decision=decision,
        comment=comment,
        created_at=clock.now(),
    )
    search_index.index_decision(review)
    audit.record(
        locked,
        actor=actor,
        action=AuditEntry.Action.REVIEW,
        version=version,
        comment=comment,
        **details,
    )
    notify.review_given(locked, actor)
    return review


def _refuse_repeated_review(version, reviewer, decision):
    """Refuse a decision the reviewer already gave on ``version`` as their latest word.

    A reviewer may change their mind (approve after asking for changes),
    but saying the same again (a double submit, a re-post) would only file
    a second review and audit entry. Run under the policy's row lock, so
    two posts at once are told apart too.
    """
    latest = version.reviews.filter(reviewer=reviewer).order_by("-created_at", "-pk").first()
    if latest is not None and latest.decision == decision:
        raise TransitionBlocked(
            _("You already recorded “%(decision)s” on version %(number)s.")
            % {"decision": latest.get_decision_display(), "number": version.number}
        )


def record_support(
    policy, *, actor, organization, decision, statement="", version=None, letter=None
):
    """Record a required institution's support, or refusal, of the current version.

    The last support the policy needs moves it to ``awaiting_endorsement``
    in the same transaction. A decline leaves it where it is, blocked,
    until the coordinator returns it to drafting. ``version``, when given,
    is the version the institution decided on; it must still be current.
    ``letter`` (a ``workflow.evidence.Letter`` from
    ``documents.services.validate_evidence``) is the institution's official
    letter, kept with the decision; required when the project says so.
    """
    if decision not in Support.Decision.values:
        raise ValidationError({"decision": _("Choose whether the institution supports it.")})
    if not isinstance(organization, Organization):
        raise TypeError("organization must be an Organization")
    statement = (statement or "").strip()
    with letters_removed_on_failure(), locked_policy(policy) as locked:
        _ensure_may_view(locked, actor)
        rules.require_state(
            locked,
            State.INSTITUTIONAL_SUPPORT,
            _("Support is recorded during institutional support; the policy is in %(state)s."),
        )
        if not permissions.may_record_support(locked, actor, organization):
            raise PermissionDenied(
                _("You may not record a decision for %(organization)s on this policy.")
                % {"organization": organization.name}
            )
        version = _ensure_current(locked, version)
        earlier = version.supports.filter(organization=organization).first()
        if earlier is not None:
            raise TransitionBlocked(
                _("%(organization)s already recorded its decision on version %(number)s.")
                % {"organization": organization.name, "number": version.number}
            )
        if decision == Support.Decision.DECLINED and not statement:
            raise ValidationError({"statement": _("Say why the institution declines.")})
        check_length("statement", statement)
        summary = _check_letter(
            "letter",
            letter,
            required=locked.project.support_letter_required,
            required_message=_(
                "Attach the institution's signed letter (a PDF or a Word document): "
                "this project requires it."
            ),
        )
        support = Support.objects.create(
            policy=locked,
            version=version,
            organization=organization,
            decision=decision,
            statement=statement,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        search_index.index_decision(support)
        if letter is not None:
            _store_letter(locked, version, actor, letter, support=support)
        entry = audit.record(
            locked,
            actor=actor,
            action=(
                AuditEntry.Action.SUPPORT
                if decision == Support.Decision.SUPPORTED
                else AuditEntry.Action.SUPPORT_DECLINED
            ),
            version=version,
            comment=statement,
            organization=organization.name,
            organization_id=organization.pk,
            decision=decision,
            **({"letter": summary} if summary else {}),
        )
        notify.announce(
            locked,
            "support_recorded" if decision == Support.Decision.SUPPORTED else "support_declined",
            occurrence=entry.pk,
            actor=actor,
            version=version,
            comment=statement,
            organization=organization.name,
        )
        notify.decision_given(locked, organization)
        if decision == Support.Decision.SUPPORTED:
            _complete_support_if_ready(locked, actor=actor, version=version)
    return support


def _complete_support_if_ready(locked, *, actor, version):
    """Move on to awaiting endorsement when every required support is in.

    Runs after the last support, and after a review is cleared on a version
    every institution already supported (a policy reopened unchanged).
    Everyone is told, the institution whose support completed it included.
    """
    if locked.state != State.INSTITUTIONAL_SUPPORT:
        return
    try:
        _take(locked, "complete_support", actor=actor)
    except TransitionBlocked:
        return


# -- registration and details ------------------------------------------------

DETAIL_FIELDS = (
    "title",
    "short_title",
    "country",
    "lead_ministry",
    "summary",
    "project",
    "review_due",
    "support_due",
)
ASSIGNMENT_FIELDS = ("themes", "required_supporters", "drafters", "reviewers")
# Changing who must support is only possible before support is collected.
SUPPORTERS_FROZEN_IN = {
    State.INSTITUTIONAL_SUPPORT,
    State.AWAITING_ENDORSEMENT,
    State.ENDORSED,
}


def register_policy(*, actor, project, backfill=False, **values):
    """Register a new policy in ``drafting``; coordinators of the project's implementer.

    Due dates may not lie in the past unless ``backfill`` says the coordinator
    is recording a schedule that already ran (the audit entry notes it).
    """
    if not permissions.is_coordinator(Policy(project=project), actor):
        raise PermissionDenied(
            _("Only a coordinator of the project's implementer may register policies.")
        )
    unknown = set(values) - set(DETAIL_FIELDS) - set(ASSIGNMENT_FIELDS)
    if unknown:
        raise TypeError(f"register_policy() got unexpected fields: {', '.join(sorted(unknown))}")
    assignments = {k: values.pop(k) for k in ASSIGNMENT_FIELDS if k in values}
    check_length("summary", values.get("summary") or "")
    with transaction.atomic(), service_write():
        policy = Policy(project=project, **values)
        policy.full_clean(exclude=["state"])
        _check_short_title(policy)
        _check_due_dates(policy, DUE_FIELDS, backfill=backfill)
        _check_parties(policy, assignments)
        try:
            with transaction.atomic():
                policy.save()
        except IntegrityError:
            # Registered by someone else a moment ago, after full_clean looked.
            raise ValidationError({"short_title": _title_taken()}) from None
        for field, objects in assignments.items():
            getattr(policy, field).set(objects)
        search_index.index_policy(policy)
        audit.record(
            policy,
            actor=actor,
            action=AuditEntry.Action.REGISTERED,
            from_state="-",
            **({"backfill": True} if backfill else {}),
        )
    return policy


def update_policy(policy, *, actor, backfill=False, **changes):
    """Change a policy's details or assignments; coordinators only, audited.

    A due date set or moved into the past needs ``backfill``, as at registration.
    """
    unknown = set(changes) - set(DETAIL_FIELDS) - set(ASSIGNMENT_FIELDS)
    if unknown:
        raise TypeError(f"update_policy() got unexpected fields: {', '.join(sorted(unknown))}")
    if "summary" in changes:
        check_length("summary", changes["summary"] or "")
    with locked_policy(policy) as locked:
        if not permissions.may_edit_details(locked, actor):
            raise PermissionDenied(_("Only the policy's coordinators may change its details."))
        if "project" in changes and not permissions.is_coordinator(
            Policy(project=changes["project"]), actor
        ):
            raise PermissionDenied(
                _("Only a coordinator of the project's implementer may move a policy into it.")
            )
        if locked.state == State.ENDORSED:
            raise TransitionBlocked(
                _("An endorsed policy is part of the official record; it no longer changes.")
            )
        changed = {}
        for field in DETAIL_FIELDS:
            if field in changes and getattr(locked, field) != changes[field]:
                changed[field] = {
                    "from": str(getattr(locked, field) or ""),
                    "to": str(changes[field] or ""),
                }
                setattr(locked, field, changes[field])
        assignments = {}
        for field in ASSIGNMENT_FIELDS:
            if field in changes:
                before = list(getattr(locked, field).all())
                if {o.pk for o in changes[field]} != {o.pk for o in before}:
                    assignments[field] = changes[field]
                    changed[field] = {
                        "from": sorted(str(o) for o in before),
                        "to": sorted(str(o) for o in changes[field]),
                    }
        if "required_supporters" in assignments and locked.state in SUPPORTERS_FROZEN_IN:
            raise TransitionBlocked(
                _(
                    "The required institutions cannot change while the policy is in %(state)s; "
                    "return it to drafting first."
                )
                % {"state": _state_label(locked)}
            )
        if "lead_ministry" in changed and locked.state in SUPPORTERS_FROZEN_IN:
            raise TransitionBlocked(
                _("The lead ministry cannot change while the policy is in %(state)s.")
                % {"state": _state_label(locked)}
            )
        if not changed:
            return policy
        locked.full_clean(exclude=["state"])
        _check_short_title(locked)
        _check_due_dates(locked, [f for f in DUE_FIELDS if f in changed], backfill=backfill)
        _check_parties(locked, {**_current_assignments(locked), **assignments})
        for field, objects in assignments.items():
            getattr(locked, field).set(objects)
        try:
            with transaction.atomic():
                save_change(locked)
        except IntegrityError:
            # Another policy took a title that reads the same a moment ago.
            raise ValidationError({"short_title": _title_taken()}) from None
        search_index.index_policy(locked)
        audit.record(
            locked,
            actor=actor,
            action=AuditEntry.Action.DETAILS_CHANGED,
            changed=changed,
            **({"backfill": True} if backfill else {}),
        )
    return policy


def _title_taken():
    return _("A policy with this short title, or one that reads the same, already exists.")


def _check_short_title(policy):
    """Refuse a short title that shows nothing, mixes look-alike scripts or reads
    like another policy's (``workflow.titles``); set the key it is compared by."""
    key = titles.comparison_key(policy.short_title)
    if not key:
        raise ValidationError({"short_title": _("Give a short title with visible characters.")})
    look_alike = titles.look_alike_words(policy.short_title)
    if look_alike:
        raise ValidationError(
            {
                "short_title": _(
                    "“%(word)s” mixes letters of different scripts that look alike; "
                    "type it in one script."
                )
                % {"word": look_alike[0]}
            }
        )
    if Policy.objects.filter(short_title_key=key).exclude(pk=policy.pk).exists():
        raise ValidationError({"short_title": _title_taken()})
    policy.short_title_key = key


DUE_FIELDS = ("review_due", "support_due")


def _check_due_dates(policy, fields, *, backfill):
    """Due dates run forward: support is due no earlier than the review it
    follows, and a date set now lies ahead unless the coordinator says they are
    back-filling history. ``fields``: the due dates being set by this change."""
    errors = {}
    if policy.review_due and policy.support_due and policy.support_due < policy.review_due:
        errors["support_due"] = _(
            "Support cannot be due before the review is: the institutions decide on the "
            "reviewed version."
        )
    if not backfill:
        today = clock.today()
        for field in fields:
            due = getattr(policy, field)
            if due is not None and due < today and field not in errors:
                errors[field] = _(
                    "This date has passed. If you are recording a schedule that already ran, "
                    "say that you are back-filling history."
                )
    if errors:
        raise ValidationError(errors)


def _current_assignments(policy):
    return {field: list(getattr(policy, field).all()) for field in ASSIGNMENT_FIELDS}


def _check_parties(policy, assignments):
    """Who a policy names must fit it.

    The lead ministry is a ministry of the policy's country; supporters are
    other institutions or ministries of that country; experts work for the
    organisation implementing the project.
    """
    errors = {}
    ministry = policy.lead_ministry
    if ministry.kind != Organization.Kind.MINISTRY:
        errors["lead_ministry"] = _("The lead ministry must be a ministry.")
    elif ministry.country and ministry.country != policy.country:
        errors["lead_ministry"] = _("The lead ministry must be of the policy's country.")
    supporters = assignments.get("required_supporters", [])
    if any(o.pk == ministry.pk for o in supporters):
        errors["required_supporters"] = _("The lead ministry endorses; it is not a supporter.")
    elif any(o.kind not in Organization.SUPPORTING_KINDS for o in supporters):
        errors["required_supporters"] = _("Supporters must be national institutions or ministries.")
    elif any(o.country and o.country != policy.country for o in supporters):
        errors["required_supporters"] = _(
            "Supporters must be institutions of the policy's country."
        )
    implementer = policy.project.implementer
    for field, role in (("drafters", Role.DRAFTER), ("reviewers", Role.REVIEWER)):
        lacking = [
            u
            for u in assignments.get(field, [])
            if not u.memberships.filter(role=role, organization=implementer).exists()
        ]
        if lacking:
            errors[field] = _("%(people)s: not %(role)s with %(implementer)s.") % {
                "people": ", ".join(rules.display_name(u) for u in lacking),
                "role": role.label.lower(),
                "implementer": implementer.name,
            }
    if errors:
        raise ValidationError(errors)
