"""One entry for every way an article arrives on the command line: "-" (stdin), a file
path, or an http(s) link fetched through the guard."""

from __future__ import annotations

import asyncio
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import httpx

from bot.errors import InvalidInput
from bot.ingest._fetch import fetch_article
from bot.ingest._guard import Resolver, parse_link, resolve_host
from bot.settings import Settings

if TYPE_CHECKING:  # the store is only passed through; importing it is not needed to run
    from bot.store.service import ClaimStore

STDIN_LABEL = "paste"  # Article.source of text piped in, as the store documents it
FILE_LABEL = "file"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_UTF8_MAX_BYTES_PER_CHAR = 4


@dataclass(frozen=True, slots=True)
class SourceText:
    text: str
    source_label: str  # what Article.source stores: the link as given, "paste" or "file"
    title: str | None
    url: str | None  # where the text was read from after redirects; None for stdin/files
    # The stored article whose text was reused instead of fetching the link again.
    reused_article_id: int | None = None


def is_link(source: str) -> bool:
    """Whether `source` is meant as a link (any "scheme://"), not a file name."""
    # Any scheme counts, so "ftp://..." is refused as a link rather than "no such file".
    return _SCHEME.match(source.strip()) is not None


def normalise_link(link: str) -> str:
    """The form a link is stored and looked up in (so a re-submission finds it)."""
    return str(parse_link(link))


async def read_source_text(
    source: str,
    *,
    settings: Settings,
    client: httpx.AsyncClient | None = None,
    resolver: Resolver = resolve_host,
    store: ClaimStore | None = None,
    guild_id: int | None = None,
) -> SourceText:
    """The article text of `source`; InvalidInput (or a FetchRefused) says why not.

    With `store` and `guild_id`, a link the guild already submitted is not fetched again.
    """
    max_chars = settings.max_article_chars
    if is_link(source):
        if store is not None and guild_id is not None:
            return await read_link_for_guild(
                source,
                guild_id=guild_id,
                store=store,
                settings=settings,
                client=client,
                resolver=resolver,
            )
        return await _fetch_link(source, settings=settings, client=client, resolver=resolver)
    if source == "-":
        data = await asyncio.to_thread(_read_prefix, sys.stdin.buffer, max_chars)
        return SourceText(_check_text(data, "stdin", max_chars), STDIN_LABEL, None, None)
    data = await asyncio.to_thread(_read_file_prefix, source, max_chars)
    return SourceText(_check_text(data, source, max_chars), FILE_LABEL, None, None)


async def read_link_for_guild(
    link: str,
    *,
    guild_id: int,
    store: ClaimStore,
    settings: Settings,
    client: httpx.AsyncClient | None,
    resolver: Resolver = resolve_host,
) -> SourceText:
    """The article behind `link`: the guild's stored copy if it has one, else fetched."""
    normalised = normalise_link(link)  # also refuses a non-http(s) link before any lookup
    stored = await store.find_article_by_url(guild_id=guild_id, url=normalised)
    if stored is not None:
        text = await store.get_article_text(guild_id=guild_id, article_id=stored.id)
        return SourceText(
            text=text,
            source_label=stored.source,
            title=stored.title,
            url=stored.source,
            reused_article_id=stored.id,
        )
    return await _fetch_link(normalised, settings=settings, client=client, resolver=resolver)


async def _fetch_link(
    link: str, *, settings: Settings, client: httpx.AsyncClient | None, resolver: Resolver
) -> SourceText:
    normalised = normalise_link(link)
    article = await fetch_article(
        normalised, client=client, allow_private=settings.allow_private_urls, resolver=resolver
    )
    _check_length(article.text, settings.max_article_chars, "the article on that page")
    return SourceText(
        text=article.text, source_label=normalised, title=article.title, url=article.final_url
    )


def _read_prefix(stream: BinaryIO, max_chars: int) -> bytes:
    # Past this many bytes the text has more than max_chars characters whatever they
    # are, so a huge input never sits in memory whole.
    return stream.read(max_chars * _UTF8_MAX_BYTES_PER_CHAR + 1)


def _read_file_prefix(source: str, max_chars: int) -> bytes:
    try:
        with Path(source).open("rb") as handle:
            return _read_prefix(handle, max_chars)
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {source}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{source} is a directory, not a text file") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {source}: {exc.strerror or exc}") from None


def _check_text(data: bytes, name: str, max_chars: int) -> str:
    if len(data) > max_chars * _UTF8_MAX_BYTES_PER_CHAR:
        raise _too_long(name, max_chars)
    if b"\x00" in data:
        raise InvalidInput(f"{name} looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{name} is not UTF-8 text") from None
    if not text.strip():
        raise InvalidInput(f"{name} is empty")
    _check_length(text, max_chars, name)
    return text


def _check_length(text: str, max_chars: int, name: str) -> None:
    if len(text) > max_chars:
        raise _too_long(name, max_chars)


def _too_long(name: str, max_chars: int) -> InvalidInput:
    return InvalidInput(f"{name} is too long (the limit is {max_chars:,} characters)")
