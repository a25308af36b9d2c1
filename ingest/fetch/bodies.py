"""Reading a response body within limits: wire size, decompressed size (against gzip and brotli
bombs), and a sniff for binary content served under a text type.

We decompress ourselves instead of letting httpx do it because httpx inflates each network chunk
in one call: a 64 KB chunk of a gzip bomb becomes ~64 MB before any limit can look at it. Here
every decompressor call is capped at `_PIECE` bytes of output.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator

import brotli

_PIECE = 64 * 1024
SUPPORTED_ENCODINGS = "gzip, deflate, br"


class BodyError(Exception):
    """The body broke a limit or cannot be decoded; the message is the reason shown to the user."""

    def __init__(self, reason: str, received: int = 0) -> None:
        super().__init__(reason)
        self.received = received  # wire bytes read before giving up


class _Decoder:
    def feed(self, data: bytes) -> Iterator[bytes]:
        yield data

    def finish(self) -> Iterator[bytes]:
        yield from ()


class _ZlibDecoder(_Decoder):
    def __init__(self, wbits: int, name: str) -> None:
        self._name = name
        self._wbits = wbits
        self._inflate = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                piece = self._inflate.decompress(data, _PIECE)
            except zlib.error as exc:
                if self._name == "deflate" and not self._started and self._wbits > 0:
                    # "deflate" is sent both zlib-wrapped (as specified) and raw (as IIS did).
                    self._wbits = -zlib.MAX_WBITS
                    self._inflate = zlib.decompressobj(self._wbits)
                    continue
                raise BodyError(f"corrupt {self._name} body ({exc})") from exc
            self._started = True
            data = self._inflate.unconsumed_tail
            if self._inflate.eof and self._inflate.unused_data:
                # Concatenated gzip members: start the next one.
                data = self._inflate.unused_data
                self._inflate = zlib.decompressobj(self._wbits)
            yield piece

    def finish(self) -> Iterator[bytes]:
        yield self._inflate.flush(_PIECE)


class _BrotliDecoder(_Decoder):
    def __init__(self) -> None:
        self._brotli = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            yield self._brotli.process(data, output_buffer_limit=_PIECE)
            while not self._brotli.can_accept_more_data():
                yield self._brotli.process(b"", output_buffer_limit=_PIECE)
        except brotli.error as exc:
            raise BodyError(f"corrupt br body ({exc})") from exc


def _decoder(encoding: str) -> _Decoder:
    if encoding in ("", "identity"):
        return _Decoder()
    if encoding in ("gzip", "x-gzip"):
        return _ZlibDecoder(16 + zlib.MAX_WBITS, "gzip")
    if encoding == "deflate":
        return _ZlibDecoder(zlib.MAX_WBITS, "deflate")
    if encoding == "br":
        return _BrotliDecoder()
    raise BodyError(f"unsupported Content-Encoding {encoding!r}")


async def read_body(
    raw_chunks: AsyncIterator[bytes], content_encoding: str | None, *, max_wire: int, max_decoded: int
) -> tuple[bytes, int]:
    """The decoded body and the number of wire bytes read; BodyError when a limit is crossed."""
    # Encodings are listed in the order they were applied, so they are undone from the last.
    decoders = [_decoder(e.strip().lower()) for e in reversed((content_encoding or "").split(","))]
    body = bytearray()
    wire = 0

    def through(chunk: bytes, stage: int) -> Iterator[bytes]:
        if stage == len(decoders):
            yield chunk
            return
        for piece in decoders[stage].feed(chunk):
            yield from through(piece, stage + 1)

    def keep(pieces: Iterator[bytes]) -> None:
        for piece in pieces:
            body.extend(piece)
            if len(body) > max_decoded:
                raise BodyError(f"body decompresses to more than {_size(max_decoded)} (limit)")

    try:
        async for chunk in raw_chunks:
            wire += len(chunk)
            if wire > max_wire:
                raise BodyError(f"body larger than {_size(max_wire)} (limit)")
            keep(through(chunk, 0))
        for stage, decoder in enumerate(decoders):
            for piece in decoder.finish():
                keep(through(piece, stage + 1))
    except BodyError as exc:
        raise BodyError(str(exc), wire) from None
    return bytes(body), wire


_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def binary_kind(body: bytes) -> str | None:
    """What binary content `body` is, or None when it may be text."""
    for signature, kind in _SIGNATURES:
        if body.startswith(signature):
            return kind
    if b"\0" in body[:1024] and not body.startswith(_UTF16_BOMS):
        return "binary data"
    return None


def _size(size: int) -> str:
    mib = 1024 * 1024
    return f"{size // mib} MiB" if size % mib == 0 else f"{size} bytes"
