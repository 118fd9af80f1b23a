"""Discord command latency through the loopback Discord, with a large guild.

    python benchmarks/commands_bench.py                    # 100,000 claims, 200 samples each
    python benchmarks/commands_bench.py --claims 10000 --samples 50   # a quick run

The real bot (`build_bot`, every cog) runs against tests/fakediscord on a SQLite file holding
`--claims` claims of the guild "Newsroom" (bulk-loaded as in store_bench.py). Measured, from
the INTERACTION_CREATE the fake dispatches to the bot's first callback (what Discord's
3-second deadline applies to): `/claims list`, `/claims show`, `/claims verify`; and for
`/claims submit` of a 1,000-word article, until its follow-up (the claims) arrives. Then 50
interactions at once: none may fail or miss the 3-second deadline.

Target (issue 5): p99 <= 100 ms for list, show and verify.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import store_bench  # noqa: E402  (the bulk loader of the store benchmark)
from pydantic import SecretStr  # noqa: E402

from bot.client import build_bot  # noqa: E402
from bot.extraction import Extractor  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store import open_store, upgrade_database  # noqa: E402
from tests.fakediscord import FakeDiscord  # noqa: E402
from tests.fakediscord.interactions import InteractionRecord  # noqa: E402

ARTICLES = ROOT / "tests" / "extraction" / "articles"
DEADLINE_S = 3.0
CONCURRENT = 50


def thousand_word_article() -> str:
    """About 1,000 words of real news prose (the test articles, repeated as needed)."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(ARTICLES.glob("*.txt"))]
    words: list[str] = []
    paragraphs: list[str] = []
    for text in texts * 10:
        for paragraph in text.split("\n\n"):
            if len(words) >= 1000:
                return "\n\n".join(paragraphs)
            paragraphs.append(paragraph)
            words += paragraph.split()
    return "\n\n".join(paragraphs)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


async def first_callback_s(record: InteractionRecord) -> float:
    await record.wait_for(lambda: record.acknowledged, DEADLINE_S * 2, "answer")
    return time.monotonic() - record.created


async def follow_up_s(record: InteractionRecord) -> float:
    await record.wait_for(lambda: bool(record.original_edits), 60, "follow up")
    return time.monotonic() - record.created


async def sample(
    count: int, invoke: Callable[[int], Awaitable[InteractionRecord]], *, follow_up: bool = False
) -> dict[str, float]:
    timings = []
    for index in range(count):
        record = await invoke(index)
        timings.append(await (follow_up_s(record) if follow_up else first_callback_s(record)))
    return percentiles(timings)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    logging.basicConfig(level=logging.WARNING)
    workdir = Path(tempfile.mkdtemp(prefix="commands_bench_"))
    url = f"sqlite+aiosqlite:///{workdir / 'claims.db'}"
    report: dict[str, Any] = {"claims": args.claims, "samples": args.samples}
    async with FakeDiscord() as fake:
        guild = int(fake.world.guild("Newsroom").id)
        await upgrade_database(url)
        store_bench.GUILD = guild  # the bulk loader writes this guild's claims
        started = time.perf_counter()
        store_bench.load_sqlite(
            str(workdir / "claims.db"), store_bench.Corpus.build(7), args.claims
        )
        report["load_s"] = round(time.perf_counter() - started, 1)
        store = await open_store(url, migrate=False)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, discord_token=SecretStr(fake.token), database_url=url
        )
        client = build_bot(
            settings,
            store=store,
            extractor=Extractor(),
            guild_ready_timeout=0.01,
            identify_interval=0,
        )
        runner = asyncio.create_task(client.start(fake.token))
        await asyncio.wait_for(client.wait_until_ready(), 10)
        rng = random.Random(5)
        try:
            report["list"] = await sample(
                args.samples, lambda i: fake.invoke_slash("claims list", user="reader")
            )
            report["show"] = await sample(
                args.samples,
                lambda i: fake.invoke_slash(
                    "claims show", user="reader", number=rng.randint(1, args.claims)
                ),
            )
            report["verify"] = await sample(
                args.samples,
                lambda i: fake.invoke_slash(
                    "claims verify",
                    user="moderator",
                    number=rng.randint(1, args.claims),
                    note="benchmark",
                ),
            )
            article = thousand_word_article()
            report["submit_words"] = len(article.split())
            report["submit_until_follow_up"] = await sample(
                args.submit_samples,
                lambda i: fake.invoke_slash("claims submit", user="reader", text=article),
                follow_up=True,
            )
            report["concurrent"] = await concurrent(fake, rng, args.claims)
        finally:
            await client.close()
            await runner
            await store.close()
        report["refused"] = sum(len(r.refused) for r in fake.interactions.values())
        report["violations"] = list(fake.violations)
    return report


async def concurrent(fake: FakeDiscord, rng: random.Random, claims: int) -> dict[str, Any]:
    """CONCURRENT interactions dispatched at once (a mix of list, show, verify, search)."""
    invocations = []
    for index in range(CONCURRENT):
        number = rng.randint(1, claims)
        kind = index % 4
        if kind == 0:
            invocations.append(fake.invoke_slash("claims list", user="reader"))
        elif kind == 1:
            invocations.append(fake.invoke_slash("claims show", user="reader", number=number))
        elif kind == 2:
            invocations.append(fake.invoke_slash("claims verify", user="moderator", number=number))
        else:
            invocations.append(fake.invoke_slash("claims search", user="reader", words="rose"))
    records = await asyncio.gather(*invocations)
    timings = await asyncio.gather(*(first_callback_s(r) for r in records))
    failed = [r.summary() for r in records if r.refused or not r.acknowledged]
    errors = [
        r.summary()
        for r in records
        if any("went wrong" in str((c.get("data") or {}).get("content")) for c in r.callbacks)
    ]
    return {
        **percentiles(list(timings)),
        "over_deadline": sum(1 for t in timings if t > DEADLINE_S),
        "failed": failed,
        "errors": errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--submit-samples", type=int, default=20)
    args = parser.parse_args()
    report = asyncio.run(run(args))
    print(json.dumps(report, indent=2))
    ok = (
        not report["refused"]
        and not report["violations"]
        and report["concurrent"]["over_deadline"] == 0
        and not report["concurrent"]["failed"]
        and not report["concurrent"]["errors"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
