from django import template
from django.utils.html import format_html, format_html_join, json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from sentra.core.templatetags.sentra import format_rupiah

register = template.Library()

_CARD = (
    '<article class="card h-100 product-card">\n  {}\n  <div class="card-body">\n'
    '    <h3 class="h6 card-title mb-1"><a class="stretched-link" href="{}">{}</a></h3>\n'
    '    <p class="mb-1 fw-semibold">{} <span class="fw-normal small text-body-secondary">/ {}</span></p>\n'
    '    <p class="small text-body-secondary mb-1">{}{}</p>\n'
    "    {}{}\n  </div>\n</article>"
)


@register.simple_tag
def product_card(product) -> SafeString:
    """A product's card in a list (catalogue, search, storefront, home), from `queries.decorate`.

    Drawn in Python rather than with an included template: the template's lookups, filters and
    escaping cost ~0.4 ms a card, a third of rendering a page of 24 (bench/catalog_bench.py).
    Everything shown is escaped by format_html.
    """
    sme = product.sme
    if product.thumbnail_url:
        image = format_html(
            '<img src="{}" class="card-img-top product-thumb" alt="" loading="lazy" width="480" height="360">',
            product.thumbnail_url,
        )
    else:
        image = format_html(
            '<div class="card-img-top product-thumb product-thumb-empty" aria-hidden="true">{}</div>',
            product.category.name[:1],
        )
    where = format_html(" · {}", sme.kecamatan.name) if sme.kecamatan_id else ""
    badges = format_html_join(
        "", '<span class="badge badge-cert me-1">{}</span>', ((label,) for _code, label in product.badges)
    )
    export = (
        format_html('<span class="badge text-bg-info">{}</span>', gettext("Export-ready"))
        if product.export_ready
        else ""
    )
    return format_html(
        _CARD, image, product.url, product.name, format_rupiah(product.price), product.get_unit_display(),
        sme.brand or sme.name, where, badges, export,
    )  # fmt: skip


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
