from django import template
from django.utils.html import format_html, format_html_join, json_script
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def jsonld(data) -> str:
    """schema.org data as a <script type="application/ld+json">, escaped as json_script escapes."""
    return mark_safe(json_script(data).replace('type="application/json"', 'type="application/ld+json"', 1))  # noqa: S308


@register.filter
def filter_select(field) -> str:
    """A filter form's <select>, drawn directly from the field's choices.

    The same markup as `add_form_control` gives a select without errors or help (the catalogue's
    filters have neither): Django's widget templates cost a few milliseconds per page, a fifth of
    rendering the whole catalogue page.
    """
    value = field.value()
    selected = "" if value is None else str(value)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((str(v), " selected" if str(v) == selected else "", label) for v, label in field.field.choices),
    )
    return format_html(
        '<select name="{}" class="form-select" id="{}">{}</select>',
        field.html_name,
        field.id_for_label,
        options,
    )
