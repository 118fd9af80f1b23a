"""Weekly digest speed for a guild with 100,000 claims: building (store aggregates + pure
build) and rendering (embed + PNG chart), as the digest loop does it.

    python benchmarks/digest_bench.py                 # SQLite file, 100,000 claims
    python benchmarks/digest_bench.py --claims 20000 --repeat 10

The guild's claims are spread over the ten weeks before the digest's week and its week
itself (about 9,000 a week, 20 per article); 40% are settled, each with its audit row a few
hours to days after submission. They are bulk-loaded with sqlite3 into the migrated schema
(FTS triggers included); every timed step then goes through `ClaimStore` / `bot.digest`,
the same code as the bot. Prints median and p95 of each step, then one JSON line.

Target (issue 6): building and rendering <= 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.digest.build import build_digest, history_windows
from bot.digest.periods import IsoWeek, zone_named
from bot.digest.runner import DigestService, digest_message
from bot.store import open_store

GUILD = 1
OTHER_GUILD = 2  # a neighbour with as many claims, which the digest must not read
PERIOD = IsoWeek(2026, 47)
ZONE = "Europe/Berlin"
CLAIMS_PER_ARTICLE = 20
STATUSES = ("verified", "disputed", "inconclusive", "dismissed")
SETTLED_SHARE = 0.4


def sqlite_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's format


def load(path: str, claims: int, rng: random.Random) -> None:
    since, until = PERIOD.bounds(zone_named(ZONE))
    first = since - timedelta(weeks=10)
    span = (until - first).total_seconds()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    article_rows, claim_rows, change_rows = [], [], []
    claim_id = 0
    for guild in (GUILD, OTHER_GUILD):
        for number in range(1, claims + 1):
            claim_id += 1
            article_id = (claim_id - 1) // CLAIMS_PER_ARTICLE + 1
            at = first + timedelta(seconds=span * (number - 1) / claims)
            if (claim_id - 1) % CLAIMS_PER_ARTICLE == 0:
                body = f"Article {article_id}."
                article_rows.append(
                    (
                        article_id,
                        guild,
                        "paste",
                        body,
                        f"c{article_id}",
                        "bench",
                        5,
                        900 + article_id,
                        sqlite_time(at),
                    )
                )
            status = "pending"
            if rng.random() < SETTLED_SHARE:
                status = rng.choice(STATUSES)
                changed = min(at + timedelta(hours=rng.uniform(1, 96)), until + timedelta(days=1))
                change_rows.append(
                    (
                        claim_id,
                        "pending",
                        status,
                        7,
                        "Ada",
                        "https://example.org/e",
                        sqlite_time(changed),
                    )
                )
            text = f"Claim {number} of guild {guild}: prices rose {number % 97}% in May."
            claim_rows.append(
                (claim_id, guild, number, article_id, text, text, f"h{claim_id}", 0, len(text),
                 rng.random(), "statistic", status, sqlite_time(at), sqlite_time(at))
            )  # fmt: skip
    with connection:
        connection.executemany(
            "INSERT INTO article (id, guild_id, source, text, content_hash, submitter_name,"
            " channel_id, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            article_rows,
        )
        connection.executemany(
            "INSERT INTO claim (id, guild_id, number, article_id, text, sentence, sentence_hash,"
            ' start, "end", score, kind, status, times_submitted, created_at, updated_at)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            claim_rows,
        )
        connection.executemany(
            "INSERT INTO status_change (claim_id, from_status, to_status, moderator_id,"
            " moderator_name, evidence_url, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            change_rows,
        )
    connection.execute("ANALYZE")
    connection.close()


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
    }


async def measure(url: str, repeat: int) -> dict[str, dict[str, float]]:
    store = await open_store(url, migrate=False)
    service = DigestService(store)
    zone = zone_named(ZONE)
    since, until = PERIOD.bounds(zone)
    steps: dict[str, list[float]] = {"queries": [], "build": [], "render": [], "total": []}
    try:
        for _ in range(repeat + 1):  # the first run warms caches and imports Pillow
            start = time.perf_counter()
            facts = await store.digest_facts(
                guild_id=GUILD, since=since, until=until, history=history_windows(PERIOD, zone),
                list_cap=5, queue_size=5,
            )  # fmt: skip
            queried = time.perf_counter()
            digest = build_digest(facts, guild_id=GUILD, period=PERIOD, zone=zone)
            built = time.perf_counter()
            message = digest_message(digest, quiet_line=True)
            rendered = time.perf_counter()
            assert message is not None
            assert message.chart_png is not None
            steps["queries"].append(queried - start)
            steps["build"].append(built - queried)
            steps["render"].append(rendered - built)
            steps["total"].append(rendered - start)
        # The service's own path (as the loop calls it) once more, for the record.
        start = time.perf_counter()
        await service.build(guild_id=GUILD, period=PERIOD, timezone=ZONE)
        steps["service_build"] = [time.perf_counter() - start]
    finally:
        await store.close()
    for name in steps:
        if name != "service_build":
            steps[name] = steps[name][1:]
    print(
        f"digest of {PERIOD.label}: {digest.claims} claims submitted, "
        f"{digest.settled_total} settled, {digest.pending_total} pending"
    )
    return {name: summary(samples) for name, samples in steps.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000, help="claims of the guild")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "digest_bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        asyncio.run(_migrate(url))
        started = time.perf_counter()
        load(str(path), args.claims, random.Random(6))
        print(f"loaded {args.claims:,} claims (x2 guilds) in {time.perf_counter() - started:.1f} s")
        results = asyncio.run(measure(url, args.repeat))
    for name, figures in results.items():
        print(
            f"{name:>14}: median {figures['median_ms']:7.1f} ms   p95 {figures['p95_ms']:7.1f} ms"
        )
    verdict = "OK" if results["total"]["p95_ms"] <= 200 else "OVER"
    print(f"target: build + render <= 200 ms: {verdict}")
    print(json.dumps({"claims": args.claims, "backend": "sqlite", **results}))


async def _migrate(url: str) -> None:
    store = await open_store(url)
    await store.close()


if __name__ == "__main__":
    main()
