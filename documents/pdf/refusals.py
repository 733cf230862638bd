"""What someone attaching a letter is told when a PDF is refused, by rule.

Each refusal is a ``ValidationError`` whose message says what is wrong and
what to do, with a ``code`` per rule that callers and tests rely on.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REPRINT = _("Print the letter to PDF again (or scan it again) without it, and attach the new file.")
MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is %(size)s MiB; the limit is %(limit)s MiB."),
    "unsupported_type": _(
        "Attach the letter as a PDF (.pdf) or a Word document (.docx); “%(name)s” is neither."
    ),
    "not_pdf": _("The file is named .pdf but is not a PDF. Attach the PDF itself."),
    "not_pdf:docx": _(
        "The file is named .pdf but is a Word document. Rename it to .docx, or save it "
        "as PDF, and attach it again."
    ),
    "pdf_named_docx": _(
        "The file is named .docx but is a PDF. Rename it to .pdf and attach it again."
    ),
    "truncated": _(
        "The PDF is cut off: its end is missing, as when a download or a copy was "
        "interrupted. Attach a complete copy."
    ),
    "corrupt": _("The PDF is damaged and cannot be read. Save or scan it again and attach that."),
    "encrypted": _(
        "The PDF is password-protected or encrypted. Remove the password (print it to PDF "
        "again) and attach that copy: the record must be readable by everyone who checks it."
    ),
    "no_pages": _("The PDF has no pages."),
    "too_many_pages": _(
        "The PDF has %(pages)s pages; the limit is %(limit)s. Attach the letter alone."
    ),
    "javascript": _("The PDF contains JavaScript, which runs when it is opened. %(reprint)s"),
    "launch": _(
        "The PDF contains an action that starts a program or opens a file on the reader's "
        "computer. %(reprint)s"
    ),
    "submit_form": _(
        "The PDF contains a form that sends what is typed into it to another computer. %(reprint)s"
    ),
    "import_data": _(
        "The PDF contains an action that loads data from another file into its form. %(reprint)s"
    ),
    "remote_link": _(
        "The PDF contains a link that opens another PDF file (%(target)s). %(reprint)s"
    ),
    "embedded_file": _(
        "The PDF carries other files inside it (attachments), which policyflow cannot "
        "check. %(reprint)s"
    ),
    "xfa": _(
        "The PDF is an XFA form, whose content only some readers show and which can run "
        "scripts. Print it to PDF and attach that copy."
    ),
    "stream_too_large": _(
        "The PDF contains content that unpacks to more than %(limit)s MiB, as files built "
        "to overload servers do; it cannot be accepted. %(reprint)s"
    ),
    "unreadable": _(
        "The PDF could not be read within the time allowed. Save or scan it again and attach that."
    ),
}


def refusal(key, **params):
    """The ``ValidationError`` for message ``key``; its code is the key up to any colon."""
    message = str(MESSAGES[key] % {"reprint": REPRINT, **params})
    return ValidationError(message, code=key.split(":")[0])


def shown(text, limit=80):
    """A target as a message may quote it: hostile ones can be long."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
