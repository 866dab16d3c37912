"""PDF documents (receipts, statements, certificates, label sheets), rendered from templates.

One renderer for every area: a Django template becomes HTML and WeasyPrint lays it out as a PDF.
Documents do not fetch anything over the network: images are passed in as data URIs (`qr.data_uri`,
`image_data_uri`), and the only style is the template's own <style> on top of `core/pdf_base.html`.
WeasyPrint needs Pango from the system; `bin/_system.sh` installs it.
"""

import base64
import mimetypes
from pathlib import Path

from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """The PDF of `template_name` rendered with `context` (in the active language)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context, request=request)
    # A document embeds what it shows as data: URIs; any other URL would be a request leaving the
    # server (or a file read), so it is refused and the element left out.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def image_data_uri(path: Path | str, mime: str | None = None) -> str:
    """A stored image (a product photo, a logo) as a data: URI a PDF can embed."""
    path = Path(path)
    mime = mime or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"
