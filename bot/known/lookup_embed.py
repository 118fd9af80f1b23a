"""The `/claims lookup` answer as an embed dict (pure: the cog wraps it in discord.Embed).

Everything shown comes from outside (the claim, the publishers' texts), so all of it is made
harmless and cut to Discord's limits; links are only ever real http(s) URLs from the API.
"""

from __future__ import annotations

from typing import Any

from bot import claim_format as fmt
from bot.known.factcheck import PublishedReview

SHOWN_REVIEWS = 5
CLAIM_CHARS = 600
RATING_CHARS = 80
TITLE_CHARS = 150  # with the rating (80) and link (500): within a field even escaped
COLOUR = 0x3B82F6
MAX_LINK_CHARS = 500
ATTRIBUTION = "Published reviews from the Google Fact Check Tools API"


def lookup_embed(number: int, claim_text: str, reviews: list[PublishedReview]) -> dict[str, Any]:
    shown = reviews[:SHOWN_REVIEWS]
    description = fmt.harmless(fmt.truncate(" ".join(claim_text.split()), CLAIM_CHARS))
    if not shown:
        description += "\n\nNo published fact-check found for this claim."
    title = f"Published fact-checks for #{number}"
    fields = [_field(review) for review in shown]
    # Drop the last reviews rather than exceed Discord's 6000 characters per embed.
    while (
        fields
        and fmt.embed_size(
            title,
            description,
            [(f["name"], f["value"]) for f in fields],
            _footer(len(fields), len(reviews)),
        )
        > fmt.EMBED_TOTAL_LIMIT
    ):
        fields.pop()
    return {
        "title": title,
        "description": fmt.truncate(description, fmt.EMBED_DESCRIPTION_LIMIT),
        "color": COLOUR,
        "fields": fields,
        "footer": {"text": _footer(len(fields), len(reviews))},
    }


def _field(review: PublishedReview) -> dict[str, Any]:
    parts = [f"**{fmt.harmless(fmt.truncate(review.rating, RATING_CHARS))}**"]
    if review.reviewed_at is not None:
        parts.append(f"{review.reviewed_at:%Y-%m-%d}")
    title = fmt.harmless(fmt.truncate(review.title or "the review", TITLE_CHARS))
    # Inside a masked link the URL must not contain ")" or spaces (it would end the link).
    # A long URL is left out: cut by the field limit, it would break the link markdown.
    if (
        review.url is not None
        and len(review.url) <= MAX_LINK_CHARS
        and not any(c in review.url for c in " ()<>")
    ):
        parts.append(f"[{title}]({review.url})")
    elif review.title:
        parts.append(title)
    if review.claim_text:
        reviewed = fmt.harmless(fmt.truncate(review.claim_text, 300))
        parts.append(f"\nReviewed claim: {reviewed}")
    value = fmt.truncate(" · ".join(parts), fmt.EMBED_FIELD_VALUE_LIMIT)
    name = fmt.truncate(fmt.harmless(review.publisher), fmt.EMBED_FIELD_NAME_LIMIT)
    return {"name": name, "value": value, "inline": False}


def _footer(shown: int, found: int) -> str:
    if found > shown:
        return f"{ATTRIBUTION} · top {shown} of {found}"
    return ATTRIBUTION
