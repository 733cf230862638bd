"""Translations of a version: the same version number in another language.

A drafter uploads them while the policy is in drafting; a coordinator may
add one later (during review or support, say, when a ministry asks for
it), saying why. Support and endorsement are of the version in all its
languages, so a translation added after a support leaves it standing. An
endorsed policy is the official record: nothing is added to it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from documents.passages import passages
from documents.services.intake import stored_name_of, take_in
from policyflow.formats import languages
from workflow import audit, clock, permissions
from workflow.exceptions import ConcurrentChange, TransitionBlocked
from workflow.locking import locked_policy, save_change
from workflow.models import AuditEntry, DocumentVersion, Policy, Translation
from workflow.search import index as search_index
from workflow.services import check_length

State = Policy.State


def add_translation(policy, *, actor, version, language, uploaded_file, reason=""):
    """Store ``uploaded_file`` as ``version`` in ``language``; refused before a byte is stored.

    ``version`` must be the current one; ``language`` one of the project's
    translation languages, not yet present. In drafting the policy's
    drafters and coordinators add translations; in later steps (short of
    endorsement) only a coordinator, with a ``reason`` the audit log keeps.
    """
    reason = (reason or "").strip()
    _ensure_may_add(policy, actor, version, language, reason)
    check_length("reason", reason)
    digest, content = take_in(uploaded_file)
    stored_name = None
    try:
        with locked_policy(policy) as locked:
            _ensure_may_add(locked, actor, version, language, reason)
            current = locked.current_version
            if current is None or current.pk != version.pk:
                raise ConcurrentChange(
                    _("Version %(number)s is no longer the current version. Reload and look again.")
                    % {"number": version.number}
                )
            if version.translations.filter(language=language).exists():
                raise ValidationError(
                    {
                        "language": _("Version %(number)s already has a %(language)s translation.")
                        % {"number": version.number, "language": languages.language_name(language)}
                    },
                )
            if digest == version.sha256 or version.translations.filter(sha256=digest).exists():
                raise ValidationError(
                    _("This file is identical to a language file of version %(number)s.")
                    % {"number": version.number},
                    code="duplicate",
                )
            translation = Translation(
                version=version,
                language=language,
                original_name=stored_name_of(uploaded_file),
                size=uploaded_file.size,
                sha256=digest,
                extraction=content.as_dict(),
                word_count=content.word_count,
                uploaded_by=actor,
                uploaded_at=clock.now(),
                reason=reason,
            )
            uploaded_file.seek(0)
            translation.file.save("upload.docx", uploaded_file, save=False)
            stored_name = translation.file.name
            translation.save()
            search_index.index_translation(translation, passages(content))
            # Whoever is about to pass the version on (submit, endorse) sees it
            # with this language file, or is told to reload.
            save_change(locked)
            audit.record(
                locked,
                actor=actor,
                action=AuditEntry.Action.TRANSLATION_ADDED,
                version=version,
                comment=reason,
                language=language,
                sha256=digest,
            )
    except BaseException:
        if stored_name:
            translation.file.storage.delete(stored_name)
        raise
    return translation


def _ensure_may_add(policy, actor, version, language, reason):
    """Who, when, of which version and in which language: checked before the
    file is read, and again under the lock."""
    if not permissions.may_view(policy, actor):
        raise PermissionDenied(_("You do not take part in this policy."))
    if not isinstance(version, DocumentVersion) or version.policy_id != policy.pk:
        raise ConcurrentChange()
    if policy.state == State.ENDORSED:
        raise TransitionBlocked(
            _("An endorsed policy is part of the official record; no translation can be added.")
        )
    if policy.state == State.DRAFTING:
        if not permissions.may_add_version(policy, actor):
            raise PermissionDenied(
                _("Only the policy's drafters and coordinators may add translations.")
            )
    else:
        if not permissions.is_coordinator(policy, actor):
            raise PermissionDenied(
                _("After drafting, only a coordinator may add a translation, saying why.")
            )
        if not reason:
            raise ValidationError({"reason": _("Say why the translation is added after drafting.")})
    allowed = policy.project.translation_languages or []
    if language not in allowed:
        raise ValidationError({"language": _("Choose one of the project's translation languages.")})
