"""Monthly totals as an inline SVG bar chart: no script, sharp on a phone, with a text label for readers."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sentra.core.templatetags.sentra import format_rupiah

WIDTH, HEIGHT, PAD = 360, 120, 4


def monthly_bars(months: list[dict], *, year: int) -> SafeString:
    # A suppressed month (amount None) gets no bar: its height would give the hidden amount away.
    top = max((m["amount"] or 0 for m in months), default=0)
    if not top:
        return mark_safe("")
    step = (WIDTH - 2 * PAD) / len(months)
    bars = []
    for i, m in enumerate(months):
        if m["amount"] is None:
            x = PAD + i * step + 2
            bars.append(
                f'<text x="{x + (step - 4) / 2:.1f}" y="{HEIGHT - PAD}" font-size="9" text-anchor="middle" '
                f'fill="#212529">{m["month"]}</text>'
            )
            continue
        h = (HEIGHT - 2 * PAD - 12) * m["amount"] / top
        x, y = PAD + i * step + 2, HEIGHT - PAD - 12 - h
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step - 4:.1f}" height="{h:.1f}" fill="#0b5d3b">'
            f"<title>{m['month']:02d}/{year}: {escape(format_rupiah(m['amount']))}</title></rect>"
            f'<text x="{x + (step - 4) / 2:.1f}" y="{HEIGHT - PAD}" font-size="9" text-anchor="middle" '
            f'fill="#212529">{m["month"]}</text>'
        )
    summary = _("Verified Bebeli purchases per month in %(year)s; highest month %(top)s") % {
        "year": year,
        "top": format_rupiah(top),
    }
    return mark_safe(
        f'<svg role="img" aria-label="{escape(summary)}" viewBox="0 0 {WIDTH} {HEIGHT}" class="w-100" '
        f'style="max-width:{WIDTH * 2}px"><title>{escape(summary)}</title>{"".join(bars)}</svg>'
    )
