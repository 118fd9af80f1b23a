"""Repeat matching with a large guild: how long `find_repeat` takes for a new claim.

    python benchmarks/match_bench.py                   # SQLite file, 1,000,000 claims
    python benchmarks/match_bench.py --claims 100000   # a quicker run
    python benchmarks/match_bench.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

The guild is bulk-loaded with store_bench's synthetic claims (Zipf-distributed made-up words,
every claim ending "rose N percent, officials said.", so some words are in every claim).
Then, through the bot's own code path (`bot.known.repeats.find_repeat`: word counts, the
full-text candidate query, the comparison of each candidate), three kinds of new claims are
timed: a reworded repeat of a random earlier claim (it must be found), the same claim with a
different number (it must not match), and a claim about nothing seen before.

On PostgreSQL, as in store_bench, everything happens in the scratch schema `store_bench`,
dropped and recreated at start and dropped at the end.

Target (issue 8): p99 <= 50 ms at 1,000,000 claims.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy.engine import make_url
from store_bench import GUILD, Corpus, drop_postgres_schema, load_database, percentiles

from bot.known.repeats import find_repeat
from bot.store import ClaimStatus, ClaimStore, ClaimView

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def new_claim(text: str, number: int) -> ClaimView:
    return ClaimView(
        guild_id=GUILD, number=number, article_id=1, source="paste", text=text, sentence=text,
        start=0, end=len(text), score=0.9, claimant=None, kind="statistic",
        status=ClaimStatus.PENDING, times_submitted=1, created_at=NOW, updated_at=NOW,
        status_changed_by_id=None, status_changed_by_name=None,
    )  # fmt: skip


def reworded(sentence: str) -> str:
    """ "<Body> rose N percent, officials said." -> "Officials said <body> rose N percent"."""
    body = sentence.removesuffix(", officials said.")
    return f"Officials said that {body[0].lower()}{body[1:]}."


def other_number(sentence: str) -> str:
    words = sentence.split()
    index = words.index("rose") + 1
    words[index] = str(int(words[index]) + 7)
    return " ".join(words)


async def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    backend = make_url(url).get_backend_name()
    engine, _ = await load_database(url, Corpus.build(args.seed), args.claims)
    store = ClaimStore(engine)
    rng = np.random.default_rng(11)
    numbers = [int(n) for n in rng.integers(1, args.claims + 1, size=args.samples)]
    earlier = [await store.get_claim(guild_id=GUILD, number=n) for n in numbers]
    novel = list(Corpus.build(args.seed + 1).sentences(args.samples))
    cases = {
        "reworded repeat": [reworded(c.text) for c in earlier],
        "same words, other number": [other_number(c.text) for c in earlier],
        "new claim": novel,
    }
    results: dict[str, Any] = {}
    load_before = os.getloadavg()[0]
    try:
        for name, texts in cases.items():
            for text in texts[:10]:  # warm-up
                await find_repeat(store, new_claim(text, args.claims + 1))
            durations, found = [], []
            for text in texts:
                began = time.perf_counter()
                match = await find_repeat(store, new_claim(text, args.claims + 1))
                durations.append(time.perf_counter() - began)
                found.append(None if match is None else match[0].number)
            figures: dict[str, Any] = percentiles(durations)
            if name == "reworded repeat":
                hits = sum(f == e.number for f, e in zip(found, earlier, strict=True))
                figures["found_the_earlier_claim"] = f"{hits}/{len(texts)}"
            else:
                figures["matched_anything"] = f"{sum(f is not None for f in found)}/{len(texts)}"
            results[name] = figures
    finally:
        await store.close()
        if backend == "postgresql":  # a million rows is no thing to leave in a shared database
            await drop_postgres_schema(url)
    return {
        "backend": backend,
        "claims": args.claims,
        "samples": args.samples,
        "results": results,
        "cpus": os.cpu_count(),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=300, help="timed new claims per case")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimbot-match-bench-") as workdir:
        url = args.database_url or f"sqlite+aiosqlite:///{workdir}/bench.db"
        report = asyncio.run(run(args, url))
    claims, samples = report["claims"], report["samples"]
    print(f"{report['backend']}, {claims:,} claims in one guild, {samples} samples")
    before, after = report["load_average_1min"]
    print(f"machine: {report['cpus']} CPUs, 1-min load average {before} -> {after}")
    for name, figures in report["results"].items():
        extra = {k: v for k, v in figures.items() if not k.endswith("_ms")}
        print(f"{name:<28} p50 {figures['p50_ms']:7.2f} ms  p99 {figures['p99_ms']:7.2f} ms  "
              f"max {figures['max_ms']:7.2f} ms  {extra}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
