"""`claimbot extract SOURCE`: print the check-worthy claims of an article, without the database."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import TYPE_CHECKING, Any

from bot.cli._arguments import probability

if TYPE_CHECKING:
    from bot.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="print the check-worthy claims of an article",
        description="Print the sentences of an article that carry a check-worthy claim.",
    )
    parser.add_argument("source", metavar="SOURCE", help="a text file, or - to read stdin")
    parser.add_argument(
        "--format",
        choices=("text", "jsonl"),
        default="text",
        help="text (readable, default) or jsonl (one JSON object per claim)",
    )
    parser.add_argument(
        "--threshold",
        type=probability,
        help="keep sentences scoring at least this, 0-1 (default: SCORE_THRESHOLD, else the "
        "model's own)",
    )
    parser.set_defaults(handler=run_extract)


def run_extract(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here: the model and the fetchers (httpx, trafilatura) are slow to load, and
    # building the parser (`claimbot extract --help`, other commands) must not pay for them.
    from bot.extraction import Extractor
    from bot.ingest import read_source_text

    # A file path, "-" for stdin, or an http(s) link fetched through the guard.
    text = asyncio.run(read_source_text(args.source, settings=settings)).text
    threshold = args.threshold if args.threshold is not None else settings.score_threshold
    extractor = Extractor(threshold, max_chars=settings.max_article_chars)
    result = extractor.extract(text)
    if args.format == "jsonl":
        for claim in result.candidates:
            record = {
                "text": claim.text,
                "sentence": claim.sentence,
                "start": claim.start,
                "end": claim.end,
                "score": round(claim.score, 4),
                "claimant": claim.claimant,
                "kind": claim.kind,
            }
            print(json.dumps(record, ensure_ascii=False))
        return 0
    for claim in result.candidates:
        claimant = f"  [{claim.claimant}]" if claim.claimant else ""
        print(f"{claim.score:.2f}  {claim.kind:<10} {claim.text}{claimant}")
    print(
        f"{len(result.candidates)} claims from {result.sentences_read} sentences "
        f"(threshold {result.threshold:.2f})"
    )
    for note in result.notes:
        print(f"note: {note}")
    return 0
