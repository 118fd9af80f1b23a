"""The whole pipeline: the seed article, bad input, repeats, other languages, speed, purity."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.errors import InvalidInput
from bot.extraction import Extractor, extract_claims
from bot.extraction.pipeline import text_for_model
from tests.extraction.labelled_articles import ARTICLES_DIR, long_article
from tests.extraction.stand_in import FixedScorer, KeywordScorer

SEED = (ARTICLES_DIR / "seed-article.txt").read_text(encoding="utf-8")
PACKAGE_DIR = Path(__file__).parents[2] / "bot" / "extraction"


@pytest.fixture(scope="module")
def seed_claims() -> list[str]:
    return [candidate.sentence for candidate in Extractor().extract(SEED).candidates]


@pytest.mark.parametrize(
    "beginning",
    [
        "Putin and Trump met for more than two hours Friday on the sidelines of the G20 summit",
        "In his early Sunday morning tweets, Trump said that Putin",
        "Moscow's stance on Syria and Ukraine has never been",
        "Yet Putin said Saturday that Trump seemed",
        "But at a press conference on Sunday, Tillerson said",
        "McCain was the Republican candidate for president in 2008.",
        "According to Russian officials, Trump believed Putin",
        'Trump tweeted that the deal "will save lives".',
    ],
)
def test_seed_article_yields_its_factual_sentences(seed_claims: list[str], beginning: str) -> None:
    assert any(claim.startswith(beginning) for claim in seed_claims), seed_claims


@pytest.mark.parametrize("fragment", ["makes no sense", "What exactly", "Últimas noticias"])
def test_seed_article_yields_none_of_the_junk(seed_claims: list[str], fragment: str) -> None:
    assert not any(fragment in claim for claim in seed_claims)


def test_seed_article_yields_no_duplicate(seed_claims: list[str]) -> None:
    assert len(seed_claims) == len(set(seed_claims))


def test_candidates_carry_provenance_and_the_result_its_threshold() -> None:
    result = Extractor(0.0, scorer=FixedScorer(0.7)).extract(SEED)
    assert result.threshold == 0.0
    assert result.sentences_read == 18  # prose sentences, headlines and footer excluded
    for candidate in result.candidates:
        assert SEED[candidate.start : candidate.end] == candidate.sentence
        assert candidate.score == 0.7
    texts = {candidate.text for candidate in result.candidates}
    assert (
        'Putin said Saturday that Trump seemed "satisfied" with the Russian president\'s '
        "answers to questions about the meddling, and the meeting was celebrated in Russian "
        "media outlets." in texts
    )


def test_threshold_keeps_scores_at_or_above_it() -> None:
    text = "The Senate voted 68-31 on Thursday. The House will vote on Friday morning."
    assert len(Extractor(0.5, scorer=FixedScorer(0.5)).extract(text).candidates) == 2
    assert Extractor(0.51, scorer=FixedScorer(0.5)).extract(text).candidates == []
    per_call = Extractor(0.9, scorer=FixedScorer(0.5)).extract(text, threshold=0.2)
    assert len(per_call.candidates) == 2
    assert per_call.threshold == 0.2


def test_default_threshold_comes_from_the_scorer() -> None:
    assert Extractor(scorer=FixedScorer()).threshold == 0.5


def test_repeated_sentences_yield_one_claim_and_are_scored_once() -> None:
    scorer = FixedScorer()
    line = "Wind farms generated 30% of Britain's electricity in 2024."
    text = f"{line}\n\nOther news.\n\n{line}\n{line.upper()}"
    result = Extractor(0.0, scorer=scorer).extract(text)
    assert [c.sentence for c in result.candidates] == [line]
    assert result.candidates[0].start == 0
    assert scorer.calls == [[line]]
    assert "2 repeated sentences merged" in result.notes


def test_prefiltered_sentences_never_reach_the_model() -> None:
    scorer = FixedScorer()
    Extractor(0.0, scorer=scorer).extract("Is it true? It rose 5% in 2024. Yes. Who knows?")
    assert scorer.calls == [["It rose 5% in 2024."]]


def test_offsets_point_into_the_original_despite_normalisation() -> None:
    text = (
        "Tom&nbsp;&amp; Jerry\u200b won 3\u00a0awards in 2020.\r\n\r\n"
        "LONDON \u2014 Cafe\u0301 sales rose 5%."
    )
    result = Extractor(0.0, scorer=FixedScorer()).extract(text)
    assert [c.sentence for c in result.candidates] == [
        "Tom&nbsp;&amp; Jerry\u200b won 3\u00a0awards in 2020.",
        "Cafe\u0301 sales rose 5%.",
    ]
    assert result.candidates[0].text == "Tom & Jerry won 3 awards in 2020."
    assert result.candidates[1].text == "Café sales rose 5%."
    for candidate in result.candidates:
        assert text[candidate.start : candidate.end] == candidate.sentence


@pytest.mark.parametrize("text", ["", "   \n\t  ", "\u200b\u200b\ufeff"])
def test_empty_input_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        Extractor(scorer=FixedScorer()).extract(text)


@pytest.mark.parametrize(
    "text",
    [
        "PK\x03\x04\x14\x00\x00\x00\x08\x00" + "abc" * 10,
        "The Senate voted.\x00 It passed.",
        "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r") * 20 + "some text",
    ],
)
def test_binary_garbage_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="binary"):
        Extractor(scorer=FixedScorer()).extract(text)


def test_a_5mb_paste_is_refused_fast() -> None:
    text = "The Senate voted 68-31 on Thursday. " * 140_000  # about 5 MB
    scorer = FixedScorer()
    started = time.process_time()
    with pytest.raises(InvalidInput, match="too long"):
        Extractor(scorer=scorer).extract(text)
    assert time.process_time() - started < 0.05
    assert scorer.calls == []


def test_the_size_limit_is_a_parameter() -> None:
    with pytest.raises(InvalidInput, match="limit is 10"):
        Extractor(scorer=FixedScorer(), max_chars=10).extract("The Senate voted on it.")


def test_another_language_gives_no_claims_and_says_why() -> None:
    spanish = (
        "El Gobierno aprobó el martes un aumento del 5% en las pensiones.\n\n"
        "La medida beneficiará a más de nueve millones de jubilados, según el ministerio.\n\n"
        "La inflación se situó en el 3,1% en febrero, informó el Instituto Nacional de "
        "Estadística.\n\nÚltimas noticias"
    )
    result = Extractor(0.0, scorer=FixedScorer()).extract(spanish)
    assert result.candidates == []
    assert result.sentences_read == 3
    assert any("English" in note for note in result.notes)


def test_one_giant_line_without_punctuation_is_bounded() -> None:
    text = "and then the committee said that " * 6_000  # 200k characters, one "sentence"
    scorer = FixedScorer()
    started = time.process_time()
    result = Extractor(0.0, scorer=scorer).extract(text)
    assert time.process_time() - started < 1.0
    assert result.candidates == []  # 1,000-character chunks are too long to be claims
    assert result.sentences_read >= 190


def test_extract_claims_uses_the_default_model() -> None:
    result = extract_claims("Putin and Trump met for more than two hours on Friday in Hamburg.")
    assert result.sentences_read == 1
    assert 0.0 <= result.threshold <= 1.0


@pytest.fixture
def one_core() -> Iterator[None]:
    """Run the test pinned to one CPU core (where the OS allows it)."""
    if not hasattr(os, "sched_setaffinity"):
        yield
        return
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, cores)


@pytest.mark.usefixtures("one_core")
def test_a_5000_word_article_takes_under_a_second_on_one_core() -> None:
    extractor = Extractor()
    article = long_article(5_000)
    extractor.extract(article[:2_000])  # warm up: first-call allocations are not the point
    # CPU time of this process, pinned to one core: what the extraction itself costs, not
    # how busy the shared machine is (wall time is in benchmarks/extraction_bench.py).
    started = time.process_time()
    result = extractor.extract(article)
    elapsed = time.process_time() - started
    assert result.sentences_read > 200
    assert elapsed < 1.0, f"{elapsed:.2f} CPU s for {result.sentences_read} sentences"


def test_the_keyword_stand_in_scores_like_a_model() -> None:
    scores = KeywordScorer().score(["It rose 5% in 2024, officials said.", "Nice day."])
    assert scores[0] > scores[1]
    assert all(0.0 <= score <= 1.0 for score in scores)


FORBIDDEN = ("discord", "sqlalchemy", "sqlmodel", "httpx", "aiosqlite", "asyncpg", "alembic")


def test_extraction_source_imports_nothing_impure() -> None:
    for path in PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_importing_and_running_extraction_loads_nothing_impure() -> None:
    code = (
        "import sys\n"
        "from bot.extraction import Extractor\n"
        "Extractor().extract('The Senate voted 68-31 on Thursday.')\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    root = Path(__file__).parents[2]
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "[]"


@pytest.mark.parametrize("width", [60, 72, 90])
def test_a_hard_wrapped_paste_yields_the_same_claims(width: int) -> None:
    paragraphs = SEED.split("\n\n")
    wrapped = "\n\n".join(textwrap.fill(paragraph, width) for paragraph in paragraphs)
    extractor = Extractor(0.0, scorer=FixedScorer())
    expected = [candidate.text for candidate in extractor.extract(SEED).candidates]
    result = extractor.extract(wrapped)
    assert [candidate.text for candidate in result.candidates] == expected
    for candidate in result.candidates:
        assert wrapped[candidate.start : candidate.end] == candidate.sentence


@pytest.mark.parametrize(
    "text",
    [
        "By A" + "-A" * 99_000 + " x",  # byline pattern: hyphens inside and between names
        "facebook" + (" " * 10 + "twitter") * 11_000 + " x",  # share-row pattern
        "(AP " + "photo " * 33_000,  # photo-credit pattern
        "a" + "." * 199_000 + " b",  # a run of sentence-ending punctuation
        "a\n" * 99_000,  # very many short lines
        "Abc Def, who " + "1,2" * 60_000 + " said it.",  # numbers and attribution
        "e" + "\u0301" * 199_000,  # combining marks to compose
    ],
    ids=["byline", "share-row", "photo", "dots", "lines", "numbers", "combining"],
)
def test_pathological_input_costs_bounded_time(text: str) -> None:
    started = time.process_time()
    Extractor(0.0, scorer=FixedScorer()).extract(text)
    assert time.process_time() - started < 2.0


@pytest.mark.parametrize(
    ("sentence", "seen_by_model"),
    [
        (
            'Trump tweeted that the deal "will save lives".',
            'Trump said that the deal "will save lives".',
        ),
        ("Yet Putin\nsaid so in a post.", "Putin said so in a post."),
        (
            "The mayor said in a statement that 12 people died.",
            "The mayor said that 12 people died.",
        ),
        # A whole quote then its attribution: the model reads what was said.
        (
            '"Households are not out of the woods yet," said Sarah Coleman.',
            "Households are not out of the woods yet.",
        ),
        ('"We recovered £900,000," police said.', "We recovered £900,000."),
        ('"Problem is with Putin", he added.', "Problem is with Putin."),
        # Not a whole quote: left as it is.
        ('"It rose," he said, "and then it fell."', '"It rose," he said, "and then it fell."'),
        ('Judge Wells said it was "a betrayal".', 'Judge Wells said it was "a betrayal".'),
    ],
)
def test_the_model_reads_the_display_text_with_familiar_attribution(
    sentence: str, seen_by_model: str
) -> None:
    assert text_for_model(sentence) == seen_by_model
