"""The extraction pipeline: pasted article in, check-worthy claim candidates out.

normalise -> drop boilerplate -> split sentences -> merge repeats -> cheap prefilter ->
score with the check-worthiness model -> keep those at or above the threshold -> candidates.
PURE: no discord, no database, no network (a structural test holds us to it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.errors import InvalidInput
from bot.extraction._boilerplate import find_content
from bot.extraction._candidates import classify_kind, display_text, find_claimant
from bot.extraction._normalise import NormalisedText, normalise
from bot.extraction._prefilter import rejection_reason
from bot.extraction._sentences import split_block
from bot.extraction.types import ClaimCandidate, ExtractionResult

DEFAULT_MAX_CHARS = 200_000
# Control characters (other than whitespace), lone surrogates, private-use characters and
# U+FFFD (what a failed decode leaves behind): a few are scraping noise, many mean binary data.
_NON_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd\ud800-\udfff\ue000-\uf8ff]")
_MAX_NON_TEXT_SHARE = 0.05
_DEDUPLICATION_KEY = re.compile(r"[\W_]+")
# The model learnt from debate transcripts, where claims are "said"; news attributes them to
# posts and tweets, verbs it has barely seen. The attribution verb does not change whether the
# claim is checkable, so the model reads the familiar one.
_NEWS_ATTRIBUTION = re.compile(
    r"\b(?:tweeted|posted|wrote on (?:X|Twitter|Facebook|Instagram|Truth Social)|"
    r"said in a (?:tweet|post|statement))\b"
)

# '"...," said Sarah Coleman, chief economist at the Resolution Foundation.': a whole quote,
# then a short attribution (no further quote) with a reporting verb.
_QUOTE_THEN_ATTRIBUTION = re.compile(
    r"^[\"“](?P<quote>[^\"“”]{3,})[\"”],?\s+"
    r"(?=[^\"“”]{0,160}$)[^\"“”]*?\b(?:said|says|added|told|tweeted|wrote|asked|insisted|"
    r"argued|warned|explained|noted)\b"
)


class SentenceScorer(Protocol):
    """What the pipeline needs of a check-worthiness model."""

    @property
    def default_threshold(self) -> float: ...

    def score(self, sentences: Sequence[str]) -> list[float]:
        """One score in [0, 1] per sentence, higher meaning more check-worthy."""
        ...


def default_scorer() -> SentenceScorer:
    """The packaged check-worthiness model, loaded once per process (on first use)."""
    # Imported here: scripts and tests that bring their own scorer never load numpy models.
    from bot.extraction.scoring import load_default_model

    return load_default_model()


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int  # span in the normalised text
    end: int
    text: str  # normalised
    whole: bool  # False for a piece of an over-long sentence


def text_for_model(sentence: str) -> str:
    """What the model scores: the display text, with attribution in the model's own words.

    A direct quote followed by its attribution ('"We cannot keep governing from cliff to
    cliff," Abernathy told reporters.') is scored on the quoted words alone: "X said" is what
    makes a debate-trained model rate any news quote as a claim, and it was 6 of the 8 false
    positives on the labelled articles. A factual quote still scores high on its own.
    """
    text = display_text(sentence)
    quoted = _QUOTE_THEN_ATTRIBUTION.match(text)
    if quoted:
        words = quoted.group("quote").strip().rstrip(",")
        return words if words[-1:] in ".!?" else f"{words}."
    return _NEWS_ATTRIBUTION.sub("said", text)


def _check_input(text: str, max_chars: int) -> None:
    # Size first: it is O(1), so a 5 MB paste is refused before any work is done.
    if len(text) > max_chars:
        raise InvalidInput(
            f"the article is too long ({len(text):,} characters; the limit is {max_chars:,})"
        )
    if not text.strip():
        raise InvalidInput("the article is empty")
    if "\x00" in text or len(_NON_TEXT.findall(text)) > _MAX_NON_TEXT_SHARE * len(text):
        raise InvalidInput("this looks like binary data, not the text of an article")


def _read_sentences(normalised: NormalisedText) -> tuple[list[_Sentence], int]:
    """The sentences of the prose blocks, and how many boilerplate lines were dropped."""
    content = find_content(normalised.text)
    sentences = [
        _Sentence(span.start, span.end, normalised.text[span.start : span.end], span.whole)
        for block in content.blocks
        for span in split_block(normalised.text, block.start, block.end)
    ]
    return sentences, content.dropped_lines


def _first_occurrences(sentences: list[_Sentence]) -> list[_Sentence]:
    """Scrapes repeat lines (a headline twice, a pull quote): one claim per sentence."""
    seen: set[str] = set()
    unique = []
    for sentence in sentences:
        key = _DEDUPLICATION_KEY.sub(" ", sentence.text).strip().casefold()
        if key not in seen:
            seen.add(key)
            unique.append(sentence)
    return unique


class Extractor:
    """Holds what extraction needs loaded once (the model) and extracts claims from text.

    Build one and reuse it: loading the model is the slow part. `extract` is CPU-bound; the
    bot calls it off the event loop.
    """

    def __init__(
        self,
        threshold: float | None = None,
        *,
        scorer: SentenceScorer | None = None,
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        self.scorer = scorer if scorer is not None else default_scorer()
        self.threshold = self.scorer.default_threshold if threshold is None else threshold
        self.max_chars = max_chars

    def extract(self, text: str, *, threshold: float | None = None) -> ExtractionResult:
        """The check-worthy sentences of `text`, with offsets into `text` itself."""
        keep_at = self.threshold if threshold is None else threshold
        _check_input(text, self.max_chars)
        normalised = normalise(text)
        if not normalised.text.strip():
            raise InvalidInput("the article is empty")
        sentences, dropped_lines = _read_sentences(normalised)
        unique = _first_occurrences(sentences)
        rejections = [
            rejection_reason(sentence.text) if sentence.whole else "piece of an over-long line"
            for sentence in unique
        ]
        to_score = [s for s, reason in zip(unique, rejections, strict=True) if reason is None]
        scores = self.scorer.score([text_for_model(s.text) for s in to_score]) if to_score else []

        clipped = (min(max(float(score), 0.0), 1.0) for score in scores)
        candidates = [
            _candidate(text, normalised, sentence, score)
            for sentence, score in zip(to_score, clipped, strict=True)
            if score >= keep_at
        ]
        notes = _notes(dropped_lines, len(sentences) - len(unique), rejections)
        return ExtractionResult(
            candidates=candidates, sentences_read=len(sentences), threshold=keep_at, notes=notes
        )


def _candidate(
    text: str, normalised: NormalisedText, sentence: _Sentence, score: float
) -> ClaimCandidate:
    start, end = normalised.original_span(sentence.start, sentence.end)
    claimant = find_claimant(sentence.text)
    return ClaimCandidate(
        text=display_text(sentence.text),
        sentence=text[start:end],
        start=start,
        end=end,
        score=score,
        claimant=claimant,
        kind=classify_kind(sentence.text, claimant),
    )


def _notes(dropped_lines: int, repeats: int, rejections: list[str | None]) -> list[str]:
    notes = []
    if dropped_lines:
        notes.append(f"{dropped_lines} non-article lines skipped (headlines, bylines, links...)")
    if repeats:
        notes.append(f"{repeats} repeated sentences merged")
    not_english = rejections.count("not English")
    if not_english and not_english >= len(rejections) / 2:
        notes.append("most of this text does not look like English; only English is supported")
    return notes


def extract_claims(text: str, *, threshold: float | None = None) -> ExtractionResult:
    """Extract with a default `Extractor` (the model is loaded once and cached)."""
    return Extractor(threshold).extract(text)
