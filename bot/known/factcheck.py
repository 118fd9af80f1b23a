"""Published fact-checks from the Google Fact Check Tools API (claims:search).

`FactCheckClient.search(text)` asks the API for reviews of claims like `text` and returns
them flattened, newest API order kept. Answers are cached (a bounded LRU with a TTL): the
same claim looked up again within the hour costs no quota. Failures become one clear
`LookupFailed` message; the API key never appears in a message or a log line (httpx's
exception texts can contain the request URL, which holds the key, so they are not shown).

A 429 also pauses lookups until its Retry-After (or a minute) has passed, so a busy server
does not keep hammering an exhausted quota.

Documented response shape (https://developers.google.com/fact-check/tools/api/reference/
rest/v1alpha1/claims/search):

    {"claims": [{"text": str, "claimant": str, "claimDate": str,
                 "claimReview": [{"publisher": {"name": str, "site": str}, "url": str,
                                  "title": str, "reviewDate": str, "textualRating": str,
                                  "languageCode": str}]}],
     "nextPageToken": str}

Every field may be missing; an empty result is `{}`.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from bot.errors import ClaimbotError, ConfigurationError

API_URL = "https://factchecktools.googleapis.com/v1alpha1/claims:search"
CACHE_TTL_S = 3600.0
CACHE_ENTRIES = 256
REQUEST_TIMEOUT_S = 10.0
DEFAULT_RATE_LIMIT_PAUSE_S = 60.0
MAX_QUERY_CHARS = 500
PAGE_SIZE = 10  # reviews asked for; the embed shows the first few
MISSING_KEY_MESSAGE = (
    "Looking up published fact-checks needs a Google Fact Check Tools API key: the bot's "
    "operator sets FACTCHECK_API_KEY (see .env.example) and restarts the bot."
)


class LookupFailed(ClaimbotError):
    """The fact-check service could not answer; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class PublishedReview:
    publisher: str
    rating: str  # the publisher's own words ("False", "Misleading", ...)
    url: str | None
    title: str | None
    reviewed_at: datetime | None
    claim_text: str | None
    claimant: str | None
    site: str | None = None


Clock = Callable[[], float]


class FactCheckClient:
    """claims:search through the bot's shared httpx client, with a cache and a 429 pause."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        api_key: str | None,
        *,
        cache_ttl_s: float = CACHE_TTL_S,
        cache_entries: int = CACHE_ENTRIES,
        timeout_s: float = REQUEST_TIMEOUT_S,
        clock: Clock = time.monotonic,
    ) -> None:
        self._http = http
        self._api_key = api_key or None
        self._ttl = cache_ttl_s
        self._max_entries = cache_entries
        self._timeout = timeout_s
        self._clock = clock
        self._cache: OrderedDict[tuple[str, str | None], tuple[float, list[PublishedReview]]]
        self._cache = OrderedDict()
        self._paused_until = 0.0

    @property
    def configured(self) -> bool:
        return self._api_key is not None

    async def search(self, text: str, *, language: str | None = None) -> list[PublishedReview]:
        """Published reviews of claims like `text` (possibly none)."""
        if self._api_key is None:
            raise ConfigurationError(MISSING_KEY_MESSAGE)
        query = " ".join(text.split())[:MAX_QUERY_CHARS]
        if not query:
            raise LookupFailed("There is no text to look up.")
        key = (query.casefold(), language)
        now = self._clock()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            self._cache.move_to_end(key)
            return cached[1]
        if now < self._paused_until:
            raise _rate_limited(self._paused_until - now)
        reviews = parse_reviews(await self._get(query, language))
        self._remember(key, reviews, now)
        return reviews

    async def _get(self, query: str, language: str | None) -> Any:
        params = {"query": query, "pageSize": str(PAGE_SIZE), "key": self._api_key or ""}
        if language:
            params["languageCode"] = language
        try:
            response = await self._http.get(API_URL, params=params, timeout=self._timeout)
        except httpx.TimeoutException:
            raise LookupFailed(
                "The fact-check service did not answer in time; try again later."
            ) from None
        except httpx.HTTPError:
            raise LookupFailed("Could not reach the fact-check service; try again later.") from None
        if response.status_code == 429:
            pause = _retry_after(response.headers.get("Retry-After"))
            self._paused_until = self._clock() + pause
            raise _rate_limited(pause)
        if response.status_code in (400, 401, 403):
            # Google answers a bad or restricted key with 400 (API_KEY_INVALID) or 403.
            raise LookupFailed(
                f"The fact-check service refused the request ({response.status_code}): the "
                "bot's FACTCHECK_API_KEY may be invalid or not enabled for the Fact Check "
                "Tools API."
            )
        if response.status_code >= 400:
            raise LookupFailed(
                f"The fact-check service failed ({response.status_code}); try again later."
            )
        try:
            return response.json()
        except ValueError:
            raise LookupFailed("The fact-check service sent an unreadable answer.") from None

    def _remember(
        self, key: tuple[str, str | None], reviews: list[PublishedReview], now: float
    ) -> None:
        self._cache[key] = (now + self._ttl, reviews)
        self._cache.move_to_end(key)
        while len(self._cache) > self._max_entries:
            self._cache.popitem(last=False)


def parse_reviews(payload: Any) -> list[PublishedReview]:
    """The reviews of a claims:search answer, in the API's order; odd entries are skipped."""
    if not isinstance(payload, dict):
        raise LookupFailed("The fact-check service sent an unreadable answer.")
    reviews: list[PublishedReview] = []
    for claim in _dicts(payload.get("claims")):
        for review in _dicts(claim.get("claimReview")):
            publisher = review.get("publisher")
            publisher = publisher if isinstance(publisher, dict) else {}
            name = _text(publisher.get("name")) or _text(publisher.get("site"))
            rating = _text(review.get("textualRating"))
            if name is None or rating is None:
                continue  # nothing useful to show
            reviews.append(
                PublishedReview(
                    publisher=name,
                    rating=rating,
                    url=_web_link(review.get("url")),
                    title=_text(review.get("title")),
                    reviewed_at=_date(review.get("reviewDate")),
                    claim_text=_text(claim.get("text")),
                    claimant=_text(claim.get("claimant")),
                    site=_text(publisher.get("site")),
                )
            )
    return reviews


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _web_link(value: Any) -> str | None:
    text = _text(value)
    return text if text is not None and text.startswith(("https://", "http://")) else None


def _date(value: Any) -> datetime | None:
    text = _text(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    # A bare date ("2026-11-03") is a calendar day: read as midnight UTC.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _retry_after(header: str | None) -> float:
    try:
        seconds = float(header) if header is not None else DEFAULT_RATE_LIMIT_PAUSE_S
    except ValueError:
        seconds = DEFAULT_RATE_LIMIT_PAUSE_S
    return min(max(seconds, 1.0), 3600.0)


def _rate_limited(wait_s: float) -> LookupFailed:
    return LookupFailed(
        f"The fact-check service's rate limit is reached; try again in {max(1, round(wait_s))} s."
    )
