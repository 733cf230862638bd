"""How large a PDF stream becomes once decoded, without ever holding a bomb.

A few hundred KiB of Flate data can inflate to gigabytes. The streams of
an uploaded PDF are decoded here filter by filter, in chunks, counting the
bytes: past ``limit`` the count stops and the stream is refused. The last
filter's output is only counted, never kept; an intermediate one (a chain
such as ASCII85 then Flate) is kept, but never beyond ``limit``.

Image codecs (JPEG, JPEG 2000, JBIG2, CCITT fax) are not decoded: their
output is bounded by the picture's declared size, which is checked instead.
"""

import binascii
import zlib

CHUNK = 64 * 1024
IMAGE_CODECS = {"/DCTDecode", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode"}
ABBREVIATIONS = {
    "/Fl": "/FlateDecode",
    "/AHx": "/ASCIIHexDecode",
    "/A85": "/ASCII85Decode",
    "/RL": "/RunLengthDecode",
    "/LZW": "/LZWDecode",
    "/DCT": "/DCTDecode",
    "/CCF": "/CCITTFaxDecode",
}


class TooLarge(Exception):
    """The stream decodes to more than the limit."""


class Expired(Exception):
    """The intake's time ran out while decoding."""


def filters_of(stream):
    """The stream's filter names, in the order they apply, abbreviations spelled out."""
    value = stream.get("/Filter")
    if value is None:
        return []
    names = value if isinstance(value, list) else [value]
    return [ABBREVIATIONS.get(str(n), str(n)) for n in names]


def decoded_size(raw, filters, *, limit, deadline=None):
    """The size of ``raw`` once ``filters`` are applied (image codecs excepted);
    raises ``TooLarge`` as soon as it passes ``limit``, ``Expired`` past ``deadline``
    (a callable answering whether time is up). A damaged stream counts up to
    where it can be read."""
    data = raw
    decoders = [f for f in filters if f not in IMAGE_CODECS]
    for position, name in enumerate(decoders):
        keep = position < len(decoders) - 1
        decoder = _DECODERS.get(name)
        if decoder is None:  # a filter no reader knows: nothing it could inflate
            return len(data)
        data = decoder(data, limit=limit, keep=keep, deadline=deadline or (lambda: False))
        if not keep:
            return data
    return len(data)


def _flate(data, *, limit, keep, deadline):
    inflater = zlib.decompressobj()
    out = bytearray() if keep else None
    total = 0
    position = 0
    pending = b""
    try:
        while True:
            if deadline():
                raise Expired
            if pending:
                chunk = inflater.decompress(pending, CHUNK)
            elif position < len(data):
                chunk = inflater.decompress(data[position : position + CHUNK], CHUNK)
                position += CHUNK
            else:
                chunk = inflater.flush(CHUNK) if not inflater.eof else b""
                if not chunk:
                    break
            pending = inflater.unconsumed_tail
            total += len(chunk)
            if total > limit:
                raise TooLarge
            if keep:
                out += chunk
            if inflater.eof:
                break
    except zlib.error:
        pass  # damaged: what was read so far counts
    return bytes(out) if keep else total


def _ascii_hex(data, *, limit, keep, deadline):
    text = bytes(b for b in data.split(b">", 1)[0] if b not in b" \t\r\n\f\x00")
    if len(text) % 2:
        text += b"0"
    try:
        out = binascii.unhexlify(text)
    except (binascii.Error, ValueError):
        out = b""
    return out if keep else len(out)


def _ascii85(data, *, limit, keep, deadline):
    import base64

    text = bytes(b for b in data if b not in b" \t\r\n\f\x00")
    text = text.removeprefix(b"<~").split(b"~>", 1)[0]
    try:
        out = base64.a85decode(text)
    except ValueError:
        out = b""
    return out if keep else len(out)


def _run_length(data, *, limit, keep, deadline):
    out = bytearray() if keep else None
    total = 0
    i = 0
    while i < len(data):
        length = data[i]
        if length == 128:
            break
        if length < 128:
            piece = data[i + 1 : i + 2 + length]
            i += 2 + length
        else:
            piece = data[i + 1 : i + 2] * (257 - length)
            i += 2
        total += len(piece)
        if total > limit:
            raise TooLarge
        if keep:
            out += piece
        if not i % 65536 and deadline():
            raise Expired
    return bytes(out) if keep else total


def _lzw(data, *, limit, keep, deadline):
    """LZW as PDF writes it (early change), counting what it yields."""
    out = bytearray() if keep else None
    total = 0
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    width, bits, buffer, previous = 9, 0, 0, b""
    for count, byte in enumerate(data):
        if not count % 65536 and deadline():
            raise Expired
        buffer = (buffer << 8) | byte
        bits += 8
        while bits >= width:
            bits -= width
            code = (buffer >> bits) & ((1 << width) - 1)
            if code == 256:  # clear
                table = table[:258]
                width, previous = 9, b""
                continue
            if code == 257:  # end of data
                return bytes(out) if keep else total
            if code < len(table):
                entry = table[code]
                if previous:
                    table.append(previous + entry[:1])
            elif previous:
                entry = previous + previous[:1]
                table.append(entry)
            else:
                return bytes(out) if keep else total  # damaged
            total += len(entry)
            if total > limit:
                raise TooLarge
            if keep:
                out += entry
            previous = entry
            if len(table) + 1 >= (1 << width) and width < 12:
                width += 1
    return bytes(out) if keep else total


_DECODERS = {
    "/FlateDecode": _flate,
    "/ASCIIHexDecode": _ascii_hex,
    "/ASCII85Decode": _ascii85,
    "/RunLengthDecode": _run_length,
    "/LZWDecode": _lzw,
}
