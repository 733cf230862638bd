"""Generated .docx records: the endorsement record and the portfolio report.

The builders take plain data (the dataclasses below, labels already
translated) and return bytes, so they can run inside the transaction that
endorses a policy, in a task, or in a test, without a database.

Also here: what every generated document shares (the redline report
included). Text goes in as run text, which python-docx escapes, so a
statement containing "<w:p>" stays a statement. A paragraph or cell whose
text is mostly Arabic script (Dari, Pashto, Urdu, Arabic) is written
right-to-left. The bytes depend only on the input: the core properties take
their timestamps from ``generated_at`` and the zip entries carry a fixed
date, so regenerating a record gives an identical file and hash.
"""

import io
import re
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from xml.sax.saxutils import escape

from django.utils.translation import gettext
from docx import Document
from docx.enum.text import WD_BREAK
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from documents.docx.structure import RTL, direction_of

# The w:pPr children that come after w:bidi in the schema; Word rejects a
# file whose elements are out of order.
AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
# Characters XML 1.0 forbids; lxml refuses them, so they would turn a
# stray control character in a comment into a failed record.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SPECIAL = {"\t": "<w:tab/>", "\n": "<w:br/>", "\r": "<w:br/>"}
_BREAKS = re.compile("([\t\n\r])")
_TABLE_STYLE = "Table Grid"
_GENERATOR = "policyflow"
# The font for Arabic script (Word's complex-script font), the one the web
# pages serve: readers without Urdu or Pashto fonts installed see boxes.
ARABIC_SCRIPT_FONT = "Noto Naskh Arabic"


def is_right_to_left(text):
    return direction_of(text) == RTL


def make_right_to_left(paragraph):
    """Right-to-left paragraph direction (w:bidi) and runs (w:rtl)."""
    properties = paragraph._p.get_or_add_pPr()
    if properties.find(qn("w:bidi")) is None:
        properties.insert_element_before(OxmlElement("w:bidi"), *AFTER_BIDI)
    for run in paragraph.runs:
        run.font.rtl = True
        if run.font.bold:
            run.font.cs_bold = True  # Word bolds Arabic script from w:bCs


def add_text(paragraph, text, *, bold=False, monospace=False):
    """A run of plain text: user text is never interpreted as markup."""
    run = paragraph.add_run(NOT_XML.sub("", _as_text(text)))
    if bold:
        run.bold = True
    if monospace:
        run.font.name = "Consolas"
    return run


def add_paragraph(container, text="", *, style=None, bold=False):
    """A paragraph holding ``text``, right-to-left if it is mostly Arabic script."""
    paragraph = container.add_paragraph(style=style)
    if text:
        add_text(paragraph, text, bold=bold)
    if is_right_to_left(text):
        make_right_to_left(paragraph)
    return paragraph


def add_heading(document, text, level):
    heading = document.add_heading(level=level)
    add_text(heading, text)
    if is_right_to_left(text):
        make_right_to_left(heading)
    return heading


def new_document(title, *, generated_at=None):
    """An empty document whose core properties name policyflow, not the library."""
    moment = _utc(generated_at or datetime.now(UTC))
    document = Document()
    properties = document.core_properties
    properties.title = NOT_XML.sub("", title)
    properties.author = properties.last_modified_by = _GENERATOR
    properties.comments = ""
    properties.revision = 1
    properties.created = properties.modified = moment
    for section in document.sections:
        _a4(section)
    _set_complex_script_font(document, ARABIC_SCRIPT_FONT)
    return document


def _a4(section):
    """A4 with 25 mm margins: the paper ministries and donors print on
    (python-docx's template is US Letter)."""
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)


def _set_complex_script_font(document, font):
    """Name ``font`` as w:cs in the defaults and every style (a theme font would win)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if defaults.find(qn("w:rFonts")) is None:
        defaults.insert(0, OxmlElement("w:rFonts"))
    for fonts in styles.iter(qn("w:rFonts")):
        fonts.attrib.pop(qn("w:cstheme"), None)
        fonts.set(qn("w:cs"), font)


def document_bytes(document):
    """The .docx bytes, with every zip entry dated alike so that the same
    document always gives the same bytes.

    The package is written the way ``Document.save`` writes it, but into a
    zip whose entries carry a fixed date: once, rather than saved and then
    unpacked and packed again, which doubled the cost of a long report.
    """
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    fixed = io.BytesIO()
    with zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        writer = _FixedDateWriter(target)
        PackageWriter._write_content_types_stream(writer, package.parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, package.parts)
    return fixed.getvalue()


class _FixedDateWriter:
    """What python-docx's ``PackageWriter`` writes parts to, with fixed entry dates."""

    def __init__(self, target):
        self.target = target

    def write(self, pack_uri, blob):
        stamped = zipfile.ZipInfo(pack_uri.membername, date_time=_ZIP_DATE)
        stamped.compress_type = zipfile.ZIP_DEFLATED
        stamped.external_attr = 0o600 << 16
        self.target.writestr(stamped, blob)


def add_table(document, headers, rows):
    """A grid table with a bold header row that repeats on every page."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = _TABLE_STYLE
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, headers, strict=True):
        _fill_cell(cell, text, bold=True)
    # The rows are written as XML and parsed at once: python-docx's add_row
    # and cells cost more with every row already there, so a report of
    # thousands of rows took seconds.
    cell_properties = [
        "" if tc.tcPr is None else etree.tostring(tc.tcPr, encoding="unicode")
        for tc in header._tr.tc_lst
    ]
    body = []
    for values in rows:
        body.append("<w:tr>")
        for properties, value in zip(cell_properties, values, strict=True):
            text = _as_text(value)
            paragraph = paragraph_xml([("", text)], right_to_left=is_right_to_left(text))
            body.append(f"<w:tc>{properties}{paragraph}</w:tc>")
        body.append("</w:tr>")
    for row in parse_xml_children("".join(body)):
        table._tbl.append(row)
    return table


def paragraph_xml(runs, *, right_to_left=False):
    """A w:p of ``(run properties XML, text)`` runs, as text to parse.

    The text is escaped, never markup; tabs and line breaks become w:tab and
    w:br, as python-docx's ``add_run`` makes them.
    """
    rtl = "<w:rtl/>" if right_to_left else ""
    xml = ["<w:p><w:pPr><w:bidi/></w:pPr>" if right_to_left else "<w:p>"]
    for properties, text in runs:
        text = NOT_XML.sub("", text)
        if not text:
            continue
        xml.append(f"<w:r><w:rPr>{properties}{rtl}</w:rPr>" if properties or rtl else "<w:r>")
        for piece in _BREAKS.split(text):
            if piece in _SPECIAL:
                xml.append(_SPECIAL[piece])
            elif piece:
                xml.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
        xml.append("</w:r>")
    xml.append("</w:p>")
    return "".join(xml)


def parse_xml_children(xml):
    """The elements of ``xml`` (WordprocessingML fragments), parsed in one go."""
    return list(etree.fromstring(f'<w:body xmlns:w="{W_NS}">{xml}</w:body>'))


def _fill_cell(cell, text, *, bold=False, monospace=False):
    paragraph = cell.paragraphs[0]
    add_text(paragraph, text, bold=bold, monospace=monospace)
    if is_right_to_left(_as_text(text)):
        make_right_to_left(paragraph)


def _as_text(value):
    """Cell and run text: numbers as digits, a missing value as nothing."""
    return "" if value is None else str(value)


def format_moment(value):
    """Dates as ISO 8601 (2024-05-02), times to the minute with their zone:
    records go to ministries and donors in several countries."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _utc(moment):
    # python-docx writes core-property times as UTC without converting.
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def add_text_with_fields(paragraph, text, *, fields, values=None):
    """``text`` with each ``%(name)s`` replaced by ``values[name]``, or by the
    Word field ``fields[name]`` (e.g. ``PAGE``), which Word fills in on every
    page it prints. A translation may put the placeholders in any order."""
    for position, piece in enumerate(_PLACEHOLDER.split(text)):
        is_name = position % 2 == 1
        if is_name and piece in fields:
            _add_field(paragraph, fields[piece])
        elif is_name:
            add_text(paragraph, values[piece])
        elif piece:
            add_text(paragraph, piece)


def _add_field(paragraph, instruction):
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    shown = OxmlElement("w:t")
    shown.text = "1"  # what a reader that does not update fields shows
    run.append(shown)
    field.append(run)
    paragraph._p.append(field)


def add_footer(document, generated_at):
    footer = document.sections[0].footer.paragraphs[0]
    text = gettext("Generated by policyflow on %(date)s") % {"date": format_moment(generated_at)}
    add_text(footer, text)


# The data a record is made from. Labels (decisions, actions, states) come
# translated, dates as date / datetime (or text already formatted).


@dataclass(frozen=True, kw_only=True)
class SupportRow:
    institution: str
    recorded_on: date | datetime | str
    person: str
    statement: str = ""
    decision: str = ""  # "Supported" / "Declined"; the column shows if any row has one


@dataclass(frozen=True, kw_only=True)
class LetterRow:
    """An official letter kept as evidence: of an institution's decision, or the decree."""

    proves: str  # "Letter of support: Bureau of …", "Decree of endorsement"
    name: str  # the file's name as uploaded
    sha256: str
    added_by: str
    added_on: date | datetime | str


@dataclass(frozen=True, kw_only=True)
class ReviewRow:
    version_number: int | str
    reviewer: str
    decision: str
    given_on: date | datetime | str
    comment: str = ""


@dataclass(frozen=True, kw_only=True)
class HistoryRow:
    at: date | datetime | str
    action: str
    from_state: str
    to_state: str
    actor: str
    comment: str = ""


@dataclass(frozen=True, kw_only=True)
class LanguageFileRow:
    """One file of the endorsed version: the version itself or a translation of it."""

    language: str  # the language's name
    file_name: str
    sha256: str


@dataclass(frozen=True, kw_only=True)
class EndorsementRecordData:
    reference: str  # the endorsement's reference number, printed on every page
    policy_title: str
    short_title: str
    country: str  # the country's name
    lead_ministry: str  # the ministry that endorsed
    version_number: int
    version_sha256: str
    instrument: str
    endorsed_on: date | str
    endorsed_by: str  # the person who endorsed, for the ministry
    recorded_at: datetime | str
    supports: Sequence[SupportRow] = ()
    letters: Sequence[LetterRow] = ()  # the official letters behind the decisions
    reviews: Sequence[ReviewRow] = ()  # outcomes in the record; comments in the annex
    history: Sequence[HistoryRow] = ()  # the annex; left out when empty
    # Every language the version was endorsed in, its own file first; the
    # section is left out when the version has no translation.
    language_files: Sequence[LanguageFileRow] = ()
    check_url: str = ""  # where the record can be checked against policyflow
    generated_at: datetime | None = None  # None: now


def endorsement_record_docx(record: EndorsementRecordData) -> bytes:
    """The official record of an endorsement: what was endorsed (version and
    hash), by which ministry and instrument, who supported it and the review
    outcomes, how to verify it and where to sign. Internal working material
    (review comments, the workflow history) follows in an annex."""
    generated_at = record.generated_at or datetime.now(UTC)
    title = gettext("Endorsement record")
    document = new_document(f"{title}: {record.policy_title}", generated_at=generated_at)
    add_heading(document, title, level=0)
    add_paragraph(document, record.policy_title, style="Subtitle")

    facts = document.add_table(rows=0, cols=2)
    facts.style = _TABLE_STYLE
    for label, value, monospace in (
        (gettext("Reference"), record.reference, False),
        (gettext("Policy"), record.policy_title, False),
        (gettext("Short title"), record.short_title, False),
        (gettext("Country"), record.country, False),
        (gettext("Lead ministry"), record.lead_ministry, False),
        (gettext("Endorsed version"), record.version_number, False),
        (gettext("SHA-256 of the endorsed version"), record.version_sha256, True),
        (gettext("Instrument of endorsement"), record.instrument, False),
        (gettext("Date of endorsement"), format_moment(record.endorsed_on), False),
        (
            gettext("Endorsed by"),
            gettext("%(person)s, for %(ministry)s")
            % {"person": record.endorsed_by, "ministry": record.lead_ministry},
            False,
        ),
        (gettext("Recorded in policyflow"), format_moment(record.recorded_at), False),
    ):
        label_cell, value_cell = facts.add_row().cells
        _fill_cell(label_cell, label, bold=True)
        _fill_cell(value_cell, value, monospace=monospace)

    if len(record.language_files) > 1:
        add_heading(document, gettext("Languages of the endorsed version"), level=1)
        add_table(
            document,
            (gettext("Language"), gettext("File"), gettext("SHA-256")),
            [(f.language, f.file_name, f.sha256) for f in record.language_files],
        )

    add_heading(document, gettext("Institutional support"), level=1)
    if record.supports:
        _add_support_table(document, record.supports)
    else:
        add_paragraph(document, gettext("No institutional support was recorded."))
    if record.letters:
        _add_letters(document, record.letters)

    add_heading(document, gettext("Expert review"), level=1)
    if record.reviews:
        add_table(
            document,
            (gettext("Version"), gettext("Reviewer"), gettext("Decision"), gettext("Date")),
            [
                (r.version_number, r.reviewer, r.decision, format_moment(r.given_on))
                for r in record.reviews
            ],
        )
    else:
        add_paragraph(document, gettext("No reviews were recorded."))

    _add_verification(document, record)
    _add_annex(document, record)
    _add_record_footer(document, record.reference, generated_at)
    return document_bytes(document)


def _add_verification(document, record):
    add_heading(document, gettext("Verification"), level=1)
    add_paragraph(
        document,
        gettext(
            "The endorsed version is the file whose SHA-256 checksum is %(sha256)s. To verify "
            "a copy, compute its checksum and compare: on Windows, certutil -hashfile FILE "
            "SHA256; on Linux or macOS, sha256sum FILE (FILE being the name of the copy)."
        )
        % {"sha256": record.version_sha256},
    )
    if record.check_url:
        add_paragraph(
            document,
            gettext(
                "This record can be checked in policyflow at %(url)s (reference %(reference)s)."
            )
            % {"url": record.check_url, "reference": record.reference},
        )
    add_heading(document, gettext("Signature"), level=1)
    add_paragraph(document, gettext("For %(ministry)s:") % {"ministry": record.lead_ministry})
    signature = document.add_table(rows=0, cols=2)
    signature.style = _TABLE_STYLE
    for label in (
        gettext("Name and title"),
        gettext("Signature"),
        gettext("Date"),
        gettext("Seal"),
    ):
        label_cell, value_cell = signature.add_row().cells
        _fill_cell(label_cell, label, bold=True)
        _fill_cell(value_cell, "")


def _add_annex(document, record):
    """Review comments and the workflow history: the working record behind
    the decision, kept apart from the official part on a page of its own."""
    commented = [r for r in record.reviews if r.comment]
    if not commented and not record.history:
        return
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    add_heading(document, gettext("Annex: working record (not part of the endorsement)"), level=1)
    if commented:
        add_heading(document, gettext("Review comments"), level=2)
        add_table(
            document,
            (gettext("Version"), gettext("Reviewer"), gettext("Date"), gettext("Comment")),
            [
                (r.version_number, r.reviewer, format_moment(r.given_on), r.comment)
                for r in commented
            ],
        )
    if record.history:
        add_heading(document, gettext("Workflow history"), level=2)
        headers = (gettext("Date"), gettext("Action"), gettext("From"), gettext("To"))
        add_table(
            document,
            (*headers, gettext("By"), gettext("Comment")),
            [
                (format_moment(h.at), h.action, h.from_state, h.to_state, h.actor, h.comment)
                for h in record.history
            ],
        )


def _add_record_footer(document, reference, generated_at):
    """Every page: the reference, the page number and when the file was made."""
    footer = document.sections[0].footer.paragraphs[0]
    add_text_with_fields(
        footer,
        gettext("Endorsement record %(reference)s · page %(page)s of %(pages)s"),
        fields={"page": "PAGE", "pages": "NUMPAGES"},
        values={"reference": reference},
    )
    generated = document.sections[0].footer.add_paragraph()
    add_text(
        generated,
        gettext("Generated by policyflow on %(date)s") % {"date": format_moment(generated_at)},
    )


def _add_letters(document, letters):
    """The letters kept as evidence, each with the checksum that identifies its file."""
    add_heading(document, gettext("Official letters"), level=1)
    add_paragraph(
        document,
        gettext(
            "Each letter is kept in policyflow as it was received; a copy is the same file "
            "when its SHA-256 checksum is the one listed here."
        ),
    )
    table = add_table(
        document,
        (gettext("Letter"), gettext("File"), gettext("SHA-256"), gettext("Added by")),
        [
            (
                letter.proves,
                letter.name,
                letter.sha256,
                f"{letter.added_by}, {format_moment(letter.added_on)}",
            )
            for letter in letters
        ],
    )
    for row in table.rows[1:]:
        cell = row.cells[2]
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.font.name = "Courier New"


def _add_support_table(document, supports):
    with_decision = any(s.decision for s in supports)
    headers = [gettext("Institution"), gettext("Date"), gettext("Person")]
    if with_decision:
        headers.append(gettext("Decision"))
    headers.append(gettext("Statement"))
    rows = []
    for s in supports:
        row = [s.institution, format_moment(s.recorded_on), s.person]
        if with_decision:
            row.append(s.decision)
        rows.append((*row, s.statement))
    add_table(document, headers, rows)


@dataclass(frozen=True, kw_only=True)
class PortfolioRow:
    country: str  # the country's name
    policy: str  # the policy's title
    state: str  # the state's label
    last_step: str = ""  # the last action's label; "" if nothing happened yet
    last_step_on: date | datetime | str | None = None
    waiting_for: str = ""


@dataclass(frozen=True, kw_only=True)
class PortfolioData:
    generated_for: str
    # [(country name, its rows)] in the order the report prints them; "" for
    # rows without a country.
    countries: Sequence[tuple[str, Sequence[PortfolioRow]]] = ()
    # Policies per state label, in the order the summary lists them (give
    # workflow order, zeros included, to show every state); None: counted
    # from the rows.
    state_counts: Mapping[str, int] | None = None
    generated_at: datetime | None = None  # None: now

    @property
    def rows(self):
        return [row for _, rows in self.countries for row in rows]


def portfolio_report_docx(report: PortfolioData) -> bytes:
    """Where every policy stands: counts per state, then one table per
    country, in the order given."""
    generated_at = report.generated_at or datetime.now(UTC)
    title = gettext("Portfolio status report")
    document = new_document(title, generated_at=generated_at)
    add_heading(document, title, level=0)
    add_paragraph(
        document,
        gettext("Generated on %(date)s for %(recipient)s.")
        % {"date": format_moment(generated_at), "recipient": report.generated_for},
    )

    add_heading(document, gettext("Policies by state"), level=1)
    counts = report.state_counts
    if counts is None:
        counted = Counter(row.state for row in report.rows)
        counts = {state: counted[state] for state in sorted(counted, key=str.casefold)}
    add_table(
        document,
        [gettext("State"), gettext("Policies")],
        [*counts.items(), (gettext("Total"), sum(counts.values()))],
    )

    if not report.rows:
        add_paragraph(document, gettext("There are no policies to report."))
    for country, rows in report.countries:
        add_heading(document, country or gettext("No country"), level=1)
        add_table(
            document,
            [gettext("Policy"), gettext("State"), gettext("Last step"), gettext("Waiting for")],
            [(row.policy, row.state, _last_step(row), row.waiting_for) for row in rows],
        )

    add_footer(document, generated_at)
    return document_bytes(document)


def _last_step(row):
    if not row.last_step:
        return ""
    if row.last_step_on in (None, ""):
        return row.last_step
    return gettext("%(action)s on %(date)s") % {
        "action": row.last_step,
        "date": format_moment(row.last_step_on),
    }
