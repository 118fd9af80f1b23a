"""Auto-extract catch-up (bot.catch_up): which messages posted while the bot was down are
answered, and where the channel's cursor moves."""

from __future__ import annotations

from bot.catch_up import (
    CATCH_UP_LIMIT,
    PostedMessage,
    cursor_after,
    is_article,
    messages_to_answer,
    unread_in_newest_page,
)
from bot.submission import AUTO_EXTRACT_MIN_CHARS

LONG = AUTO_EXTRACT_MIN_CHARS


def posted(
    message_id: int, *, length: int = LONG, by_bot: bool = False, has_thread: bool = False
) -> PostedMessage:
    return PostedMessage(id=message_id, by_bot=by_bot, length=length, has_thread=has_thread)


def test_an_article_is_a_long_message_by_a_person() -> None:
    assert is_article(by_bot=False, length=LONG)
    assert not is_article(by_bot=False, length=LONG - 1)
    assert not is_article(by_bot=True, length=LONG * 10)


def test_long_messages_without_a_thread_are_answered_oldest_first() -> None:
    chosen = messages_to_answer([posted(30), posted(10), posted(20)])
    assert [m.id for m in chosen] == [10, 20, 30]


def test_short_bot_and_already_answered_messages_are_skipped() -> None:
    messages = [
        posted(1, length=LONG - 1),  # chat
        posted(2, by_bot=True),  # a bot's message, however long
        posted(3, has_thread=True),  # answered before the bot went down
        posted(4),
    ]
    assert [m.id for m in messages_to_answer(messages)] == [4]


def test_nothing_to_answer_in_an_empty_history() -> None:
    assert messages_to_answer([]) == []


def test_the_cursor_moves_to_the_newest_message_read_whatever_it_was() -> None:
    messages = [posted(5), posted(9, length=1), posted(7, by_bot=True)]
    assert cursor_after(messages, 3) == 9


def test_the_cursor_never_moves_back_and_stays_without_messages() -> None:
    assert cursor_after([posted(5)], 8) == 8
    assert cursor_after([], 8) == 8
    assert cursor_after([], None) is None
    assert cursor_after([posted(5)], None) == 5


def test_only_the_newest_pages_messages_after_the_cursor_are_unread() -> None:
    # Newest first, as Discord pages the history without an anchor; 10 is the cursor.
    page = [posted(14), posted(13, length=1), posted(12), posted(10), posted(9), posted(7)]
    unread = unread_in_newest_page(page, 10, limit=CATCH_UP_LIMIT)
    assert [m.id for m in unread.messages] == [14, 13, 12]
    assert not unread.older_not_read  # the cursor's message is in the page: nothing skipped
    assert [m.id for m in messages_to_answer(unread.messages)] == [12, 14]
    assert cursor_after(unread.messages, 10) == 14


def test_a_full_page_partly_after_the_cursor_skips_nothing() -> None:
    page = [posted(i) for i in range(100 + CATCH_UP_LIMIT - 1, 99, -1)]  # 124..100
    assert len(page) == CATCH_UP_LIMIT
    unread = unread_in_newest_page(page, 100)
    assert [m.id for m in unread.messages] == list(range(124, 100, -1))
    assert not unread.older_not_read


def test_a_full_page_all_after_the_cursor_may_leave_older_messages_unread() -> None:
    page = [posted(i) for i in range(100 + CATCH_UP_LIMIT, 100, -1)]  # 125..101
    unread = unread_in_newest_page(page, 100)
    assert len(unread.messages) == CATCH_UP_LIMIT
    assert unread.older_not_read  # 100 is not in the page: others may lie between
    assert unread_in_newest_page(page[:-1], 100).older_not_read is False  # not a full page
    assert unread_in_newest_page(page[:3], 100, limit=3).older_not_read


def test_nothing_is_unread_when_the_cursor_is_at_the_newest_message() -> None:
    page = [posted(i) for i in range(30, 30 - CATCH_UP_LIMIT, -1)]
    unread = unread_in_newest_page(page, 30)
    assert unread.messages == []
    assert not unread.older_not_read
    assert cursor_after(unread.messages, 30) == 30
    assert unread_in_newest_page([], 30).messages == []
    assert not unread_in_newest_page([], 30).older_not_read
