"""schema.org ClaimReview JSON-LD for a guild's verdicts (pure: no I/O, no discord).

Which claims: verified, disputed and inconclusive ones. Dismissed claims are left out on
purpose: dismissing says "not a checkable claim here" (off-topic, an opinion, a duplicate),
not that the claim is true or false, and a ClaimReview would publish a rating we never gave.
Pending claims have no verdict yet.

The rating scale is the 1-5 one fact-checkers commonly use with ClaimReview (1 = false,
5 = true), and `alternateName` (the human-readable verdict) is the status itself:

    disputed     -> ratingValue 1, "Disputed"
    inconclusive -> ratingValue 3, "Inconclusive"
    verified     -> ratingValue 5, "Verified"

Dates: the review's `datePublished` is when the claim got its current status (the last
audit-trail change); the reviewed Claim's `datePublished` is when the guild first saw it (the
article's own publication date is not stored).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.errors import InvalidInput
from bot.store import ClaimStatus, GuildSettingsView
from bot.store.views import SettledClaimView

SCHEMA_CONTEXT = "https://schema.org"
WORST_RATING = 1
BEST_RATING = 5
RATING_VALUES = {
    ClaimStatus.DISPUTED: 1,
    ClaimStatus.INCONCLUSIVE: 3,
    ClaimStatus.VERIFIED: 5,
}
PUBLISHED_STATUSES = frozenset(RATING_VALUES)
NUMBER_PLACEHOLDER = "{number}"
MAX_PUBLISHER_NAME_CHARS = 100
MAX_URL_CHARS = 2000

# A claimant whose name ends in one of these words is an organisation, anyone else a person:
# the extractor only gives a name, and schema.org wants to know which of the two it is.
_ORGANISATION_WORDS = re.compile(
    r"\b(agency|association|authority|bank|board|bureau|commission|committee|company|"
    r"corp|corporation|council|court|department|government|group|inc|institute|ltd|"
    r"ministry|office|organi[sz]ation|party|police|service|union|university|who|un|"
    r"nasa|fbi|cdc|eu|imf|nato)\.?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ReviewPublisher:
    """Who publishes the reviews (the ClaimReview `author`) and where each review lives."""

    name: str
    url: str | None = None
    review_url_template: str | None = None  # contains "{number}"

    def review_url(self, number: int) -> str | None:
        if self.review_url_template is None:
            return None
        # A plain replace, not str.format: the template is user text.
        return self.review_url_template.replace(NUMBER_PLACEHOLDER, str(number))


def check_publisher(
    name: str, url: str | None = None, review_url_template: str | None = None
) -> ReviewPublisher:
    """A publisher from what a manager typed; InvalidInput explains what is wrong."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("The publisher name must not be empty.")
    if len(name) > MAX_PUBLISHER_NAME_CHARS:
        raise InvalidInput(
            f"The publisher name is {len(name)} characters; the limit is "
            f"{MAX_PUBLISHER_NAME_CHARS}."
        )
    url = _check_url(url, what="publisher URL")
    template = _check_url(review_url_template, what="review URL template")
    if template is not None and NUMBER_PLACEHOLDER not in template:
        raise InvalidInput(
            "The review URL template must contain {number}, e.g. "
            "https://example.org/claims/{number}."
        )
    return ReviewPublisher(name=name, url=url, review_url_template=template)


def publisher_for(settings: GuildSettingsView, default_name: str) -> ReviewPublisher:
    """The guild's configured publisher, or `default_name` (e.g. the server's name)."""
    return ReviewPublisher(
        name=settings.review_author_name or default_name,
        url=settings.review_author_url,
        review_url_template=settings.review_url_template,
    )


def claim_review(settled: SettledClaimView, publisher: ReviewPublisher) -> dict[str, Any]:
    """One ClaimReview object (with its own @context, so each stands alone)."""
    claim = settled.claim
    if claim.status not in PUBLISHED_STATUSES:
        raise ValueError(f"claim #{claim.number} is {claim.status}: not a published verdict")
    review: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "claimReviewed": claim.text,
        "datePublished": settled.settled_at.isoformat(),
        "author": _organisation(publisher.name, publisher.url),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUES[claim.status],
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": claim.status.value.capitalize(),
        },
        "itemReviewed": _reviewed_claim(settled),
    }
    url = publisher.review_url(claim.number)
    if url is not None:
        review["url"] = url
    if settled.note:
        review["reviewBody"] = settled.note
    if settled.evidence_url:
        review["citation"] = {"@type": "CreativeWork", "url": settled.evidence_url}
    return review


def claimant_entity(name: str) -> dict[str, str]:
    kind = "Organization" if _ORGANISATION_WORDS.search(name.strip()) else "Person"
    return {"@type": kind, "name": name}


def _reviewed_claim(settled: SettledClaimView) -> dict[str, Any]:
    claim = settled.claim
    item: dict[str, Any] = {"@type": "Claim", "datePublished": claim.created_at.isoformat()}
    if claim.claimant:
        item["author"] = claimant_entity(claim.claimant)
    if _is_web_link(claim.source):  # "paste" and "file" articles have no public address
        item["appearance"] = {"@type": "CreativeWork", "url": claim.source}
    return item


def _organisation(name: str, url: str | None) -> dict[str, str]:
    entity = {"@type": "Organization", "name": name}
    if url is not None:
        entity["url"] = url
    return entity


def _is_web_link(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _check_url(url: str | None, *, what: str) -> str | None:
    if url is None or not url.strip():
        return None
    url = url.strip()
    if not _is_web_link(url) or any(char.isspace() for char in url):
        raise InvalidInput(f"The {what} must be an http(s) link, not {url[:80]!r}.")
    if len(url) > MAX_URL_CHARS:
        raise InvalidInput(f"The {what} is longer than {MAX_URL_CHARS} characters.")
    return url
