"""Documents attached to an export deal: only files that are what they claim to be.

A purchase order scan, a PEB, an invoice or a proof of transfer arrives as PDF, JPEG, PNG or .xlsx.
Each upload is opened with the library that reads its kind (pypdf, Pillow, openpyxl) before it is
kept; a file that does not open, is empty, is larger than MAX_BYTES or whose name does not match
its content is refused with a message saying why. Files are stored under a random name and served
only through the deal's own page, to those who may see the deal.
"""

import io
import uuid
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024
KINDS = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _opens(content_type: str, data: bytes) -> bool:
    try:
        if content_type == "application/pdf":
            from pypdf import PdfReader

            return len(PdfReader(io.BytesIO(data)).pages) > 0
        if content_type.startswith("image/"):
            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                return Image.MIME.get(image.format) == content_type
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except Exception:  # noqa: BLE001 - any failure to read means "not that kind of file"
        return False


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(content type, stored file name) of an acceptable upload; ValidationError otherwise."""
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in KINDS:
        raise ValidationError(
            _("Attach a PDF, JPEG, PNG or .xlsx file (this one is “%(name)s”)."),
            code="kind",
            params={"name": upload.name},
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB."), code="size", params={"mb": MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    content_type = KINDS[extension]
    if not _opens(content_type, data):
        raise ValidationError(
            _("“%(name)s” cannot be opened as a %(kind)s file: it may be damaged or of another kind."),
            code="unreadable",
            params={"name": upload.name, "kind": extension.lstrip(".").upper()},
        )
    return content_type, f"{uuid.uuid4().hex}{'.jpg' if extension == '.jpeg' else extension}"
