"""The demo's official letters: an institution's letter on its decision and the
ministry's decree, written as one-page PDFs on a plain letterhead and taken in
like any upload.

The PDF is written here, in a few lines, with the standard Helvetica fonts
every reader has (nothing embedded) and a text layer: the demo needs no PDF
library, so it loads wherever the app runs, the Docker image included.
"""

import textwrap
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.services import validate_evidence

LEFT, TOP, LINE = 72, 770, 15
WRAP = 85  # characters of 11-point Helvetica across an A4 page's text width


def _text(value):
    """A PDF string of ``value`` in WinAnsi (cp1252), the standard fonts' encoding."""
    raw = value.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _pdf(issuer, reference, date, subject, paragraphs, signatory):
    lines = [(b"/F2 14", issuer), (b"/F1 10", ""), (b"/F1 10", f"Ref.: {reference}")]
    lines += [(b"/F1 10", f"Date: {date:%d %B %Y}"), (b"/F1 10", ""), (b"/F2 11", subject)]
    for paragraph in paragraphs:
        lines.append((b"/F1 11", ""))
        lines += [(b"/F1 11", line) for line in textwrap.wrap(paragraph, WRAP)]
    lines += [(b"/F1 11", ""), (b"/F1 11", ""), (b"/F1 11", "(signed)")]
    lines += [(b"/F1 11", signatory), (b"/F1 11", f"for the {issuer}")]
    content = [
        b"0.16 0.27 0.47 RG 1.5 w 72 755 m 523 755 l S",
        b"BT %d %d Td %d TL" % (LEFT, TOP, LINE),
    ]
    for font, line in lines:
        content.append(font + b" Tf " + _text(line) + b" '")
    content.append(b"ET")
    stream = zlib.compress(b"\n".join(content))
    stamp = f"D:{date:%Y%m%d}090000Z".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title "
        + _text(subject)
        + b" /Producer (policyflow demo) /CreationDate ("
        + stamp
        + b") >>",
    ]
    out = [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"]
    offsets, position = [], len(out[0])
    for number, body in enumerate(objects, start=1):
        chunk = b"%d 0 obj\n" % number + body + b"\nendobj\n"
        offsets.append(position)
        out.append(chunk)
        position += len(chunk)
    out.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out += [b"%010d 00000 n \n" % offset for offset in offsets]
    out.append(b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\n" % (len(objects) + 1))
    out.append(b"startxref\n%d\n%%%%EOF\n" % position)
    return b"".join(out)


def support_letter(*, institution, policy_title, version, supported, date, signatory, number):
    """The institution's letter on its decision, as a ``workflow.evidence.Letter``."""
    if supported:
        subject = f"Support for the {policy_title}"
        paragraphs = [
            f"The {institution} has examined version {version} of the {policy_title} "
            "and supports its adoption.",
            "We remain available to contribute to its implementation.",
        ]
    else:
        subject = f"Decision on the {policy_title}"
        paragraphs = [
            f"The {institution} has examined version {version} of the {policy_title} "
            "and cannot support it in its present form.",
            "Our detailed observations follow under separate cover.",
        ]
    data = _pdf(institution, f"L-{number:03d}/{date.year}", date, subject, paragraphs, signatory)
    return validate_evidence(SimpleUploadedFile(f"Letter {number:03d} - {institution}.pdf", data))


def decree(*, ministry, policy_title, version, instrument, date, signatory):
    """The ministry's decree of endorsement, as a ``workflow.evidence.Letter``."""
    data = _pdf(
        ministry,
        instrument,
        date,
        f"{instrument}: endorsement of the {policy_title}",
        [
            f"Version {version} of the {policy_title} is hereby endorsed as national policy.",
            "The ministries concerned shall implement it within their mandates.",
        ],
        signatory,
    )
    return validate_evidence(SimpleUploadedFile(f"{instrument}.pdf".replace("/", "-"), data))
