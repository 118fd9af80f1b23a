"""Building and rendering a digest: the JSON contract, Discord's limits, harmless text,
the chart."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PIL import Image

from bot.digest import chart, render
from bot.digest.build import LIST_CAP, build_digest, history_weeks
from bot.digest.periods import IsoWeek
from bot.digest.runner import digest_message
from bot.store.models import ClaimStatus
from bot.store.views import DigestClaimView, DigestFacts

GUILD = 42
PERIOD = IsoWeek(2026, 47)
BERLIN = ZoneInfo("Europe/Berlin")
AT = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def _claim(number: int, text: str = "Prices rose 5% in May.", **extra: object) -> DigestClaimView:
    values: dict[str, object] = {
        "number": number,
        "text": text,
        "status": ClaimStatus.PENDING,
        "score": 0.5 + number / 1000,
        "created_at": AT,
        "channel_id": 7,
        "message_id": 900 + number,
    }
    values.update(extra)
    return DigestClaimView(**values)  # type: ignore[arg-type]


def _facts(
    text: str = "Prices rose 5% in May.", *, verified: int = 2, history: int = 8
) -> DigestFacts:
    settled_item = {
        "moderator_name": "Ada",
        "evidence_url": "https://example.org/a(1)",
        "changed_at": AT,
    }
    return DigestFacts(
        articles_submitted=3,
        claims_submitted=12,
        settled={ClaimStatus.VERIFIED: verified, ClaimStatus.DISPUTED: 1},
        newly_verified=tuple(
            _claim(n, text, status=ClaimStatus.VERIFIED, **settled_item)
            for n in range(1, min(verified, LIST_CAP) + 1)
        ),
        newly_disputed=(_claim(9, text, status=ClaimStatus.DISPUTED, **settled_item),),
        pending_total=40,
        oldest_pending=tuple(_claim(n, text, channel_id=None) for n in range(20, 25)),
        top_pending=tuple(_claim(n, text) for n in range(30, 35)),
        history=tuple(
            {ClaimStatus.PENDING: week, ClaimStatus.VERIFIED: 1} for week in range(history)
        ),
    )


def test_the_json_has_the_contracted_fields() -> None:
    digest = build_digest(_facts(verified=7), guild_id=GUILD, period=PERIOD, zone=BERLIN)
    data = json.loads(json.dumps(digest.to_json()))
    assert data["period"] == "2026-W47"
    assert data["submitted"] == {"articles": 3, "claims": 12}
    assert data["settled"] == {"verified": 7, "disputed": 1, "inconclusive": 0, "dismissed": 0}
    assert [item["number"] for item in data["verified"]] == [1, 2, 3, 4, 5]
    assert data["verified_more"] == 2
    assert data["verified"][0]["moderator"] == "Ada"
    assert data["verified"][0]["evidence_url"] == "https://example.org/a(1)"
    assert data["verified"][0]["jump_url"] == f"https://discord.com/channels/{GUILD}/7/901"
    assert data["disputed"][0]["number"] == 9
    assert data["queue"]["pending"] == 40
    assert data["queue"]["oldest"][0]["jump_url"] is None  # submitted from the command line
    assert len(data["queue"]["top_scored"]) == 5
    assert [week["period"] for week in data["history"]][-1] == "2026-W47"
    assert data["history"][0]["period"] == "2026-W40"
    assert data["from"] == "2026-11-15T23:00:00+00:00"  # Monday 00:00 in Berlin


def test_history_weeks_end_with_the_period() -> None:
    assert history_weeks(IsoWeek(2026, 2), 3) == [
        IsoWeek(2025, 52),
        IsoWeek(2026, 1),
        IsoWeek(2026, 2),
    ]


def test_the_embed_lists_claims_with_links_and_and_n_more() -> None:
    digest = build_digest(_facts(verified=9), guild_id=GUILD, period=PERIOD, zone=BERLIN)
    embed = render.digest_embed(digest)
    assert embed["title"] == "Weekly digest · 2026-W47"
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    verified = fields["Newly verified"]
    assert verified.startswith(f"[#1](https://discord.com/channels/{GUILD}/7/901)")
    assert "by Ada" in verified
    assert "[evidence](https://example.org/a(1%29)" in verified
    assert verified.endswith("… and 4 more")
    assert "#20 · 0.52 ·" in fields["Oldest pending"]
    assert embed["image"]["url"] == "attachment://digest-2026-W47.png"


def test_huge_and_hostile_texts_stay_within_discords_limits_and_never_ping() -> None:
    text = "@everyone <@123> <@&456> **bold** [link](https://evil.example) " + "x" * 5000
    digest = build_digest(_facts(text, verified=50), guild_id=GUILD, period=PERIOD, zone=BERLIN)
    embed = render.digest_embed(digest)
    assert render.embed_size(embed) <= render.EMBED_TOTAL_LIMIT
    assert len(embed["fields"]) <= 25
    for field in embed["fields"]:
        assert len(field["value"]) <= render.FIELD_VALUE_LIMIT
        assert "@everyone" not in field["value"]
        assert "<@123>" not in field["value"]
        assert "[link](" not in field["value"]
    assert len(embed["description"]) <= render.DESCRIPTION_LIMIT


def test_a_quiet_week_is_one_line() -> None:
    empty = DigestFacts(0, 0, {}, (), (), 4, (), (), tuple({} for _ in range(8)))
    digest = build_digest(empty, guild_id=GUILD, period=PERIOD, zone=BERLIN, late=True)
    assert digest.quiet
    message = digest_message(digest, quiet_line=True)
    assert message is not None
    assert message.content == (
        "Weekly digest 2026-W47 (late): a quiet week, nothing submitted or settled. "
        "4 claim(s) wait for review."
    )
    assert message.embed is None
    assert digest_message(digest, quiet_line=False) is None


def test_the_text_form_reads_like_the_embed() -> None:
    digest = build_digest(_facts(verified=7), guild_id=GUILD, period=PERIOD, zone=BERLIN)
    text = render.digest_text(digest)
    assert text.startswith("Weekly digest · 2026-W47\nMon 16 Nov – Sun 22 Nov 2026 (Europe/Berlin)")
    assert "  … and 2 more" in text
    assert "2026-W40: 1 (verified 1)" in text


def test_the_chart_is_a_png_of_the_expected_size() -> None:
    digest = build_digest(_facts(), guild_id=GUILD, period=PERIOD, zone=BERLIN)
    png = chart.render_chart(digest.history)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    assert image.size == (chart.WIDTH, chart.HEIGHT)
    # The last week's bar is drawn: its verified colour is on the image.
    assert chart.STATUS_COLOURS[ClaimStatus.VERIFIED] in {
        c for _, c in image.getcolors(10_000) or []
    }
    assert len(png) < 50_000


def test_an_empty_history_still_draws() -> None:
    assert chart.render_chart([]).startswith(b"\x89PNG")
