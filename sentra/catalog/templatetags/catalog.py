from django import template
from django.utils.html import json_script
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def jsonld(data) -> str:
    """schema.org data as a <script type="application/ld+json">, escaped as json_script escapes."""
    return mark_safe(json_script(data).replace('type="application/json"', 'type="application/ld+json"', 1))  # noqa: S308
