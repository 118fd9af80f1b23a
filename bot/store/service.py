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
from typing import Any

from sqlalchemy import column, func, literal_column, table, update
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
from bot.store.engine import create_store_engine, writer
from bot.store.migrate import upgrade_engine
from bot.store.models import (
    Article,
    Claim,
    ClaimStatus,
    DigestRun,
    GuildClaimCounter,
    GuildSettings,
    StatusChange,
)
from bot.store.views import (
    ArticleView,
    ClaimView,
    GuildSettingsView,
    StatusChangeView,
    SubmitOutcome,
    SubmittedClaim,
)

DEFAULT_MAX_ARTICLE_CHARS = 200_000
MAX_PAGE_SIZE = 100
_claim_fts = table("claim_fts", column("rowid"))


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
    ) -> list[ClaimView]:
        """Newest first. Page with `offset`, or faster with `before` = the last number seen."""
        statement = self._claims_query(guild_id)
        if status is not None:
            statement = statement.where(col(Claim.status) == _validation.parse_status(status))
        if before is not None:
            statement = statement.where(col(Claim.number) < before)
        statement = (
            statement.order_by(col(Claim.number).desc())
            .limit(_page_size(limit))
            .offset(max(offset, 0))
        )
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

    # ---- guild settings and digests -------------------------------------------------

    async def get_guild_settings(self, *, guild_id: int) -> GuildSettingsView:
        """The guild's settings; defaults if it never changed any."""
        async with self._reading() as session:
            row = await session.get(GuildSettings, guild_id)
        return _settings_view(row if row is not None else GuildSettings(guild_id=guild_id))

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

    # ---- helpers -------------------------------------------------------------------

    @staticmethod
    def _claims_query(guild_id: int) -> Any:
        return (
            select(Claim, Article.source)
            .join(Article, col(Article.id) == col(Claim.article_id))
            .where(Claim.guild_id == guild_id)
        )

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
    )
