"""A loopback HTTP server with the pages the fetcher must read or refuse.

It runs in a thread (stdlib http.server) once per session; tests reach it with
allow_private=True, or through `public_client`, which lets the guard see a public
address while the connection goes to 127.0.0.1.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from tests.ingest import pages

PUBLIC_HOST = "news.example"
PUBLIC_ADDRESS = "93.184.215.14"  # a public address; never contacted (see public_client)
BIG_BYTES = 6 * 1024 * 1024


def _gzip_bomb() -> bytes:
    # 64 MB of one byte: about 64 KB on the wire.
    return gzip.compress(b"a" * (64 * 1024 * 1024), compresslevel=9)


class _Handler(BaseHTTPRequestHandler):
    bomb: ClassVar[bytes] = b""
    seen: ClassVar[list[dict[str, str]]] = []

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        return

    def do_GET(self) -> None:
        type(self).seen.append({"path": self.path, **dict(self.headers.items())})
        path = self.path.split("?", 1)[0]
        route = ROUTES.get(path)
        if route is None and path.startswith("/hop/"):
            remaining = int(path.removeprefix("/hop/"))
            target = "/article" if remaining <= 1 else f"/hop/{remaining - 1}"
            self._redirect(target)
        elif route is None:
            self._send(404, "text/html", b"<html><body><h1>Not found</h1></body></html>")
        else:
            route(self)

    def _send(self, status: int, content_type: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def article(self) -> None:
        self._send(200, "text/html; charset=utf-8", pages.article_html().encode())

    def article_gzip(self) -> None:
        body = gzip.compress(pages.article_html().encode())
        self._send(200, "text/html; charset=utf-8", body, Content_Encoding="gzip")

    def plain(self) -> None:
        text = " ".join(pages.ARTICLE_SENTENCES)
        self._send(200, "text/plain; charset=utf-8", text.encode())

    def headers_echo(self) -> None:
        echo = f"UA={self.headers['User-Agent']}\nHOST={self.headers['Host']}\n"
        self._send(200, "text/plain", echo.encode())

    def latin1(self) -> None:
        body = pages.simple_html(pages.LATIN1_SENTENCE).encode("cp1252")
        self._send(200, "text/html; charset=ISO-8859-1", body)

    def cyrillic(self) -> None:
        body = pages.simple_html(pages.CYRILLIC_SENTENCE, meta_charset="windows-1251")
        self._send(200, "text/html", body.encode("cp1251"))

    def pdf(self) -> None:
        self._send(200, "application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def no_type(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"hello")

    def error(self) -> None:
        self._send(500, "text/html", b"<html><body>Oops</body></html>")

    def big_undeclared(self) -> None:
        # No Content-Length: HTTP/1.0 close-delimited, so only counting can stop it.
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        chunk = b"<p>" + b"x" * 65_536 + b"</p>\n"
        try:
            for _ in range(BIG_BYTES // len(chunk) + 1):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            return

    def big_declared(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(BIG_BYTES))
        self.end_headers()  # the body never comes: the stated size must be enough to refuse

    def bomb_page(self) -> None:
        self._send(200, "text/html", type(self).bomb, Content_Encoding="gzip")

    def slow_drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(100):  # one byte every 0.1 s: no single read ever times out
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            return

    def to_article(self) -> None:
        self._redirect("/article", 301)

    def to_private(self) -> None:
        self._redirect("http://10.0.0.5/admin")

    def to_localhost(self) -> None:
        self._redirect(f"http://127.0.0.1:{self.server.server_address[1]}/article")

    def to_ftp(self) -> None:
        self._redirect("ftp://files.example/article.txt")


ROUTES: dict[str, Callable[[_Handler], None]] = {
    "/article": _Handler.article,
    "/article-gzip": _Handler.article_gzip,
    "/plain": _Handler.plain,
    "/headers": _Handler.headers_echo,
    "/latin1": _Handler.latin1,
    "/cyrillic": _Handler.cyrillic,
    "/report.pdf": _Handler.pdf,
    "/no-type": _Handler.no_type,
    "/error": _Handler.error,
    "/big": _Handler.big_undeclared,
    "/big-declared": _Handler.big_declared,
    "/bomb": _Handler.bomb_page,
    "/slow": _Handler.slow_drip,
    "/moved": _Handler.to_article,
    "/to-private": _Handler.to_private,
    "/to-localhost": _Handler.to_localhost,
    "/to-ftp": _Handler.to_ftp,
}


class PageServer:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self._server = server
        self.port = server.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def seen(self) -> list[dict[str, str]]:
        return _Handler.seen


@pytest.fixture(scope="session")
def page_server() -> Iterator[PageServer]:
    _Handler.bomb = _gzip_bomb()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield PageServer(server)
    server.shutdown()
    server.server_close()


class ToLoopback(httpx.AsyncBaseTransport):
    """Delivers requests for PUBLIC_ADDRESS to the loopback server, recording each one."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._inner = httpx.AsyncHTTPTransport()
        self.seen: list[tuple[str, str]] = []  # (URL requested, Host header)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((str(request.url), request.headers["Host"]))
        if request.url.host != PUBLIC_ADDRESS:
            raise httpx.ConnectError(f"test transport: {request.url.host} is not reachable")
        request.url = request.url.copy_with(host="127.0.0.1", port=self._port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def public_resolver(host: str, port: int) -> list[str]:
    """news.example is public; every other name is looked up in a small fake DNS."""
    fake_dns = {PUBLIC_HOST: [PUBLIC_ADDRESS], "intranet.example": ["10.1.2.3"]}
    return fake_dns.get(host, [host])  # an IP literal resolves to itself


@pytest.fixture
async def public_client(
    page_server: PageServer,
) -> AsyncIterator[tuple[httpx.AsyncClient, ToLoopback]]:
    transport = ToLoopback(page_server.port)
    async with httpx.AsyncClient(transport=transport) as client:
        yield client, transport
