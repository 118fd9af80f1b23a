"""Why a link was not read: one type per refusal, each with a message for the member.

They are all `FetchRefused`, a `ClaimbotError`, so the Discord error handler and the
command line show the message as is; callers that care can catch one kind.
"""

from __future__ import annotations

from bot.errors import ClaimbotError

_PUBLIC_ONLY = "the bot only fetches public pages."


class FetchRefused(ClaimbotError):
    """The article behind a link could not or would not be read."""


class UnsupportedLink(FetchRefused):
    """Not an http(s) URL the bot is willing to request (scheme, form, length)."""


class HostNotFound(FetchRefused):
    """The link's host name does not resolve."""


class PrivateAddress(FetchRefused):
    """The host resolves to an address outside the public internet."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        shown = address if host == address else f"{host} = {address}"
        super().__init__(f"That link points to {kind} ({shown}); {_PUBLIC_ONLY}")
        self.host = host
        self.address = address
        self.kind = kind


class TooManyRedirects(FetchRefused):
    """The page redirected more often than the bot follows."""


class FetchTimedOut(FetchRefused):
    """Connecting or reading the page took too long."""


class FetchFailed(FetchRefused):
    """The connection failed (refused, reset, TLS error...)."""


class PageNotAvailable(FetchRefused):
    """The server answered with an error status (404, 500...)."""


class PageTooLarge(FetchRefused):
    """The page is larger than the bot reads (counted after decompression)."""


class UnsupportedContent(FetchRefused):
    """The page is not HTML or plain text, or uses an encoding the bot does not read."""


class NoArticleText(FetchRefused):
    """The page was read but no article text was found in it."""
