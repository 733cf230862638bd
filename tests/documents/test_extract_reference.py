"""The extraction gives what the former element-by-element reading gave.

Plain paragraphs are read in one pass (``documents.docx.extract``); every
other one as before. These tests hold the two readings side by side on the
corpus, the benchmark's long policy and documents mixing every feature the
reading knows, paragraph by paragraph in random order, down to the stored
JSON and the element each block was read from.
"""

import io
import json
import random
import zipfile
from dataclasses import asdict
from pathlib import Path

import pytest
from lxml import etree

from bench.policy_documents import edited, policy_docx, policy_paragraphs
from documents.docx import extract as engine
from tests.documents import extract_reference as reference
from tests.documents import make_docs as md

CORPUS = Path(__file__).parent / "corpus"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARK = 'w:id="9" w:author="Editor" w:date="2024-02-02T00:00:00Z"'


def former_dict(extraction):
    """``Extraction.as_dict`` as it was written: ``asdict``, then empty optionals dropped."""
    data = asdict(extraction)
    for block in data["body"]:
        for optional in ("comments", "changes"):
            if not block[optional]:
                del block[optional]
    return data


def assert_same_reading(content):
    ours = engine.extract(io.BytesIO(content))
    former = reference.extract(io.BytesIO(content))
    assert ours == former
    data = ours.as_dict()
    assert data == former_dict(former)
    assert json.dumps(data) == json.dumps(former_dict(former))
    # The redline writes onto the element each block was read from.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(W + "body")
    origins, former_origins = {}, {}
    blocks = engine.StoryReader(engine.Styles(None), origins).blocks(body)
    former_blocks = reference.StoryReader(reference.Styles(None), former_origins).blocks(body)
    assert blocks == former_blocks
    assert [origins.get(id(b)) for b in blocks] == [
        former_origins.get(id(b)) for b in former_blocks
    ]


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.docx")), ids=lambda path: path.name)
def test_every_corpus_document_reads_as_before(path):
    assert_same_reading(path.read_bytes())


def test_the_long_policy_and_its_edit_read_as_before():
    paragraphs = policy_paragraphs()
    assert_same_reading(policy_docx(paragraphs))
    assert_same_reading(policy_docx(edited(paragraphs)))


# Inline content: plain runs and everything that makes a paragraph more than that.
PIECES = [
    lambda rng: md.run(rng.choice(["Policy text. ", "الهجرة والتنمية ", "", " ", "two\nlines"])),
    lambda rng: md.run("plain"),
    lambda rng: "<w:r><w:rPr><w:b/></w:rPr><w:t>bold</w:t><w:t>, again</w:t></w:r>",
    lambda rng: "<w:r><w:t/></w:r><w:proofErr w:type='spellStart'/><w:bookmarkStart w:id='1'/>",
    lambda rng: md.inserted("added "),
    lambda rng: md.deleted("removed "),
    lambda rng: f"<w:moveFrom {MARK}>{md.run('moved away')}</w:moveFrom>",
    lambda rng: f"<w:moveTo {MARK}>{md.run('moved here')}</w:moveTo>",
    lambda rng: md.field("PAGE", "7"),
    lambda rng: md.content_control(md.run("in a control")),
    lambda rng: md.text_box(md.paragraph("boxed"), md.paragraph(md.inserted("boxed too"))),
    lambda rng: "<w:r><w:tab/><w:t>after a tab</w:t><w:br/></w:r>",
    lambda rng: "<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r>",
    lambda rng: "<w:r><w:rPr><w:vanish w:val='0'/></w:rPr><w:t>not hidden</w:t></w:r>",
    lambda rng: '<w:commentRangeStart w:id="3"/><w:r><w:commentReference w:id="3"/></w:r>',
    lambda rng: '<w:hyperlink r:id="rId9"><w:r><w:t>a link</w:t></w:r></w:hyperlink>',
    lambda rng: "<m:oMath><m:r><m:t>x+1</m:t></m:r></m:oMath>",
    lambda rng: "<w:t>stray text outside a run</w:t>",
    lambda rng: "<w:r><w:rPr><w:t>text in run properties</w:t></w:rPr></w:r>",
    lambda rng: "<w:r><w:t>text <?pi here?>with an instruction</w:t></w:r>",
    lambda rng: "<w:r><w:r><w:t>a run in a run</w:t></w:r></w:r>",
    lambda rng: "<w:r><w:p><w:r><w:t>a paragraph in a run</w:t></w:r></w:p></w:r>",
    lambda rng: "<w:r><w:sym w:char='F0E0'/><w:softHyphen/><w:noBreakHyphen/><w:cr/></w:r>",
]
# Paragraph properties: styles, levels, direction, marks that join or split paragraphs.
PROPERTIES = [
    "",
    '<w:pStyle w:val="Heading1"/>',
    '<w:pStyle w:val="Heading2"/><w:outlineLvl w:val="4"/>',
    '<w:pStyle w:val="Arabic"/>',
    '<w:pStyle w:val="Arabic"/><w:bidi w:val="0"/>',
    '<w:pStyle w:val="ChapterTitle"/>',
    '<w:pStyle w:val="Missing"/>',
    "<w:bidi/>",
    '<w:outlineLvl w:val="9"/>',
    '<w:outlineLvl w:val="x"/><w:outlineLvl w:val="1"/>',
    '<w:pStyle w:val="Heading1"/><w:pStyle w:val="Arabic"/>',
    f'<w:pPrChange {MARK}><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:pPrChange>',
    f"<w:rPr><w:del {MARK}/></w:rPr>",
    f"<w:rPr><w:ins {MARK}/></w:rPr>",
    f"<w:rPr><w:moveFrom {MARK}/></w:rPr>",
    "<w:rPr><w:vanish/></w:rPr>",
    '<w:sectPr><w:headerReference w:type="default" r:id="rId1"/></w:sectPr>',
]


def random_paragraph(rng):
    pieces = [rng.choice(PIECES)(rng) for _ in range(rng.choice([0, 1, 1, 2, 3, 5]))]
    properties = rng.choice(PROPERTIES) if rng.random() < 0.6 else ""
    return md.paragraph(*pieces, properties=properties)


def random_body(rng, count):
    blocks = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.75:
            blocks.append(random_paragraph(rng))
        elif roll < 0.85:
            rows = [[f"cell {r}{c}" for c in range(3)] for r in range(3)]
            table = md.table(*rows)
            # Some cells get a paragraph of any kind, some rows a tracked change.
            if rng.random() < 0.7:
                table = table.replace(md.paragraph("cell 11"), random_paragraph(rng), 1)
            if rng.random() < 0.3:
                table = table.replace("<w:tr>", f"<w:tr><w:trPr><w:del {MARK}/></w:trPr>", 1)
            blocks.append(table)
        elif roll < 0.92:
            blocks.append(md.content_control(random_paragraph(rng)))
        else:
            blocks.append(md.paragraph())
    return "".join(blocks)


@pytest.mark.parametrize("seed", range(60))
def test_documents_mixing_every_feature_read_as_before(seed):
    rng = random.Random(seed)
    content = md.docx_bytes(
        random_body(rng, 40),
        styles=md.HEADINGS_STYLES,
        footnotes=md.notes("footnote", "A note.", ("Plain ", md.inserted("and inserted"))),
        comments=md.comments(("Reviewer", "Check this."), ("Editor", (md.deleted("gone"),))),
        headers=["Draft", (md.run("Page "), md.field("PAGE", "1"))],
        footers=["Confidential"],
    )
    assert_same_reading(content)
