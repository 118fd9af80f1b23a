"""The ClaimReview builder and the `claimbot export --format claimreview` command."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import InvalidInput
from bot.known.claimreview import (
    BEST_RATING,
    WORST_RATING,
    ReviewPublisher,
    check_publisher,
    claim_review,
    claimant_entity,
)
from bot.store import ClaimStatus, ClaimView
from bot.store.views import SettledClaimView

SUBMITTED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
SETTLED = datetime(2026, 11, 3, 14, 0, tzinfo=UTC)
PUBLISHER = ReviewPublisher(
    "Newsroom Checks", "https://checks.example", "https://checks.example/claims/{number}"
)


def settled(
    status: ClaimStatus = ClaimStatus.DISPUTED,
    *,
    source: str = "https://news.example/a",
    claimant: str | None = "Jane Doe",
) -> SettledClaimView:
    claim = ClaimView(
        guild_id=1, number=17, article_id=3, source=source,
        text="The budget grew by 12 percent in 2025.",
        sentence="The budget grew by 12 percent in 2025, Jane Doe said.",
        start=0, end=53, score=0.9, claimant=claimant, kind="statistic", status=status,
        times_submitted=1, created_at=SUBMITTED, updated_at=SETTLED,
        status_changed_by_id=None, status_changed_by_name="ann",
    )  # fmt: skip
    return SettledClaimView(
        claim=claim, settled_at=SETTLED, settled_by="ann", note="It grew 3 percent.",
        evidence_url="https://stats.example/budget",
    )  # fmt: skip


def test_a_review_has_every_required_property() -> None:
    review = claim_review(settled(), PUBLISHER)
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "The budget grew by 12 percent in 2025."
    assert review["datePublished"] == "2026-11-03T14:00:00+00:00"
    assert review["url"] == "https://checks.example/claims/17"
    assert review["author"] == {
        "@type": "Organization", "name": "Newsroom Checks", "url": "https://checks.example",
    }  # fmt: skip
    assert review["reviewRating"] == {
        "@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
        "alternateName": "Disputed",
    }  # fmt: skip
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Jane Doe"},
        "appearance": {"@type": "CreativeWork", "url": "https://news.example/a"},
        "datePublished": "2026-11-02T09:30:00+00:00",
    }
    assert review["reviewBody"] == "It grew 3 percent."
    assert review["citation"]["url"] == "https://stats.example/budget"
    json.dumps(review)  # plain JSON all the way down


@pytest.mark.parametrize(
    ("status", "value", "name"),
    [
        (ClaimStatus.DISPUTED, 1, "Disputed"),
        (ClaimStatus.INCONCLUSIVE, 3, "Inconclusive"),
        (ClaimStatus.VERIFIED, 5, "Verified"),
    ],
)
def test_the_rating_follows_the_documented_mapping(
    status: ClaimStatus, value: int, name: str
) -> None:
    rating = claim_review(settled(status), PUBLISHER)["reviewRating"]
    assert (rating["ratingValue"], rating["alternateName"]) == (value, name)
    assert WORST_RATING <= rating["ratingValue"] <= BEST_RATING


@pytest.mark.parametrize("status", [ClaimStatus.PENDING, ClaimStatus.DISMISSED])
def test_claims_without_a_verdict_are_not_reviews(status: ClaimStatus) -> None:
    with pytest.raises(ValueError, match="not a published verdict"):
        claim_review(settled(status), PUBLISHER)


def test_optional_parts_are_left_out_when_unknown() -> None:
    bare = replace(settled(source="paste", claimant=None), note=None, evidence_url=None)
    review = claim_review(bare, ReviewPublisher("Newsroom"))
    assert not {"url", "reviewBody", "citation"} & review.keys()
    assert review["author"] == {"@type": "Organization", "name": "Newsroom"}
    assert review["itemReviewed"] == {"@type": "Claim", "datePublished": SUBMITTED.isoformat()}


@pytest.mark.parametrize(
    ("name", "kind"),
    [("Jane Doe", "Person"), ("the mayor", "Person"), ("Ministry", "Organization"),
     ("the Interior Ministry", "Organization"), ("Acme Inc.", "Organization"),
     ("NASA", "Organization"), ("Bank of England", "Person")],
)  # fmt: skip
def test_claimants_are_people_unless_their_name_says_organisation(name: str, kind: str) -> None:
    # "Bank of England" is a known miss of the suffix rule (documented: names only).
    assert claimant_entity(name) == {"@type": kind, "name": name}


def test_the_publisher_is_checked() -> None:
    ok = check_publisher(" Newsroom  Checks ", "https://c.example", "https://c.example/{number}")
    assert ok.name == "Newsroom Checks"
    assert ok.review_url(5) == "https://c.example/5"
    for bad, message in [
        (("",), "must not be empty"),
        (("x" * 101,), "the limit is 100"),
        (("N", "ftp://c.example"), "http"),
        (("N", "https://c.example/a b"), "http"),
        (("N", None, "https://c.example/claims"), "{number}"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            check_publisher(*bad)  # type: ignore[arg-type]
    # The template is user text: other braces are not format fields.
    odd = check_publisher("N", None, "https://c.example/{x}/{number}")
    assert odd.review_url(2) == "https://c.example/{x}/2"


GUILD = "123456789012345678"


def test_the_command_line_exports_settled_claims(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    article = tmp_path / "article.txt"
    article.write_text(
        "The city budget grew by 12 percent in 2025, the mayor said. "
        "Unemployment fell to 3.9 percent in October, the statistics office reported. "
        "Crime rose by 8 percent last year according to police figures.",
        encoding="utf-8",
    )

    def run(*args: str) -> str:
        assert main(["--database-url", url, *args]) == 0
        return capsys.readouterr().out

    assert json.loads(run("export", "--guild", GUILD, "--format", "claimreview")) == []
    submitted = run("submit", str(article), "--guild", GUILD, "--format", "jsonl").splitlines()
    assert len(submitted) >= 2
    run("claims", "set-status", "1", "verified", "--guild", GUILD, "--by", "ann")
    run("claims", "set-status", "2", "dismissed", "--guild", GUILD, "--by", "ann")

    reviews = json.loads(run("export", "--guild", GUILD, "--format", "claimreview"))
    assert [r["claimReviewed"] for r in reviews] == [json.loads(submitted[0])["text"]]
    assert reviews[0]["reviewRating"]["alternateName"] == "Verified"
    assert reviews[0]["author"]["name"] == f"ClaimBot moderators of Discord server {GUILD}"
    assert "appearance" not in reviews[0]["itemReviewed"]  # a file, not a link
