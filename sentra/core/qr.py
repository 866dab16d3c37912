"""QR codes (segno) for public pages, attendance cards and certificates, in one place.

A QR always encodes an absolute URL or a short code; pages show it as inline SVG (sharp at any size,
no request of its own), PDFs embed it as a data URI.
"""

import segno

# "M" survives a smudged or creased print (15% of the code) and still fits a long URL in a small square.
ERROR_LEVEL = "m"


def make(data: str) -> segno.QRCode:
    return segno.make(data, error=ERROR_LEVEL, micro=False)


def svg(data: str, *, scale: int = 4, title: str = "") -> str:
    """Inline <svg> markup; `title` is what a screen reader says for it."""
    return make(data).svg_inline(scale=scale, title=title or None, omitsize=False)


def png(data: str, *, scale: int = 8) -> bytes:
    import io

    out = io.BytesIO()
    make(data).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def data_uri(data: str, *, scale: int = 4) -> str:
    """An SVG data: URI, for <img src> in PDF documents."""
    return make(data).svg_data_uri(scale=scale)
