"""`claimbot submit`, `claims ...`, `export` and `db upgrade`: the store from the shell.

Every command that uses the store migrates the database first, so a fresh SQLite file works.

The store (SQLAlchemy, SQLModel, Alembic), the fetchers and the ClaimReview export are imported
inside the functions that use them: this module is imported whenever `claimbot` builds its
parser, and `claimbot --help` or a refused argument must not wait for them. Keeping the
handlers here, next to their arguments, reads better than a separate "run" module would.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import socket
import sys
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from bot.cli._arguments import discord_id
from bot.errors import ClaimbotError

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store import ClaimStore, ClaimView, StatusChangeView

T = TypeVar("T")

SUMMARY_CHARS = 100
CSV_COLUMNS = (
    "number", "status", "text", "sentence", "start", "end", "score", "claimant", "kind",
    "times_submitted", "created_at", "updated_at", "status_changed_by", "article_id", "source",
    "match", "match_kind",
)  # fmt: skip


def register(subparsers: Any) -> None:
    submit = subparsers.add_parser(
        "submit",
        help="extract the claims of an article and store them for a guild",
        description="Extract the check-worthy claims of an article and store them.",
    )
    submit.add_argument("source", metavar="SOURCE", help="a text file, or - to read stdin")
    _add_guild(submit)
    submit.add_argument("--by", metavar="NAME", default="cli", help="submitter name shown")
    _add_format(submit, ("text", "jsonl"))
    submit.set_defaults(handler=handle_submit)

    claims = subparsers.add_parser("claims", help="list, show, search and review stored claims")
    actions = claims.add_subparsers(dest="claims_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="newest claims first")
    _add_guild(listing)
    listing.add_argument("--status", metavar="S", help="only claims with this status")
    listing.add_argument("--limit", type=_positive_int, default=25, metavar="N")
    _add_format(listing, ("text", "jsonl"))
    listing.set_defaults(handler=handle_list)

    show = actions.add_parser("show", help="one claim with its review history")
    _add_guild(show)
    show.add_argument("number", type=_claim_number, metavar="NUMBER")
    _add_format(show, ("text", "json"))
    show.set_defaults(handler=handle_show)

    search = actions.add_parser("search", help="claims containing all the words")
    _add_guild(search)
    search.add_argument("words", nargs="+", metavar="WORDS")
    search.add_argument("--limit", type=_positive_int, default=25, metavar="N")
    _add_format(search, ("text", "jsonl"))
    search.set_defaults(handler=handle_search)

    set_status = actions.add_parser("set-status", help="record a moderator's verdict")
    _add_guild(set_status)
    set_status.add_argument("number", type=_claim_number, metavar="NUMBER")
    set_status.add_argument(
        "status", metavar="STATUS", help="pending, verified, disputed, inconclusive or dismissed"
    )
    set_status.add_argument("--by", metavar="NAME", required=True, help="moderator name")
    set_status.add_argument("--note", metavar="TEXT", help="why (at most 1000 characters)")
    set_status.add_argument("--evidence", metavar="URL", help="an http(s) link to the evidence")
    set_status.set_defaults(handler=handle_set_status)

    export = subparsers.add_parser("export", help="every claim of a guild, oldest first")
    _add_guild(export)
    export.add_argument(
        "--format",
        choices=("jsonl", "csv", "claimreview"),
        required=True,
        help="claimreview: schema.org ClaimReview JSON-LD of the settled claims",
    )
    export.set_defaults(handler=handle_export)

    database = subparsers.add_parser("db", help="database maintenance")
    db_actions = database.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_actions.add_parser("upgrade", help="migrate the schema to the newest version")
    upgrade.set_defaults(handler=handle_db_upgrade)


# ---- handlers -------------------------------------------------------------------------


def handle_submit(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here: loading the model is slow and the other commands do not need it.
    from bot.extraction import Extractor
    from bot.ingest import read_source_text
    from bot.known.repeats import record_repeats

    extractor = Extractor(settings.score_threshold, max_chars=settings.max_article_chars)

    async def submit(store: ClaimStore) -> int:
        # A link this guild already submitted is read from the store, not fetched again.
        source = await read_source_text(
            args.source, settings=settings, store=store, guild_id=args.guild
        )
        text = source.text
        extraction = await asyncio.to_thread(extractor.extract, text)
        outcome = await store.submit_article(
            guild_id=args.guild,
            source=source.source_label,
            title=source.title or _title_of(text),
            text=text,
            submitter_id=None,
            submitter_name=args.by,
            candidates=extraction.candidates,
        )
        # Reworded repeats of earlier claims are linked (exact) or suggested (likely).
        repeats = {r.claim.number: r for r in await record_repeats(store, outcome.new_claims)}
        if args.format == "jsonl":
            for item in outcome.claims:
                claim = (
                    repeats[item.claim.number].claim if item.claim.number in repeats else item.claim
                )
                _print_json({**claim_record(claim), "is_new": item.is_new})
            return 0
        new, known = len(outcome.new_claims), len(outcome.existing_claims)
        print(
            f"Stored article {outcome.article.id}: {new} new claim{'s' * (new != 1)}, "
            f"{known} already in the store."
        )
        for item in outcome.claims:
            claim = item.claim
            if item.is_new:
                print(f"  #{claim.number} new, score {claim.score:.2f}: {_summary(claim.text)}")
                if claim.number in repeats:
                    repeat = repeats[claim.number]
                    print(
                        f"    repeats #{repeat.earlier.number} ({repeat.kind}, "
                        f"{repeat.earlier.status}): {_summary(repeat.earlier.text)}"
                    )
            else:
                summary = _summary(claim.text)
                print(f"  #{claim.number} already in the store, {claim.status}: {summary}")
        return 0

    return run_with_store(settings, submit)


def handle_list(args: argparse.Namespace, settings: Settings) -> int:
    async def list_claims(store: ClaimStore) -> int:
        claims: list[ClaimView] = []
        before: int | None = None
        while len(claims) < args.limit:  # the store serves pages of at most 100
            page = await store.list_claims(
                guild_id=args.guild, status=args.status, limit=args.limit - len(claims),
                before=before,
            )  # fmt: skip
            claims.extend(page)
            if not page:
                break
            before = page[-1].number
        if args.format == "jsonl":
            _print_jsonl(claim_record(claim) for claim in claims)
        elif not claims:
            print("No claims." if args.status is None else f"No {args.status} claims.")
        else:
            total = await store.count_claims(guild_id=args.guild, status=args.status)
            for claim in claims:
                print(_claim_line(claim))
            print(f"({len(claims)} of {total} shown, newest first)")
        return 0

    return run_with_store(settings, list_claims)


def handle_show(args: argparse.Namespace, settings: Settings) -> int:
    async def show(store: ClaimStore) -> int:
        claim = await store.get_claim(guild_id=args.guild, number=args.number)
        history = await store.claim_history(guild_id=args.guild, number=args.number)
        if args.format == "json":
            record = {**claim_record(claim), "history": [history_record(h) for h in history]}
            print(json.dumps(record, ensure_ascii=False, indent=2))
            return 0
        print(f"#{claim.number} [{claim.status}] (score {claim.score:.2f}, {claim.kind})")
        print(f"  {claim.text}")
        if claim.sentence != claim.text:
            print(f"  sentence: {claim.sentence}")
        if claim.claimant:
            print(f"  claimant: {claim.claimant}")
        print(f"  source: {claim.source} (article {claim.article_id}, {claim.start}-{claim.end})")
        print(
            f"  submitted {claim.times_submitted}x, first on {claim.created_at:%Y-%m-%d %H:%M} UTC"
        )
        print("  history:" if history else "  history: none yet")
        for change in history:
            print(f"    {_history_line(change)}")
        return 0

    return run_with_store(settings, show)


def handle_search(args: argparse.Namespace, settings: Settings) -> int:
    async def search(store: ClaimStore) -> int:
        found = await store.search_claims(guild_id=args.guild, words=args.words, limit=args.limit)
        if args.format == "jsonl":
            _print_jsonl(claim_record(claim) for claim in found)
        elif not found:
            print("No claims contain all of those words.")
        else:
            for claim in found:
                print(_claim_line(claim))
        return 0

    return run_with_store(settings, search)


def handle_set_status(args: argparse.Namespace, settings: Settings) -> int:
    async def set_status(store: ClaimStore) -> int:
        claim = await store.set_status(
            guild_id=args.guild,
            number=args.number,
            status=args.status,
            moderator_id=None,
            moderator_name=args.by,
            note=args.note,
            evidence_url=args.evidence,
        )
        print(f"#{claim.number} is now {claim.status} (by {claim.status_changed_by_name}).")
        return 0

    return run_with_store(settings, set_status)


def handle_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.known.export import default_publisher_name, guild_publisher, write_claim_reviews

    async def export(store: ClaimStore) -> int:
        out = sys.stdout
        if args.format == "claimreview":
            name = default_publisher_name(args.guild)
            publisher = await guild_publisher(store, args.guild, name)
            await write_claim_reviews(store, args.guild, out, publisher)
            return 0
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        if args.format == "csv":
            writer.writeheader()
        async for claim in store.iter_claims(guild_id=args.guild):
            if args.format == "csv":
                writer.writerow(claim_record(claim))
            else:
                _print_json(claim_record(claim))
        return 0

    return run_with_store(settings, export)


def handle_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import upgrade_database

    _run_database(settings, lambda: upgrade_database(settings.database_url))
    print(f"Database {_safe_url(settings.database_url)} is at the newest schema.")
    return 0


# ---- input ----------------------------------------------------------------------------


def _add_guild(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--guild", type=discord_id, required=True, metavar="ID", help="the server (guild) id"
    )


def _add_format(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument("--format", choices=formats, default=formats[0])


def _claim_number(value: str) -> int:
    digits = value.removeprefix("#")
    if not digits.isdigit() or int(digits) < 1:
        raise argparse.ArgumentTypeError(f"not a claim number: {value!r}")
    return int(digits)


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {value!r}")
    return int(value)


def _title_of(text: str) -> str | None:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first_line[:200] or None


# ---- output ---------------------------------------------------------------------------


def claim_record(claim: ClaimView) -> dict[str, Any]:
    """The JSON (and CSV) shape of a claim."""
    return {
        "number": claim.number,
        "status": claim.status.value,
        "text": claim.text,
        "sentence": claim.sentence,
        "start": claim.start,
        "end": claim.end,
        "score": round(claim.score, 4),
        "claimant": claim.claimant,
        "kind": claim.kind,
        "times_submitted": claim.times_submitted,
        "created_at": claim.created_at.isoformat(),
        "updated_at": claim.updated_at.isoformat(),
        "status_changed_by": claim.status_changed_by_name,
        "article_id": claim.article_id,
        "source": claim.source,
        "match": claim.match_number,  # the earlier claim this one repeats
        "match_kind": claim.match_kind,  # exact | likely | None
    }


def history_record(change: StatusChangeView) -> dict[str, Any]:
    return {
        "from": change.from_status.value,
        "to": change.to_status.value,
        "by": change.moderator_name,
        "note": change.note,
        "evidence": change.evidence_url,
        "at": change.changed_at.isoformat(),
    }


def _claim_line(claim: ClaimView) -> str:
    return f"#{claim.number:<6} {claim.status.value:<12} {claim.score:.2f}  {_summary(claim.text)}"


def _history_line(change: StatusChangeView) -> str:
    line = (
        f"{change.changed_at:%Y-%m-%d %H:%M} UTC  {change.from_status} -> {change.to_status}"
        f"  by {change.moderator_name}"
    )
    if change.note:
        line += f"  note: {change.note}"
    if change.evidence_url:
        line += f"  evidence: {change.evidence_url}"
    return line


def _summary(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SUMMARY_CHARS else flat[: SUMMARY_CHARS - 1] + "…"


def _print_json(record: dict[str, Any]) -> None:
    print(json.dumps(record, ensure_ascii=False))


def _print_jsonl(records: Iterable[dict[str, Any]]) -> None:
    for record in records:
        _print_json(record)


# ---- running --------------------------------------------------------------------------


def run_with_store(settings: Settings, use: Callable[[ClaimStore], Awaitable[int]]) -> int:
    from bot.store import open_store

    async def run() -> int:
        store = await open_store(
            settings.database_url, max_article_chars=settings.max_article_chars
        )
        try:
            return await use(store)
        finally:
            await store.close()

    try:
        return _run_database(settings, run)
    except BrokenPipeError:
        # The reader (`| head`) stopped early: not an error worth a traceback. Point stdout
        # at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _run_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    """Run `work`; an unreachable or broken database becomes one clear error line."""
    from sqlalchemy.exc import DBAPIError

    async def main() -> T:
        return await work()

    try:
        return asyncio.run(main())
    except ClaimbotError:
        raise
    except (DBAPIError, ConnectionRefusedError, socket.gaierror, TimeoutError) as exc:
        reason = getattr(exc, "orig", None) or exc
        raise ClaimbotError(
            f"cannot use the database {_safe_url(settings.database_url)}: {reason}"
        ) from exc


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable DATABASE_URL)"
