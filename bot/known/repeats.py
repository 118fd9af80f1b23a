"""Repeats: is a newly submitted claim one the guild has seen before, maybe reworded?

Two steps, so that it stays fast at a million claims: the store's full-text index returns the
newest earlier claims sharing at least two salient words (`ClaimStore.repeat_candidates`),
then `bot.known.matching` compares each with the new claim. The best match is recorded on the
new claim: `exact` links it (near-certain), `likely` is a suggestion a moderator confirms
(the earlier claim's verdict is then shared) or rejects.

A repeat of a repeat points at the first claim of the chain, so every repeat of a claim
links to the same number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.errors import InvalidInput
from bot.known.matching import ClaimFeatures, Comparison, MatchKind, compare, features
from bot.known.matching import salient_words as _salient_words
from bot.store import ClaimStatus, ClaimStore, ClaimView

CANDIDATES = 50  # newest earlier claims sharing two looked-up words, compared one by one
# One rare word among common ones: its claims (fewer than COMMON_WORD_CLAIMS) are not ranked,
# so more of the newest are compared.
ANCHORED_CANDIDATES = 100
LOOKUP_WORDS = 6  # words the candidates are looked up by (any two of them)
# A word in this many claims or more is common ("percent", "said"): looking up by it would
# return the newest claims that merely share it, so rarer words are used when there are any.
COMMON_WORD_CLAIMS = 2000


@dataclass(frozen=True, slots=True)
class Repeat:
    claim: ClaimView  # the new claim, with its match recorded
    earlier: ClaimView
    kind: MatchKind
    comparison: Comparison


def salient_words(text: str) -> list[str]:
    return _salient_words(features(text))


async def find_repeat(store: ClaimStore, claim: ClaimView) -> tuple[ClaimView, Comparison] | None:
    """The earlier claim `claim` most likely repeats, with the comparison; None if none."""
    mine = features(claim.text)
    lookup = await lookup_words(store, claim.guild_id, _salient_words(mine, limit=12))
    if not lookup.words:
        return None
    candidates = await store.repeat_candidates(
        guild_id=claim.guild_id,
        words=lookup.words,
        before_number=claim.number,
        limit=ANCHORED_CANDIDATES if lookup.rare == 1 else CANDIDATES,
        # Ranking (bm25) first counts the claims holding each word: cheap only for rare ones.
        by_relevance=lookup.rare >= 2,
        anchored=lookup.rare == 1,
    )
    return best_match(mine, candidates)


@dataclass(frozen=True, slots=True)
class LookupWords:
    words: list[str]  # rarest first
    rare: int  # how many of them are rare (in fewer than COMMON_WORD_CLAIMS claims)


async def lookup_words(store: ClaimStore, guild_id: int, words: list[str]) -> LookupWords:
    """The rarest of `words`, at most LOOKUP_WORDS (ties keep the salient order: names
    first). Two or more rare words: only rare ones (candidates share two of them). One:
    it comes first, with common companions (candidates have it and one of them). None: the
    two least common (candidates have both; newest first, so an old claim may be missed)."""
    if not words:
        return LookupWords([], 0)
    counts = await store.word_counts(guild_id=guild_id, words=words, cap=COMMON_WORD_CLAIMS)
    order = [words[i] for i in sorted(range(len(words)), key=lambda i: (counts[words[i]], i))]
    rare = [word for word in order if counts[word] < COMMON_WORD_CLAIMS]
    if len(rare) >= 2 or len(words) == 1:
        return LookupWords(rare[:LOOKUP_WORDS], len(rare[:LOOKUP_WORDS]))
    if len(rare) == 1:
        return LookupWords(order[:LOOKUP_WORDS], 1)
    return LookupWords(order[:2], 0)


def best_match(
    mine: ClaimFeatures, candidates: Iterable[ClaimView]
) -> tuple[ClaimView, Comparison] | None:
    best: tuple[ClaimView, Comparison] | None = None
    for candidate in candidates:
        comparison = compare(mine, features(candidate.text))
        if comparison.kind is None:
            continue
        if best is None or _rank(comparison) > _rank(best[1]):
            best = (candidate, comparison)
    return best


async def record_repeat(store: ClaimStore, claim: ClaimView) -> Repeat | None:
    """Find and record what `claim` (just submitted) repeats."""
    found = await find_repeat(store, claim)
    if found is None:
        return None
    earlier, comparison = found
    assert comparison.kind is not None
    if earlier.match_kind == MatchKind.EXACT and earlier.match_number is not None:
        # Point at the first claim of the chain.
        earlier = await store.get_claim(guild_id=claim.guild_id, number=earlier.match_number)
    linked = await store.link_repeat(
        guild_id=claim.guild_id,
        number=claim.number,
        match_number=earlier.number,
        kind=comparison.kind.value,
    )
    return Repeat(claim=linked, earlier=earlier, kind=comparison.kind, comparison=comparison)


async def record_repeats(store: ClaimStore, claims: Iterable[ClaimView]) -> list[Repeat]:
    """`record_repeat` for each new claim of a submission, in order."""
    found = []
    for claim in claims:
        repeat = await record_repeat(store, claim)
        if repeat is not None:
            found.append(repeat)
    return found


async def confirm_repeat(
    store: ClaimStore, *, guild_id: int, number: int, moderator_id: int | None, moderator_name: str
) -> ClaimView:
    """A moderator agrees that suggested claim `number` repeats its match: the link becomes
    certain and, if the earlier claim has a verdict, the repeat gets it too (audited)."""
    claim = await store.get_claim(guild_id=guild_id, number=number)
    if claim.match_number is None or claim.match_kind != MatchKind.LIKELY:
        raise InvalidInput(f"#{number} has no suggested repeat to confirm.")
    earlier = await store.get_claim(guild_id=guild_id, number=claim.match_number)
    linked = await store.link_repeat(
        guild_id=guild_id, number=number, match_number=earlier.number, kind=MatchKind.EXACT.value
    )
    if earlier.status is ClaimStatus.PENDING or earlier.status == claim.status:
        return linked
    return await store.set_status(
        guild_id=guild_id,
        number=number,
        status=earlier.status,
        moderator_id=moderator_id,
        moderator_name=moderator_name,
        note=f"Same claim as #{earlier.number} (repeat confirmed).",
    )


async def reject_repeat(store: ClaimStore, *, guild_id: int, number: int) -> ClaimView:
    claim = await store.get_claim(guild_id=guild_id, number=number)
    if claim.match_kind != MatchKind.LIKELY:
        raise InvalidInput(f"#{number} has no suggested repeat to reject.")
    return await store.link_repeat(guild_id=guild_id, number=number, match_number=None, kind=None)


async def describe_repeat(store: ClaimStore, repeat: Repeat) -> str:
    """One line for the submission's answer (plain text; the caller makes user text
    harmless): what the earlier claim's verdict was, when, by whom, and its evidence."""
    earlier = repeat.earlier
    if repeat.kind is MatchKind.LIKELY:
        return (
            f"#{repeat.claim.number} may repeat #{earlier.number} ({earlier.status.value}): a "
            f"moderator can confirm with /claims repeat confirm {repeat.claim.number}."
        )
    if earlier.status is ClaimStatus.PENDING:
        return f"#{repeat.claim.number} repeats #{earlier.number}, still pending review."
    history = await store.claim_history(guild_id=earlier.guild_id, number=earlier.number)
    line = f"#{repeat.claim.number} repeats #{earlier.number}: already {earlier.status.value}"
    if history:
        settled = history[-1]
        line += f" on {settled.changed_at:%d %b %Y} by {settled.moderator_name}"
        if settled.evidence_url:
            line += f": {settled.evidence_url}"
    return line + "."


def _rank(comparison: Comparison) -> tuple[bool, float, float]:
    return (comparison.kind == MatchKind.EXACT, comparison.jaccard, comparison.containment)
