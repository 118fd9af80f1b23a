"""ClaimStore behaviour, on every database the fixture provides."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.errors import InvalidInput, NotFound
from bot.extraction.types import ClaimCandidate
from bot.store import service as service_module
from bot.store.models import ClaimStatus
from bot.store.service import ClaimStore
from tests.store.conftest import MAX_ARTICLE_CHARS, make_article, submit

GUILD = 1_234_567_890_123_456_789  # Discord ids need 64 bits
OTHER_GUILD = 987_654_321_098_765_432

UNEMPLOYMENT = "Unemployment fell to 3.9 percent in March, the ministry said."
BUDGET = "The city budget grew by 12 percent in 2025."
VACCINES = "Officials reported 40,000 vaccinations on Monday."


async def test_submit_stores_article_and_numbers_claims_from_one(store: ClaimStore) -> None:
    text, candidates = make_article(UNEMPLOYMENT, BUDGET)
    outcome = await store.submit_article(
        guild_id=GUILD,
        source="https://example.org/news",
        title=" Economy ",
        text=text,
        submitter_id=2**63 - 1,
        submitter_name="Ada",
        channel_id=2**62,
        message_id=2**62 + 1,
        candidates=candidates,
    )
    assert outcome.article.title == "Economy"
    assert outcome.article.length == len(text)
    assert outcome.article.submitter_id == 2**63 - 1
    assert [c.number for c in outcome.new_claims] == [1, 2]
    assert outcome.existing_claims == ()

    claim = await store.get_claim(guild_id=GUILD, number=1)
    assert claim.sentence == UNEMPLOYMENT
    assert text[claim.start : claim.end] == claim.sentence
    assert claim.status is ClaimStatus.PENDING
    assert claim.source == "https://example.org/news"
    assert claim.times_submitted == 1
    assert claim.created_at.tzinfo is not None
    assert abs(claim.created_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert await store.get_article_text(guild_id=GUILD, article_id=claim.article_id) == text


async def test_repeat_sentence_returns_the_existing_claim(store: ClaimStore) -> None:
    await submit(store, GUILD, UNEMPLOYMENT, BUDGET)
    await store.set_status(
        guild_id=GUILD, number=2, status="disputed", moderator_id=7, moderator_name="Mod"
    )
    # Same sentence with other case and spacing, plus a new one, twice in one article.
    outcome = await submit(store, GUILD, VACCINES, "the  city BUDGET grew by 12 percent in 2025.")
    assert [(item.claim.number, item.is_new) for item in outcome.claims] == [(3, True), (2, False)]
    existing = outcome.existing_claims[0]
    assert existing.status is ClaimStatus.DISPUTED
    assert existing.times_submitted == 2
    assert (await store.get_claim(guild_id=GUILD, number=2)).times_submitted == 2
    assert await store.count_claims(guild_id=GUILD) == 3


async def test_duplicate_sentences_within_one_article_make_one_claim(store: ClaimStore) -> None:
    outcome = await submit(store, GUILD, BUDGET, BUDGET)
    assert [(item.claim.number, item.is_new) for item in outcome.claims] == [(1, True), (1, False)]
    assert await store.count_claims(guild_id=GUILD) == 1


async def test_submit_is_all_or_nothing(store: ClaimStore, monkeypatch: pytest.MonkeyPatch) -> None:
    await submit(store, GUILD, UNEMPLOYMENT)
    real_new_claim = ClaimStore._new_claim
    made = 0

    def failing_new_claim(*args: object) -> object:
        nonlocal made
        made += 1
        if made == 3:
            raise RuntimeError("disk on fire")
        return real_new_claim(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(ClaimStore, "_new_claim", staticmethod(failing_new_claim))
    with pytest.raises(RuntimeError):
        await submit(store, GUILD, BUDGET, VACCINES, "A third claim of 5 items.", UNEMPLOYMENT)
    monkeypatch.undo()

    assert await store.count_claims(guild_id=GUILD) == 1
    assert (await store.get_claim(guild_id=GUILD, number=1)).times_submitted == 1
    # The numbers the failed submission would have used are handed out again: no gap.
    outcome = await submit(store, GUILD, BUDGET)
    assert [c.number for c in outcome.new_claims] == [2]


async def test_article_without_candidates_is_stored(store: ClaimStore) -> None:
    outcome = await store.submit_article(
        guild_id=GUILD,
        source="file",
        title=None,
        text="Nothing checkable here.",
        submitter_id=None,
        submitter_name="cli",
        candidates=[],
    )
    assert outcome.claims == ()
    assert outcome.article.id > 0
    assert await store.count_claims(guild_id=GUILD) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The article is empty."),
        ("   \n", "The article is empty."),
        ("x" * (MAX_ARTICLE_CHARS + 1), "the limit is 5,000"),
    ],
)
async def test_bad_articles_are_refused(store: ClaimStore, text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        await store.submit_article(
            guild_id=GUILD,
            source="paste",
            title=None,
            text=text,
            submitter_id=1,
            submitter_name="Ada",
            candidates=[],
        )
    assert await store.count_claims(guild_id=GUILD) == 0


async def test_candidate_offsets_outside_the_article_are_refused(store: ClaimStore) -> None:
    bad = ClaimCandidate(
        text="x", sentence="x", start=5, end=500, score=0.9, claimant=None, kind="other"
    )
    with pytest.raises(InvalidInput, match="outside the article"):
        await store.submit_article(
            guild_id=GUILD,
            source="paste",
            title=None,
            text="Short text.",
            submitter_id=1,
            submitter_name="Ada",
            candidates=[bad],
        )


async def test_set_status_writes_the_audit_trail_in_order(store: ClaimStore) -> None:
    await submit(store, GUILD, UNEMPLOYMENT)
    first = await store.set_status(
        guild_id=GUILD,
        number=1,
        status="disputed",
        moderator_id=11,
        moderator_name="Grace",
        note="  Ministry figure was 4.1  ",
        evidence_url="https://stats.example.org/march",
    )
    assert first.status is ClaimStatus.DISPUTED
    assert first.status_changed_by_id == 11
    assert first.status_changed_by_name == "Grace"
    assert first.updated_at >= first.created_at
    await store.set_status(
        guild_id=GUILD,
        number=1,
        status=ClaimStatus.VERIFIED,
        moderator_id=12,
        moderator_name="Linus",
    )
    # The same status again is allowed and audited (a confirmation with new evidence).
    await store.set_status(
        guild_id=GUILD,
        number=1,
        status="VERIFIED",
        moderator_id=13,
        moderator_name="Ken",
        evidence_url="http://archive.example.org/x",
    )
    history = await store.claim_history(guild_id=GUILD, number=1)
    assert [(h.from_status, h.to_status, h.moderator_name) for h in history] == [
        (ClaimStatus.PENDING, ClaimStatus.DISPUTED, "Grace"),
        (ClaimStatus.DISPUTED, ClaimStatus.VERIFIED, "Linus"),
        (ClaimStatus.VERIFIED, ClaimStatus.VERIFIED, "Ken"),
    ]
    assert history[0].note == "Ministry figure was 4.1"
    assert history[0].evidence_url == "https://stats.example.org/march"
    assert history[1].note is None
    assert all(h.changed_at.tzinfo is not None for h in history)
    assert history[0].changed_at <= history[1].changed_at <= history[2].changed_at
    claim = await store.get_claim(guild_id=GUILD, number=1)
    assert (claim.status, claim.status_changed_by_name) == (ClaimStatus.VERIFIED, "Ken")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "true"}, "Unknown status 'true'"),
        ({"evidence_url": "javascript:alert(1)"}, "http"),
        ({"evidence_url": "ftp://example.org/file"}, "http"),
        ({"evidence_url": "https://"}, "http"),
        ({"note": "n" * 1001}, "limit is 1000"),
        ({"moderator_name": "   "}, "must not be empty"),
    ],
)
async def test_bad_status_changes_are_refused_and_change_nothing(
    store: ClaimStore, changes: dict[str, str], message: str
) -> None:
    await submit(store, GUILD, UNEMPLOYMENT)
    arguments = {"status": "verified", "moderator_name": "Grace", **changes}
    with pytest.raises(InvalidInput, match=message):
        await store.set_status(guild_id=GUILD, number=1, moderator_id=1, **arguments)
    assert (await store.get_claim(guild_id=GUILD, number=1)).status is ClaimStatus.PENDING
    assert await store.claim_history(guild_id=GUILD, number=1) == []


async def test_guilds_are_isolated(store: ClaimStore) -> None:
    await submit(store, GUILD, UNEMPLOYMENT, BUDGET)
    await submit(store, OTHER_GUILD, VACCINES)
    # Each guild counts from 1, and the same sentence is a separate claim per guild.
    other = await submit(store, OTHER_GUILD, BUDGET)
    assert [(c.claim.number, c.is_new) for c in other.claims] == [(2, True)]

    with pytest.raises(NotFound, match=r"No claim #3 in this server\."):
        await store.get_claim(guild_id=OTHER_GUILD, number=3)
    await submit(store, GUILD, "Third claim with 3 numbers.")
    with pytest.raises(NotFound):
        await store.set_status(
            guild_id=OTHER_GUILD, number=3, status="verified", moderator_id=1, moderator_name="X"
        )
    with pytest.raises(NotFound):
        await store.claim_history(guild_id=OTHER_GUILD, number=3)

    assert [c.number for c in await store.list_claims(guild_id=OTHER_GUILD)] == [2, 1]
    assert await store.search_claims(guild_id=OTHER_GUILD, words="unemployment") == []
    assert (await store.stats(guild_id=OTHER_GUILD))[ClaimStatus.PENDING] == 2
    assert (await store.stats(guild_id=GUILD))[ClaimStatus.PENDING] == 3
    assert [c.guild_id for c in await store.list_claims(guild_id=GUILD)] == [GUILD] * 3


async def test_list_filters_newest_first_and_pages(store: ClaimStore) -> None:
    sentences = [f"Claim number {i} says 10{i} people." for i in range(1, 8)]
    await submit(store, GUILD, *sentences)
    for number in (2, 5):
        await store.set_status(
            guild_id=GUILD, number=number, status="dismissed", moderator_id=1, moderator_name="M"
        )
    assert [c.number for c in await store.list_claims(guild_id=GUILD, limit=3)] == [7, 6, 5]
    assert [c.number for c in await store.list_claims(guild_id=GUILD, limit=3, offset=3)] == [
        4,
        3,
        2,
    ]
    pending = await store.list_claims(guild_id=GUILD, status="pending", limit=2)
    assert [c.number for c in pending] == [7, 6]
    following = await store.list_claims(
        guild_id=GUILD, status="pending", limit=2, before=pending[-1].number
    )
    assert [c.number for c in following] == [4, 3]
    assert [c.number for c in await store.list_claims(guild_id=GUILD, status="dismissed")] == [
        5,
        2,
    ]
    assert await store.count_claims(guild_id=GUILD, status=ClaimStatus.PENDING) == 5
    with pytest.raises(InvalidInput):
        await store.list_claims(guild_id=GUILD, status="bogus")


async def test_stats_has_every_status(store: ClaimStore) -> None:
    assert await store.stats(guild_id=GUILD) == dict.fromkeys(ClaimStatus, 0)
    await submit(store, GUILD, UNEMPLOYMENT, BUDGET, VACCINES)
    await store.set_status(
        guild_id=GUILD, number=1, status="verified", moderator_id=1, moderator_name="M"
    )
    stats = await store.stats(guild_id=GUILD)
    assert list(stats) == list(ClaimStatus)
    assert stats[ClaimStatus.PENDING] == 2
    assert stats[ClaimStatus.VERIFIED] == 1
    assert stats[ClaimStatus.DISPUTED] == 0


async def test_search_uses_words_with_stemming(store: ClaimStore) -> None:
    await submit(store, GUILD, UNEMPLOYMENT, BUDGET, VACCINES, "Budgets for vaccination rose.")
    found = await store.search_claims(guild_id=GUILD, words="budget")
    assert [c.number for c in found] == [4, 2]  # "Budgets" stems to budget; newest first
    found = await store.search_claims(guild_id=GUILD, words=["city", "budget"])
    assert [c.number for c in found] == [2]
    assert await store.search_claims(guild_id=GUILD, words="budget unicorn") == []
    found = await store.search_claims(guild_id=GUILD, words="MINISTRY")
    assert [c.number for c in found] == [1]


@pytest.mark.parametrize(
    "words",
    [
        '"unbalanced',
        "budget AND",
        "NEAR(budget",
        "budget*",
        "text:budget",
        "-budget ^",
        "budget & | !",
        "budget OR city)",
        "'; DROP TABLE claim; --",
    ],
)
async def test_search_never_fails_on_operators(store: ClaimStore, words: str) -> None:
    await submit(store, GUILD, BUDGET)
    found = await store.search_claims(guild_id=GUILD, words=words)
    assert all(c.guild_id == GUILD for c in found)


@pytest.mark.parametrize("words", ["", "   ", "!!! ???", []])
async def test_search_without_words_is_refused(store: ClaimStore, words: str) -> None:
    with pytest.raises(InvalidInput, match="at least one word"):
        await store.search_claims(guild_id=GUILD, words=words)


async def test_iter_claims_reads_everything_in_batches(store: ClaimStore) -> None:
    await submit(store, GUILD, *[f"Fact {i} has {i} parts." for i in range(1, 12)])
    numbers = [c.number async for c in store.iter_claims(guild_id=GUILD, batch_size=4)]
    assert numbers == list(range(1, 12))


async def test_guild_settings_round_trip(store: ClaimStore) -> None:
    defaults = await store.get_guild_settings(guild_id=GUILD)
    assert defaults.moderator_role_ids == ()
    assert defaults.timezone == "UTC"
    updated = await store.update_guild_settings(
        guild_id=GUILD,
        moderator_role_ids=[2**63 - 2, 5, 5],
        digest_channel_id=2**62,
        digest_weekday=4,
        digest_local_time="17:30",
        timezone="Europe/Berlin",
        auto_extract_channel_ids=[9],
        score_threshold=0.7,
    )
    assert updated.moderator_role_ids == (5, 2**63 - 2)
    again = await store.get_guild_settings(guild_id=GUILD)
    assert again == updated
    assert again.digest_local_time == time(17, 30)
    # Only the fields given change; None is a value (clears the channel).
    partial = await store.update_guild_settings(guild_id=GUILD, digest_channel_id=None)
    assert partial.digest_channel_id is None
    assert partial.timezone == "Europe/Berlin"
    assert (await store.get_guild_settings(guild_id=OTHER_GUILD)).timezone == "UTC"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "Unknown time zone"),
        ({"digest_local_time": "25:00"}, "HH:MM"),
        ({"digest_weekday": 7}, "weekday"),
        ({"score_threshold": 1.5}, "between 0 and 1"),
    ],
)
async def test_bad_guild_settings_are_refused(
    store: ClaimStore, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        await store.update_guild_settings(guild_id=GUILD, **changes)  # type: ignore[arg-type]


async def test_digest_run_is_recorded_once_per_period(store: ClaimStore) -> None:
    assert await store.record_digest_run(guild_id=GUILD, period="2026-W48", channel_id=5)
    assert not await store.record_digest_run(guild_id=GUILD, period="2026-W48")
    assert await store.record_digest_run(guild_id=OTHER_GUILD, period="2026-W48")
    assert await store.record_digest_run(guild_id=GUILD, period="2026-W49")


async def test_status_changes_between(store: ClaimStore) -> None:
    await submit(store, GUILD, UNEMPLOYMENT)
    await submit(store, OTHER_GUILD, UNEMPLOYMENT)
    before = datetime.now(UTC) - timedelta(seconds=1)
    for guild in (GUILD, OTHER_GUILD):
        await store.set_status(
            guild_id=guild, number=1, status="verified", moderator_id=1, moderator_name="M"
        )
    after = datetime.now(UTC) + timedelta(seconds=1)
    changes = await store.status_changes_between(guild_id=GUILD, since=before, until=after)
    assert [(c.claim_number, c.to_status) for c in changes] == [(1, ClaimStatus.VERIFIED)]
    assert await store.status_changes_between(guild_id=GUILD, since=after, until=after) == []


def test_service_module_exports_open_store() -> None:
    assert callable(service_module.open_store)
