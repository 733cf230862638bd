"""Small .docx files built for one feature each, as Word would write them.

python-docx cannot write tracked changes, content controls or text boxes,
so most documents here are assembled from WordprocessingML by hand; every
part is parsed with lxml before it is zipped, so a typo in a builder fails
here rather than as a puzzling extraction result.
"""

import io
import zipfile
from xml.sax.saxutils import escape

from docx import Document
from lxml import etree

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
)
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHANGE = 'w:author="Reviewer" w:date="2024-01-01T00:00:00Z"'

HEADINGS_STYLES = f"""<w:styles {NAMESPACES}>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>
  <w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>
  <w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="ChapterTitle"><w:name w:val="Chapter Title"/>
  <w:basedOn w:val="Heading1"/></w:style>
<w:style w:type="paragraph" w:styleId="Arabic"><w:name w:val="Arabic Body"/>
  <w:basedOn w:val="Normal"/><w:pPr><w:bidi/></w:pPr></w:style>
</w:styles>"""


def run(text):
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def paragraph(*content, style=None, bidi=None, properties=""):
    """A w:p of runs; plain strings become runs, other content is XML already."""
    ppr = properties
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if bidi is not None:
        ppr += "<w:bidi/>" if bidi is True else f'<w:bidi w:val="{bidi}"/>'
    runs = "".join(c if c.startswith("<") else run(c) for c in content)
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>"


def table(*rows):
    """A w:tbl; each cell is text, or a (text, tcPr XML) pair."""
    xml_rows = []
    for row in rows:
        cells = []
        for cell in row:
            text, tcpr = cell if isinstance(cell, tuple) else (cell, "")
            cells.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paragraph(text)}</w:tc>")
        xml_rows.append(f"<w:tr>{''.join(cells)}</w:tr>")
    return f"<w:tbl><w:tblPr/>{''.join(xml_rows)}</w:tbl>"


def inserted(text, change_id=1):
    return f'<w:ins w:id="{change_id}" {CHANGE}>{run(text)}</w:ins>'


def deleted(text, change_id=2):
    return (
        f'<w:del w:id="{change_id}" {CHANGE}><w:r>'
        f'<w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>'
    )


def content_control(xml, tag="policy-field"):
    """A content control around paragraphs, rows, cells or runs alike."""
    return (
        f'<w:sdt><w:sdtPr><w:tag w:val="{tag}"/><w:placeholder><w:docPart w:val="X"/>'
        f"</w:placeholder></w:sdtPr><w:sdtContent>{xml}</w:sdtContent></w:sdt>"
    )


def field(instruction, result):
    """A complex field (code and result runs), as Word writes PAGE or HYPERLINK."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{run(result)}'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def text_box(*paragraphs_xml):
    """An anchored text box as Word 2010+ writes it: a DrawingML Choice and a VML Fallback."""
    content = f"<w:txbxContent>{''.join(paragraphs_xml)}</w:txbxContent>"
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        f'wordprocessingShape"><wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp>'
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


def notes(kind, *contents):
    """A footnotes or endnotes part with Word's separator notes, then one note per content.

    A content is a text, or a tuple of what ``paragraph`` takes.
    """
    separators = (
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:{kind}>"
    )
    reference = f"<w:r><w:{kind}Ref/></w:r>"
    body = "".join(
        f'<w:{kind} w:id="{number}">'
        f"{paragraph(reference, ' ', *(content if isinstance(content, tuple) else (content,)))}"
        f"</w:{kind}>"
        for number, content in enumerate(contents, start=1)
    )
    return f"<w:{kind}s {NAMESPACES}>{separators}{body}</w:{kind}s>"


def comments(*pairs):
    """A comments part from (author, content) pairs; content as in ``notes``."""
    body = "".join(
        f'<w:comment w:id="{i}" w:author="{escape(author)}">'
        f"{paragraph(*(content if isinstance(content, tuple) else (content,)))}</w:comment>"
        for i, (author, content) in enumerate(pairs)
    )
    return f"<w:comments {NAMESPACES}>{body}</w:comments>"


def docx_bytes(
    body,
    *,
    styles=None,
    footnotes=None,
    endnotes=None,
    comments=None,
    headers=(),
    footers=(),
    core=None,
):
    """A complete .docx around ``body`` (the XML inside w:body) and optional parts.

    ``headers`` / ``footers`` are texts (or tuples of what ``paragraph``
    takes); each becomes a part referenced from the final section, in order.
    ``core`` is a dict of core properties (title, creator, lastModifiedBy,
    revision, created, modified).
    """
    parts, relationships = {}, []
    overrides = {"/word/document.xml": f"{DOCUMENT_TYPE}.document.main+xml"}

    def add(name, kind, content_type, xml):
        parts[f"word/{name}"] = xml
        overrides[f"/word/{name}"] = f"{DOCUMENT_TYPE}.{content_type}+xml"
        r_id = f"rId{len(relationships) + 1}"
        relationships.append((r_id, f"{RELATIONSHIP}/{kind}", name))
        return r_id

    for name, kind, xml in (
        ("styles.xml", "styles", styles),
        ("footnotes.xml", "footnotes", footnotes),
        ("endnotes.xml", "endnotes", endnotes),
        ("comments.xml", "comments", comments),
    ):
        if xml is not None:
            add(name, kind, kind, xml)
    references = ""
    for kind, texts in (("header", headers), ("footer", footers)):
        tag = "hdr" if kind == "header" else "ftr"
        for number, content in enumerate(texts, start=1):
            content = content if isinstance(content, tuple) else (content,)
            xml = f"<w:{tag} {NAMESPACES}>{paragraph(*content)}</w:{tag}>"
            r_id = add(f"{kind}{number}.xml", kind, kind, xml)
            slot = ("default", "even", "first")[(number - 1) % 3]
            references += f'<w:{kind}Reference w:type="{slot}" r:id="{r_id}"/>'
    parts["word/document.xml"] = (
        f"<w:document {NAMESPACES}><w:body>{body}<w:sectPr>{references}</w:sectPr>"
        "</w:body></w:document>"
    )
    parts["word/_rels/document.xml.rels"] = _relationships(relationships)
    package_relationships = [("rId1", f"{RELATIONSHIP}/officeDocument", "word/document.xml")]
    if core is not None:
        parts["docProps/core.xml"] = _core(core)
        overrides["/docProps/core.xml"] = (
            "application/vnd.openxmlformats-package.core-properties+xml"
        )
        package_relationships.append(
            (
                "rId2",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                "core-properties",
                "docProps/core.xml",
            )
        )
    parts["_rels/.rels"] = _relationships(package_relationships)
    parts["[Content_Types].xml"] = _content_types(overrides)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            etree.fromstring(xml.encode())  # well-formed, or the builder is wrong
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return buffer.getvalue()


def python_docx_bytes(*paragraphs):
    """A document as python-docx writes it (its own template, styles and all)."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _relationships(entries):
    body = "".join(
        f'<Relationship Id="{r_id}" Type="{kind}" Target="{target}"/>'
        for r_id, kind, target in entries
    )
    return (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{body}</Relationships>"
    )


def _content_types(overrides):
    body = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
    )
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{body}</Types>'
    )


def _core(values):
    prefixes = {
        "title": "dc",
        "creator": "dc",
        "lastModifiedBy": "cp",
        "revision": "cp",
        "created": "dcterms",
        "modified": "dcterms",
    }
    body = "".join(
        f"<{prefixes[key]}:{key}>{escape(value)}</{prefixes[key]}:{key}>"
        for key, value in values.items()
    )
    return (
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        f"{body}</cp:coreProperties>"
    )
