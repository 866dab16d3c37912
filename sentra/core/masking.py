"""Masking of personal data (UU PDP) for everyone who has no need to see it in clear."""

from typing import Any

DOT = "\u2022"


def mask_nik(nik: str | None) -> str:
    """3216••••••••0012: the regency prefix and last four stay readable for matching by eye."""
    if not nik:
        return ""
    if len(nik) <= 8:
        return DOT * len(nik)
    return nik[:4] + DOT * (len(nik) - 8) + nik[-4:]


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:5] + DOT * max(len(phone) - 8, 0) + phone[-3:]


def mask_text(value: str | None) -> str:
    return DOT * 6 if value else ""


def mask_value(field: str, value: Any) -> Any:
    if value in (None, ""):
        return value
    text = str(value)
    if "nik" in field:
        return mask_nik(text)
    if "phone" in field or "whatsapp" in field:
        return mask_phone(text)
    return mask_text(text)
