"""Pure formatting: truncation, harmless mentions, claim lines, pages and summaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot import claim_format as fmt
from bot.store import ClaimStatus, ClaimView

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CLAIM = ClaimView(
    guild_id=1,
    number=12,
    article_id=3,
    source="paste",
    text="Inflation rose to 3.5% in March.",
    sentence="Inflation rose to 3.5% in March.",
    start=0,
    end=32,
    score=0.912,
    claimant=None,
    kind="statistic",
    status=ClaimStatus.PENDING,
    times_submitted=1,
    created_at=NOW,
    updated_at=NOW,
    status_changed_by_id=None,
    status_changed_by_name=None,
)


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_truncate_respects_the_limit(text: str, limit: int) -> None:
    cut = fmt.truncate(text, limit)
    assert len(cut) <= limit
    if len(text) <= limit:
        assert cut == text
    else:
        assert cut.endswith(fmt.ELLIPSIS)


@given(st.text())
def test_harmless_text_has_no_mentions(text: str) -> None:
    shown = fmt.harmless(text)
    for mention in ("@everyone", "@here", "<@"):
        assert mention not in shown


def test_harmless_examples() -> None:
    assert fmt.harmless("@everyone look") == "@\u200beveryone look"
    assert fmt.harmless("<@&123> and <@45>") == "<@\u200b&123> and <@\u200b45>"
    assert fmt.harmless("**bold** [x](http://a)") == "\\*\\*bold\\*\\* \\[x\\](http://a)"


def test_claim_line() -> None:
    assert fmt.claim_line(CLAIM) == "#12 · 0.91 · Inflation rose to 3.5% in March."
    verified = replace(CLAIM, status=ClaimStatus.VERIFIED)
    assert fmt.claim_line(verified).endswith("— ✅ verified")
    assert fmt.claim_line(verified, repeat=True).endswith("— already #12, ✅ verified")
    long = replace(CLAIM, text="word " * 500)
    assert len(fmt.claim_line(long)) < fmt.CLAIM_TEXT_CHARS + 20
    assert fmt.ELLIPSIS in fmt.claim_line(long)


def test_rerender_lines_only_touches_the_claims_given() -> None:
    other = replace(CLAIM, number=13, text="Other.")
    description = "\n".join(
        ["7 claims from 9 sentences", fmt.claim_line(CLAIM), fmt.claim_line(other, repeat=True)]
    )
    assert fmt.listed_numbers(description) == [12, 13]
    disputed = replace(CLAIM, status=ClaimStatus.DISPUTED)
    updated = fmt.rerender_lines(description, {12: disputed})
    assert updated is not None
    lines = updated.split("\n")
    assert lines[0] == "7 claims from 9 sentences"
    assert lines[1].endswith("❌ disputed")
    assert lines[2] == fmt.claim_line(other, repeat=True)
    # A repeat keeps saying so after its status changed.
    dismissed = replace(other, status=ClaimStatus.DISMISSED)
    assert str(fmt.rerender_lines(description, {13: dismissed})).endswith("#13, 🗑️ dismissed")
    assert fmt.rerender_lines("no claims here", {12: disputed}) is None
    # #1 must not match #12's line.
    assert fmt.rerender_lines(description, {1: replace(CLAIM, number=1)}) is None


def test_paginate_limits_lines_and_characters() -> None:
    pages = fmt.paginate([f"line {n}" for n in range(25)], per_page=10, header="head")
    assert len(pages) == 3
    assert pages[0].startswith("head\nline 0")
    assert pages[2].split("\n") == [f"line {n}" for n in range(20, 25)]
    big = fmt.paginate(["x" * 3000] * 3, per_page=10)
    assert len(big) == 3
    assert all(len(page) <= fmt.EMBED_DESCRIPTION_LIMIT for page in big)
    assert fmt.paginate([]) == [""]


def test_summary_and_no_claims_message() -> None:
    assert fmt.summary(7, 23) == "7 claims from 23 sentences"
    assert fmt.summary(1, 1, repeats=1) == "1 claim from 1 sentence (1 already submitted before)"
    message = fmt.no_claims_message(12, 0.39, ["2 repeated sentences merged"])
    assert "12 sentences" in message
    assert "0.39" in message
    assert "repeated" in message


def test_choice_name_fits_discord() -> None:
    assert fmt.choice_name(replace(CLAIM, text="a " * 200)).startswith("#12 · a a")
    assert len(fmt.choice_name(replace(CLAIM, text="a " * 200))) == fmt.CHOICE_NAME_LIMIT


def test_start_of_week_is_monday_midnight_in_the_guilds_zone() -> None:
    from cogs.claims import start_of_week

    thursday = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert start_of_week(thursday) == datetime(2026, 11, 23, tzinfo=UTC)
    # Monday 00:00 in Berlin (UTC+1 in November) is Sunday 23:00 UTC.
    assert start_of_week(thursday, "Europe/Berlin") == datetime(2026, 11, 22, 23, tzinfo=UTC)
