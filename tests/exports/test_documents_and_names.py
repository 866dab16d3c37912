"""Attached documents are what they claim to be; countries are named in the reader's language."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_countries import countries
from PIL import Image

from sentra.exports import documents


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "green").save(out, format="PNG")
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "kind"), [("bukti.png", _png(), "image/png"), ("packing.xlsx", _xlsx(), None)]
)
def test_real_images_and_workbooks_are_accepted_under_a_new_name(name, data, kind):
    content_type, stored = documents.check_upload(SimpleUploadedFile(name, data))
    assert content_type == (kind or documents.KINDS[".xlsx"])
    assert stored.endswith(name.rsplit(".", 1)[1]) and name not in stored


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [("invoice.exe", b"MZ", "kind"), ("empty.pdf", b"", "empty"), ("photo.png", b"\x89PNG not really", "unreadable"),
     ("sheet.xlsx", _png(), "unreadable"), ("photo.jpg", _png(), "unreadable")],
)  # fmt: skip
def test_a_file_of_another_kind_or_empty_or_damaged_is_refused(name, data, code):
    with pytest.raises(ValidationError) as caught:
        documents.check_upload(SimpleUploadedFile(name, data))
    assert caught.value.code == code


def test_a_file_above_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 100)
    with pytest.raises(ValidationError) as caught:
        documents.check_upload(SimpleUploadedFile("big.png", _png() + b"\0" * 200))
    assert caught.value.code == "size"


def test_countries_are_named_in_indonesian_and_in_english():
    with translation.override("id"):
        assert [countries.name(c) for c in ("JP", "SA", "NL", "US")] == [
            "Jepang",
            "Arab Saudi",
            "Belanda",
            "Amerika Serikat",
        ]
    with translation.override("en"):
        assert countries.name("JP") == "Japan" and countries.name("NL") == "Netherlands"
