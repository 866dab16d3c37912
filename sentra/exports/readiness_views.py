"""Export readiness pages, for Dinas officers and for the SME's own owner (on a phone, mostly).

Both see the same checklist, score and gaps, and both may update the export facts; an officer's
save marks a product's facts as checked, an owner's is shown as their own declaration.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import Role
from sentra.catalog.models import Product
from sentra.core.permissions import DINAS, role_required
from sentra.registry.models import Sme
from sentra.registry.views import get_sme_for_user

from . import currencies, readiness, services
from .forms import ProductReadinessForm, SmeReadinessForm
from .models import DomesticSale, ExportDeal, ProductReadiness, SmeReadiness
from .views import PAGE_SIZE, _page, _prefetch_scope, _query_without

READINESS_USERS = (*DINAS, Role.SME_OWNER)


@role_required(*DINAS)
def readiness_list(request):
    """SMEs with products in the catalogue, each with its readiness score (computed for the page)."""
    _prefetch_scope(request.user)
    q = request.GET.get("q", "").strip()
    only_ready = request.GET.get("export_ready") == "1"
    products = Product.objects.exclude(status=Product.Status.WITHDRAWN)
    if only_ready:
        products = products.filter(export_ready=True)
    smes = (
        Sme.objects.for_user(request.user)
        .filter(pk__in=products.values("sme_id"))
        .annotate(export_ready_count=Count("catalog_products", filter=Q(catalog_products__export_ready=True)))
        .select_related("kecamatan")
        .order_by("name", "id")
    )
    if q:
        smes = smes.filter(Q(name__icontains=q) | Q(nib=q))
    page = _page(smes, request)
    scores = readiness.assess_many(list(page.object_list), today=timezone.localdate())
    context = {
        "page": page,
        "rows": [(sme, scores[sme.pk]) for sme in page.object_list],
        "q": q,
        "only_ready": only_ready,
        "page_query": _query_without(request, "page"),
        "page_size": PAGE_SIZE,
    }
    return render(request, "exports/readiness_list.html", context)


def _sme_page(request, sme: Sme, *, form=None, status=200):
    report = readiness.assess_many([sme], today=timezone.localdate())[sme.pk]
    record = SmeReadiness.objects.filter(sme=sme).first()
    facts = {
        r.product_id: r
        for r in ProductReadiness.objects.filter(product__sme=sme).select_related("checked_by")
    }
    context = {
        "sme": sme,
        "report": report,
        "products": [(p, score, facts.get(p.pk)) for p, score in report.products],
        "form": form
        or SmeReadinessForm(
            initial={
                "prior_exports": bool(record and record.prior_exports),
                "prior_exports_note": record.prior_exports_note if record else "",
            }
        ),  # fmt: skip
        "is_dinas": request.user.is_dinas,
        "deals": ExportDeal.objects.for_user(request.user)
        .filter(sme=sme)
        .select_related("buyer", "order")[:50],
        "domestic": DomesticSale.objects.filter(sme=sme)[:20],
    }
    return render(request, "exports/readiness_sme.html", context, status=status)


@role_required(*READINESS_USERS)
def readiness_sme(request, public_id):
    _prefetch_scope(request.user)
    sme = get_sme_for_user(request.user, public_id)
    if request.method == "POST":
        form = SmeReadinessForm(request.POST)
        if form.is_valid():
            services.save_sme_readiness(actor=request.user, sme=sme, **form.cleaned_data)
            messages.success(request, _("The readiness is saved."))
            return redirect("exports:readiness_sme", public_id=sme.public_id)
        return _sme_page(request, sme, form=form, status=400)
    return _sme_page(request, sme)


def get_product_for_user(user, public_id) -> Product:
    return get_object_or_404(
        Product.objects.for_user(user).select_related("sme", "category"), public_id=public_id
    )


@role_required(*READINESS_USERS)
def readiness_product(request, public_id):
    _prefetch_scope(request.user)
    product = get_product_for_user(request.user, public_id)
    facts = ProductReadiness.objects.filter(product=product).select_related("checked_by").first()
    initial = {}
    if facts:
        initial = {
            "monthly_capacity": facts.monthly_capacity,
            "english_label": facts.english_label,
            "usd_price": currencies.major(facts.usd_price_minor, currencies.get("USD"))
            if facts.usd_price_minor
            else "",
            "samples": facts.samples,
            "note": facts.note,
        }
    form = ProductReadinessForm(request.POST or None, initial=initial, product=product)
    if request.method == "POST" and form.is_valid():
        services.save_product_readiness(actor=request.user, product=product, data=form.cleaned_data)
        messages.success(request, _("The product's export facts are saved."))
        return redirect("exports:readiness_sme", public_id=product.sme.public_id)
    report = readiness.assess_many([product.sme], today=timezone.localdate())[product.sme_id]
    score = next((s for p, s in report.products if p.pk == product.pk), None)
    context = {"product": product, "form": form, "facts": facts, "score": score}
    return render(request, "exports/readiness_product.html", context, status=400 if form.is_bound else 200)
