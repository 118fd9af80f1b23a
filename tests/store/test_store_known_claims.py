"""ClaimStore for known claims: settled claims with the change that settled them (ClaimReview
export), and the guild's review publisher settings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import InvalidInput, NotFound
from bot.store import ClaimStatus
from bot.store.service import ClaimStore
from tests.store.conftest import submit

GUILD = 1_234_567_890_123_456_789
OTHER_GUILD = 987_654_321_098_765_432
LINK = "https://news.example/2026/11/budget"


async def test_only_verdicts_are_listed_with_their_latest_change(store: ClaimStore) -> None:
    await submit(
        store, GUILD,
        "The budget grew by 12 percent.", "Unemployment fell to 3.9 percent.",
        "Crime rose by 8 percent.", "The bridge cost 40 million euros.",
        "Exports doubled in 2025.",
        source=LINK,
    )  # fmt: skip
    await submit(store, OTHER_GUILD, "The budget grew by 12 percent.")
    await store.set_status(
        guild_id=OTHER_GUILD, number=1, status="verified", moderator_id=None, moderator_name="x"
    )
    await store.set_status(
        guild_id=GUILD, number=1, status="disputed", moderator_id=7, moderator_name="ann",
        note="first look", evidence_url="https://evidence.example/1",
    )  # fmt: skip
    later = await store.set_status(
        guild_id=GUILD, number=1, status="verified", moderator_id=8, moderator_name="bob",
        note="confirmed", evidence_url="https://evidence.example/2",
    )  # fmt: skip
    await store.set_status(
        guild_id=GUILD, number=2, status="dismissed", moderator_id=None, moderator_name="ann"
    )
    await store.set_status(
        guild_id=GUILD, number=3, status="inconclusive", moderator_id=None, moderator_name="cy"
    )
    await store.set_status(
        guild_id=GUILD, number=5, status="disputed", moderator_id=None, moderator_name="cy"
    )
    # Settled, then reopened: pending again, so not published.
    await store.set_status(
        guild_id=GUILD, number=4, status="verified", moderator_id=None, moderator_name="cy"
    )
    await store.set_status(
        guild_id=GUILD, number=4, status="pending", moderator_id=None, moderator_name="cy"
    )

    settled = [item async for item in store.iter_settled_claims(guild_id=GUILD, batch_size=2)]

    assert [(s.claim.number, s.claim.status) for s in settled] == [
        (1, ClaimStatus.VERIFIED),
        (3, ClaimStatus.INCONCLUSIVE),
        (5, ClaimStatus.DISPUTED),
    ]
    first = settled[0]
    assert (first.settled_by, first.note, first.evidence_url) == (
        "bob", "confirmed", "https://evidence.example/2",
    )  # fmt: skip
    assert first.settled_at == later.updated_at
    assert first.settled_at.utcoffset() == timedelta(0)  # timezone-aware UTC
    assert first.claim.source == LINK


async def test_a_guild_without_verdicts_lists_nothing(store: ClaimStore) -> None:
    await submit(store, GUILD, "The budget grew by 12 percent.")
    assert [item async for item in store.iter_settled_claims(guild_id=GUILD)] == []


async def test_the_review_publisher_is_stored_and_cleared(store: ClaimStore) -> None:
    default = await store.get_guild_settings(guild_id=GUILD)
    assert (default.review_author_name, default.review_author_url) == (None, None)

    await store.update_guild_settings(guild_id=GUILD, digest_weekday=3)
    changed = await store.update_guild_settings(
        guild_id=GUILD,
        review_author_name="  Newsroom Checks ",
        review_author_url="https://checks.example",
        review_url_template="https://checks.example/claims/{number}",
    )
    assert changed.review_author_name == "Newsroom Checks"
    read = await store.get_guild_settings(guild_id=GUILD)
    assert read.review_url_template == "https://checks.example/claims/{number}"
    assert read.digest_weekday == 3  # other settings untouched

    cleared = await store.update_guild_settings(guild_id=GUILD, review_author_url=None,
                                                review_url_template="  ")  # fmt: skip
    assert cleared.review_author_name == "Newsroom Checks"
    assert (cleared.review_author_url, cleared.review_url_template) == (None, None)


async def test_repeat_candidates_share_two_salient_words(store: ClaimStore) -> None:
    await submit(
        store, GUILD,
        "Trump and Putin met for two hours in Hamburg.",  # 1: trump, putin, hamburg
        "Putin visited Hamburg in July.",  # 2: putin, hamburg
        "Trump spoke in Paris.",  # 3: only trump
        "The weather in Hamburg was sunny.",  # 4: only hamburg
    )  # fmt: skip
    await submit(store, OTHER_GUILD, "Trump and Putin met in Hamburg.")
    await submit(store, GUILD, "Putin and Trump met on the sidelines in Hamburg.")  # 5

    found = await store.repeat_candidates(
        guild_id=GUILD, words=["trump", "putin", "hamburg"], before_number=5
    )
    assert [claim.number for claim in found] == [2, 1]  # newest first, never #5 itself
    only_earlier = await store.repeat_candidates(
        guild_id=GUILD, words=["trump", "putin"], before_number=2
    )
    assert [claim.number for claim in only_earlier] == [1]
    one_word = await store.repeat_candidates(guild_id=GUILD, words=["paris"], before_number=9)
    assert [claim.number for claim in one_word] == [3]
    # Stemmed like search, and user text cannot inject query syntax.
    odd = await store.repeat_candidates(
        guild_id=GUILD, words=['visits"', "OR", "hamburg's", "|", "&"], before_number=9
    )
    assert 2 in [claim.number for claim in odd]


async def test_repeats_are_linked_and_unlinked(store: ClaimStore) -> None:
    await submit(store, GUILD, "Crime rose 8 percent.", "Crime went up by 8 percent.")
    linked = await store.link_repeat(guild_id=GUILD, number=2, match_number=1, kind="likely")
    assert (linked.match_number, linked.match_kind) == (1, "likely")
    read = await store.get_claim(guild_id=GUILD, number=2)
    assert (read.match_number, read.match_kind) == (1, "likely")
    assert (await store.get_claim(guild_id=GUILD, number=1)).match_number is None

    cleared = await store.link_repeat(guild_id=GUILD, number=2, match_number=None, kind=None)
    assert (cleared.match_number, cleared.match_kind) == (None, None)

    for number, match, kind in [(2, 1, "maybe"), (2, 1, None), (1, 2, "exact"), (2, 2, "exact")]:
        with pytest.raises(InvalidInput):
            await store.link_repeat(guild_id=GUILD, number=number, match_number=match, kind=kind)
    with pytest.raises(NotFound):
        await store.link_repeat(guild_id=GUILD, number=9, match_number=1, kind="exact")


async def test_word_counts_stop_at_the_cap(store: ClaimStore) -> None:
    await submit(
        store, GUILD,
        "Crime rose 8 percent.", "Prices rose 3 percent.", "Wages rose 2 percent in Spain.",
    )  # fmt: skip
    counts = await store.word_counts(
        guild_id=GUILD, words=["percent", "price", "spain", "absent"], cap=2
    )
    assert counts == {"percent": 2, "price": 1, "spain": 1, "absent": 0}  # stemmed


async def test_word_counts_of_a_single_word(store: ClaimStore) -> None:
    # A claim with one salient word asks for one count: it once came back as a bare number.
    await submit(store, GUILD, "Crime rose 8 percent.", "Prices rose 3 percent.")
    assert await store.word_counts(guild_id=GUILD, words=["percent"], cap=5) == {"percent": 2}
    assert await store.word_counts(guild_id=GUILD, words=["crime", "crime"], cap=5) == {"crime": 1}


async def test_repeat_candidates_by_relevance_put_the_most_shared_words_first(
    store: ClaimStore,
) -> None:
    await submit(
        store, GUILD,
        "Merkel met Putin in Sochi to discuss gas pipelines.",  # 1: all four words
        "Merkel visited Sochi in May.",  # 2: two of them
        "Putin spoke about pipelines in Sochi.",  # 3: three
    )  # fmt: skip
    words = ["merkel", "putin", "sochi", "pipelines"]
    newest = await store.repeat_candidates(guild_id=GUILD, words=words, before_number=9)
    assert [c.number for c in newest] == [3, 2, 1]
    ranked = await store.repeat_candidates(
        guild_id=GUILD, words=words, before_number=9, by_relevance=True
    )
    assert ranked[0].number == 1
    assert {c.number for c in ranked} == {1, 2, 3}


async def test_anchored_candidates_need_the_first_word(store: ClaimStore) -> None:
    await submit(
        store, GUILD,
        "Officials said the Zorbex plant closed.",  # 1: anchor + a companion
        "Officials said the plant closed.",  # 2: companions only
        "Zorbex is a company.",  # 3: the anchor alone
    )  # fmt: skip
    found = await store.repeat_candidates(
        guild_id=GUILD, words=["zorbex", "officials", "plant"], before_number=9,
        anchored=True, by_relevance=True,
    )  # fmt: skip
    assert [c.number for c in found] == [1]
