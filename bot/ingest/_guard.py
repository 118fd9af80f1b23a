"""The link checks made before every request: scheme, form, and where the host resolves.

The check returns the address it approved so the request connects to exactly that
address; resolving again at connect time would let a DNS answer change in between
(DNS rebinding) and reach an address that was never checked.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from bot.ingest._addresses import refusal_reason
from bot.ingest.errors import HostNotFound, PrivateAddress, UnsupportedLink

# Longer links are refused: nobody shares one, and they would not fit the store's index.
MAX_URL_LENGTH = 2048

# (host, port) -> the addresses it resolves to, as strings.
Resolver = Callable[[str, int], Awaitable[list[str]]]


@dataclass(frozen=True, slots=True)
class CheckedTarget:
    url: httpx.URL  # as the member gave it (or as a redirect named it)
    host: str  # ASCII (IDNA) host name, as resolved and as sent in Host and TLS SNI
    address: str  # the approved address the request connects to


async def resolve_host(host: str, port: int) -> list[str]:
    """Every address of `host`, resolved in the event loop's executor (never blocking it)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def parse_link(link: str | httpx.URL) -> httpx.URL:
    """The link as a URL the bot may request: http(s), a host, no credentials, not huge."""
    text = str(link).strip()
    shown = text if len(text) <= 80 else text[:77] + "..."
    if len(text) > MAX_URL_LENGTH:
        raise UnsupportedLink(f"That link is too long (the limit is {MAX_URL_LENGTH} characters).")
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise UnsupportedLink(f"That is not a valid link: {shown}") from None
    if url.scheme not in ("http", "https"):
        raise UnsupportedLink(f"Only http:// and https:// links can be fetched, not {shown}")
    if not url.raw_host:
        raise UnsupportedLink(f"That link has no host name: {shown}")
    if url.userinfo:
        # user:password@ in a link is mostly used to disguise the real host.
        raise UnsupportedLink("Links with a user name or password in them are not fetched.")
    return url


async def check_target(
    url: httpx.URL, *, allow_private: bool, resolver: Resolver = resolve_host
) -> CheckedTarget:
    """Resolve the URL's host and approve one address, or raise why not.

    Every address the host resolves to must be public, not only the first: a host
    with one public and one private record could otherwise reach the private one.
    """
    host = url.raw_host.decode("ascii").strip("[]")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        addresses = await resolver(host, port)
    except (socket.gaierror, UnicodeError):
        raise HostNotFound(f"Could not find the site {host} (no such host name).") from None
    if not addresses:
        raise HostNotFound(f"Could not find the site {host} (it has no address).")
    if not allow_private:
        for address in addresses:
            kind = refusal_reason(address)
            if kind is not None:
                raise PrivateAddress(host, address, kind)
    return CheckedTarget(url=url, host=host, address=addresses[0])
