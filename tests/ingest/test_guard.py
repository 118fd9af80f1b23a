"""The link checks, with a fake resolver and httpx.MockTransport: no network at all."""

from __future__ import annotations

import socket

import httpx
import pytest

from bot.ingest import USER_AGENT, fetch_page, parse_link
from bot.ingest._guard import check_target
from bot.ingest.errors import HostNotFound, PrivateAddress, UnsupportedLink


class StreamedBody(httpx.AsyncByteStream):
    """A body that arrives as a stream, as from a real server (MockTransport pre-reads
    bodies given as content, and the fetcher reads the raw stream itself)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    async def __aiter__(self):  # type: ignore[override]
        yield self._data


def resolver_for(table: dict[str, list[str]]):
    calls: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("ftp://files.example/a.txt", "Only http:// and https:// links"),
        ("file:///etc/passwd", "Only http:// and https:// links"),
        ("javascript:alert(1)", "Only http:// and https:// links"),
        ("gopher://127.0.0.1:6379/_INFO", "Only http:// and https:// links"),
        ("http://user:secret@news.example/", "user name or password"),
        ("https://", "no host name"),
        ("http://[::1", "not a valid link"),
        ("http:///path-only", "no host name"),
        ("https://news.example/" + "a" * 3000, "too long"),
    ],
)
def test_unsupported_links_are_refused(link: str, message: str) -> None:
    with pytest.raises(UnsupportedLink, match=message):
        parse_link(link)


async def test_a_private_address_is_refused_with_the_address_in_the_message() -> None:
    resolve = resolver_for({"intranet.example": ["10.0.0.5"]})
    with pytest.raises(PrivateAddress) as caught:
        await check_target(
            parse_link("http://intranet.example/"), allow_private=False, resolver=resolve
        )
    assert str(caught.value) == (
        "That link points to a private address (intranet.example = 10.0.0.5); "
        "the bot only fetches public pages."
    )


async def test_an_ip_literal_is_checked_too() -> None:
    resolve = resolver_for({"169.254.169.254": ["169.254.169.254"], "::1": ["::1"]})
    with pytest.raises(PrivateAddress, match=r"cloud metadata address \(169\.254\.169\.254\)"):
        await check_target(
            parse_link("http://169.254.169.254/latest/meta-data/"),
            allow_private=False,
            resolver=resolve,
        )
    with pytest.raises(PrivateAddress, match=r"loopback address \(::1\)"):
        await check_target(parse_link("http://[::1]:8080/"), allow_private=False, resolver=resolve)


async def test_one_private_record_among_public_ones_is_enough_to_refuse() -> None:
    resolve = resolver_for({"mixed.example": ["93.184.215.14", "2606:4700::1", "127.0.0.1"]})
    with pytest.raises(PrivateAddress, match="loopback"):
        await check_target(
            parse_link("https://mixed.example/"), allow_private=False, resolver=resolve
        )


async def test_the_setting_allows_private_addresses() -> None:
    resolve = resolver_for({"intranet.example": ["10.0.0.5"]})
    target = await check_target(
        parse_link("http://intranet.example/"), allow_private=True, resolver=resolve
    )
    assert target.address == "10.0.0.5"
    assert target.host == "intranet.example"


async def test_an_unknown_host_is_reported() -> None:
    with pytest.raises(HostNotFound, match=r"nowhere\.example"):
        await check_target(
            parse_link("https://nowhere.example/"), allow_private=False, resolver=resolver_for({})
        )


async def test_the_request_goes_to_the_checked_address_with_host_and_sni_of_the_name() -> None:
    # A rebinding DNS: public on the first answer, loopback afterwards. The fetch must
    # resolve once and connect to that first (checked) answer.
    answers = iter([["93.184.215.14"], ["127.0.0.1"], ["127.0.0.1"]])

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, headers={"Content-Type": "text/plain"}, stream=StreamedBody(b"Hello.")
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        page = await fetch_page(
            "https://rebind.example:8443/story?id=7",
            client=client,
            allow_private=False,
            resolver=rebinding,
        )
    assert page.text == "Hello."
    assert page.final_url == "https://rebind.example:8443/story?id=7"
    [request] = seen
    assert request.url == "https://93.184.215.14:8443/story?id=7"
    assert request.headers["Host"] == "rebind.example:8443"
    assert request.extensions["sni_hostname"] == "rebind.example"
    assert request.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("claimbot/")
    assert "(+https://" in USER_AGENT


async def test_a_redirect_is_checked_again_before_it_is_followed() -> None:
    resolve = resolver_for(
        {"news.example": ["93.184.215.14"], "metadata.internal": ["169.254.169.254"]}
    )
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://metadata.internal/latest/"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(PrivateAddress, match="cloud metadata"):
            await fetch_page(
                "http://news.example/", client=client, allow_private=False, resolver=resolve
            )
    assert seen == ["http://93.184.215.14/"]  # the redirect target was never contacted
