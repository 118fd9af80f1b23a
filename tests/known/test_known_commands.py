"""`/claims export`, `/claims lookup` and `/claims-admin publisher` end to end on the fake
Discord; the fact-check API is an httpx.MockTransport handler."""

from __future__ import annotations

import json

import httpx

from bot.store import ClaimStore
from tests.e2e.claims_support import guild_id, seed_claims
from tests.fakediscord import FakeDiscord
from tests.known.conftest import StartBot

CLAIM = "Putin and Trump met for more than two hours on Friday in Hamburg."
LINK = "https://news.example/2017/07/g20"


def no_web(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected web request to {request.url.host}")


async def test_moderators_export_settled_claims_as_a_claimreview_file(
    fake: FakeDiscord, start_bot: StartBot, store: ClaimStore
) -> None:
    await start_bot(no_web)
    gid = guild_id(fake)
    await seed_claims(store, gid, [CLAIM, "The summit cost 72 million euros."], source=LINK)
    await store.set_status(
        guild_id=gid, number=1, status="verified", moderator_id=None, moderator_name="ann",
        evidence_url="https://evidence.example/meeting",
    )  # fmt: skip
    await store.set_status(
        guild_id=gid, number=2, status="dismissed", moderator_id=None, moderator_name="ann"
    )

    refused = await fake.slash("claims export", user="reader")
    assert refused.ephemeral
    assert "moderator" in refused.content.lower()

    answer = await fake.slash("claims export", user="moderator")
    assert answer.ephemeral
    assert "1 claim review by Newsroom" in answer.content
    (upload,) = answer.interaction.files
    assert upload.filename == f"claimreview-{gid}.json"
    (review,) = json.loads(upload.data)
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == CLAIM
    assert review["author"] == {"@type": "Organization", "name": "Newsroom"}
    assert review["reviewRating"]["alternateName"] == "Verified"
    assert review["itemReviewed"]["appearance"]["url"] == LINK


async def test_managers_set_the_publisher_used_by_exports(
    fake: FakeDiscord, start_bot: StartBot, store: ClaimStore
) -> None:
    await start_bot(no_web)
    gid = guild_id(fake)
    shown = await fake.slash("claims-admin publisher show", user="admin")
    assert "No publisher set" in shown.content

    bad = await fake.slash(
        "claims-admin publisher set", user="admin", name="Checks", review_url="https://c.example/x"
    )
    assert "{number}" in bad.content
    answer = await fake.slash(
        "claims-admin publisher set", user="admin", name="@everyone Newsroom Checks",
        url="https://checks.example", review_url="https://checks.example/claims/{number}",
    )  # fmt: skip
    assert answer.ephemeral
    assert "@\u200beveryone Newsroom Checks" in answer.content
    assert "<https://checks.example>" in answer.content

    await seed_claims(store, gid, [CLAIM])
    await store.set_status(
        guild_id=gid, number=1, status="disputed", moderator_id=None, moderator_name="ann"
    )
    export = await fake.slash("claims export", user="moderator")
    (review,) = json.loads(export.interaction.files[0].data)
    assert review["author"] == {
        "@type": "Organization", "name": "@everyone Newsroom Checks",
        "url": "https://checks.example",
    }  # fmt: skip
    assert review["url"] == "https://checks.example/claims/1"
    assert review["reviewRating"]["ratingValue"] == 1


async def test_lookup_shows_published_reviews_and_caches_them(
    fake: FakeDiscord, start_bot: StartBot, store: ClaimStore
) -> None:
    asked: list[httpx.Request] = []

    def api(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        assert request.url.host == "factchecktools.googleapis.com"
        return httpx.Response(200, json={"claims": [{"text": CLAIM, "claimReview": [{
            "publisher": {"name": "PolitiFact", "site": "politifact.com"},
            "url": "https://www.politifact.com/g20-meeting/", "title": "They met for 2h 16m",
            "reviewDate": "2017-07-08T00:00:00Z", "textualRating": "True",
        }]}]})  # fmt: skip

    await start_bot(api, factcheck_api_key="k-123")
    await seed_claims(store, guild_id(fake), [CLAIM])

    answer = await fake.slash("claims lookup", user="reader", number=1, language="en")
    assert answer.ephemeral
    embed = answer.embed
    assert embed["title"] == "Published fact-checks for #1"
    (field,) = embed["fields"]
    assert field["name"] == "PolitiFact"
    assert "**True**" in field["value"]
    assert "2017-07-08" in field["value"]
    assert "(https://www.politifact.com/g20-meeting/)" in field["value"]
    assert asked[0].url.params["query"] == CLAIM
    assert asked[0].url.params["languageCode"] == "en"

    again = await fake.slash("claims lookup", user="reader", number=1, language="en")
    assert again.embed["fields"] == embed["fields"]
    assert len(asked) == 1  # cached

    missing = await fake.slash("claims lookup", user="reader", number=99)
    assert "No claim #99" in missing.content


async def test_lookup_failures_and_a_missing_key_give_clear_messages(
    fake: FakeDiscord, start_bot: StartBot, store: ClaimStore
) -> None:
    def limited(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "42"}, json={})

    client = await start_bot(limited, factcheck_api_key="k-123")
    await seed_claims(store, guild_id(fake), [CLAIM])
    answer = await fake.slash("claims lookup", user="reader", number=1)
    assert "rate limit" in answer.content
    assert "42 s" in answer.content
    assert "k-123" not in answer.content
    await client.close()

    await start_bot(no_web)  # no FACTCHECK_API_KEY
    answer = await fake.slash("claims lookup", user="reader", number=1)
    assert answer.ephemeral
    assert "FACTCHECK_API_KEY" in answer.content


async def test_moderators_confirm_or_reject_suggested_repeats(
    fake: FakeDiscord, start_bot: StartBot, store: ClaimStore
) -> None:
    await start_bot(no_web)
    gid = guild_id(fake)
    reworded = (
        "Trump and Putin met for over two hours on Friday in Hamburg, on the sidelines of the "
        "G20 summit."
    )
    outcome = await seed_claims(store, gid, [CLAIM, reworded, "Crime rose 8 percent."])
    first, second, third = outcome.new_claims
    await store.set_status(
        guild_id=gid, number=first.number, status="verified", moderator_id=None,
        moderator_name="ann",
    )  # fmt: skip
    await store.link_repeat(
        guild_id=gid, number=second.number, match_number=first.number, kind="likely"
    )
    await store.link_repeat(
        guild_id=gid, number=third.number, match_number=first.number, kind="likely"
    )

    refused = await fake.slash("claims repeat confirm", user="reader", number=second.number)
    assert "moderator" in refused.content.lower()
    answer = await fake.slash("claims repeat confirm", user="moderator", number=second.number)
    assert answer.ephemeral
    assert f"#{second.number} is the same claim as #{first.number}" in answer.content
    assert "verified" in answer.content
    confirmed = await store.get_claim(guild_id=gid, number=second.number)
    assert (confirmed.status.value, confirmed.match_kind) == ("verified", "exact")

    rejected = await fake.slash("claims repeat reject", user="moderator", number=third.number)
    assert "claim of its own" in rejected.content
    assert (await store.get_claim(guild_id=gid, number=third.number)).match_number is None
    again = await fake.slash("claims repeat reject", user="moderator", number=third.number)
    assert "no suggested repeat" in again.content
