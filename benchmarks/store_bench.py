"""Claim store speed with a large guild: bulk load, then the operations moderators use.

    python benchmarks/store_bench.py                        # SQLite file, 1,000,000 claims
    python benchmarks/store_bench.py --claims 100000        # a quicker run
    python benchmarks/store_bench.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

The claims are loaded in bulk (executemany on SQLite, COPY on PostgreSQL) straight into the
migrated schema, FTS index included; every timed operation then goes through `ClaimStore`,
the same code path as the bot. On PostgreSQL everything happens in a scratch schema
(`store_bench`), dropped and recreated at start, so nothing else in the database is touched.

Targets (issue 2), SQLite: p99 <= 10 ms for list / get / set status, <= 50 ms for search.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.extraction.types import ClaimCandidate
from bot.store._validation import content_hash, sentence_hash
from bot.store.engine import create_store_engine
from bot.store.migrate import upgrade_engine
from bot.store.models import ClaimStatus
from bot.store.service import ClaimStore

GUILD = 440_000_000_000_000_001
CLAIMS_PER_ARTICLE = 20
WORDS_PER_CLAIM = 12
VOCABULARY = 20_000
PG_SCHEMA = "store_bench"
STATUS_MIX = {  # roughly what a busy server's backlog looks like
    ClaimStatus.PENDING: 0.60,
    ClaimStatus.VERIFIED: 0.15,
    ClaimStatus.DISPUTED: 0.10,
    ClaimStatus.DISMISSED: 0.10,
    ClaimStatus.INCONCLUSIVE: 0.05,
}


@dataclass
class Corpus:
    """Synthetic claims: Zipf-distributed made-up words, so search selectivity is realistic."""

    words: list[str]
    rng: np.random.Generator

    @classmethod
    def build(cls, seed: int) -> Corpus:
        rng = np.random.default_rng(seed)
        syllables = ["ka", "lo", "mi", "ne", "su", "ta", "vo", "ri", "pe", "du", "gan", "tor"]
        words: list[str] = []
        seen: set[str] = set()
        while len(words) < VOCABULARY:
            word = "".join(rng.choice(syllables, size=int(rng.integers(2, 5))))
            if word not in seen:
                seen.add(word)
                words.append(word)
        return cls(words, rng)

    def sentences(self, count: int) -> Iterator[str]:
        ranks = np.arange(1, VOCABULARY + 1)
        weights = 1.0 / ranks
        weights /= weights.sum()
        for start in range(0, count, 50_000):
            size = min(50_000, count - start)
            picks = self.rng.choice(VOCABULARY, size=(size, WORDS_PER_CLAIM), p=weights)
            numbers = self.rng.integers(1, 100_000, size=size)
            for row, number in zip(picks, numbers, strict=True):
                body = " ".join(self.words[i] for i in row)
                yield f"{body.capitalize()} rose {number} percent, officials said."

    def word_of_rank(self, rank: int) -> str:
        return self.words[rank - 1]


def claim_rows(corpus: Corpus, count: int, first_id: int) -> Iterator[tuple[Any, ...]]:
    """(article row, claim row) pairs in insertion order; one article per 20 claims."""
    statuses = list(STATUS_MIX)
    status_picks = corpus.rng.choice(len(statuses), size=count, p=list(STATUS_MIX.values()))
    start_time = datetime(2025, 1, 1, tzinfo=UTC)
    for index, sentence in enumerate(corpus.sentences(count)):
        number = index + 1
        article_id = index // CLAIMS_PER_ARTICLE + 1
        at = start_time + timedelta(seconds=30 * index)
        yield (
            article_id,
            (
                first_id + index, GUILD, number, article_id, sentence, sentence,
                sentence_hash(sentence), 0, len(sentence), 0.8, None, "statistic",
                statuses[status_picks[index]].value, 1, at, at,
            ),
        )  # fmt: skip


CLAIM_COLUMNS = (
    "id", "guild_id", "number", "article_id", "text", "sentence", "sentence_hash", "start",
    "end", "score", "claimant", "kind", "status", "times_submitted", "created_at", "updated_at",
)  # fmt: skip
ARTICLE_COLUMNS = (
    "id", "guild_id", "source", "title", "text", "content_hash", "submitter_id",
    "submitter_name", "created_at",
)  # fmt: skip


def article_row(article_id: int, at: datetime) -> tuple[Any, ...]:
    body = f"Bulk article {article_id}."
    return (article_id, GUILD, "paste", None, body, content_hash(body), 1, "bench", at)


def batches(
    rows: Iterator[tuple[int, tuple[Any, ...]]], size: int
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    articles: list[tuple[Any, ...]] = []
    claims: list[tuple[Any, ...]] = []
    last_article = 0
    for article_id, claim in rows:
        if article_id != last_article:
            articles.append(article_row(article_id, claim[-1]))
            last_article = article_id
        claims.append(claim)
        if len(claims) >= size:
            yield articles, claims
            articles, claims = [], []
    if claims:
        yield articles, claims


def load_sqlite(path: str, corpus: Corpus, count: int) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")  # bulk load only; the bot uses NORMAL
        connection.execute("PRAGMA cache_size=-262144")  # 256 MB: the hash index is random
        placeholders = ", ".join("?" for _ in CLAIM_COLUMNS)
        quoted = ", ".join(f'"{name}"' for name in CLAIM_COLUMNS)  # "end" is a keyword
        claim_sql = f"INSERT INTO claim ({quoted}) VALUES ({placeholders})"
        article_sql = (
            f"INSERT INTO article ({', '.join(ARTICLE_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in ARTICLE_COLUMNS)})"
        )

        def sqlite_time(value: datetime) -> str:
            return value.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite format

        for articles, claims in batches(claim_rows(corpus, count, 1), 50_000):
            with connection:
                connection.executemany(
                    article_sql, [(*row[:-1], sqlite_time(row[-1])) for row in articles]
                )
                connection.executemany(
                    claim_sql,
                    [(*row[:-2], sqlite_time(row[-2]), sqlite_time(row[-1])) for row in claims],
                )
        with connection:
            connection.execute(
                "INSERT INTO guild_claim_counter (guild_id, last_number) VALUES (?, ?)",
                (GUILD, count),
            )
        connection.execute("ANALYZE")
        connection.execute("INSERT INTO claim_fts(claim_fts) VALUES ('optimize')")
        connection.commit()
    finally:
        connection.close()


async def load_postgres(url: str, corpus: Corpus, count: int) -> None:
    import asyncpg

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn, server_settings={"search_path": PG_SCHEMA})
    try:
        for articles, claims in batches(claim_rows(corpus, count, 1), 50_000):
            async with connection.transaction():
                await connection.copy_records_to_table(
                    "article", records=articles, columns=ARTICLE_COLUMNS
                )
                await connection.copy_records_to_table(
                    "claim", records=claims, columns=CLAIM_COLUMNS
                )
        await connection.execute(
            "INSERT INTO guild_claim_counter (guild_id, last_number) VALUES ($1, $2)", GUILD, count
        )
        for table in ("article", "claim", "status_change"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        await connection.execute("VACUUM ANALYZE claim")
        await connection.execute("VACUUM ANALYZE article")
    finally:
        await connection.close()


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
    }


async def timed(samples: int, operation: Callable[[int], Awaitable[object]]) -> dict[str, float]:
    for warm_up in range(min(10, samples)):
        await operation(warm_up)
    durations = []
    for index in range(samples):
        started = time.perf_counter()
        await operation(index)
        durations.append(time.perf_counter() - started)
    return percentiles(durations)


async def measure(store: ClaimStore, corpus: Corpus, count: int, samples: int) -> dict[str, Any]:
    rng = np.random.default_rng(7)
    numbers = [int(n) for n in rng.integers(1, count + 1, size=samples + 10)]
    statuses = list(ClaimStatus)
    # Words of middling frequency (rank 100-5000: ~0.02-1% of claims each), and the most
    # common word of all (in most claims) as the worst case.
    search_words = [corpus.word_of_rank(int(r)) for r in rng.integers(100, 5000, samples + 10)]
    results: dict[str, Any] = {}

    results["list_newest_pending_25"] = await timed(
        samples, lambda i: store.list_claims(guild_id=GUILD, status="pending", limit=25)
    )
    results["get_by_number"] = await timed(
        samples, lambda i: store.get_claim(guild_id=GUILD, number=numbers[i])
    )
    results["set_status"] = await timed(
        samples,
        lambda i: store.set_status(
            guild_id=GUILD,
            number=numbers[i],
            status=statuses[i % len(statuses)],
            moderator_id=9,
            moderator_name="bench",
            note="benchmark",
        ),
    )
    results["search_one_word"] = await timed(
        samples, lambda i: store.search_claims(guild_id=GUILD, words=search_words[i], limit=25)
    )
    results["search_two_words"] = await timed(
        samples,
        lambda i: store.search_claims(
            guild_id=GUILD, words=[search_words[i], corpus.word_of_rank(2)], limit=25
        ),
    )
    common = corpus.word_of_rank(1)
    results["search_most_common_word"] = await timed(
        max(samples // 4, 10), lambda i: store.search_claims(guild_id=GUILD, words=common)
    )
    results["stats"] = await timed(max(samples // 10, 5), lambda i: store.stats(guild_id=GUILD))
    results["submit_article_10_claims"] = await submit_rate(store, corpus)
    return results


async def submit_rate(store: ClaimStore, corpus: Corpus, articles: int = 200) -> dict[str, Any]:
    """Articles of 10 new claims through ClaimStore.submit_article, one after another."""
    prepared = []
    sentences = corpus.sentences(articles * 10)
    for article in range(articles):
        chunk = [f"Fresh {article} {next(sentences)}" for _ in range(10)]
        body, candidates, position = "", [], 0
        for sentence in chunk:
            candidates.append(
                ClaimCandidate(
                    text=sentence, sentence=sentence, start=position,
                    end=position + len(sentence), score=0.8, claimant=None, kind="statistic",
                )
            )  # fmt: skip
            body += sentence + " "
            position = len(body)
        prepared.append((body, candidates))
    durations = []
    for body, candidates in prepared:
        started = time.perf_counter()
        await store.submit_article(
            guild_id=GUILD, source="paste", title=None, text=body, submitter_id=1,
            submitter_name="bench", candidates=candidates,
        )  # fmt: skip
        durations.append(time.perf_counter() - started)
    total = sum(durations)
    return {
        **percentiles(durations),
        "articles_per_s": round(articles / total, 1),
        "claims_per_s": round(articles * 10 / total, 1),
    }


async def prepare_postgres(url: str) -> None:
    await drop_postgres_schema(url)
    admin = create_store_engine(url)
    async with admin.begin() as connection:
        await connection.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    await admin.dispose()


async def drop_postgres_schema(url: str) -> None:
    admin = create_store_engine(url)
    async with admin.begin() as connection:
        await connection.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
    await admin.dispose()


async def load_database(url: str, corpus: Corpus, claims: int) -> tuple[AsyncEngine, float]:
    """A migrated store at `url` holding `claims` synthetic claims of `corpus` (on PostgreSQL
    in the scratch schema): an engine on it, and the seconds the bulk load took."""
    backend = make_url(url).get_backend_name()
    engine_kwargs: dict[str, Any] = {}
    if backend == "postgresql":
        await prepare_postgres(url)
        engine_kwargs["connect_args"] = {"server_settings": {"search_path": PG_SCHEMA}}
    engine = create_store_engine(url, **engine_kwargs)
    await upgrade_engine(engine)
    print(f"loading {claims:,} claims into {backend} ...", file=sys.stderr)
    started = time.perf_counter()
    if backend == "sqlite":
        database = make_url(url).database
        assert database is not None
        await asyncio.to_thread(load_sqlite, database, corpus, claims)
    else:
        await load_postgres(url, corpus, claims)
    load_seconds = time.perf_counter() - started
    print(f"loaded in {load_seconds:.1f} s; timing ...", file=sys.stderr)
    return engine, load_seconds


async def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    backend = make_url(url).get_backend_name()
    corpus = Corpus.build(args.seed)
    engine, load_seconds = await load_database(url, corpus, args.claims)

    store = ClaimStore(engine)
    load_before = os.getloadavg()[0]
    try:
        results = await measure(store, corpus, args.claims, args.samples)
    finally:
        await store.close()
        if backend == "postgresql":  # a million rows is no thing to leave in a shared database
            await drop_postgres_schema(url)
    return {
        "backend": backend,
        "claims": args.claims,
        "samples": args.samples,
        "bulk_load_s": round(load_seconds, 1),
        "bulk_load_claims_per_s": round(args.claims / load_seconds),
        "operations": results,
        # Latency tails depend on what else the machine runs: record how busy it was.
        "cpus": os.cpu_count(),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def print_report(report: dict[str, Any]) -> None:
    print(
        f"{report['backend']}, {report['claims']:,} claims in one guild, "
        f"{report['samples']} samples per operation"
    )
    print(
        f"bulk load: {report['bulk_load_s']:.1f} s ({report['bulk_load_claims_per_s']:,} claims/s)"
    )
    before, after = report["load_average_1min"]
    print(f"machine: {report['cpus']} CPUs, 1-min load average {before} -> {after} while timing")
    print(f"{'operation':<28}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name, figures in report["operations"].items():
        print(f"{name:<28}{figures['p50_ms']:>10.2f}{figures['p99_ms']:>10.2f}"
              f"{figures['max_ms']:>10.2f}")  # fmt: skip
    submit = report["operations"]["submit_article_10_claims"]
    print(f"submit rate: {submit['articles_per_s']} articles/s = {submit['claims_per_s']} claims/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp directory")
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=500, help="timed calls per operation")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="claimbot-bench-") as workdir:
        url = args.database_url or f"sqlite+aiosqlite:///{workdir}/bench.db"
        if make_url(url).get_backend_name() == "sqlite":
            database = make_url(url).database
            assert database is not None
            for suffix in ("", "-wal", "-shm"):  # start from an empty file every time
                Path(database + suffix).unlink(missing_ok=True)
        report = asyncio.run(run(args, url))
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
