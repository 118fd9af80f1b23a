"""The bot's messages that list a claim (so a status change edits all of them), and whether
any guild has auto-extract channels (so `claimbot run` knows which intents to ask for).
Both run on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import column, insert, table
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import ClaimStore
from bot.store.migrate import downgrade_engine, upgrade_engine
from bot.store.views import MessageRef
from tests.store.conftest import submit

GUILD = 1111
OTHER_GUILD = 2222
BIG_ID = 1_234_567_890_123_456_789  # Discord ids need 64 bits
ARTICLE_COLUMNS = [
    "id",
    "guild_id",
    "source",
    "text",
    "content_hash",
    "submitter_name",
    "channel_id",
    "message_id",
    "created_at",
]
CLAIM_COLUMNS = [
    "guild_id",
    "number",
    "article_id",
    "text",
    "sentence",
    "sentence_hash",
    "start",
    "end",
    "score",
    "kind",
    "status",
    "times_submitted",
    "created_at",
    "updated_at",
]


async def test_every_recorded_message_of_a_claim_is_listed_oldest_first(
    store: ClaimStore,
) -> None:
    await submit(store, GUILD, "Rates rose 2 percent.", "Exports fell 5 percent.")
    await store.record_claim_message(guild_id=GUILD, numbers=[1, 2], channel_id=10, message_id=300)
    await store.record_claim_message(
        guild_id=GUILD, numbers=[2], channel_id=BIG_ID, message_id=BIG_ID
    )
    await store.record_claim_message(guild_id=GUILD, numbers=[2], channel_id=11, message_id=200)

    assert await store.claim_messages(guild_id=GUILD, number=1) == [MessageRef(10, 300)]
    assert await store.claim_messages(guild_id=GUILD, number=2) == [
        MessageRef(11, 200),
        MessageRef(10, 300),
        MessageRef(BIG_ID, BIG_ID),
    ]


async def test_recording_a_message_twice_changes_nothing(store: ClaimStore) -> None:
    await submit(store, GUILD, "Rates rose 2 percent.")
    for _ in range(2):
        await store.record_claim_message(
            guild_id=GUILD, numbers=[1, 1], channel_id=10, message_id=300
        )
    assert await store.claim_messages(guild_id=GUILD, number=1) == [MessageRef(10, 300)]


async def test_messages_belong_to_the_guilds_claim(store: ClaimStore) -> None:
    await submit(store, GUILD, "Rates rose 2 percent.")
    await submit(store, OTHER_GUILD, "Exports fell 5 percent.")
    await store.record_claim_message(guild_id=GUILD, numbers=[1], channel_id=10, message_id=300)
    # Unknown numbers are ignored: the message lists nothing the store knows.
    await store.record_claim_message(guild_id=GUILD, numbers=[7], channel_id=10, message_id=301)

    assert await store.claim_messages(guild_id=OTHER_GUILD, number=1) == []
    assert await store.claim_messages(guild_id=GUILD, number=1) == [MessageRef(10, 300)]
    assert await store.claim_messages(guild_id=GUILD, number=7) == []


async def test_a_status_change_keeps_the_messages(store: ClaimStore) -> None:
    await submit(store, GUILD, "Rates rose 2 percent.")
    await store.record_claim_message(guild_id=GUILD, numbers=[1], channel_id=10, message_id=300)
    await store.set_status(
        guild_id=GUILD, number=1, status="verified", moderator_id=5, moderator_name="Mo"
    )
    assert await store.claim_messages(guild_id=GUILD, number=1) == [MessageRef(10, 300)]


async def test_any_auto_extract_channels(store: ClaimStore) -> None:
    assert not await store.any_auto_extract_channels()
    await store.update_guild_settings(guild_id=GUILD, timezone="Europe/Berlin")
    assert not await store.any_auto_extract_channels()  # settings, but no channel
    await store.update_guild_settings(guild_id=OTHER_GUILD, auto_extract_channel_ids=[BIG_ID])
    assert await store.any_auto_extract_channels()
    await store.update_guild_settings(guild_id=OTHER_GUILD, auto_extract_channel_ids=[])
    assert not await store.any_auto_extract_channels()


async def test_the_migration_adds_each_older_claims_first_answer_message(
    empty_engine: AsyncEngine,
) -> None:
    await upgrade_engine(empty_engine, "0004_article_source_index")
    # Rows as that revision's schema has them (today's models may have more columns).
    now = datetime.now(UTC)
    article = table("article", *map(column, ARTICLE_COLUMNS))
    claim = table("claim", *map(column, CLAIM_COLUMNS))
    answered = {"channel_id": BIG_ID, "message_id": BIG_ID + 1}
    async with empty_engine.begin() as connection:
        for article_id, where in ((1, answered), (2, {"channel_id": None, "message_id": None})):
            await connection.execute(
                insert(article).values(
                    id=article_id, guild_id=GUILD, source="paste", text="Rates rose.",
                    content_hash="x" * 64, submitter_name="Ada", created_at=now, **where,
                )
            )  # fmt: skip
        for number, article_id in ((1, 1), (2, 1), (3, 2)):
            await connection.execute(
                insert(claim).values(
                    guild_id=GUILD, number=number, article_id=article_id, text="Rates rose.",
                    sentence="Rates rose.", sentence_hash=f"{number:064d}", start=0, end=11,
                    score=0.9, kind="statistic", status="pending", times_submitted=1,
                    created_at=now, updated_at=now,
                )
            )  # fmt: skip
    await upgrade_engine(empty_engine, "0005_claim_messages")
    store = ClaimStore(empty_engine)
    for number in (1, 2):
        assert await store.claim_messages(guild_id=GUILD, number=number) == [
            MessageRef(BIG_ID, BIG_ID + 1)
        ]
    assert await store.claim_messages(guild_id=GUILD, number=3) == []  # no answer message
    await downgrade_engine(empty_engine, "0004_article_source_index")
    await upgrade_engine(empty_engine)
