"""FactCheckClient against httpx.MockTransport answers of the documented claims:search shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from bot.errors import ConfigurationError
from bot.known.factcheck import (
    API_URL,
    FactCheckClient,
    LookupFailed,
    PublishedReview,
    parse_reviews,
)
from bot.known.lookup_embed import lookup_embed

KEY = "test-key-123"
CLAIM = "Trump and Putin met for over two hours on Friday in Hamburg."


def api_answer(*reviews: dict[str, Any], text: str = CLAIM) -> dict[str, Any]:
    return {
        "claims": [
            {"text": text, "claimant": "White House", "claimDate": "2017-07-07T00:00:00Z",
             "claimReview": list(reviews)}
        ],
        "nextPageToken": "abc",
    }  # fmt: skip


def review(publisher: str = "PolitiFact", rating: str = "True", **extra: Any) -> dict[str, Any]:
    return {
        "publisher": {"name": publisher, "site": "politifact.com"},
        "url": "https://www.politifact.com/factchecks/2017/jul/07/meeting/",
        "title": "Yes, they met for two hours",
        "reviewDate": "2017-07-08T12:00:00Z",
        "textualRating": rating,
        "languageCode": "en",
        **extra,
    }


class Api:
    """A MockTransport handler: answers in order, records the requests."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def client_for(api: Api, clock: Clock | None = None, **kwargs: Any) -> FactCheckClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(api))
    return FactCheckClient(http, KEY, clock=clock or Clock(), **kwargs)


async def test_reviews_are_read_from_the_documented_shape() -> None:
    api = Api(httpx.Response(200, json=api_answer(review(), review("Full Fact", "Misleading"))))
    client = await client_for(api)
    reviews = await client.search(f"  {CLAIM}\n", language="en")
    assert reviews == [
        PublishedReview(
            publisher="PolitiFact", rating="True",
            url="https://www.politifact.com/factchecks/2017/jul/07/meeting/",
            title="Yes, they met for two hours",
            reviewed_at=datetime(2017, 7, 8, 12, tzinfo=UTC), claim_text=CLAIM,
            claimant="White House", site="politifact.com",
        ),
        PublishedReview(
            publisher="Full Fact", rating="Misleading",
            url="https://www.politifact.com/factchecks/2017/jul/07/meeting/",
            title="Yes, they met for two hours",
            reviewed_at=datetime(2017, 7, 8, 12, tzinfo=UTC), claim_text=CLAIM,
            claimant="White House", site="politifact.com",
        ),
    ]  # fmt: skip
    (request,) = api.requests
    assert str(request.url).startswith(API_URL + "?")
    assert request.url.params["query"] == CLAIM
    assert request.url.params["key"] == KEY
    assert request.url.params["languageCode"] == "en"


def test_odd_entries_are_skipped_and_an_empty_answer_is_no_review() -> None:
    assert parse_reviews({}) == []
    odd = api_answer(
        review(url="javascript:alert(1)", reviewDate="2017-07-08"),
        {"publisher": {"name": "No rating"}},
        "not a dict",
        review(publisher=None, rating="False"),  # type: ignore[arg-type]
    )
    odd["claims"].append({"claimReview": "not a list"})
    first, unnamed = parse_reviews(odd)
    assert first.url is None  # not an http(s) link
    assert first.reviewed_at == datetime(2017, 7, 8, tzinfo=UTC)  # a bare date: midnight UTC
    assert (unnamed.publisher, unnamed.rating) == ("politifact.com", "False")  # the site
    with pytest.raises(LookupFailed):
        parse_reviews(["not", "an", "object"])


async def test_answers_are_cached_until_they_expire() -> None:
    clock = Clock()
    api = Api(httpx.Response(200, json=api_answer(review())))
    client = await client_for(api, clock, cache_ttl_s=60)
    first = await client.search(CLAIM)
    assert await client.search(CLAIM.upper()) == first  # same query, other case: cached
    assert len(api.requests) == 1
    await client.search(CLAIM, language="de")  # another language is another question
    assert len(api.requests) == 2
    clock.now += 61
    await client.search(CLAIM)
    assert len(api.requests) == 3


async def test_the_cache_is_bounded() -> None:
    api = Api(httpx.Response(200, json={}))
    client = await client_for(api, cache_entries=2)
    for query in ("one", "two", "three"):
        await client.search(query)
    await client.search("three")
    await client.search("two")
    assert len(api.requests) == 3
    await client.search("one")  # the oldest was dropped
    assert len(api.requests) == 4


async def test_a_rate_limit_pauses_lookups_until_retry_after() -> None:
    clock = Clock()
    api = Api(
        httpx.Response(429, headers={"Retry-After": "30"}, json={"error": {"code": 429}}),
        httpx.Response(200, json={}),
    )
    client = await client_for(api, clock)
    with pytest.raises(LookupFailed, match=r"rate limit.*30 s"):
        await client.search(CLAIM)
    clock.now += 10
    with pytest.raises(LookupFailed, match=r"rate limit.*20 s"):
        await client.search("another claim")
    assert len(api.requests) == 1  # paused: the API was not asked again
    clock.now += 21
    assert await client.search(CLAIM) == []


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (httpx.Response(400, json={"error": {"status": "INVALID_ARGUMENT"}}), "may be invalid"),
        (httpx.Response(403, json={"error": {"status": "PERMISSION_DENIED"}}), "may be invalid"),
        (httpx.Response(404, text="no"), r"failed \(404\)"),
        (httpx.Response(500, text="boom"), r"failed \(500\)"),
        (httpx.Response(503, text="busy"), r"failed \(503\)"),
        (httpx.Response(200, text="<html>not json"), "unreadable"),
        (httpx.ReadTimeout("timed out"), "did not answer in time"),
        (httpx.ConnectError("refused"), "Could not reach"),
    ],
)
async def test_failures_give_a_clear_message_without_the_key(
    answer: httpx.Response | Exception, message: str
) -> None:
    client = await client_for(Api(answer))
    with pytest.raises(LookupFailed, match=message) as raised:
        await client.search(CLAIM)
    assert KEY not in str(raised.value)
    # A failure is not cached: the next lookup asks again.
    healthy = Api(httpx.Response(200, json={}))
    client._http = httpx.AsyncClient(transport=httpx.MockTransport(healthy))
    assert await client.search(CLAIM) == []


async def test_without_a_key_the_message_says_how_to_set_one() -> None:
    api = Api(httpx.Response(200, json={}))
    client = FactCheckClient(httpx.AsyncClient(transport=httpx.MockTransport(api)), None)
    assert not client.configured
    with pytest.raises(ConfigurationError, match="FACTCHECK_API_KEY"):
        await client.search(CLAIM)
    assert api.requests == []


def test_the_embed_stays_within_discord_limits() -> None:
    huge = review(
        publisher="@everyone " + "P" * 400, rating="R" * 300, title="*" * 1000,
        url="https://example.org/" + "a" * 3000,
    )  # fmt: skip
    reviews = parse_reviews(api_answer(*[huge] * 9, text="x" * 5000))
    embed = lookup_embed(12, "@everyone " + "y" * 5000, reviews)
    total = len(embed["title"]) + len(embed["description"]) + len(embed["footer"]["text"])
    total += sum(len(f["name"]) + len(f["value"]) for f in embed["fields"])
    assert total <= 6000
    assert 1 <= len(embed["fields"]) <= 5
    assert all(len(f["value"]) <= 1024 and len(f["name"]) <= 256 for f in embed["fields"])
    assert "@everyone" not in json.dumps(embed, ensure_ascii=False)
    assert "top" in embed["footer"]["text"]

    none = lookup_embed(3, "A claim.", [])
    assert none["fields"] == []
    assert "No published fact-check" in none["description"]
