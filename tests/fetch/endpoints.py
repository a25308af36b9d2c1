"""Endpoints that misbehave on purpose, and a fetcher configured with short waits."""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler

from ingest.fetch import Fetcher, FetchResult, FetchSettings, RetryPolicy

# Real limits, short waits: every test runs in about a second.
QUICK = FetchSettings(
    connect_timeout=1.0,
    read_timeout=0.4,
    total_timeout=8.0,
    host_delay=0.0,
    retry=RetryPolicy(attempts=3, backoff=0.05, max_backoff=0.2),
    robots_retry_ttl=60.0,
)


def fetch(url: str, settings: FetchSettings = QUICK, **kwargs) -> FetchResult:
    return fetch_each([url], settings, **kwargs)[0]


def fetch_each(urls: Iterable[str], settings: FetchSettings = QUICK, **kwargs) -> list[FetchResult]:
    async def run() -> list[FetchResult]:
        async with Fetcher(settings, robots_cache=kwargs.pop("robots_cache", None)) as fetcher:
            return await fetcher.fetch_many(urls, **kwargs)

    return asyncio.run(run())


def reply(
    request: BaseHTTPRequestHandler,
    status: int = 200,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> None:
    request.send_response(status)
    for name, value in {"Content-Type": "text/html; charset=utf-8", **(headers or {})}.items():
        request.send_header(name, value)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    _quietly(request.wfile.write, body)


def sequence(*steps: Callable[[BaseHTTPRequestHandler], None]) -> Callable[[BaseHTTPRequestHandler], None]:
    """A handler that answers the n-th request with the n-th step (the last one repeats)."""
    calls = iter(range(1_000_000))

    def handler(request: BaseHTTPRequestHandler) -> None:
        steps[min(next(calls), len(steps) - 1)](request)

    return handler


def slow(seconds: float) -> Callable[[BaseHTTPRequestHandler], None]:
    def handler(request: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        reply(request, 200, b"<html><body>late</body></html>")

    return handler


def dribble(request: BaseHTTPRequestHandler) -> None:
    """A byte every 0.1 s for up to 20 s: never silent long enough for a read timeout."""
    request.send_response(200)
    request.send_header("Content-Type", "text/html")
    request.send_header("Content-Length", "200")
    request.end_headers()
    for _ in range(200):
        if not _quietly(request.wfile.write, b"x"):
            return
        _quietly(request.wfile.flush)
        time.sleep(0.1)


def chunked(total: int, *, piece: int = 64 * 1024, content_type: str = "text/html; charset=utf-8"):
    """A `total`-byte HTML body generated piece by piece (never held whole), without Content-Length."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        request.send_header("Transfer-Encoding", "chunked")
        request.end_headers()
        block = b"<p>" + b"a" * (piece - 7) + b"</p>\n"
        sent = 0
        while sent < total:
            if not _quietly(request.wfile.write, b"%x\r\n%s\r\n" % (len(block), block)):
                return
            sent += len(block)
        _quietly(request.wfile.write, b"0\r\n\r\n")

    return handler


def reset_mid_body(request: BaseHTTPRequestHandler) -> None:
    """Promise 100 000 bytes, send 5 000, then reset the connection (RST, not a clean close)."""
    request.send_response(200)
    request.send_header("Content-Type", "text/html")
    request.send_header("Content-Length", "100000")
    request.end_headers()
    _quietly(request.wfile.write, b"<html><body>" + b"x" * 5000)
    _quietly(request.wfile.flush)
    request.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    request.close_connection = True
    request.connection.close()


def _quietly(operation: Callable[..., object], *args: object) -> bool:
    """Write to a client that may have hung up on purpose (that is what these tests provoke)."""
    try:
        operation(*args)
    except (BrokenPipeError, ConnectionResetError, OSError):
        return False
    return True


class Unaccepting:
    """A port whose listen queue is full and never drained: the kernel drops new SYNs, so a
    connection attempt hangs until the client's connect timeout (no server code runs at all)."""

    def __enter__(self) -> str:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        port = self._listener.getsockname()[1]
        self._fillers = []
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            self._fillers.append(filler)
        time.sleep(0.1)  # let the fillers' handshakes fill the queue
        return f"http://127.0.0.1:{port}/"

    def __exit__(self, *exc: object) -> None:
        for sock in [*self._fillers, self._listener]:
            sock.close()
