"""The shared PDF renderer and QR codes: real files, read back."""

import io

import pytest
from django.test import override_settings
from PIL import Image
from pypdf import PdfReader

from sentra.core import qr
from sentra.core.pdf import image_data_uri, render_pdf

TEMPLATES_HERE = "tests/core/templates"


@pytest.fixture
def test_templates(settings):
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], TEMPLATES_HERE]
    with override_settings(TEMPLATES=[engine]):
        yield


def test_a_template_becomes_a_pdf_whose_text_reads_back(test_templates):
    pdf = render_pdf(
        "test_document.html",
        {"heading": "Nota titip jual", "amount": 1234567, "qr": qr.data_uri("https://x.id/p")},
    )
    assert pdf.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Nota titip jual" in text and "Rp 1.234.567" in text


def test_a_pdf_embeds_data_uris_and_fetches_nothing_else(test_templates, tmp_path):
    photo = tmp_path / "photo.png"
    Image.new("RGB", (40, 30), "red").save(photo)

    def images(src: str) -> int:
        pdf = render_pdf("test_document.html", {"heading": "x", "amount": 1, "qr": src})
        return len(PdfReader(io.BytesIO(pdf)).pages[0].images)

    assert images(image_data_uri(photo)) == 1
    assert images(photo.as_uri()) == 0  # file:// (or http://) is refused, never read


def test_a_qr_png_holds_exactly_the_modules_of_its_data():
    data = "https://sentra.example/id/katalog/p/keripik-tempe"
    scale, border = 8, 4
    image = Image.open(io.BytesIO(qr.png(data, scale=scale))).convert("L")
    matrix = qr.make(data).matrix
    read = [
        [
            image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2)) < 128
            for x in range(len(row))
        ]
        for y, row in enumerate(matrix)
    ]
    assert read == [[bool(v) for v in row] for row in matrix]
    assert read != [[bool(v) for v in row] for row in qr.make(data + "x").matrix]


def test_an_inline_qr_is_svg_with_a_title_for_screen_readers():
    markup = qr.svg("https://sentra.example/", title="Kode QR halaman UMKM")
    assert markup.startswith("<svg") and "<title>Kode QR halaman UMKM</title>" in markup
