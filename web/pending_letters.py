"""A letter attached on the policy page, carried from the confirm step to the act.

An institution's decision and an endorsement are confirmed first, on a
page that posts the same data again; a browser cannot post a file from
there. So the first post takes the letter in (``documents.services``: the
same intake and refusals as the API), keeps its bytes in private storage
under ``pending/`` and names them by a random token in the person's
session; the confirm page says which file will be attached (its name and
SHA-256) and carries only the token. The confirmed post takes the bytes
back, through the intake again, and hands them to the service; the kept
copy is removed once the decision is recorded. A token is good only in
the session that made it, for the policy it was made for; copies never
confirmed are swept with the other orphaned files
(``documents.services.remove_orphaned_files``).
"""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from documents import services as documents

SESSION_KEY = "pending_letters"
PENDING_DIRECTORY = "pending"


class PendingLetter:
    """The letter of one form field: uploaded now, or kept since the first post.

    ``intake(upload)`` takes an upload in (permission first, then the
    intake) and answers a ``workflow.evidence.Letter``.
    """

    def __init__(self, request, policy, form, field, intake):
        self.request = request
        self.policy = policy
        self.field = field
        self.upload = form.cleaned_data.get(field)
        self.token = form.cleaned_data.get(pending_field(field)) or ""
        self.intake = intake
        self._letter = None

    def get(self):
        """The ``Letter`` to attach, or None when none was given."""
        if self._letter is None:
            if self.upload is not None:
                self._letter = self.intake(self.upload)
            elif self.token:
                self._letter = self._kept()
        return self._letter

    def keep(self):
        """Keep the uploaded letter for the confirmed post; its token, or "" if none."""
        letter = self.get()
        if letter is None:
            return ""
        if self.upload is None:
            return self.token  # already kept
        name = default_storage.save(
            f"{PENDING_DIRECTORY}/{uuid.uuid4().hex}.{letter.kind}", ContentFile(letter.content)
        )
        token = secrets.token_urlsafe(24)
        kept = self.request.session.get(SESSION_KEY, {})
        kept[token] = {
            "name": name,
            "original_name": letter.original_name,
            "policy": self.policy.pk,
        }
        self.request.session[SESSION_KEY] = kept
        self.token = token
        return token

    def carried(self):
        """The hidden field the confirm page posts back."""
        token = self.keep()
        return [(pending_field(self.field), token)] if token else []

    def sentence(self):
        """What the confirm page says of the letter, if there is one."""
        letter = self.get()
        if letter is None:
            return None
        return _("The letter “%(name)s” (SHA-256 %(sha256)s) will be attached to the record.") % {
            "name": letter.original_name,
            "sha256": letter.sha256,
        }

    def done(self):
        """The decision is recorded: the kept copy is no longer needed."""
        kept = self.request.session.get(SESSION_KEY, {})
        entry = kept.pop(self.token, None) if self.token else None
        if entry is not None:
            default_storage.delete(entry["name"])
            self.request.session[SESSION_KEY] = kept

    def _kept(self):
        entry = self.request.session.get(SESSION_KEY, {}).get(self.token)
        if entry is None or entry["policy"] != self.policy.pk:
            raise ValidationError({self.field: _gone()})
        try:
            with default_storage.open(entry["name"], "rb") as stored:
                content = stored.read()
        except OSError:
            raise ValidationError({self.field: _gone()}) from None
        return self.intake(ContentFile(content, name=entry["original_name"]))


def pending_field(field):
    return f"{field}_pending"


def _gone():
    return _("The letter attached earlier is no longer waiting. Attach it again.")


def support_intake(policy, actor, organization):
    """The intake of an institution's letter: who is asking first, then the file."""

    def intake(upload):
        return documents.support_letter(
            policy, actor=actor, organization=organization, uploaded_file=upload
        )

    return intake


def transition_intake(policy, actor, name, field):
    """The intake of a transition's letter (the decree): who is asking first, then the file."""

    def intake(upload):
        return documents.transition_letters(policy, name, actor=actor, fields={field: upload})[
            field
        ]

    return intake
