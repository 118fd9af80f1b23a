"""Auto-extract catch-up (bot.catch_up): which messages posted while the bot was down are
answered, and where the channel's cursor moves."""

from __future__ import annotations

from bot.catch_up import PostedMessage, cursor_after, is_article, messages_to_answer
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
