"""The digest as Discord shows it (an embed, as JSON) and as the command line prints it.

Pure: returns plain data. Every embed stays within Discord's limits (title 256, description
4096, field value 1024, 25 fields, 6000 characters in all): long claim texts are cut with
an ellipsis, long lists end early. User text is shown harmlessly: "@everyone" and user or
role mentions cannot ping (a zero-width space follows each "@") and markdown is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from bot.digest.build import Digest, QueueItem, SettledItem
from bot.store.models import ClaimStatus

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
CLAIM_TEXT_CHARS = 140  # per listed claim: a digest is a summary, `/claims show` has the rest
ELLIPSIS = "…"
ZERO_WIDTH_SPACE = "\u200b"
_MARKDOWN = re.compile(r"([\\*_~`|>\[\]()])")
STATUS_ICONS = {
    ClaimStatus.PENDING: "⏳",
    ClaimStatus.VERIFIED: "✅",
    ClaimStatus.DISPUTED: "❌",
    ClaimStatus.INCONCLUSIVE: "❔",
    ClaimStatus.DISMISSED: "🗑️",
}


def chart_filename(digest: Digest) -> str:
    return f"digest-{digest.period.label}.png"


def harmless(text: str, limit: int = CLAIM_TEXT_CHARS) -> str:
    """One line of user text: whitespace collapsed, cut to `limit` with an ellipsis,
    markdown escaped, mentions defused."""
    text = truncate(" ".join(text.split()), limit)
    return _MARKDOWN.sub(r"\\\1", text).replace("@", "@" + ZERO_WIDTH_SPACE)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def title(digest: Digest) -> str:
    late = " (late)" if digest.late else ""
    return f"Weekly digest · {digest.period.label}{late}"


def period_line(digest: Digest) -> str:
    first = digest.period.monday()
    last = first + timedelta(days=6)
    return f"{first:%a %d %b} – {last:%a %d %b %Y} ({digest.timezone})"


def summary_lines(digest: Digest) -> list[str]:
    settled = " · ".join(
        f"{status.value} {count}" for status, count in digest.settled.items() if count
    )
    return [
        f"📰 Submitted: {digest.articles} article(s), {digest.claims} claim(s)",
        f"⚖️ Settled: {digest.settled_total} claim(s)" + (f" — {settled}" if settled else ""),
        f"⏳ Waiting for review: {digest.pending_total} claim(s)",
    ]


def quiet_line(digest: Digest) -> str:
    """The whole digest of a week in which nothing came in and nothing was settled."""
    late = " (late)" if digest.late else ""
    return (
        f"Weekly digest {digest.period.label}{late}: a quiet week, nothing submitted or "
        f"settled. {digest.pending_total} claim(s) wait for review."
    )


def digest_embed(digest: Digest, *, with_chart: bool = True) -> dict[str, Any]:
    """The digest as one embed (Discord JSON), the chart referenced as an attachment."""
    fields: list[dict[str, Any]] = []
    for name, items, more in (
        ("Newly verified", digest.verified, digest.verified_more),
        ("Newly disputed", digest.disputed, digest.disputed_more),
    ):
        if items:
            fields.append(_field(name, (_settled_line(item) for item in items), more))
    if digest.oldest_pending:
        fields.append(_field("Oldest pending", map(_queue_line, digest.oldest_pending), 0))
    if digest.top_pending:
        fields.append(_field("Highest-scored pending", map(_queue_line, digest.top_pending), 0))
    if digest.most_submitted:
        # Five fields of at most 1024 characters, with the rest, stay under the 6000 total.
        lines = map(_demand_line, digest.most_submitted)
        fields.append(_field("Most submitted pending", lines, 0))
    embed: dict[str, Any] = {
        "title": truncate(title(digest), TITLE_LIMIT),
        "description": truncate("\n".join(summary_lines(digest)), DESCRIPTION_LIMIT),
        "fields": fields,
        "footer": {"text": period_line(digest)},
    }
    if with_chart:
        embed["image"] = {"url": f"attachment://{chart_filename(digest)}"}
    assert embed_size(embed) <= EMBED_TOTAL_LIMIT  # guaranteed by the caps; checked in tests
    return embed


def embed_size(embed: dict[str, Any]) -> int:
    """What Discord counts towards the 6000-character limit."""
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += len(embed.get("footer", {}).get("text", ""))
    for field in embed.get("fields", []):
        size += len(field["name"]) + len(field["value"])
    return size


def digest_text(digest: Digest) -> str:
    """The digest as plain text (the command line)."""
    lines = [title(digest), period_line(digest), "", *summary_lines(digest)]
    for name, items, more in (
        ("Newly verified", digest.verified, digest.verified_more),
        ("Newly disputed", digest.disputed, digest.disputed_more),
    ):
        if items:
            lines += ["", f"{name}:"]
            for item in items:
                by = f" (by {item.moderator})" if item.moderator else ""
                evidence = f" evidence: {item.evidence_url}" if item.evidence_url else ""
                lines.append(
                    f"  #{item.number} {truncate(item.text, CLAIM_TEXT_CHARS)}{by}{evidence}"
                )
            if more:
                lines.append(f"  … and {more} more")
    for name, queue in (
        ("Oldest pending", digest.oldest_pending),
        ("Highest-scored pending", digest.top_pending),
    ):
        if queue:
            lines += ["", f"{name}:"]
            lines += [
                f"  #{item.number} · {item.score:.2f} · {truncate(item.text, CLAIM_TEXT_CHARS)}"
                for item in queue
            ]
    if digest.most_submitted:
        lines += ["", "Most submitted pending:"]
        lines += [
            f"  #{item.number} · {item.times_submitted}× · {truncate(item.text, CLAIM_TEXT_CHARS)}"
            for item in digest.most_submitted
        ]
    lines += ["", "Claims submitted per week, by current status:"]
    for week in digest.history:
        counts = ", ".join(f"{status.value} {n}" for status, n in week.counts.items() if n)
        lines.append(f"  {week.period.label}: {week.total}" + (f" ({counts})" if counts else ""))
    return "\n".join(lines)


def _number(number: int, url: str | None) -> str:
    return f"[#{number}]({url})" if url else f"#{number}"


def _settled_line(item: SettledItem) -> str:
    parts = [f"{_number(item.number, item.jump_url)} {harmless(item.text)}"]
    if item.moderator:
        parts.append(f"by {harmless(item.moderator, 60)}")
    if item.evidence_url:
        # The URL itself cannot hold markdown that breaks out: the store allows no spaces.
        parts.append(f"[evidence]({item.evidence_url.replace(')', '%29')})")
    return " — ".join(parts)


def _queue_line(item: QueueItem) -> str:
    return f"{_number(item.number, item.jump_url)} · {item.score:.2f} · {harmless(item.text)}"


def _demand_line(item: QueueItem) -> str:
    return (
        f"{_number(item.number, item.jump_url)} · {item.times_submitted}× · {harmless(item.text)}"
    )


def _field(name: str, lines: Iterable[str], more: int) -> dict[str, Any]:
    """Lines joined up to the field limit; what does not fit is counted as "more"."""
    kept: list[str] = []
    dropped = more
    size = 0
    all_lines = list(lines)
    for index, line in enumerate(all_lines):
        # Leave room for the "and N more" line, whatever N turns out to be.
        if size + len(line) + 1 > FIELD_VALUE_LIMIT - 40:
            dropped += len(all_lines) - index
            break
        kept.append(line)
        size += len(line) + 1
    if dropped:
        kept.append(f"… and {dropped} more")
    return {"name": name, "value": "\n".join(kept), "inline": False}
