"""An official letter that passed the intake, as the services take it.

Letters of support and endorsement decrees are checked by the intake in
``documents`` (``documents.services.validate_evidence``), which sits above
the workflow; the workflow only stores what the intake hands it, under
the policy's lock and in the same transaction as the decision it proves.
This value object is the whole of what crosses the layers: the bytes and
what the intake learned of them.
"""

import hashlib
from dataclasses import dataclass

# The transition inputs (``Step.fields``) that are official letters: every door
# takes them in (``documents.services.validate_evidence``) before the service.
LETTER_FIELDS = frozenset({"decree"})


@dataclass(frozen=True)
class Letter:
    kind: str  # "pdf" or "docx" (``Evidence.Kind``)
    original_name: str
    content: bytes
    sha256: str
    pages: int | None = None  # a PDF's; None for a .docx
    text: str = ""  # the text layer, bounded; empty for a scan
    links: tuple = ()  # the web addresses a PDF links to (allowed, and listed)

    @property
    def size(self):
        return len(self.content)

    def intact(self):
        """Whether the bytes are still those the intake hashed."""
        return hashlib.sha256(self.content).hexdigest() == self.sha256

    def summary(self):
        """What an audit entry says of it."""
        return {"name": self.original_name, "sha256": self.sha256, "kind": self.kind}


# The intake that turns an upload into a ``Letter``, installed by ``documents``
# (its app's ``ready``): the admin, which lives in the workflow, takes letters
# in through it without importing the layer above.
_intake = None


def register_intake(intake):
    """Install ``intake(uploaded_file) -> Letter`` (``documents.services.validate_evidence``)."""
    global _intake
    _intake = intake


def take_in(uploaded_file, field):
    """The ``Letter`` of ``uploaded_file``; its refusal as a ``ValidationError`` on ``field``."""
    from django.core.exceptions import ImproperlyConfigured, ValidationError

    if _intake is None:
        raise ImproperlyConfigured("No intake for official letters is installed (documents).")
    try:
        return _intake(uploaded_file)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from None
