"""The digest's chart: claims submitted per week over the last weeks, stacked by their
current status, as a small PNG drawn headless with Pillow (no display, no fonts to install).

Pillow is imported when a chart is drawn, not when the bot starts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.digest.build import WeekCounts
from bot.store.models import ClaimStatus

WIDTH, HEIGHT = 640, 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 130, 28, 30
BACKGROUND = (255, 255, 255)
INK = (40, 40, 40)
GRID = (225, 225, 225)
STATUS_COLOURS = {
    ClaimStatus.PENDING: (160, 160, 160),
    ClaimStatus.VERIFIED: (46, 160, 67),
    ClaimStatus.DISPUTED: (207, 34, 46),
    ClaimStatus.INCONCLUSIVE: (219, 171, 9),
    ClaimStatus.DISMISSED: (110, 84, 148),
}


def render_chart(
    history: Sequence[WeekCounts], *, title: str = "Claims submitted per week, by current status"
) -> bytes:
    """A PNG of `history` (oldest week first): one stacked bar per week."""
    from PIL import Image, ImageDraw  # a heavy import: only when drawing

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN_LEFT, 8), title, fill=INK)
    plot_bottom = HEIGHT - MARGIN_BOTTOM
    plot_height = plot_bottom - MARGIN_TOP
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    top = _nice_ceiling(max((week.total for week in history), default=0))

    for step in range(5):  # horizontal grid lines with their values
        value = top * step // 4
        y = plot_bottom - plot_height * step // 4
        draw.line((MARGIN_LEFT, y, MARGIN_LEFT + plot_width, y), fill=GRID)
        draw.text((4, y - 6), f"{value:>6}", fill=INK)

    slot = plot_width / max(len(history), 1)
    bar_width = max(4, int(slot * 0.6))
    for index, week in enumerate(history):
        left = int(MARGIN_LEFT + index * slot + (slot - bar_width) / 2)
        stack_top = float(plot_bottom)
        for status in ClaimStatus:
            count = week.counts.get(status, 0)
            if not count:
                continue
            height = plot_height * count / top
            draw.rectangle(
                (left, round(stack_top - height), left + bar_width, round(stack_top)),
                fill=STATUS_COLOURS[status],
            )
            stack_top -= height
        draw.text((left, plot_bottom + 6), f"W{week.period.week:02d}", fill=INK)

    legend_x = WIDTH - MARGIN_RIGHT + 16
    for row, status in enumerate(ClaimStatus):
        y = MARGIN_TOP + row * 18
        draw.rectangle((legend_x, y, legend_x + 10, y + 10), fill=STATUS_COLOURS[status])
        draw.text((legend_x + 16, y - 1), status.value, fill=INK)

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _nice_ceiling(value: int) -> int:
    """The axis maximum: a multiple of 4 (so the grid values are whole) at least `value`."""
    if value <= 4:
        return 4
    magnitude = int(10 ** (len(str(value)) - 1))
    for factor in (1, 2, 4, 5, 8, 10):
        ceiling = factor * magnitude
        if ceiling >= value and ceiling % 4 == 0:
            return ceiling
    return -(-value // 4) * 4
