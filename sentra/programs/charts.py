"""A cohort SME's weekly turnover as a small inline SVG line: no script, no request, sharp on a phone.

The figures themselves stay in the page as text beside it (the latest week, the change), and the
SVG carries a label that says the same for a screen reader.
"""

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sentra.core.templatetags.sentra import format_rupiah

WIDTH, HEIGHT, PAD = 180, 44, 4


def weekly_line(weeks: list[dt.date], values: dict[dt.date, int], *, label: str) -> SafeString:
    """`weeks` oldest first; a week without a report leaves a gap in the line."""
    reported = [values[w] for w in weeks if w in values]
    if not reported:
        return mark_safe("")
    top = max(reported) or 1
    step = (WIDTH - 2 * PAD) / max(len(weeks) - 1, 1)

    def point(i: int, value: int) -> tuple[float, float]:
        return PAD + i * step, HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / top

    segments, current = [], []
    for i, week in enumerate(weeks):
        if week in values:
            current.append(point(i, values[week]))
        elif current:
            segments.append(current)
            current = []
    if current:
        segments.append(current)
    lines = "".join(
        '<polyline fill="none" stroke="#0b5d3b" stroke-width="2" points="{}"/>'.format(
            " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
        )
        for segment in segments
    )
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#0b5d3b"/>' for seg in segments for x, y in seg
    )
    summary = _(
        "%(name)s: weekly turnover over %(weeks)s weeks, from %(first)s to %(last)s (highest %(top)s)"
    ) % {
        "name": label,
        "weeks": len(reported),
        "first": format_rupiah(reported[0]),
        "last": format_rupiah(reported[-1]),
        "top": format_rupiah(max(reported)),
    }
    return mark_safe(
        f'<svg class="kpi-line" role="img" aria-label="{escape(summary)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}"><title>{escape(summary)}</title>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#adb5bd"/>'
        f"{lines}{dots}</svg>"
    )
