"""What a drafter is told when an upload is refused, by rule.

Each refusal is a ``ValidationError`` whose message says what is wrong and
what to do, with a ``code`` per rule that callers and tests rely on.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RESAVE = _("Open it in Word, save it as a Word Document (.docx) and upload that.")
# What a drafter is told, by rule: the key is the error's code, or the code and
# a colon and a variant.
MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is %(size)s MiB; the limit is %(limit)s MiB."),
    "password_protected": _(
        "The file is password-protected or in the old Word 97-2003 (.doc) format. "
        "Remove the password, save it as a Word Document (.docx) and upload that."
    ),
    "not_zip": _("The file is not a Word (.docx) document. %(resave)s"),
    "corrupt": _("The file is damaged and cannot be read. %(resave)s"),
    "too_many_entries": _(
        "The file has more than %(limit)s parts, far more than a Word document has."
    ),
    "too_large_uncompressed": _(
        "Unpacked, the file would take more than %(limit)s MiB. Reduce the size of its "
        "pictures and upload it again."
    ),
    "compression_ratio": _(
        "The file contains a part (%(name)s) that unpacks to more than %(ratio)s times its "
        "packed size, as files built to overload servers do; it cannot be accepted."
    ),
    "compression_method": _("The file is packed in a way Word never uses. %(resave)s"),
    "unsafe_name": _(
        "The file contains a part with an unsafe name (%(name)s), which Word never "
        "writes; it cannot be accepted."
    ),
    "duplicate_name": _("The file contains the part %(name)s twice. %(resave)s"),
    "not_docx_main": _(
        "The file is a zip package without a Word document's main part, so it is not a "
        "Word (.docx) document. %(resave)s"
    ),
    "too_much_text": _(
        "The document's text and markup unpack to %(size)s MiB, more than the %(limit)s MiB "
        "policyflow reads. Remove unused content or split the document, and upload it again."
    ),
    "not_docx_main:kind": _("The file is %(kind)s, not a Word document. %(resave)s"),
    "active_content:macros": _(
        "The document contains macros (active content). Save it in Word as a Word "
        "Document (.docx), which removes them, and upload that."
    ),
    "active_content:activex": _(
        "The document contains ActiveX controls (active content). Remove them in Word "
        "and upload the document again."
    ),
    "active_content:embedded": _(
        "The document contains an embedded object that can run code (active content). "
        "Remove it or paste it as a picture, and upload the document again."
    ),
    "external_reference": _(
        "When opened, the document loads a file from elsewhere (%(target)s) as a template, "
        "sub-document, frame or linked object. Remove that link and upload it again."
    ),
    "linked_content": _(
        "When opened, the document fetches a picture or other content from another computer "
        "(%(target)s), which tells that computer who reads it; insert the content itself "
        "instead of a link to it, and upload the document again."
    ),
    "remote_field": _(
        "The document contains a %(field)s field, which makes Word fetch content from another "
        "computer or start a program; remove the field, or turn it into plain text "
        "(Ctrl+Shift+F9), and upload the document again."
    ),
    "embedded_chunk": _(
        "The document contains content in another format (%(name)s) that Word converts when "
        "it opens the file and that reviewers in policyflow would not see; open the document "
        "in Word, save it (Word then makes that content ordinary text) and upload it again."
    ),
    "mistyped_part": _(
        "The document's part %(name)s is read as text and markup but is declared as "
        "something else, which Word never writes; it cannot be accepted."
    ),
    "unreferenced_part": _(
        "The file contains a part (%(name)s) that the document never refers to, which Word "
        "never writes; it cannot be accepted. %(resave)s"
    ),
    "doctype": _(
        "The document contains a document type declaration (<!DOCTYPE>) in %(name)s, "
        "which Word never writes and which can be used to attack the server."
    ),
    "unreadable": _("The file is not a readable Word document. %(resave)s"),
}
MAIN_KINDS = {  # what a main part's content type says the file is, by a mark in it
    ("ms-word.template.macroenabled",): _("a macro-enabled Word template (.dotm)"),
    ("ms-word.document.macroenabled",): _("a macro-enabled Word document (.docm)"),
    ("wordprocessingml.template",): _("a Word template (.dotx)"),
    ("spreadsheetml", "ms-excel"): _("a spreadsheet (Excel)"),
    ("presentationml", "ms-powerpoint"): _("a presentation (PowerPoint)"),
}


def refusal(key, **params):
    """The ``ValidationError`` for message ``key``; its code is the key up to any colon."""
    message = str(MESSAGES[key] % {"resave": RESAVE, **params})
    return ValidationError(message, code=key.split(":")[0])


def shown(name, limit=80):
    """A part name or link as a message may quote it: hostile ones can be long."""
    return name if len(name) <= limit else name[: limit - 1] + "…"
