"""Reading a response body within a size limit, and turning its bytes into text.

The body is decompressed here, not by httpx, so that the limit applies to the
decompressed size as it grows: `zlib`'s `max_length` stops a gzip bomb after the limit
instead of inflating a whole network chunk (up to ~1000x its size) first.
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import AsyncIterator

from bot.ingest.errors import PageTooLarge, UnsupportedContent

# What the bot asks for; a server that answers with another coding is refused.
ACCEPT_ENCODING = "gzip, deflate"

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class _Inflater:
    """Incremental gzip/deflate decoding that never returns more than asked for."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._inflate: zlib._Decompress | None = None

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._inflate is None:
            self._inflate = zlib.decompressobj(self._window_bits(data))
        try:
            # Output stops at `limit`; what was not consumed waits in unconsumed_tail,
            # and the caller stops reading once it has more than it accepts.
            return self._inflate.decompress(self._inflate.unconsumed_tail + data, limit)
        except zlib.error:
            raise UnsupportedContent("The page's compressed data is corrupt.") from None

    def _window_bits(self, first: bytes) -> int:
        if self._coding == "gzip":
            return 16 + zlib.MAX_WBITS
        # "deflate" should be zlib-wrapped, but some servers send raw deflate.
        header = int.from_bytes(first[:2], "big")
        zlib_wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and header % 31 == 0
        return zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS


async def read_limited(
    raw_chunks: AsyncIterator[bytes], *, content_encoding: str, max_bytes: int
) -> bytes:
    """The decompressed body, or PageTooLarge as soon as it passes `max_bytes`."""
    coding = content_encoding.strip().lower() or "identity"
    if coding in ("x-gzip",):
        coding = "gzip"
    if coding not in ("identity", "gzip", "deflate"):
        raise UnsupportedContent(
            f"The page is compressed as {coding!r}, which the bot does not read."
        )
    inflater = None if coding == "identity" else _Inflater(coding)
    body = bytearray()
    async for chunk in raw_chunks:
        room = max_bytes + 1 - len(body)
        piece = chunk if inflater is None else inflater.feed(chunk, room)
        body += piece[:room]
        if len(body) > max_bytes:
            raise too_large(max_bytes)
    return bytes(body)


def too_large(max_bytes: int) -> PageTooLarge:
    size = (
        f"{max_bytes / (1024 * 1024):g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes:,} bytes"
    )
    return PageTooLarge(f"That page is larger than {size}; the bot does not read pages that large.")


def decode_text(body: bytes, *, declared_charset: str | None, is_html: bool) -> str:
    """The body as text: byte-order mark, then the declared charset, then <meta charset>."""
    encoding = _bom_encoding(body) or _known(declared_charset)
    if encoding is None and is_html:
        match = _META_CHARSET.search(body[:4096])
        encoding = _known(match.group(1).decode("ascii")) if match else None
    if encoding is None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            # What browsers assume for undeclared legacy pages.
            text = body.decode("cp1252", errors="replace")
    else:
        text = body.decode(encoding, errors="replace")
    if "\x00" in text:
        raise UnsupportedContent("That link serves binary data, not a web page or text.")
    return text


def _bom_encoding(body: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return encoding
    return None


def _known(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        return None
    # Web pages labelled latin-1 are in practice windows-1252 (the WHATWG mapping).
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name
