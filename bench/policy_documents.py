"""Generating a long, realistic policy and an edited second version, for benchmarks."""

import io
import random

from docx import Document

WORDS = [
    "migration",
    "policy",
    "national",
    "institution",
    "ministry",
    "labour",
    "overseas",
    "welfare",
    "protection",
    "return",
    "reintegration",
    "diaspora",
    "engagement",
    "coordination",
    "implementation",
    "framework",
    "strategy",
    "rights",
    "recruitment",
    "remittances",
    "skills",
    "development",
    "border",
    "management",
    "data",
    "monitoring",
    "evaluation",
    "stakeholders",
    "capacity",
    "cooperation",
    "regional",
    "partners",
    "legislation",
    "employment",
    "services",
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "with",
    "on",
    "by",
    "a",
    "an",
    "is",
    "are",
    "shall",
    "will",
    "should",
]


def _sentence(rng, words=18):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def policy_paragraphs(*, paragraphs=3000, seed=7):
    """Headings and body paragraphs of ~80k words, deterministic for a seed."""
    rng = random.Random(seed)
    out = []
    for i in range(paragraphs):
        if i % 60 == 0:
            out.append(
                (
                    "heading",
                    f"{i // 60 + 1}. Chapter on {rng.choice(WORDS)} and {rng.choice(WORDS)}",
                )
            )
        else:
            out.append(("body", " ".join(_sentence(rng) for _ in range(rng.randint(1, 2)))))
    return out


def edited(paragraphs, *, seed=11, edit_share=0.05, inserted=40, deleted=30):
    """A second version: 5 % of paragraphs edited, some inserted and deleted."""
    rng = random.Random(seed)
    result = list(paragraphs)
    for index in rng.sample(range(len(result)), int(len(result) * edit_share)):
        kind, text = result[index]
        words = text.split()
        words[rng.randrange(len(words))] = rng.choice(WORDS)
        result[index] = (kind, " ".join(words))
    for index in sorted(rng.sample(range(len(result)), deleted), reverse=True):
        del result[index]
    for _ in range(inserted):
        result.insert(rng.randrange(len(result)), ("body", _sentence(rng, 25)))
    return result


def policy_docx(paragraphs, *, tables=20, padding_bytes=0, seed=3):
    """The paragraphs as a .docx with ``tables`` tables spread through it.

    A table follows every other chapter heading, so an edited version keeps
    its tables where they were. ``padding_bytes`` adds an incompressible
    image part, to reach a given upload size without changing the text.
    """
    rng = random.Random(seed)
    document = Document()
    document.core_properties.title = "National Policy on Labour Migration"
    headings = 0
    for kind, text in paragraphs:
        if kind == "heading":
            document.add_heading(text, level=1)
            headings += 1
        else:
            document.add_paragraph(text)
        if kind == "heading" and headings % 2 and tables:
            tables -= 1
            table = document.add_table(rows=6, cols=4)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = _sentence(rng, 4)
    if padding_bytes:
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        part = Part(
            PackURI("/word/media/padding.png"),
            "image/png",
            rng.randbytes(padding_bytes),
            document.part.package,
        )
        document.part.relate_to(
            part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
