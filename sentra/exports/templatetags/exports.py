"""Foreign amounts and rates as a reader expects them in each language."""

from django import template

from sentra.exports import currencies

register = template.Library()


@register.filter
def money(minor, code) -> str:
    """{{ order.value_minor|money:order.currency }} → USD 1,234.56 / USD 1.234,56."""
    return currencies.format_amount(minor, code)


@register.filter
def rate(value) -> str:
    return currencies.format_rate(value)
