"""Normalisation keeps a map back to the original characters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extraction._normalise import normalise


def _back(original: str, start: int, end: int) -> str:
    normalised = normalise(original)
    span = normalised.original_span(start, end)
    return original[span[0] : span[1]]


def test_entities_are_decoded_and_map_back_to_the_entity() -> None:
    original = "Tom &amp; Jerry&#8217;s &nbsp;show"
    normalised = normalise(original)
    assert normalised.text == "Tom & Jerry’s show"
    amp = normalised.text.index("&")
    assert _back(original, amp, amp + 1) == "&amp;"
    assert _back(original, 0, len(normalised.text)) == original


def test_unknown_entities_are_left_alone() -> None:
    assert normalise("R&D &bogus; costs").text == "R&D &bogus; costs"


def test_zero_width_and_control_characters_are_dropped() -> None:
    original = "Gas\u200b-fired\u00ad plants\x07 closed\ufeff."
    assert normalise(original).text == "Gas-fired plants closed."


def test_whitespace_collapses_but_line_and_paragraph_breaks_survive() -> None:
    original = "One\u00a0 two\t three\r\nfour\r\n\r\n\r\nfive\u2028six"
    assert normalise(original).text == "One two three\nfour\n\nfive\nsix"


def test_decomposed_accents_are_composed_and_map_to_both_characters() -> None:
    original = "Cafe\u0301 open"
    normalised = normalise(original)
    assert normalised.text == "Café open"
    assert _back(original, 3, 4) == "e\u0301"
    assert _back(original, 0, 4) == "Cafe\u0301"


def test_plain_text_maps_one_to_one() -> None:
    original = "Putin and Trump met for more than two hours Friday."
    normalised = normalise(original)
    assert normalised.text == original
    assert normalised.original_span(10, 15) == (10, 15)


@settings(deadline=None)
@given(st.text())
def test_every_normalised_character_maps_inside_the_original_in_order(original: str) -> None:
    normalised = normalise(original)
    assert len(normalised.starts) == len(normalised.ends) == len(normalised.text)
    previous_end = 0
    for start, end in zip(normalised.starts, normalised.ends, strict=True):
        assert 0 <= start < end <= len(original)
        assert end >= previous_end
        previous_end = end
