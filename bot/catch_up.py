"""Auto-extract catch-up: which of the messages posted in an auto-extract channel while the
bot was down it should answer now, and where its cursor moves (cogs/auto_extract.py fetches
the channel's newest messages, at most CATCH_UP_LIMIT, and answers what this picks among
those newer than the cursor).

Pure: the cog turns each discord.Message into a `PostedMessage`, so the rule is the same one
`on_message` applies and can be tested without Discord.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.submission import AUTO_EXTRACT_MIN_CHARS

# At most this many messages are read per channel on start-up, the newest ones: a bot down
# for days does not flood a channel with threads. Older unread messages are not read (a
# warning says so; members can still run the "Extract claims" menu on one): the cursor
# moves past them to the newest message read.
CATCH_UP_LIMIT = 25


@dataclass(frozen=True, slots=True)
class PostedMessage:
    """What the decision needs to know of a message in an auto-extract channel."""

    id: int
    by_bot: bool
    length: int  # characters of content
    has_thread: bool  # a thread was started on it: answered already (maybe before a crash)


@dataclass(frozen=True, slots=True)
class Unread:
    """What a catch-up reads in the channel's newest page of history."""

    messages: list[PostedMessage]  # the page's messages newer than the cursor
    # The page was full and every message in it is newer than the cursor: older unread
    # messages may lie between the cursor and the page, and they are not read.
    older_not_read: bool


def unread_in_newest_page(
    page: Sequence[PostedMessage], cursor: int, *, limit: int = CATCH_UP_LIMIT
) -> Unread:
    """The messages of `page` (the channel's newest, at most `limit`, in any order) posted
    after the message `cursor`, and whether older unread messages may exist before them."""
    newer = [message for message in page if message.id > cursor]
    return Unread(messages=newer, older_not_read=len(page) >= limit and len(newer) == len(page))


def is_article(*, by_bot: bool, length: int) -> bool:
    """A message auto-extract answers: a long one written by a person."""
    return not by_bot and length >= AUTO_EXTRACT_MIN_CHARS


def messages_to_answer(messages: Iterable[PostedMessage]) -> list[PostedMessage]:
    """The articles among `messages` not answered yet, oldest first."""
    return sorted(
        (
            message
            for message in messages
            if is_article(by_bot=message.by_bot, length=message.length) and not message.has_thread
        ),
        key=lambda message: message.id,
    )


def cursor_after(messages: Iterable[PostedMessage], current: int | None) -> int | None:
    """Where the cursor stands once `messages` are handled: the newest of them (every one
    read was either answered or not an article), never behind `current`."""
    newest = max((message.id for message in messages), default=None)
    if newest is None:
        return current
    return newest if current is None else max(current, newest)
