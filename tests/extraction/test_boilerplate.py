"""Page furniture is dropped line by line; prose lines are kept (and trimmed of artefacts)."""

from __future__ import annotations

import pytest

from bot.extraction._boilerplate import classify_line, find_content


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("By Jane Smith and Tom Lee, Reuters", "byline"),
        ("BY JANE SMITH", "byline"),
        ("Laura Mendes, Senior Reporter", "byline"),
        ("Updated 2 hours ago", "timestamp"),
        ("Published 10:32 AM EST, Tue March 5, 2024", "timestamp"),
        ("18 March 2025", "timestamp"),
        ("Donald Trump speaks in Ohio on Tuesday. (AP Photo/Evan Vucci)", "photo credit"),
        ("Image: An artist's impression of the planet. (NASA)", "call to action"),
        ("Turbines at dawn. (Photo: C. Bennett/Shutterstock)", "photo credit"),
        ("1.2k shares", "counter"),
        ("412 comments", "counter"),
        ("Facebook Twitter WhatsApp Email", "counter"),
        ("We use cookies to improve your experience. Accept all", "cookie banner"),
        ("Home | News | World | Politics | Business", "navigation"),
        ("Read more: What a shutdown would mean for federal workers", "call to action"),
        ("Related stories", "call to action"),
        ("Share this article", "call to action"),
        ("Sign up for our health newsletter", "call to action"),
        ("Follow us on Instagram", "call to action"),
        ("ADVERTISEMENT", "call to action"),
        ("Click here to subscribe.", "call to action"),
        ("Últimas noticias", "foreign footer"),
        ("Lire aussi : la réforme des retraites", "foreign footer"),
        ("Trump discusses with Putin forming cyber security unit", "headline"),
    ],
)
def test_furniture_is_recognised(line: str, kind: str) -> None:
    assert classify_line(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "Putin and Trump met for more than two hours Friday on the sidelines of the G20 summit.",
        "Registered voters rose by 3% in 2020.",
        "Copyright infringement lawsuits rose 20% in 2023.",
        "Share prices fell 4% on Monday after the announcement.",
        "Trending upward for a decade, rents rose again in 2024, the agency said.",
        '"He [Trump] asked many questions on that subject".',
        "Is this the end of fossil fuels in Britain?",
        "Posted in 2019, the video was viewed 3 million times.",
        "Promoted to captain in 2019, Smith scored 20 goals.",
        "Follow the money, investigators said in 2019.",
        "Subscribers to the service rose 10% last year.",
    ],
)
def test_prose_is_kept(line: str) -> None:
    assert classify_line(line) is None


def test_title_case_headlines_are_dropped() -> None:
    # A title-case line reads like a navigation row too; dropped either way.
    assert classify_line("Wind Power Overtakes Gas In Britain For First Time") is not None
    assert classify_line("Senate Passes Stopgap Budget") is not None


def _blocks(text: str) -> list[str]:
    return [text[b.start : b.end] for b in find_content(text).blocks]


def test_a_glued_more_is_cut_and_the_headline_left_is_dropped() -> None:
    text = "Trump's plan to work with Putin on cybersecurity makes no senseMore\nHe met Putin."
    report = find_content(text)
    assert _blocks(text) == ["He met Putin."]
    assert report.dropped_lines == 1


def test_a_glued_more_is_cut_from_a_prose_line() -> None:
    assert _blocks("The bill passed on Friday by 68 votes to 31.More") == [
        "The bill passed on Friday by 68 votes to 31."
    ]


def test_a_dateline_prefix_is_trimmed_not_the_line() -> None:
    text = "WASHINGTON (Reuters) - The Senate voted 68-31 late Thursday.\nLONDON — Wind won."
    assert _blocks(text) == ["The Senate voted 68-31 late Thursday.", "Wind won."]


def test_blank_lines_are_not_counted_as_dropped() -> None:
    report = find_content("\n\n  \nThe Senate voted 68-31 late Thursday.\n\n")
    assert report.dropped_lines == 0
    assert len(report.blocks) == 1


def test_hard_wrapped_lines_are_joined_back_into_paragraphs() -> None:
    text = (
        "Coal, which provided 40% of Britain's power as recently as 2012, fell\n"
        "to zero after the last coal plant, Ratcliffe-on-Soar, closed on Sept.\n"
        "30. RIA Novosti news agency quoted Konstantin Kosachev, chairman of the\n"
        "committee, as saying so.\n"
        "\n"
        "Read more: Why your energy bill is still so high"
    )
    blocks = _blocks(text)
    assert len(blocks) == 1
    assert blocks[0].startswith("Coal,")
    assert blocks[0].endswith("as saying so.")


def test_a_lower_case_continuation_is_joined_even_when_not_wrapped() -> None:
    assert _blocks("Putin and Trump met for more than\ntwo hours on Friday.") == [
        "Putin and Trump met for more than\ntwo hours on Friday."
    ]


def test_a_headline_is_not_joined_to_the_paragraph_under_it() -> None:
    text = "Wind power overtakes gas in Britain\nWind farms generated 30% of the power."
    assert _blocks(text) == ["Wind farms generated 30% of the power."]


def test_list_bullets_are_trimmed() -> None:
    text = (
        "• Police said 350 homes were evacuated.\n- Trains were cancelled on Monday.\n2) It rained."
    )
    assert _blocks(text) == [
        "Police said 350 homes were evacuated.",
        "Trains were cancelled on Monday.",
        "It rained.",
    ]


def test_a_line_starting_with_a_number_is_not_glued_to_furniture_above() -> None:
    text = "Published 8 January 2025\n12 people died in the fire on Monday, police said."
    assert _blocks(text) == ["12 people died in the fire on Monday, police said."]
