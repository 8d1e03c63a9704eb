"""Small server-rendered SVG charts of 0–100 figures over time: no chart service, no script.

Every label is escaped; coordinates are numbers. The charts are decoration for the eye: each
comes with its numbers as text (a caption or a table) for screen readers and for print.
"""

import functools
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAXIMUM = 100


def _y(value: float, top: float, height: float) -> float:
    return round(top + height * (1 - min(max(value, 0), MAXIMUM) / MAXIMUM), 1)


@functools.cache
def _xs(count: int, left: float, width: float) -> tuple[float, ...]:
    # The same few spacings serve every chart of a page (a rollup draws 300 sparklines).
    if count == 1:
        return (round(left + width, 1),)
    return tuple(round(left + width * i / (count - 1), 1) for i in range(count))


@functools.lru_cache(maxsize=4096)
def _point(x: float, value: int, height: int) -> str:
    # A rollup draws 300 sparklines of twelve weeks: each (week, score) is worked out once.
    return f"{x},{_y(value, 2, height - 4)}"


def sparkline(values: Sequence[int], *, width: int = 96, height: int = 24) -> SafeString:
    """Return a small line of 0–100 values, its last point marked; empty without values."""
    if not values:
        return SafeString("")
    xs = _xs(len(values), 2, width - 4)
    points = " ".join([_point(x, v, height) for x, v in zip(xs, values, strict=True)])
    return SafeString(  # numbers only
        f'<svg class="sparkline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-hidden="true" focusable="false">'
        f'<polyline points="{points}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        f'<circle cx="{xs[-1]}" cy="{_y(values[-1], 2, height - 4)}" r="2.5" '
        f'fill="currentColor"/></svg>'
    )


def line_chart(points: list[tuple[str, int]], *, width: int = 480, height: int = 200) -> SafeString:
    """Return a chart of (label, 0–100 value) points with a 0/50/100 grid and each value written."""
    if not points:
        return SafeString("")
    left, top, right, bottom = 36, 16, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = _xs(len(points), left + 8, plot_w - 16)
    ys = [_y(value, top, plot_h) for _label, value in points]
    parts = [
        f'<svg class="line-chart" viewBox="0 0 {width} {height}" aria-hidden="true" '
        f'focusable="false" preserveAspectRatio="xMidYMid meet">'
    ]
    for level in (0, 50, 100):
        y = _y(level, top, plot_h)
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" class="axis">{level}</text>'
        )
    line = " ".join(f"{x},{y}" for x, y in zip(xs, ys, strict=True))
    parts.append(f'<polyline points="{line}" class="line"/>')
    # Past six points every other week is named on the axis, always the last one.
    step = 2 if len(points) > 6 else 1
    for i, ((label, value), x, y) in enumerate(zip(points, xs, ys, strict=True)):
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="4" class="dot"/>'
            f'<text x="{x}" y="{max(y - 9, 11)}" text-anchor="middle" class="value">'
            f"{int(value)}</text>"
        )
        if (len(points) - 1 - i) % step == 0:
            parts.append(
                f'<text x="{x}" y="{height - 12}" text-anchor="middle" class="axis">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (labels escaped, the rest numbers)
