"""Display filters used by every template: money, dates and masked personal data."""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone, translation

from sentra.core.masking import mask_nik, mask_phone

register = template.Library()


def format_rupiah(amount: int | None, language: str | None = None) -> str:
    """Rp 1.234.567 in Indonesian, IDR 1,234,567 in English. Whole Rupiah only."""
    if amount is None or amount == "":
        return ""
    amount = int(amount)
    language = language or translation.get_language() or "id"
    grouped = f"{abs(amount):,}"
    sign = "-" if amount < 0 else ""
    if language.startswith("id"):
        return f"{sign}Rp {grouped.replace(',', '.')}"
    return f"{sign}IDR {grouped}"


def format_date(value: date | datetime | None, *, with_time: bool = False) -> str:
    """27 Nov 2026 (Indonesian month abbreviations when Indonesian is active), in WIB."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        if with_time:
            return formats.date_format(value, "j M Y H:i")
    return formats.date_format(value, "j M Y")


@register.filter
def rupiah(amount) -> str:
    return format_rupiah(amount)


@register.filter
def tanggal(value) -> str:
    return format_date(value)


@register.filter
def tanggal_jam(value) -> str:
    return format_date(value, with_time=True)


@register.filter
def masked_nik(value) -> str:
    return mask_nik(value)


@register.filter
def masked_phone(value) -> str:
    return mask_phone(value)


@register.filter
def add_form_control(field):
    """Render a form field's widget with Bootstrap classes and the ARIA links to its errors and help."""
    widget = field.field.widget
    css = "form-select" if widget.__class__.__name__.endswith("Select") else "form-control"
    attrs = {"class": css + (" is-invalid" if field.errors else "")}
    described = []
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.id_for_label}_error")
    if field.help_text:
        described.append(f"{field.id_for_label}_help")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def history_in_words(history):
    """A record's history entries, each with its changes in words (sentra.core.history)."""
    from sentra.core.history import in_words

    return in_words(history)
