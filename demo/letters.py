"""The demo's official letters: an institution's letter on its decision and the
ministry's decree, written as PDFs on a plain letterhead (fpdf2, a dev extra
that ``make demo`` installs) and taken in like any upload."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from documents.services import validate_evidence


def _latin(text):
    """fpdf2's core fonts write Latin-1: dashes and quotes become their plain forms."""
    plain = {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
    return "".join(plain.get(c, c) for c in text).encode("latin-1", "replace").decode("latin-1")


def _pdf(issuer, reference, date, subject, paragraphs, signatory):
    pdf = FPDF(format="A4")
    # Dated as the letter is: the same letter writes the same bytes.
    pdf.set_creation_date(datetime.datetime.combine(date, datetime.time(9), datetime.UTC))
    pdf.set_title(_latin(subject))
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.multi_cell(0, 8, _latin(issuer), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(40, 70, 120)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(8)
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, _latin(f"Ref.: {reference}"), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, _latin(f"Date: {date:%d %B %Y}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.multi_cell(0, 7, _latin(subject), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, _latin(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.ln(12)
    pdf.multi_cell(0, 6, _latin(f"(signed)\n{signatory}\nfor the {issuer}"))
    return bytes(pdf.output())


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
