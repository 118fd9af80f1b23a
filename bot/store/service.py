"""`ClaimStore`: the only way into the database for the rest of the bot.

Every method is async, opens its own short session (so concurrent callers never share
one) and returns immutable views, never live ORM objects. Writes take the write lock at
BEGIN on SQLite (see `engine.writer`) and the guild's counter row lock on PostgreSQL, so
claim numbers are allocated one transaction at a time and stay gap-free.

Setting a claim to the status it already has is allowed and audited like any change: a
moderator may confirm a verdict with a new note or piece of evidence.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, column, func, literal_column, or_, table, update
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.errors import InvalidInput, NotFound
from bot.extraction.types import ClaimCandidate
from bot.store import _search, _validation
from bot.store._types import utc_now
from bot.store._word_counts import WordCountCache
from bot.store.engine import create_store_engine, writer
from bot.store.migrate import upgrade_engine
from bot.store.models import (
    Article,
    AutoExtractCursor,
    Claim,
    ClaimMessage,
    ClaimStatus,
    DigestRun,
    GuildClaimCounter,
    GuildSettings,
    StatusChange,
)
from bot.store.views import (
    ArticleView,
    ClaimView,
    DigestClaimView,
    DigestFacts,
    DigestRunView,
    GuildSettingsView,
    MessageRef,
    SettledClaimView,
    StatusChangeView,
    SubmitOutcome,
    SubmittedClaim,
)

DEFAULT_MAX_ARTICLE_CHARS = 200_000
MAX_PAGE_SIZE = 100
_claim_fts = table("claim_fts", column("rowid"))


class ClaimOrder(StrEnum):
    """How `list_claims` sorts: newest first, or most submitted first (demand; ties newest
    first). Both walk an index in order (revision 0007 added the demand ones)."""

    NEWEST = "newest"
    MOST_SUBMITTED = "most_submitted"


class _Unset:
    """Marks a settings field the caller did not pass (None is a meaningful value)."""


UNSET: Any = _Unset()


class ClaimStore:
    """Claims, their review and the guilds' settings; see the module docstring.

    Build it with `open_store(url)`, or around an engine from `create_store_engine` (which
    sets up SQLite's WAL mode and write locking); `close()` releases the connections.
    """

    def __init__(
        self, engine: AsyncEngine, *, max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS
    ) -> None:
        self.engine = engine
        self.max_article_chars = max_article_chars
        self._dialect = engine.dialect.name
        self._reading = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
        self._writing = async_sessionmaker(
            writer(engine), class_=AsyncSession, expire_on_commit=False
        )
        self._word_count_cache = WordCountCache()

    async def close(self) -> None:
        await self.engine.dispose()

    # ---- articles and claims -------------------------------------------------------

    async def submit_article(
        self,
        *,
        guild_id: int,
        source: str,
        title: str | None,
        text: str,
        submitter_id: int | None,
        submitter_name: str,
        channel_id: int | None = None,
        message_id: int | None = None,
        candidates: Sequence[ClaimCandidate],
    ) -> SubmitOutcome:
        """Store the article and its claims in one transaction: all of it, or nothing.

        A candidate whose sentence is already a claim of this guild is not stored again:
        the existing claim is returned (is_new=False) and its times_submitted goes up.
        """
        _validation.check_article_text(text, max_chars=self.max_article_chars)
        if not source.strip():
            raise InvalidInput("The article source must not be empty.")
        if len(source) > _validation.MAX_URL_CHARS:  # it is indexed; PostgreSQL caps entries
            raise InvalidInput(
                f"The article source is longer than {_validation.MAX_URL_CHARS} characters."
            )
        submitter_name = _validation.check_name(submitter_name, what="submitter")
        for candidate in candidates:
            if not 0 <= candidate.start <= candidate.end <= len(text):
                raise InvalidInput(
                    f"Claim offsets {candidate.start}-{candidate.end} are outside the article."
                )
        hashes = [_validation.sentence_hash(c.sentence) for c in candidates]

        async with self._writing() as session, session.begin():
            article = Article(
                guild_id=guild_id,
                source=source.strip(),
                title=title.strip() if title and title.strip() else None,
                text=text,
                content_hash=_validation.content_hash(text),
                submitter_id=submitter_id,
                submitter_name=submitter_name,
                channel_id=channel_id,
                message_id=message_id,
            )
            session.add(article)
            # Lock the counter BEFORE looking for known sentences: on PostgreSQL a
            # concurrent submission of the same sentence then waits and sees it.
            last_number = await self._lock_counter(session, guild_id)
            await session.flush()
            assert article.id is not None
            known = await self._claims_by_hash(session, guild_id, set(hashes))

            results: list[tuple[Claim, str, bool]] = []
            created: dict[str, Claim] = {}
            counted: set[str] = set()
            for candidate, digest in zip(candidates, hashes, strict=True):
                if digest in known:
                    claim, source_of_claim = known[digest]
                    if digest not in counted:  # once per article, however often it repeats
                        claim.times_submitted += 1
                        counted.add(digest)
                    results.append((claim, source_of_claim, False))
                elif digest in created:
                    results.append((created[digest], article.source, False))
                else:
                    last_number += 1
                    claim = self._new_claim(guild_id, last_number, article.id, candidate, digest)
                    session.add(claim)
                    created[digest] = claim
                    results.append((claim, article.source, True))
            await session.exec(
                update(GuildClaimCounter)
                .where(col(GuildClaimCounter.guild_id) == guild_id)
                .values(last_number=last_number)
            )
            await session.flush()

        return SubmitOutcome(
            article=_article_view(article),
            claims=tuple(
                SubmittedClaim(claim=_claim_view(claim, source), is_new=is_new)
                for claim, source, is_new in results
            ),
        )

    async def list_claims(
        self,
        *,
        guild_id: int,
        status: ClaimStatus | str | None = None,
        limit: int = 25,
        offset: int = 0,
        before: int | None = None,
        order: ClaimOrder | str = ClaimOrder.NEWEST,
    ) -> list[ClaimView]:
        """Newest first, or with `order` most submitted first. Page with `offset`, or (newest
        first only) faster with `before` = the last number seen."""
        try:
            order = ClaimOrder(order)
        except ValueError:
            raise InvalidInput(f"Unknown order {order!r}: newest or most_submitted.") from None
        statement = self._claims_query(guild_id)
        if status is not None:
            statement = statement.where(col(Claim.status) == _validation.parse_status(status))
        if before is not None:
            if order is not ClaimOrder.NEWEST:
                raise InvalidInput("Paging with `before` needs the newest-first order.")
            statement = statement.where(col(Claim.number) < before)
        ordering = [col(Claim.number).desc()]
        if order is ClaimOrder.MOST_SUBMITTED:
            ordering.insert(0, col(Claim.times_submitted).desc())
        statement = statement.order_by(*ordering).limit(_page_size(limit)).offset(max(offset, 0))
        async with self._reading() as session:
            rows = (await session.exec(statement)).all()
        return [_claim_view(claim, source) for claim, source in rows]

    async def count_claims(self, *, guild_id: int, status: ClaimStatus | str | None = None) -> int:
        statement = select(func.count()).select_from(Claim).where(Claim.guild_id == guild_id)
        if status is not None:
            statement = statement.where(col(Claim.status) == _validation.parse_status(status))
        async with self._reading() as session:
            return int((await session.exec(statement)).one())

    async def get_claim(self, *, guild_id: int, number: int) -> ClaimView:
        async with self._reading() as session:
            row = (
                await session.exec(self._claims_query(guild_id).where(col(Claim.number) == number))
            ).first()
        if row is None:
            raise _not_found(number)
        return _claim_view(*row)

    async def claim_history(self, *, guild_id: int, number: int) -> list[StatusChangeView]:
        """Every status change of the claim, oldest first."""
        async with self._reading() as session:
            claim_id = await self._claim_id(session, guild_id, number)
            changes = (
                await session.exec(
                    select(StatusChange)
                    .where(col(StatusChange.claim_id) == claim_id)
                    .order_by(col(StatusChange.changed_at), col(StatusChange.id))
                )
            ).all()
        return [_change_view(change, number) for change in changes]

    async def search_claims(
        self, *, guild_id: int, words: str | Sequence[str], limit: int = 25
    ) -> list[ClaimView]:
        """Claims containing every word (stemmed: "rates" finds "rate"), newest first."""
        found = _search.search_words(words if isinstance(words, str) else list(words))
        statement = self._claims_query(guild_id)
        if self._dialect == "sqlite":
            # Ordering by the FTS rowid (= claim.id) lets FTS5 walk its doclist newest
            # first and stop after `limit` rows; ordering by claim.id would sort every match.
            statement = (
                statement.join(_claim_fts, _claim_fts.c.rowid == col(Claim.id))
                .where(literal_column("claim_fts").op("MATCH")(_search.fts5_query(found)))
                .order_by(_claim_fts.c.rowid.desc())
            )
        else:
            query = func.plainto_tsquery("english", _search.tsquery_text(found))
            statement = statement.where(
                literal_column("claim.search_vector").op("@@")(query)
            ).order_by(col(Claim.id).desc())
        statement = statement.limit(_page_size(limit))
        async with self._reading() as session:
            rows = (await session.exec(statement)).all()
        return [_claim_view(claim, source) for claim, source in rows]

    async def repeat_candidates(
        self,
        *,
        guild_id: int,
        words: Sequence[str],
        before_number: int,
        limit: int = 50,
        by_relevance: bool = False,
        anchored: bool = False,
    ) -> list[ClaimView]:
        """Earlier claims (numbers below `before_number`) sharing at least two of `words`
        (stemmed, as in search): candidates for bot.known.repeats to compare. Newest first,
        or with `by_relevance` those sharing the most (rare) words first: ranking costs a
        look at every match, so only ask for it when the words are rare. `anchored`: the
        first word is required, with any one of the others (one rare word among common
        ones: the matches are no more than the rare word's)."""
        found = _search.search_words(list(words))
        anchor, others = found[0], found[1:]
        statement = self._claims_query(guild_id).where(col(Claim.number) < before_number)
        if self._dialect == "sqlite":
            statement = statement.join(_claim_fts, _claim_fts.c.rowid == col(Claim.id)).where(
                literal_column("claim_fts").op("MATCH")(
                    _search.fts5_anchored(anchor, others)
                    if anchored
                    else _search.fts5_any_two(found)
                )
            )
            statement = statement.order_by(
                literal_column("claim_fts.rank") if by_relevance else _claim_fts.c.rowid.desc()
            )
        else:
            query = func.to_tsquery(
                "english",
                _search.tsquery_anchored(anchor, others)
                if anchored
                else _search.tsquery_any_two(found),
            )
            vector: Any = literal_column("claim.search_vector")
            statement = statement.where(vector.op("@@")(query)).order_by(
                func.ts_rank(vector, query).desc() if by_relevance else col(Claim.id).desc()
            )
        statement = statement.limit(_page_size(limit))
        async with self._reading() as session:
            rows = (await session.exec(statement)).all()
        return [_claim_view(claim, source) for claim, source in rows]

    async def word_counts(self, *, guild_id: int, words: Sequence[str], cap: int) -> dict[str, int]:
        """How many claims contain each word (stemmed), counting no further than `cap`: a
        cheap "is this word common?" for choosing the words repeats are looked up by. On
        SQLite the count is over every guild (one full-text index). Counts are remembered
        for a few minutes (`_word_counts`): a heuristic, asked again for every claim."""
        unique = list(dict.fromkeys(_search.search_words(list(words))))
        counts = self._word_count_cache.known(guild_id, unique, cap)
        missing = [word for word in unique if word not in counts]
        if missing:
            read = await self._count_words(guild_id, missing, cap)
            self._word_count_cache.remember(guild_id, read, cap)
            counts.update(read)
        return {word: counts[word] for word in unique}

    async def _count_words(self, guild_id: int, unique: list[str], cap: int) -> dict[str, int]:
        columns = []
        for word in unique:  # one capped count per word, all in one round trip
            if self._dialect == "sqlite":
                matching: Any = (
                    select(_claim_fts.c.rowid)
                    .where(literal_column("claim_fts").op("MATCH")(_search.fts5_query([word])))
                    .limit(cap)
                )
            else:
                query = func.plainto_tsquery("english", word)
                matching = (
                    select(Claim.id)
                    .where(Claim.guild_id == guild_id)
                    .where(literal_column("claim.search_vector").op("@@")(query))
                    .limit(cap)
                )
            columns.append(select(func.count()).select_from(matching.subquery()).scalar_subquery())
        async with self._reading() as session:
            if self._dialect == "postgresql":
                # Plan each count for its own word. A generic plan (what PostgreSQL settles on
                # for a statement it has run a few times) cannot know how common the word is
                # and reads its whole GIN posting list: 50 ms for a word in a million claims,
                # x12 words. A custom plan stops a scan after `cap` rows of a common word and
                # uses the index for a rare one. SET LOCAL ends with this read's transaction.
                connection = await session.connection()
                await connection.execute(sql_text("SET LOCAL plan_cache_mode = force_custom_plan"))
            row = (await session.exec(select(*columns))).one()
        # A one-column select comes back as the bare value, not a row of one.
        counts = row if len(columns) > 1 else (row,)
        return {word: int(count) for word, count in zip(unique, counts, strict=True)}

    async def link_repeat(
        self, *, guild_id: int, number: int, match_number: int | None, kind: str | None
    ) -> ClaimView:
        """Record that claim `number` repeats the earlier `match_number` ("exact" or
        "likely"), or forget it (both None: a moderator rejected the suggestion)."""
        if (match_number is None) != (kind is None) or kind not in (None, "exact", "likely"):
            raise InvalidInput("A repeat is an earlier claim number with kind exact or likely.")
        if match_number is not None and not 0 < match_number < number:
            raise InvalidInput(f"#{number} can only repeat an earlier claim.")
        async with self._writing() as session, session.begin():
            claim, source = await self._locked_claim(session, guild_id, number)
            claim.match_number = match_number
            claim.match_kind = kind
        return _claim_view(claim, source)

    async def set_status(
        self,
        *,
        guild_id: int,
        number: int,
        status: ClaimStatus | str,
        moderator_id: int | None,
        moderator_name: str,
        note: str | None = None,
        evidence_url: str | None = None,
    ) -> ClaimView:
        """Change the status and append the audit row, in the same transaction."""
        new_status = _validation.parse_status(status)
        moderator_name = _validation.check_name(moderator_name, what="moderator")
        note = _validation.check_note(note)
        evidence_url = _validation.check_evidence_url(evidence_url)
        async with self._writing() as session, session.begin():
            claim, source = await self._locked_claim(session, guild_id, number)
            assert claim.id is not None  # read from the table: it has its id
            now = utc_now()
            session.add(
                StatusChange(
                    claim_id=claim.id,
                    from_status=claim.status,
                    to_status=new_status.value,
                    moderator_id=moderator_id,
                    moderator_name=moderator_name,
                    note=note,
                    evidence_url=evidence_url,
                    changed_at=now,
                )
            )
            claim.status = new_status.value
            claim.updated_at = now
            claim.status_changed_by_id = moderator_id
            claim.status_changed_by_name = moderator_name
        return _claim_view(claim, source)

    async def stats(self, *, guild_id: int) -> dict[ClaimStatus, int]:
        """How many claims have each status; every status is present, zeros included."""
        statement = (
            select(Claim.status, func.count())
            .where(Claim.guild_id == guild_id)
            .group_by(col(Claim.status))
        )
        async with self._reading() as session:
            rows = (await session.exec(statement)).all()
        counts = dict.fromkeys(ClaimStatus, 0)
        for status, count in rows:
            counts[ClaimStatus(status)] = int(count)
        return counts

    async def stats_since(self, *, guild_id: int, since: datetime) -> dict[ClaimStatus, int]:
        """Like `stats`, counting only the claims first submitted at or after `since`."""
        statement = (
            select(Claim.status, func.count())
            .where(Claim.guild_id == guild_id, col(Claim.created_at) >= since)
            .group_by(col(Claim.status))
        )
        async with self._reading() as session:
            rows = (await session.exec(statement)).all()
        counts = dict.fromkeys(ClaimStatus, 0)
        for status, count in rows:
            counts[ClaimStatus(status)] = int(count)
        return counts

    async def iter_claims(
        self, *, guild_id: int, batch_size: int = 500
    ) -> AsyncIterator[ClaimView]:
        """Every claim of the guild, oldest first, read in batches (for exports)."""
        after = 0
        while True:
            statement = (
                self._claims_query(guild_id)
                .where(col(Claim.number) > after)
                .order_by(col(Claim.number))
                .limit(batch_size)
            )
            async with self._reading() as session:
                rows = (await session.exec(statement)).all()
            for claim, source in rows:
                yield _claim_view(claim, source)
            if len(rows) < batch_size:
                return
            after = rows[-1][0].number

    async def iter_settled_claims(
        self, *, guild_id: int, batch_size: int = 500
    ) -> AsyncIterator[SettledClaimView]:
        """Claims with a verdict (verified, disputed, inconclusive), oldest number first, each
        with the status change that gave it its current status (for ClaimReview exports)."""
        last_change = (
            select(func.max(StatusChange.id))
            .where(col(StatusChange.claim_id) == col(Claim.id))
            .correlate(Claim)
            .scalar_subquery()
        )
        verdicts = [s.value for s in (ClaimStatus.VERIFIED, ClaimStatus.DISPUTED,
                                      ClaimStatus.INCONCLUSIVE)]  # fmt: skip
        after = 0
        while True:
            statement = (
                select(Claim, Article.source, StatusChange)
                .join(Article, col(Article.id) == col(Claim.article_id))
                .join(StatusChange, col(StatusChange.id) == last_change)
                .where(
                    Claim.guild_id == guild_id,
                    col(Claim.status).in_(verdicts),
                    col(Claim.number) > after,
                )
                .order_by(col(Claim.number))
                .limit(batch_size)
            )
            async with self._reading() as session:
                rows = (await session.exec(statement)).all()
            for claim, source, change in rows:
                yield SettledClaimView(
                    claim=_claim_view(claim, source),
                    settled_at=change.changed_at,
                    settled_by=change.moderator_name,
                    note=change.note,
                    evidence_url=change.evidence_url,
                )
            if len(rows) < batch_size:
                return
            after = rows[-1][0].number

    async def get_article(self, *, guild_id: int, article_id: int) -> ArticleView:
        """The article (without its text), e.g. to find the message that answered it."""
        async with self._reading() as session:
            article = (
                await session.exec(
                    select(Article).where(Article.guild_id == guild_id, Article.id == article_id)
                )
            ).first()
        if article is None:
            raise NotFound(f"No article {article_id} in this server.")
        return _article_view(article)

    async def get_article_text(self, *, guild_id: int, article_id: int) -> str:
        async with self._reading() as session:
            text = (
                await session.exec(
                    select(Article.text).where(
                        Article.guild_id == guild_id, Article.id == article_id
                    )
                )
            ).first()
        if text is None:
            raise NotFound(f"No article {article_id} in this server.")
        return text

    async def record_claim_message(
        self, *, guild_id: int, numbers: Sequence[int], channel_id: int, message_id: int
    ) -> None:
        """Remember that a message of the bot lists these claims, so that a status change
        can edit it (`claim_messages`). Recording a message twice changes nothing."""
        async with self._writing() as session, session.begin():
            claim_ids = (
                await session.exec(
                    select(Claim.id).where(
                        Claim.guild_id == guild_id, col(Claim.number).in_(set(numbers))
                    )
                )
            ).all()
            if not claim_ids:
                return
            rows = [
                {"claim_id": claim_id, "channel_id": channel_id, "message_id": message_id}
                for claim_id in claim_ids
            ]
            insert = postgres_insert if self._dialect == "postgresql" else sqlite_insert
            await session.exec(insert(ClaimMessage).values(rows).on_conflict_do_nothing())

    async def claim_messages(self, *, guild_id: int, number: int) -> list[MessageRef]:
        """The bot's messages that list the claim (oldest first), as `record_claim_message`
        recorded them (revision 0005 added each older claim's first answer message)."""
        statement = (
            select(ClaimMessage.channel_id, ClaimMessage.message_id)
            .join(Claim, col(Claim.id) == col(ClaimMessage.claim_id))
            .where(Claim.guild_id == guild_id, Claim.number == number)
            .order_by(col(ClaimMessage.message_id))
        )
        async with self._reading() as session:
            rows = (await session.exec(statement)).all()
        return [MessageRef(channel_id=channel, message_id=message) for channel, message in rows]

    async def find_article_by_url(self, *, guild_id: int, url: str) -> ArticleView | None:
        """The guild's newest article stored from `url` (its `source`), or None.

        Re-submitting a link reuses this article (`get_article_text` gives its text)
        instead of fetching the page again. Pass the link normalised the way it was
        stored (`bot.ingest.normalise_link`).
        """
        statement = (
            select(Article)
            .where(Article.guild_id == guild_id, Article.source == url.strip())
            .order_by(col(Article.id).desc())
            .limit(1)
        )
        async with self._reading() as session:
            article = (await session.exec(statement)).first()
        return _article_view(article) if article is not None else None

    # ---- auto-extract catch-up ------------------------------------------------------

    async def auto_extract_cursor(self, *, channel_id: int) -> int | None:
        """The newest message handled in this auto-extract channel, or None if none was
        ever recorded (then the channel's catch-up starts from its newest message)."""
        statement = select(AutoExtractCursor.message_id).where(
            AutoExtractCursor.channel_id == channel_id
        )
        async with self._reading() as session:
            return (await session.exec(statement)).first()

    async def advance_auto_extract_cursor(
        self, *, guild_id: int, channel_id: int, message_id: int
    ) -> bool:
        """Record `message_id` as handled in the channel, unless a newer one already is:
        one conditional upsert, so two shards or a late event never move it back. True if
        the cursor moved."""
        insert = postgres_insert if self._dialect == "postgresql" else sqlite_insert
        proposed = insert(AutoExtractCursor).values(
            channel_id=channel_id, guild_id=guild_id, message_id=message_id, updated_at=utc_now()
        )
        statement = proposed.on_conflict_do_update(
            index_elements=["channel_id"],
            set_={
                "message_id": proposed.excluded.message_id,
                "updated_at": proposed.excluded.updated_at,
            },
            where=col(AutoExtractCursor.message_id) < proposed.excluded.message_id,
        )
        async with self._writing() as session, session.begin():
            result = await session.exec(statement)
        return bool(result.rowcount == 1)

    # ---- guild settings and digests -------------------------------------------------

    async def get_guild_settings(self, *, guild_id: int) -> GuildSettingsView:
        """The guild's settings; defaults if it never changed any."""
        async with self._reading() as session:
            row = await session.get(GuildSettings, guild_id)
        return _settings_view(row if row is not None else GuildSettings(guild_id=guild_id))

    async def any_auto_extract_channels(self) -> bool:
        """Whether any guild has an auto-extract channel: only then must the bot ask Discord
        for the (privileged) message content intent at start-up."""
        channels = col(GuildSettings.auto_extract_channel_ids)
        statement = (
            select(GuildSettings.guild_id).where(func.json_array_length(channels) > 0).limit(1)
        )
        async with self._reading() as session:
            return (await session.exec(statement)).first() is not None

    async def update_guild_settings(
        self,
        *,
        guild_id: int,
        moderator_role_ids: Sequence[int] = UNSET,
        digest_channel_id: int | None = UNSET,
        digest_weekday: int = UNSET,
        digest_local_time: time | str = UNSET,
        timezone: str = UNSET,
        auto_extract_channel_ids: Sequence[int] = UNSET,
        score_threshold: float | None = UNSET,
        digest_quiet_line: bool = UNSET,
        review_author_name: str | None = UNSET,
        review_author_url: str | None = UNSET,
        review_url_template: str | None = UNSET,
    ) -> GuildSettingsView:
        """Change the fields given; the others keep their value."""
        changes: dict[str, object] = {}
        if moderator_role_ids is not UNSET:
            changes["moderator_role_ids"] = sorted({int(i) for i in moderator_role_ids})
        if digest_channel_id is not UNSET:
            changes["digest_channel_id"] = digest_channel_id
        if digest_weekday is not UNSET:
            changes["digest_weekday"] = _validation.check_weekday(digest_weekday)
        if digest_local_time is not UNSET:
            changes["digest_local_time"] = _validation.check_local_time(digest_local_time)
        if timezone is not UNSET:
            changes["timezone"] = _validation.check_timezone(timezone)
        if auto_extract_channel_ids is not UNSET:
            changes["auto_extract_channel_ids"] = sorted({int(i) for i in auto_extract_channel_ids})
        if score_threshold is not UNSET:
            changes["score_threshold"] = _validation.check_threshold(score_threshold)
        if digest_quiet_line is not UNSET:
            changes["digest_quiet_line"] = bool(digest_quiet_line)
        # The ClaimReview publisher: checked by bot.known.claimreview.check_publisher.
        publisher: dict[str, str | None] = {
            "review_author_name": review_author_name,
            "review_author_url": review_author_url,
            "review_url_template": review_url_template,
        }
        for field, given in publisher.items():
            if given is not UNSET:
                changes[field] = (given or "").strip() or None
        async with self._writing() as session, session.begin():
            row = await session.get(GuildSettings, guild_id, with_for_update=True)
            if row is None:
                row = GuildSettings(guild_id=guild_id)
                session.add(row)
            for name, value in changes.items():
                setattr(row, name, value)
            row.updated_at = utc_now()
        return _settings_view(row)

    async def record_digest_run(
        self,
        *,
        guild_id: int,
        period: str,
        channel_id: int | None = None,
        message_id: int | None = None,
    ) -> bool:
        """Claim the (guild, period) digest; False if it was already recorded (do not post)."""
        try:
            async with self._writing() as session, session.begin():
                session.add(
                    DigestRun(
                        guild_id=guild_id,
                        period=period,
                        channel_id=channel_id,
                        message_id=message_id,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def status_changes_between(
        self, *, guild_id: int, since: datetime, until: datetime
    ) -> list[StatusChangeView]:
        """The guild's status changes with since <= at < until, oldest first."""
        statement = (
            select(StatusChange, Claim.number)
            .join(Claim, col(Claim.id) == col(StatusChange.claim_id))
            .where(
                Claim.guild_id == guild_id,
                col(StatusChange.changed_at) >= since,
                col(StatusChange.changed_at) < until,
            )
            .order_by(col(StatusChange.changed_at), col(StatusChange.id))
        )
        async with self._reading() as session:
            rows = (await session.exec(statement)).all()
        return [_change_view(change, number) for change, number in rows]

    # ---- the weekly digest ------------------------------------------------------------

    async def digest_settings(self) -> list[GuildSettingsView]:
        """The settings of every guild with a digest channel (the digest loop's work list)."""
        statement = select(GuildSettings).where(col(GuildSettings.digest_channel_id).is_not(None))
        async with self._reading() as session:
            rows = (await session.exec(statement)).all()
        return [_settings_view(row) for row in rows]

    async def digest_facts(
        self,
        *,
        guild_id: int,
        since: datetime,
        until: datetime,
        history: Sequence[tuple[datetime, datetime]],
        list_cap: int,
        queue_size: int,
    ) -> DigestFacts:
        """Everything one digest period needs, aggregated in the database (a guild may have
        hundreds of thousands of claims): counts for since <= at < until, the newest
        `list_cap` verified and disputed claims, `queue_size` oldest, best-scored and most
        submitted (more than once) pending claims, and per `history` window the claims
        submitted in it by current status.

        A claim settled twice in the period counts once, with its last change.
        """
        last_changes = (
            select(func.max(StatusChange.id))
            .join(Claim, col(Claim.id) == col(StatusChange.claim_id))
            .where(
                Claim.guild_id == guild_id,
                col(StatusChange.changed_at) >= since,
                col(StatusChange.changed_at) < until,
            )
            .group_by(col(StatusChange.claim_id))
        )
        async with self._reading() as session:
            articles = await self._count_created(session, Article, guild_id, since, until)
            claims = await self._count_created(session, Claim, guild_id, since, until)
            settled_rows = (
                await session.exec(
                    select(StatusChange.to_status, func.count())
                    .where(col(StatusChange.id).in_(last_changes))
                    .group_by(col(StatusChange.to_status))
                )
            ).all()
            verified = await self._settled_claims(
                session, last_changes, ClaimStatus.VERIFIED, limit=list_cap
            )
            disputed = await self._settled_claims(
                session, last_changes, ClaimStatus.DISPUTED, limit=list_cap
            )
            pending_total = (
                await session.exec(
                    select(func.count())
                    .select_from(Claim)
                    .where(Claim.guild_id == guild_id, Claim.status == ClaimStatus.PENDING.value)
                )
            ).one()
            oldest = await self._pending_claims(session, guild_id, (col(Claim.number),), queue_size)
            top = await self._pending_claims(
                session, guild_id, (col(Claim.score).desc(), col(Claim.number)), queue_size
            )
            most_submitted = await self._pending_claims(
                session,
                guild_id,
                (col(Claim.times_submitted).desc(), col(Claim.number).desc()),
                queue_size,
                col(Claim.times_submitted) > 1,
            )
            weeks = await self._claims_per_status(session, guild_id, history)
        settled = {
            ClaimStatus(status): int(count)
            for status, count in settled_rows
            if status != ClaimStatus.PENDING.value
        }
        return DigestFacts(
            articles_submitted=int(articles),
            claims_submitted=int(claims),
            settled=settled,
            newly_verified=verified,
            newly_disputed=disputed,
            pending_total=int(pending_total),
            oldest_pending=oldest,
            top_pending=top,
            history=weeks,
            most_submitted_pending=most_submitted,
        )

    async def claim_digest_run(
        self,
        *,
        guild_id: int,
        period: str,
        channel_id: int,
        now: datetime,
        lease_until: datetime,
        late: bool,
    ) -> int | None:
        """Claim the right to post the (guild, period) digest until `lease_until`: the
        number of the attempt this call claimed (1 for the first claim, 2 for the next...);
        None: someone else holds a live claim, posted it, skipped it, or its failed attempt
        is not due for a retry yet. Pass the attempt to `finish_digest_run` or
        `fail_digest_run`: they write only while this claim is still the run's current one.

        A claim is a lease (`retry_at` holds its end): a claimed run whose lease ran out is
        presumed dead (its process crashed or was killed before recording the outcome) and
        may be claimed again, like a failed run whose retry time came. Atomic across
        processes: the first claim is an INSERT guarded by the unique key, a later one an
        UPDATE conditional on the row still being failed or claimed and due, so of two
        processes taking over the same run one updates a row and the other none (the
        winner's lease ends after `now`: the loser's condition, re-checked by PostgreSQL on
        the row the winner committed, no longer holds).
        """
        if lease_until <= now:
            raise ValueError("a digest claim's lease must end after now")
        return await self._insert_or_take_run(
            DigestRun(
                guild_id=guild_id,
                period=period,
                channel_id=channel_id,
                status="claimed",
                attempts=1,
                late=late,
                retry_at=lease_until,
            ),
            when=and_(
                col(DigestRun.status).in_(("failed", "claimed")), col(DigestRun.retry_at) <= now
            ),
            values={
                "status": "claimed",
                "attempts": DigestRun.attempts + 1,
                "channel_id": channel_id,
                "late": late,
                "retry_at": lease_until,
            },
        )

    async def finish_digest_run(
        self,
        *,
        guild_id: int,
        period: str,
        attempt: int,
        message_id: int | None,
        now: datetime,
    ) -> bool:
        """The claimed digest was posted (message_id None: a quiet week posted nothing).
        Fenced by `attempt` (what `claim_digest_run` returned): False, and nothing written,
        if the claim is no longer this attempt's (its lease ran out and another process
        claimed the run again, or the run was given up)."""
        return await self._update_claimed_run(
            guild_id,
            period,
            attempt,
            status="posted" if message_id is not None else "skipped",
            message_id=message_id,
            posted_at=now if message_id is not None else None,
            retry_at=None,
        )

    async def fail_digest_run(
        self, *, guild_id: int, period: str, attempt: int, error: str, retry_at: datetime
    ) -> bool:
        """Sending the claimed digest failed: retry from `retry_at`; admins will be told.
        Fenced by `attempt` like `finish_digest_run`: False if nothing was written."""
        return await self._update_claimed_run(
            guild_id,
            period,
            attempt,
            status="failed",
            retry_at=retry_at,
            last_error=error[:500],
            error_reported_at=None,
        )

    async def skip_digest_run(self, *, guild_id: int, period: str, now: datetime) -> bool:
        """Give up the period's digest (its time passed): records it unless already posted,
        skipped or claimed by a live process (a claim whose lease ran out by `now` is given
        up too); a failed run keeps its error for the admins. True if this call recorded
        the skip."""
        written = await self._insert_or_take_run(
            DigestRun(guild_id=guild_id, period=period, status="skipped", attempts=0),
            when=or_(
                col(DigestRun.status) == "failed",
                and_(col(DigestRun.status) == "claimed", col(DigestRun.retry_at) <= now),
            ),
            values={"status": "skipped", "retry_at": None},
        )
        # A skip inserted here has attempts 0: test for a write, not for a true number.
        return written is not None

    async def _insert_or_take_run(
        self, run: DigestRun, *, when: Any, values: dict[str, Any]
    ) -> int | None:
        """Insert `run`, or if its (guild, period) row exists, update it with `values` only
        while `when` holds; the `attempts` of the row this call wrote, None if it wrote
        nothing. Atomic across processes: the INSERT is guarded by the unique key, the
        UPDATE is conditional, so of two racing callers one writes and the other finds the
        condition gone. The attempts are read in the writing transaction (SQLite: under
        the write lock taken at BEGIN; PostgreSQL: the updated row stays locked by it until
        commit), so they are the ones this call wrote, not a later claimant's."""
        guild_id, period = run.guild_id, run.period
        inserted = run.attempts
        try:
            async with self._writing() as session, session.begin():
                session.add(run)
        except IntegrityError:
            pass
        else:
            return inserted
        where = (col(DigestRun.guild_id) == guild_id, col(DigestRun.period) == period)
        async with self._writing() as session, session.begin():
            result = await session.exec(update(DigestRun).where(*where, when).values(**values))
            if result.rowcount != 1:
                return None
            attempts = (await session.exec(select(DigestRun.attempts).where(*where))).one()
        return int(attempts)

    async def get_digest_run(self, *, guild_id: int, period: str) -> DigestRunView | None:
        statement = select(DigestRun).where(
            DigestRun.guild_id == guild_id, DigestRun.period == period
        )
        async with self._reading() as session:
            row = (await session.exec(statement)).first()
        return None if row is None else _run_view(row)

    async def latest_digest_run(self, *, guild_id: int) -> DigestRunView | None:
        """The guild's run of the latest period ("2026-W05" labels sort by time)."""
        statement = (
            select(DigestRun)
            .where(DigestRun.guild_id == guild_id)
            .order_by(col(DigestRun.period).desc())
            .limit(1)
        )
        async with self._reading() as session:
            row = (await session.exec(statement)).first()
        return None if row is None else _run_view(row)

    async def take_digest_problems(self, *, guild_id: int, now: datetime) -> list[DigestRunView]:
        """Runs whose failure admins have not been shown yet, oldest first; marks them shown."""
        async with self._writing() as session, session.begin():
            rows = (
                await session.exec(
                    select(DigestRun)
                    .where(
                        DigestRun.guild_id == guild_id,
                        col(DigestRun.last_error).is_not(None),
                        col(DigestRun.error_reported_at).is_(None),
                    )
                    .order_by(col(DigestRun.period))
                    .with_for_update()
                )
            ).all()
            for row in rows:
                row.error_reported_at = now
        return [_run_view(row) for row in rows]

    async def _update_claimed_run(
        self, guild_id: int, period: str, attempt: int, **values: object
    ) -> bool:
        """Write `values` to the run only while it is still claimed by `attempt`: a claim
        taken over (attempts moved on) or given up (status changed) is fenced out. True if
        written."""
        async with self._writing() as session, session.begin():
            result = await session.exec(
                update(DigestRun)
                .where(
                    col(DigestRun.guild_id) == guild_id,
                    col(DigestRun.period) == period,
                    col(DigestRun.status) == "claimed",
                    col(DigestRun.attempts) == attempt,
                )
                .values(**values)
            )
        return bool(result.rowcount == 1)

    @staticmethod
    async def _settled_claims(
        session: AsyncSession, last_changes: Any, status: ClaimStatus, *, limit: int
    ) -> tuple[DigestClaimView, ...]:
        if limit <= 0:
            return ()
        statement = (
            select(StatusChange, Claim, Article.channel_id, Article.message_id)
            .join(Claim, col(Claim.id) == col(StatusChange.claim_id))
            .join(Article, col(Article.id) == col(Claim.article_id))
            .where(col(StatusChange.id).in_(last_changes), StatusChange.to_status == status.value)
            .order_by(col(StatusChange.changed_at).desc(), col(StatusChange.id).desc())
            .limit(limit)
        )
        rows = (await session.exec(statement)).all()
        return tuple(
            _digest_claim_view(claim, channel_id, message_id, change)
            for change, claim, channel_id, message_id in rows
        )

    @staticmethod
    async def _pending_claims(
        session: AsyncSession, guild_id: int, order: Sequence[Any], limit: int, *where: Any
    ) -> tuple[DigestClaimView, ...]:
        if limit <= 0:
            return ()
        statement = (
            select(Claim, Article.channel_id, Article.message_id)
            .join(Article, col(Article.id) == col(Claim.article_id))
            .where(Claim.guild_id == guild_id, Claim.status == ClaimStatus.PENDING.value, *where)
            .order_by(*order)
            .limit(limit)
        )
        rows = (await session.exec(statement)).all()
        return tuple(
            _digest_claim_view(claim, channel_id, message_id)
            for claim, channel_id, message_id in rows
        )

    @staticmethod
    async def _claims_per_status(
        session: AsyncSession, guild_id: int, windows: Sequence[tuple[datetime, datetime]]
    ) -> tuple[dict[ClaimStatus, int], ...]:
        """One pass over the guild's claims of the whole span, counted into the windows."""
        counts = [dict.fromkeys(ClaimStatus, 0) for _ in windows]
        if not windows:
            return ()
        created = col(Claim.created_at)
        # One CASE that stops at the first window the claim falls in (windows are ordered
        # and adjacent, as weeks are); -1 for a gap between them.
        window = case(
            *(
                (and_(created >= start, created < end), index)
                for index, (start, end) in enumerate(windows)
            ),
            else_=-1,
        ).label("window")
        statement = (
            select(Claim.status, window, func.count())
            .where(
                Claim.guild_id == guild_id,
                created >= min(start for start, _ in windows),
                created < max(end for _, end in windows),
            )
            .group_by(col(Claim.status), window)
        )
        rows: Sequence[Any] = (await session.exec(statement)).all()
        for status, index, count in rows:
            if index >= 0:
                counts[index][ClaimStatus(status)] = int(count)
        return tuple(counts)

    # ---- helpers -------------------------------------------------------------------

    @staticmethod
    def _claims_query(guild_id: int) -> Any:
        return (
            select(Claim, Article.source)
            .join(Article, col(Article.id) == col(Claim.article_id))
            .where(Claim.guild_id == guild_id)
        )

    @staticmethod
    async def _count_created(
        session: AsyncSession,
        table: type[Article] | type[Claim],
        guild_id: int,
        since: datetime,
        until: datetime,
    ) -> int:
        """How many rows of `table` the guild created in [since, until)."""
        statement = (
            select(func.count())
            .select_from(table)
            .where(
                col(table.guild_id) == guild_id,
                col(table.created_at) >= since,
                col(table.created_at) < until,
            )
        )
        return int((await session.exec(statement)).one())

    async def _lock_counter(self, session: AsyncSession, guild_id: int) -> int:
        insert = sqlite_insert if self._dialect == "sqlite" else postgres_insert
        await session.exec(
            insert(GuildClaimCounter)
            .values(guild_id=guild_id, last_number=0)
            .on_conflict_do_nothing(index_elements=["guild_id"])
        )
        statement = (
            select(GuildClaimCounter.last_number)
            .where(GuildClaimCounter.guild_id == guild_id)
            .with_for_update()
        )
        return int((await session.exec(statement)).one())

    @staticmethod
    async def _claims_by_hash(
        session: AsyncSession, guild_id: int, hashes: set[str]
    ) -> dict[str, tuple[Claim, str]]:
        if not hashes:
            return {}
        statement = (
            select(Claim, Article.source)
            .join(Article, col(Article.id) == col(Claim.article_id))
            .where(Claim.guild_id == guild_id, col(Claim.sentence_hash).in_(sorted(hashes)))
            .with_for_update(of=Claim)
        )
        rows = (await session.exec(statement)).all()
        return {claim.sentence_hash: (claim, source) for claim, source in rows}

    async def _locked_claim(
        self, session: AsyncSession, guild_id: int, number: int
    ) -> tuple[Claim, str]:
        """The claim and its article's source, locked until the transaction ends (a row lock
        on PostgreSQL; SQLite's writes are serialised anyway)."""
        row = (
            await session.exec(
                self._claims_query(guild_id)
                .where(col(Claim.number) == number)
                .with_for_update(of=Claim)
            )
        ).first()
        if row is None:
            raise _not_found(number)
        claim, source = row
        return claim, source

    @staticmethod
    async def _claim_id(session: AsyncSession, guild_id: int, number: int) -> int:
        claim_id = (
            await session.exec(
                select(Claim.id).where(Claim.guild_id == guild_id, Claim.number == number)
            )
        ).first()
        if claim_id is None:
            raise _not_found(number)
        return claim_id

    @staticmethod
    def _new_claim(
        guild_id: int, number: int, article_id: int, candidate: ClaimCandidate, digest: str
    ) -> Claim:
        now = utc_now()
        return Claim(
            guild_id=guild_id,
            number=number,
            article_id=article_id,
            text=candidate.text,
            sentence=candidate.sentence,
            sentence_hash=digest,
            start=candidate.start,
            end=candidate.end,
            score=float(candidate.score),
            claimant=candidate.claimant,
            kind=candidate.kind,
            created_at=now,
            updated_at=now,
        )


async def open_store(
    url: str, *, migrate: bool = True, max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS
) -> ClaimStore:
    """Connect to `url` (migrating it to the newest schema first, unless told not to)."""
    engine = create_store_engine(url)
    if migrate:
        try:
            await upgrade_engine(engine)
        except BaseException:
            await engine.dispose()
            raise
    return ClaimStore(engine, max_article_chars=max_article_chars)


def _page_size(limit: int) -> int:
    return max(1, min(int(limit), MAX_PAGE_SIZE))


def _not_found(number: int) -> NotFound:
    return NotFound(f"No claim #{number} in this server.")


def _claim_view(claim: Claim, source: str) -> ClaimView:
    return ClaimView(
        guild_id=claim.guild_id,
        number=claim.number,
        article_id=claim.article_id,
        source=source,
        text=claim.text,
        sentence=claim.sentence,
        start=claim.start,
        end=claim.end,
        score=claim.score,
        claimant=claim.claimant,
        kind=claim.kind,
        status=ClaimStatus(claim.status),
        times_submitted=claim.times_submitted,
        created_at=claim.created_at,
        updated_at=claim.updated_at,
        status_changed_by_id=claim.status_changed_by_id,
        status_changed_by_name=claim.status_changed_by_name,
        match_number=claim.match_number,
        match_kind=claim.match_kind,
    )


def _article_view(article: Article) -> ArticleView:
    assert article.id is not None
    return ArticleView(
        id=article.id,
        guild_id=article.guild_id,
        source=article.source,
        title=article.title,
        content_hash=article.content_hash,
        submitter_id=article.submitter_id,
        submitter_name=article.submitter_name,
        channel_id=article.channel_id,
        message_id=article.message_id,
        created_at=article.created_at,
        length=len(article.text),
    )


def _change_view(change: StatusChange, number: int) -> StatusChangeView:
    return StatusChangeView(
        claim_number=number,
        from_status=ClaimStatus(change.from_status),
        to_status=ClaimStatus(change.to_status),
        moderator_id=change.moderator_id,
        moderator_name=change.moderator_name,
        note=change.note,
        evidence_url=change.evidence_url,
        changed_at=change.changed_at,
    )


def _settings_view(row: GuildSettings) -> GuildSettingsView:
    hours, minutes = (int(part) for part in row.digest_local_time.split(":"))
    return GuildSettingsView(
        guild_id=row.guild_id,
        moderator_role_ids=tuple(row.moderator_role_ids),
        digest_channel_id=row.digest_channel_id,
        digest_weekday=row.digest_weekday,
        digest_local_time=time(hours, minutes),
        timezone=row.timezone,
        auto_extract_channel_ids=tuple(row.auto_extract_channel_ids),
        score_threshold=row.score_threshold,
        digest_quiet_line=row.digest_quiet_line,
        review_author_name=row.review_author_name,
        review_author_url=row.review_author_url,
        review_url_template=row.review_url_template,
    )


def _digest_claim_view(
    claim: Claim,
    channel_id: int | None,
    message_id: int | None,
    change: StatusChange | None = None,
) -> DigestClaimView:
    return DigestClaimView(
        number=claim.number,
        text=claim.text,
        status=ClaimStatus(claim.status),
        score=claim.score,
        created_at=claim.created_at,
        channel_id=channel_id,
        message_id=message_id,
        moderator_name=change.moderator_name if change is not None else None,
        evidence_url=change.evidence_url if change is not None else None,
        changed_at=change.changed_at if change is not None else None,
        times_submitted=claim.times_submitted,
    )


def _run_view(row: DigestRun) -> DigestRunView:
    return DigestRunView(
        guild_id=row.guild_id,
        period=row.period,
        status=row.status,
        attempts=row.attempts,
        late=row.late,
        channel_id=row.channel_id,
        message_id=row.message_id,
        created_at=row.created_at,
        posted_at=row.posted_at,
        retry_at=row.retry_at,
        last_error=row.last_error,
        error_reported_at=row.error_reported_at,
    )
