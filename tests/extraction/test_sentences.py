"""The sentence splitter: news abbreviations, quotes, decimals, unpunctuated lines."""

from __future__ import annotations

import time

import pytest

from bot.extraction._sentences import MAX_SENTENCE_CHARS, split_block


def split(text: str) -> list[str]:
    return [text[start:end] for start, end, _ in split_block(text, 0, len(text))]


@pytest.mark.parametrize(
    "sentence",
    [
        "Mr. Smith met Dr. Jones on Nov. 2 in the U.S. Capitol.",
        "Marco Rubio (R-Fla.), who competed with Trump for the GOP nomination, tweeted.",
        "Sales rose 3.5% to $1.2 billion in the year to Sept. 30.",
        'He said "it is fine?" and left.',
        "John F. Kennedy was shot at 12:30 p.m. in Dallas.",
        "The team, led by Prof. Nikku Madhusudhan of the University of Cambridge, observed it.",
        "Sen. Ruth Abernathy (D-Ore.) said the U.S. Senate would vote.",
        "Acme Inc. said profits rose.",
        "He lives at No. 10 Downing Street.",
    ],
)
def test_abbreviations_decimals_and_inner_punctuation_do_not_split(sentence: str) -> None:
    assert split(sentence) == [sentence]


def test_sentences_split_after_quotes_and_brackets() -> None:
    text = (
        '"I\'ve already given my opinion". What exactly remains unclear. '
        'He asked: "Why?" Nobody knew! It was in the U.S. The end came (briefly.) Then more.'
    )
    assert split(text) == [
        '"I\'ve already given my opinion".',
        "What exactly remains unclear.",
        'He asked: "Why?"',
        "Nobody knew!",
        "It was in the U.S.",
        "The end came (briefly.)",
        "Then more.",
    ]


def test_a_word_that_abbreviates_before_numbers_ends_a_sentence_elsewhere() -> None:
    assert split("The answer was no. Then he left.") == ["The answer was no.", "Then he left."]


def test_a_block_without_final_punctuation_is_one_sentence() -> None:
    assert split("Trump discusses with Putin forming cyber security unit") == [
        "Trump discusses with Putin forming cyber security unit"
    ]


def test_offsets_are_relative_to_the_whole_text() -> None:
    text = "Header\nFirst one. Second one."
    spans = list(split_block(text, 7, len(text)))
    assert [text[s:e] for s, e, _ in spans] == ["First one.", "Second one."]
    assert all(whole for _, _, whole in spans)


def test_a_giant_unpunctuated_line_is_chunked_in_bounded_time() -> None:
    text = "word " * 200_000
    started = time.process_time()
    spans = list(split_block(text, 0, len(text)))
    elapsed = time.process_time() - started
    assert elapsed < 1.0
    assert all(0 < end - start <= MAX_SENTENCE_CHARS for start, end, _ in spans)
    assert not any(whole for _, _, whole in spans)
    assert spans[0][0] == 0
    assert spans[-1][1] == len(text.rstrip())


def test_a_giant_token_without_spaces_is_chunked_too() -> None:
    text = "x" * 5_000
    assert [e - s for s, e, _ in split_block(text, 0, len(text))] == [MAX_SENTENCE_CHARS] * 5
