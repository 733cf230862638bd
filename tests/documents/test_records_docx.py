"""The generated .docx records, built from plain data (no database)."""

import io
from datetime import UTC, date, datetime

import pytest
from docx import Document
from docx.oxml.ns import qn

from documents.docx.records import (
    EndorsementRecordData,
    HistoryRow,
    PortfolioData,
    PortfolioRow,
    ReviewRow,
    SupportRow,
    add_table,
    document_bytes,
    endorsement_record_docx,
    is_right_to_left,
    new_document,
    portfolio_report_docx,
)

WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
DARI_STATEMENT = "وزارت امور مهاجرین و عودت کنندگان از این سیاست حمایت می‌کند."


def rtl(paragraph):
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(qn("w:bidi")) is not None


def table_rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def opened(content):
    return Document(io.BytesIO(content))


def endorsement(**changes):
    data = {
        "reference": "PF-2026-00045",
        "check_url": "https://policyflow.example.org/policies/45/",
        "policy_title": "National Comprehensive Migration Policy",
        "short_title": "NCMP",
        "country": "Afghanistan",
        "lead_ministry": "Ministry of Refugees and Repatriation",
        "version_number": 4,
        "version_sha256": SHA256,
        "instrument": "Cabinet decision 45/2026",
        "endorsed_on": date(2026, 11, 19),
        "endorsed_by": "Minister A. Karimi",
        "recorded_at": datetime(2026, 11, 19, 14, 5, tzinfo=UTC),
        "supports": [
            SupportRow(
                institution="Ministry of Labour and Social Affairs",
                recorded_on=date(2026, 10, 2),
                person="Deputy Minister B. Rahimi",
                statement="We support the policy as drafted.",
                decision="Supported",
            ),
            SupportRow(
                institution="وزارت امور مهاجرین",
                recorded_on=datetime(2026, 10, 5, 8, 0, tzinfo=UTC),
                person="آقای ن. احمدی",
                statement=DARI_STATEMENT,
                decision="Supported",
            ),
        ],
        "reviews": [
            ReviewRow(
                version_number=3,
                reviewer="Dr C. Novak",
                decision="Revision requested",
                given_on=date(2026, 8, 1),
                comment="Chapter 4 lacks indicators.",
            ),
            ReviewRow(
                version_number=4,
                reviewer="Dr C. Novak",
                decision="Approved",
                given_on=date(2026, 9, 1),
                comment="Sound.",
            ),
        ],
        "history": [
            HistoryRow(
                at=datetime(2026, 9, 2, 10, 0, tzinfo=UTC),
                action="Clear review",
                from_state="Expert review",
                to_state="Institutional support",
                actor="E. Coordinator",
            ),
        ],
        "generated_at": WHEN,
    }
    data.update(changes)
    return EndorsementRecordData(**data)


def test_endorsement_record_states_what_was_endorsed():
    document = opened(endorsement_record_docx(endorsement()))
    assert document.paragraphs[0].text == "Endorsement record"
    facts = dict(table_rows(document.tables[0]))
    assert facts == {
        "Reference": "PF-2026-00045",
        "Policy": "National Comprehensive Migration Policy",
        "Short title": "NCMP",
        "Country": "Afghanistan",
        "Lead ministry": "Ministry of Refugees and Repatriation",
        "Endorsed version": "4",
        "SHA-256 of the endorsed version": SHA256,
        "Instrument of endorsement": "Cabinet decision 45/2026",
        "Date of endorsement": "2026-11-19",
        "Endorsed by": "Minister A. Karimi, for Ministry of Refugees and Repatriation",
        "Recorded in policyflow": "2026-11-19 14:05 UTC",
    }


def test_endorsement_record_lists_every_supporting_institution():
    document = opened(endorsement_record_docx(endorsement()))
    assert table_rows(document.tables[1]) == [
        ["Institution", "Date", "Person", "Decision", "Statement"],
        [
            "Ministry of Labour and Social Affairs",
            "2026-10-02",
            "Deputy Minister B. Rahimi",
            "Supported",
            "We support the policy as drafted.",
        ],
        [
            "وزارت امور مهاجرین",
            "2026-10-05 08:00 UTC",
            "آقای ن. احمدی",
            "Supported",
            DARI_STATEMENT,
        ],
    ]


def test_arabic_script_cells_read_right_to_left():
    document = opened(endorsement_record_docx(endorsement()))
    english_row, dari_row = document.tables[1].rows[1:]
    statement = dari_row.cells[4].paragraphs[0]
    assert rtl(statement)
    assert all(run.font.rtl for run in statement.runs)
    assert rtl(dari_row.cells[0].paragraphs[0])
    assert not rtl(dari_row.cells[1].paragraphs[0])  # the date
    assert not rtl(english_row.cells[4].paragraphs[0])


@pytest.mark.parametrize(
    "build",
    [
        lambda: endorsement_record_docx(endorsement()),
        lambda: portfolio_report_docx(PortfolioData(generated_for="EU Delegation")),
    ],
)
def test_arabic_script_is_set_in_noto_naskh_arabic(build):
    styles = opened(build()).styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:cs")) == "Noto Naskh Arabic"
    every = list(styles.iter(qn("w:rFonts")))
    # A theme font for complex script would take precedence over the named one.
    assert all(fonts.get(qn("w:cstheme")) is None for fonts in every)
    assert {fonts.get(qn("w:cs")) for fonts in every} == {"Noto Naskh Arabic"}


def official_part_and_annex(document):
    """The record's paragraphs and tables before the annex, and those after it."""
    body = document.element.body
    annex = next(p for p in document.paragraphs if p.text.startswith("Annex"))
    position = list(body).index(annex._p)
    return body[:position], body[position:]


def text_of(element):
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def texts(elements):
    return "\n".join(text_of(e) for e in elements)


def test_endorsement_record_gives_review_outcomes_and_keeps_comments_for_the_annex():
    document = opened(endorsement_record_docx(endorsement()))
    assert table_rows(document.tables[2]) == [
        ["Version", "Reviewer", "Decision", "Date"],
        ["3", "Dr C. Novak", "Revision requested", "2026-08-01"],
        ["4", "Dr C. Novak", "Approved", "2026-09-01"],
    ]
    official, annex = official_part_and_annex(document)
    assert "Chapter 4 lacks indicators." not in texts(official)
    assert "Clear review" not in texts(official)
    assert "Annex: working record (not part of the endorsement)" in texts(annex)
    # The annex starts on a page of its own.
    assert official[-1].findall(".//" + qn("w:br"))[0].get(qn("w:type")) == "page"
    comments, history = document.tables[-2:]
    assert table_rows(comments) == [
        ["Version", "Reviewer", "Date", "Comment"],
        ["3", "Dr C. Novak", "2026-08-01", "Chapter 4 lacks indicators."],
        ["4", "Dr C. Novak", "2026-09-01", "Sound."],
    ]
    assert table_rows(history) == [
        ["Date", "Action", "From", "To", "By", "Comment"],
        [
            "2026-09-02 10:00 UTC",
            "Clear review",
            "Expert review",
            "Institutional support",
            "E. Coordinator",
            "",
        ],
    ]


def test_endorsement_record_says_how_to_verify_it_and_where_to_sign():
    document = opened(endorsement_record_docx(endorsement()))
    official, _ = official_part_and_annex(document)
    text = texts(official)
    assert f"The endorsed version is the file whose SHA-256 checksum is {SHA256}." in text
    assert "sha256sum FILE" in text
    assert "certutil -hashfile FILE SHA256" in text
    assert "https://policyflow.example.org/policies/45/ (reference PF-2026-00045)" in text
    assert "For Ministry of Refugees and Repatriation:" in text
    signature = document.tables[3]
    assert [row[0] for row in table_rows(signature)] == [
        "Name and title",
        "Signature",
        "Date",
        "Seal",
    ]


def test_endorsement_record_is_a4_with_the_reference_and_page_numbers_on_every_page():
    document = opened(endorsement_record_docx(endorsement()))
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footer = document.sections[0].footer
    numbered = footer.paragraphs[0]
    assert text_of(numbered._p) == "Endorsement record PF-2026-00045 · page 1 of 1"
    instructions = [f.get(qn("w:instr")).strip() for f in numbered._p.findall(qn("w:fldSimple"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[1].text == "Generated by policyflow on 2026-11-20 09:30 UTC"


def test_portfolio_report_is_a4_too():
    document = opened(portfolio_report_docx(portfolio()))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_endorsement_record_without_history_or_decisions():
    supports = [SupportRow(institution="Ministry of Labour", recorded_on="2 Oct 2026", person="B")]
    document = opened(endorsement_record_docx(endorsement(supports=supports, history=[])))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Institutional support",
        "Expert review",
        "Verification",
        "Signature",
        "Annex: working record (not part of the endorsement)",
        "Review comments",
    ]
    assert table_rows(document.tables[1]) == [
        ["Institution", "Date", "Person", "Statement"],
        ["Ministry of Labour", "2 Oct 2026", "B", ""],
    ]


def test_user_text_is_never_markup():
    hostile = '</w:t></w:r><w:r><w:t>forged</w:t> & <b>"x"</b>\x0b\x00'
    document = opened(endorsement_record_docx(endorsement(instrument=hostile)))
    facts = dict(table_rows(document.tables[0]))
    assert facts["Instrument of endorsement"] == hostile.replace("\x0b", "").replace("\x00", "")


def test_endorsement_record_is_the_same_bytes_every_time():
    assert endorsement_record_docx(endorsement()) == endorsement_record_docx(endorsement())
    document = opened(endorsement_record_docx(endorsement()))
    assert document.core_properties.created == WHEN
    assert document.core_properties.title == (
        "Endorsement record: National Comprehensive Migration Policy"
    )


def portfolio(**changes):
    pakistan = [
        PortfolioRow(
            country="Pakistan",
            policy="Labour Migration Data Strategy",
            state="Drafting",
        ),
        PortfolioRow(
            country="Pakistan",
            policy="National Emigration and Welfare Policy for Overseas Pakistanis",
            state="Institutional support",
            last_step="Clear review",
            last_step_on=datetime(2026, 9, 2, 10, 0, tzinfo=UTC),
            waiting_for="Bureau of Emigration and Overseas Employment",
        ),
    ]
    iraq = [
        PortfolioRow(
            country="Iraq",
            policy="Policy on Engagement with Iraqis Abroad",
            state="Awaiting endorsement",
            last_step="Record support",
            last_step_on=date(2026, 10, 1),
            waiting_for="Ministry of Migration and Displacement",
        )
    ]
    afghanistan = [
        PortfolioRow(
            country="Afghanistan",
            policy="National Comprehensive Migration Policy",
            state="Endorsed",
            last_step="Endorse",
            last_step_on=date(2026, 11, 19),
        )
    ]
    data = {
        "generated_for": "EU Delegation (observer)",
        "countries": [("Afghanistan", afghanistan), ("Iraq", iraq), ("Pakistan", pakistan)],
        "state_counts": {
            "Drafting": 1,
            "Expert review": 0,
            "Institutional support": 1,
            "Awaiting endorsement": 1,
            "Endorsed": 1,
        },
        "generated_at": WHEN,
    }
    data.update(changes)
    return PortfolioData(**data)


def test_portfolio_report_prints_a_table_per_country_in_the_order_given():
    document = opened(portfolio_report_docx(portfolio()))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Portfolio status report"
    assert "Generated on 2026-11-20 09:30 UTC for EU Delegation (observer)." in texts
    countries = [p.text for p in document.paragraphs if p.style.name == "Heading 1"][1:]
    assert countries == ["Afghanistan", "Iraq", "Pakistan"]
    afghanistan, iraq, pakistan = document.tables[1:]
    assert table_rows(afghanistan)[1] == [
        "National Comprehensive Migration Policy",
        "Endorsed",
        "Endorse on 2026-11-19",
        "",
    ]
    assert table_rows(pakistan) == [
        ["Policy", "State", "Last step", "Waiting for"],
        ["Labour Migration Data Strategy", "Drafting", "", ""],
        [
            "National Emigration and Welfare Policy for Overseas Pakistanis",
            "Institutional support",
            "Clear review on 2026-09-02 10:00 UTC",
            "Bureau of Emigration and Overseas Employment",
        ],
    ]
    assert table_rows(iraq)[1][3] == "Ministry of Migration and Displacement"


def test_portfolio_report_counts_policies_per_state_in_the_given_order():
    document = opened(portfolio_report_docx(portfolio()))
    assert table_rows(document.tables[0]) == [
        ["State", "Policies"],
        ["Drafting", "1"],
        ["Expert review", "0"],
        ["Institutional support", "1"],
        ["Awaiting endorsement", "1"],
        ["Endorsed", "1"],
        ["Total", "4"],
    ]


def test_portfolio_report_counts_states_itself_when_not_given():
    document = opened(portfolio_report_docx(portfolio(state_counts=None)))
    assert table_rows(document.tables[0]) == [
        ["State", "Policies"],
        ["Awaiting endorsement", "1"],
        ["Drafting", "1"],
        ["Endorsed", "1"],
        ["Institutional support", "1"],
        ["Total", "4"],
    ]


def test_empty_portfolio_report():
    document = opened(portfolio_report_docx(portfolio(countries=[], state_counts=None)))
    texts = [p.text for p in document.paragraphs]
    assert "There are no policies to report." in texts
    assert table_rows(document.tables[0]) == [["State", "Policies"], ["Total", "0"]]


def test_arabic_country_heading_and_policy_read_right_to_left():
    row = PortfolioRow(country="العراق", policy="سياسة التعامل مع العراقيين في الخارج", state="x")
    document = opened(
        portfolio_report_docx(portfolio(countries=[("العراق", [row])], state_counts=None))
    )
    assert rtl(next(p for p in document.paragraphs if p.text == "العراق"))
    assert rtl(document.tables[1].rows[1].cells[0].paragraphs[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سیاست ملی مهاجرت", True),  # Dari
        ("قومی پالیسی برائے بیرون ملک پاکستانی", True),  # Urdu
        ("ﻣﻬﺎﺟﺮﺕ", True),  # presentation forms
        ("Policy 2026 سیاست", False),  # one Arabic-script word of two
        ("Policy سیاست ملی", True),  # two of three
        ("١٢٣ 2026", False),  # digits are not letters
        ("", False),
    ],
)
def test_right_to_left_when_most_letters_are_arabic_script(text, expected):
    assert is_right_to_left(text) is expected


def test_table_rows_keep_their_text_width_and_direction():
    document = new_document("T")
    add_table(document, ["A", "B"], [("one\ttwo", 3), ("سیاست ملی", None), ("<w:p/> & x", "a\nb")])
    table = Document(io.BytesIO(document_bytes(document))).tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["A", "B"],
        ["one\ttwo", "3"],
        ["سیاست ملی", ""],
        ["<w:p/> & x", "a\nb"],
    ]
    arabic = table.rows[2].cells[0].paragraphs[0]
    assert arabic._p.pPr.find(qn("w:bidi")) is not None
    assert arabic.runs[0].font.rtl
    header, row = table.rows[0].cells[0], table.rows[1].cells[0]
    assert row.width == header.width


def test_the_record_lists_the_official_letters_with_their_checksums():
    from documents.docx.records import LetterRow

    letters = [
        LetterRow(
            proves="Letter of وزارت امور مهاجرین (supported)",
            name="نامه حمایت.pdf",
            sha256=SHA256,
            added_by="آقای ن. احمدی",
            added_on=datetime(2026, 10, 5, 8, 0, tzinfo=UTC),
        ),
        LetterRow(
            proves="Decree of endorsement",
            name="decree-45.pdf",
            sha256="a" * 64,
            added_by="Minister A. Karimi",
            added_on=date(2026, 11, 19),
        ),
    ]
    document = opened(endorsement_record_docx(endorsement(letters=letters)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Official letters" in headings
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Letter")
    rows = table_rows(table)
    assert rows[1][:3] == ["Letter of وزارت امور مهاجرین (supported)", "نامه حمایت.pdf", SHA256]
    assert rows[2][:3] == ["Decree of endorsement", "decree-45.pdf", "a" * 64]
    assert "Minister A. Karimi" in rows[2][3]


def test_a_record_without_letters_has_no_letters_section():
    document = opened(endorsement_record_docx(endorsement()))
    assert "Official letters" not in [p.text for p in document.paragraphs]
