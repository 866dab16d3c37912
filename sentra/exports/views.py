"""The officers' export pages: buyers, deals and their steps, shipments, reports, domestic sales.

Deal pages are shared with the SME's owner (read, and documents); every step is recorded by Dinas
staff. Objects are reached through the get_*_for_user helpers, which answer 404 out of scope.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, OuterRef, Q, Subquery, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.catalog.models import Product
from sentra.core.audit import history_for, log_personal_access
from sentra.core.permissions import DINAS, role_required
from sentra.registry.models import Sme
from sentra.registry.views import get_sme_for_user

from . import reports, services, xlsx
from .forms import (
    PORTS,
    BuyerForm,
    CancelForm,
    ContactFormSet,
    DealFilterForm,
    DealForm,
    DocumentForm,
    DomesticSaleForm,
    LineFormSet,
    OrderForm,
    PaymentForm,
    ProductionForm,
    QuotationForm,
    ShipmentForm,
    YearCountryFilterForm,
    contact_rows,
    order_products,
    to_minor_or_error,
)
from .models import DealDocument, DomesticSale, ExportDeal, ForeignBuyer, Shipment

PAGE_SIZE = 50
HISTORY_LENGTH = 50
DEAL_OWNERS = (*DINAS, Role.SME_OWNER)


def _page(queryset, request):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _prefetch_scope(user):
    if user.role == Role.OFFICER:
        from django.db.models import prefetch_related_objects

        prefetch_related_objects([user], "kecamatan")
    return user


# --- overview --------------------------------------------------------------------------------------


@role_required(*DINAS)
def home(request):
    user = _prefetch_scope(request.user)
    report = reports.build(user)
    stages = dict(ExportDeal.objects.for_user(user).values_list("stage").order_by().annotate(n=Count("id")))
    context = {
        "report": report,
        "stages": [(value, label, stages.get(value, 0)) for value, label in ExportDeal.Stage.choices],
        "recent": ExportDeal.objects.for_user(user).select_related("sme", "buyer")[:8],
    }
    return render(request, "exports/home.html", context)


# --- buyers ----------------------------------------------------------------------------------------


def get_buyer_for_user(user, public_id) -> ForeignBuyer:
    """Foreign buyers belong to the regency's export work: any Dinas staff member may open them."""
    if not user.is_dinas:
        raise Http404
    return get_object_or_404(ForeignBuyer, public_id=public_id)


@role_required(*DINAS)
def buyer_list(request):
    form = DealFilterForm(request.GET)
    buyers = ForeignBuyer.objects.annotate(deal_count=Count("deals")).order_by("name", "id")
    if form.is_valid():
        if form.cleaned_data["country"]:
            buyers = buyers.filter(country=form.cleaned_data["country"])
        if form.cleaned_data["q"]:
            buyers = buyers.filter(name__icontains=form.cleaned_data["q"])
    context = {"form": form, "page": _page(buyers, request), "page_query": _query_without(request, "page")}
    return render(request, "exports/buyer_list.html", context)


def _buyer_form_page(request, buyer: ForeignBuyer | None):
    data = request.POST if request.method == "POST" else None
    form = BuyerForm(data, instance=buyer)
    initial = [
        {"id": c.pk, "name": c.name, "position": c.position, "email": c.email, "phone": c.phone}
        for c in (buyer.contacts.all() if buyer else [])
    ]
    contacts = ContactFormSet(data, initial=initial, prefix="contacts")
    if buyer is not None and initial and data is None:
        # The edit form shows the contacts' phone and email in clear.
        log_personal_access(
            user=request.user, kind="view", fields=["contact.phone", "contact.email"], obj=buyer
        )
    if data is not None and form.is_valid() and contacts.is_valid():
        saved = services.save_buyer(
            actor=request.user,
            data=form.cleaned_data,
            contacts=contact_rows(contacts),
            buyer=buyer,
        )
        messages.success(request, _("The buyer is saved."))
        return redirect("exports:buyer_detail", public_id=saved.public_id)
    return render(
        request,
        "exports/buyer_form.html",
        {"form": form, "contacts": contacts, "buyer": buyer},
        status=400 if data is not None else 200,
    )


@role_required(*DINAS)
def buyer_create(request):
    return _buyer_form_page(request, None)


@role_required(*DINAS)
def buyer_edit(request, public_id):
    return _buyer_form_page(request, get_buyer_for_user(request.user, public_id))


def _buyer_context(request, buyer, *, revealed=False):
    deals = ExportDeal.objects.for_user(request.user).filter(buyer=buyer).select_related("sme", "order")
    return {
        "buyer": buyer,
        "contacts": list(buyer.contacts.all()),
        "revealed": revealed,
        "deals": deals[:100],
        "history": history_for(buyer)[:HISTORY_LENGTH],
    }


@role_required(*DINAS)
def buyer_detail(request, public_id):
    buyer = get_buyer_for_user(request.user, public_id)
    return render(request, "exports/buyer_detail.html", _buyer_context(request, buyer))


@role_required(*DINAS)
@require_POST
def buyer_contacts(request, public_id):
    """Show the contacts' phone and email in clear; every reveal is logged (UU PDP)."""
    buyer = get_buyer_for_user(request.user, public_id)
    log_personal_access(user=request.user, kind="view", fields=["contact.phone", "contact.email"], obj=buyer)
    return render(request, "exports/buyer_detail.html", _buyer_context(request, buyer, revealed=True))


# --- deals -----------------------------------------------------------------------------------------


def get_deal_for_user(user, public_id) -> ExportDeal:
    return get_object_or_404(
        ExportDeal.objects.for_user(user).select_related("sme", "buyer", "order", "order__shipment"),
        public_id=public_id,
    )


def _deals(request):
    form = DealFilterForm(request.GET)
    deals = ExportDeal.objects.for_user(request.user).select_related(
        "sme", "buyer", "order", "order__shipment"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["stage"]:
            deals = deals.filter(stage=data["stage"])
        if data["country"]:
            deals = deals.filter(buyer__country=data["country"])
        if data["q"]:
            q = data["q"]
            deals = deals.filter(
                Q(sme__name__icontains=q) | Q(buyer__name__icontains=q) | Q(order__number__icontains=q)
            )
    return form, deals


@role_required(*DINAS)
def deal_list(request):
    _prefetch_scope(request.user)
    form, deals = _deals(request)
    context = {"form": form, "page": _page(deals, request), "page_query": _query_without(request, "page")}
    return render(request, "exports/deal_list.html", context)


def _sme_from_query(request) -> Sme | None:
    public_id = request.GET.get("sme") or request.POST.get("sme_public_id")
    if not public_id:
        return None
    try:
        return get_sme_for_user(request.user, public_id)
    except ValidationError:
        raise Http404 from None


@role_required(*DINAS)
def deal_create(request):
    _prefetch_scope(request.user)
    sme = _sme_from_query(request)
    form = DealForm(request.POST or None, user=request.user, sme=sme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deal = services.open_deal(
                actor=request.user, sme=data["sme"], buyer=data["buyer"], inquiry_on=data["inquiry_on"],
                inquiry_text=data["inquiry_text"], source=data["source"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The inquiry is recorded."))
            return redirect("exports:deal_detail", public_id=deal.public_id)
    return render(
        request, "exports/deal_form.html", {"form": form, "sme": sme}, status=400 if form.is_bound else 200
    )


def _buyer_from_query(request) -> ForeignBuyer | None:
    try:
        return ForeignBuyer.objects.filter(public_id=request.GET.get("buyer") or None).first()
    except ValidationError:  # not a UUID: no buyer chosen beforehand
        return None


def _order_page(request, *, deal: ExportDeal | None):
    sme = deal.sme if deal else _sme_from_query(request)
    data = request.POST if request.method == "POST" else None
    form = OrderForm(data, with_buyer=deal is None, initial={"buyer": _buyer_from_query(request)})
    products = order_products(request.user, sme)
    lines = LineFormSet(data, prefix="lines", form_kwargs={"products": products})
    if data is not None and form.is_valid() and lines.is_valid():
        code = form.cleaned_data["currency"]
        line_inputs = []
        for line in lines.forms:
            d = line.cleaned_data
            if not d.get("product"):
                continue
            minor = to_minor_or_error(line, "unit_price", d["unit_price"], code)
            if minor is not None:
                line_inputs.append(services.LineInput(d["product"], d["quantity"], minor))
        if not any(line.errors for line in lines.forms):
            try:
                order = services.record_purchase_order(
                    actor=request.user,
                    deal=deal,
                    sme=line_inputs[0].product.sme if deal is None else None,
                    buyer=form.cleaned_data.get("buyer"),
                    number=form.cleaned_data["number"],
                    ordered_on=form.cleaned_data["ordered_on"],
                    currency=code,
                    rate=form.cleaned_data["rate"],
                    incoterm=form.cleaned_data["incoterm"],
                    incoterm_place=form.cleaned_data["incoterm_place"],
                    payment_terms=form.cleaned_data["payment_terms"],
                    payment_terms_note=form.cleaned_data["payment_terms_note"],
                    lines=line_inputs,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The purchase order is recorded."))
                return redirect("exports:deal_detail", public_id=order.deal.public_id)
    context = {"form": form, "lines": lines, "deal": deal, "sme": sme, "has_products": products.exists()}
    return render(request, "exports/order_form.html", context, status=400 if data is not None else 200)


@role_required(*DINAS)
def order_create(request):
    _prefetch_scope(request.user)
    return _order_page(request, deal=None)


@role_required(*DINAS)
def order_for_deal(request, public_id):
    _prefetch_scope(request.user)
    return _order_page(request, deal=get_deal_for_user(request.user, public_id))


def _deal_context(request, deal: ExportDeal, **forms) -> dict:
    order = getattr(deal, "order", None)
    shipment = getattr(order, "shipment", None) if order else None
    paid = services.paid_minor(order) if order else 0
    context = {
        "deal": deal,
        "order": order,
        "shipment": shipment,
        "lines": list(order.lines.select_related("product")) if order else [],
        "payments": list(order.payments.all()) if order else [],
        "quotations": list(deal.quotations.all()),
        "documents": list(deal.documents.select_related("uploaded_by")),
        "paid_minor": paid,
        "outstanding_minor": max(order.value_minor - paid, 0) if order else 0,
        "history": history_for(deal)[:HISTORY_LENGTH],
        "is_dinas": request.user.is_dinas,
        "ports": PORTS,
        "open_action": forms.pop("open_action", ""),
    }
    if request.user.is_dinas:
        stage = deal.stage
        S = ExportDeal.Stage
        if stage in (S.INQUIRY, S.QUOTED):
            context["quotation_form"] = forms.get("quotation_form") or QuotationForm(prefix="quotation")
        if stage == S.ORDERED:
            context["production_form"] = forms.get("production_form") or ProductionForm(prefix="production")
        if stage in (S.ORDERED, S.PRODUCTION):
            context["shipment_form"] = forms.get("shipment_form") or ShipmentForm(
                prefix="shipment", initial={"destination_country": deal.buyer.country.code}
            )
        if order and stage not in (S.PAID, S.CANCELLED):
            context["payment_form"] = forms.get("payment_form") or PaymentForm(
                prefix="payment", currency=order.currency
            )
        if stage in (S.INQUIRY, S.QUOTED, S.ORDERED, S.PRODUCTION):
            context["cancel_form"] = forms.get("cancel_form") or CancelForm(prefix="cancel")
    context["document_form"] = forms.get("document_form") or DocumentForm(prefix="document")
    return context


@role_required(*DEAL_OWNERS)
def deal_detail(request, public_id):
    _prefetch_scope(request.user)
    deal = get_deal_for_user(request.user, public_id)
    return render(request, "exports/deal_detail.html", _deal_context(request, deal))


def _step(request, public_id, *, name, form_class, run, done, form_kwargs=None):
    """POST of one step's form on the deal page: the service, or the page again with the errors."""
    _prefetch_scope(request.user)
    deal = get_deal_for_user(request.user, public_id)
    kwargs = form_kwargs(deal) if form_kwargs else {}
    form = form_class(request.POST, request.FILES, prefix=name, **kwargs)
    if form.is_valid():
        try:
            run(deal, form.cleaned_data)
        except services.OverpaymentError as exc:
            form.add_error(None, exc)
            form.ask_to_confirm()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("exports:deal_detail", public_id=deal.public_id)
    context = _deal_context(request, deal, **{f"{name}_form": form, "open_action": name})
    return render(request, "exports/deal_detail.html", context, status=400)


@role_required(*DINAS)
@require_POST
def quotation_add(request, public_id):
    return _step(
        request, public_id, name="quotation", form_class=QuotationForm, done=_("The quotation is recorded."),
        run=lambda deal, d: services.add_quotation(
            actor=request.user, deal=deal, quoted_on=d["quoted_on"], currency=d["currency"],
            amount_minor=d["amount_minor"], valid_until=d["valid_until"], note=d["note"],
        ),
    )  # fmt: skip


@role_required(*DINAS)
@require_POST
def production_start(request, public_id):
    return _step(
        request, public_id, name="production", form_class=ProductionForm, done=_("Production is recorded."),
        run=lambda deal, d: services.start_production(
            actor=request.user, deal=deal, started_on=d["started_on"], note=d["note"]
        ),
    )  # fmt: skip


@role_required(*DINAS)
@require_POST
def shipment_add(request, public_id):
    return _step(
        request, public_id, name="shipment", form_class=ShipmentForm, done=_("The shipment is recorded."),
        run=lambda deal, d: services.record_shipment(actor=request.user, deal=deal, **d),
    )  # fmt: skip


@role_required(*DINAS)
@require_POST
def payment_add(request, public_id):
    return _step(
        request, public_id, name="payment", form_class=PaymentForm, done=_("The payment is recorded."),
        form_kwargs=lambda deal: {"currency": deal.order.currency},
        run=lambda deal, d: services.record_payment(
            actor=request.user, deal=deal, received_on=d["received_on"], amount_minor=d["amount_minor"],
            credited_idr=d["credited_idr"], note=d["note"], confirm_over=d["confirm_over"],
        ),
    )  # fmt: skip


@role_required(*DINAS)
@require_POST
def deal_cancel(request, public_id):
    return _step(
        request, public_id, name="cancel", form_class=CancelForm, done=_("The deal is cancelled."),
        run=lambda deal, d: services.cancel_deal(actor=request.user, deal=deal, reason=d["reason"]),
    )  # fmt: skip


@role_required(*DEAL_OWNERS)
@require_POST
def document_add(request, public_id):
    return _step(
        request, public_id, name="document", form_class=DocumentForm, done=_("The document is attached."),
        run=lambda deal, d: services.attach_document(
            actor=request.user, deal=deal, step=d["step"], kind=d["kind"], upload=d["file"]
        ),
    )  # fmt: skip


@role_required(*DEAL_OWNERS)
def document_download(request, pk):
    document = get_object_or_404(
        DealDocument.objects.filter(deal__in=ExportDeal.objects.for_user(request.user)), pk=pk
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )


# --- shipments, products gone international, reports -----------------------------------------------


def _shipments(request):
    form = YearCountryFilterForm(request.GET)
    shipments = (
        reports.shipments_in_scope(request.user)
        .select_related("order", "order__deal", "order__deal__sme", "order__deal__buyer")
        .annotate(
            days=ExpressionWrapper(F("shipped_on") - F("order__ordered_on"), output_field=DurationField())
        )
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["year"]:
            shipments = shipments.filter(shipped_on__year=data["year"])
        if data["country"]:
            shipments = shipments.filter(destination_country=data["country"])
        if data["first_time"]:
            # Each SME's first shipment, in the year asked: "exporting for the first time".
            first = Shipment.objects.filter(order__deal__sme=OuterRef("order__deal__sme")).order_by(
                "shipped_on", "id"
            )
            shipments = shipments.annotate(first_id=Subquery(first.values("id")[:1])).filter(
                first_id=F("id"), shipped_on__year=data["first_time"]
            )
    return form, shipments


@role_required(*DINAS)
def shipment_list(request):
    _prefetch_scope(request.user)
    form, shipments = _shipments(request)
    totals = shipments.aggregate(value=Sum("order__value_idr"), n=Count("id"))
    context = {
        "form": form,
        "page": _page(shipments, request),
        "page_query": _query_without(request, "page"),
        "totals": totals,
    }
    return render(request, "exports/shipment_list.html", context)


@role_required(*DINAS)
def shipment_record(request, pk):
    """The record behind an export sales line: its deal's page."""
    shipment = get_object_or_404(Shipment.objects.for_user(request.user).select_related("order__deal"), pk=pk)
    return redirect("exports:deal_detail", public_id=shipment.order.deal.public_id)


@role_required(*DINAS)
def international_products(request):
    """Products gone international, with the year of their first shipment; ?year= shipped that year,
    ?first= first shipped that year, ?by= first shipped by the end of that year."""
    _prefetch_scope(request.user)
    shipped = Q(export_lines__order__shipment__isnull=False)
    products = (
        Product.objects.filter(sme__in=Sme.objects.for_user(request.user))
        .filter(shipped)
        .annotate(
            first_shipped=Min("export_lines__order__shipment__shipped_on"),
            shipment_count=Count("export_lines__order__shipment", distinct=True),
        )
        .select_related("sme")
        .order_by("first_shipped", "name_id", "id")
    )
    title = _("Products gone international")
    for key in ("year", "first", "by"):
        value = request.GET.get(key, "")
        if not value:
            continue
        if not value.isdigit():
            messages.error(request, _("The year must be a number."))
            return redirect("exports:international_products")
        year = int(value)
        if key == "year":
            products = products.filter(export_lines__order__shipment__shipped_on__year=year)
            title = _("Products shipped abroad in %(year)s") % {"year": year}
        elif key == "first":
            products = products.filter(first_shipped__year=year)
            title = _("Products gone international for the first time in %(year)s") % {"year": year}
        else:
            products = products.filter(first_shipped__year__lte=year)
            title = _("Products gone international by the end of %(year)s") % {"year": year}
    context = {
        "page": _page(products, request),
        "page_query": _query_without(request, "page"),
        "title": title,
    }
    return render(request, "exports/product_list.html", context)


@role_required(*DINAS)
def report(request):
    _prefetch_scope(request.user)
    report = reports.build(request.user)
    years = [row.year for row in report.years]
    return render(request, "exports/report.html", {"report": report, "years": years})


@role_required(*DINAS)
def report_xlsx(request):
    _prefetch_scope(request.user)
    return xlsx.report_response(reports.build(request.user), user=request.user)


# --- domestic sales --------------------------------------------------------------------------------


def get_domestic_sale_for_user(user, pk) -> DomesticSale:
    return get_object_or_404(
        DomesticSale.objects.for_user(user).select_related("sme", "product", "recorded_by"), pk=pk
    )


@role_required(*DINAS)
def domestic_list(request):
    _prefetch_scope(request.user)
    sales = DomesticSale.objects.for_user(request.user).select_related("sme", "product")
    province = request.GET.get("province", "")
    if province:
        sales = sales.filter(province=province)
    by_province = (
        DomesticSale.objects.for_user(request.user)
        .values("province")
        .order_by()
        .annotate(total=Sum("amount"), n=Count("id"))
    )
    from .provinces import PROVINCES

    names = dict(PROVINCES)
    context = {
        "page": _page(sales, request),
        "page_query": _query_without(request, "page"),
        "by_province": sorted(
            ({"code": r["province"], "name": names.get(r["province"], r["province"]), "total": r["total"], "n": r["n"]}
             for r in by_province),
            key=lambda r: -r["total"],
        ),
        "province": province,
    }  # fmt: skip
    return render(request, "exports/domestic_list.html", context)


@role_required(*DINAS)
def domestic_create(request, sme_public_id):
    _prefetch_scope(request.user)
    sme = get_sme_for_user(request.user, sme_public_id)
    form = DomesticSaleForm(request.POST or None, sme=sme)
    if request.method == "POST" and form.is_valid():
        try:
            sale = services.record_domestic_sale(actor=request.user, sme=sme, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The sale is recorded."))
            return redirect("exports:domestic_record", pk=sale.pk)
    return render(
        request,
        "exports/domestic_form.html",
        {"form": form, "sme": sme},
        status=400 if form.is_bound else 200,
    )


@role_required(*DINAS)
def domestic_record(request, pk):
    _prefetch_scope(request.user)
    sale = get_domestic_sale_for_user(request.user, pk)
    return render(
        request, "exports/domestic_detail.html", {"sale": sale, "history": history_for(sale)[:HISTORY_LENGTH]}
    )


@role_required(*DINAS)
@require_POST
def domestic_verify(request, pk):
    _prefetch_scope(request.user)
    sale = get_domestic_sale_for_user(request.user, pk)
    services.verify_domestic_sale(actor=request.user, sale=sale)
    messages.success(request, _("The sale is marked as evidenced."))
    return redirect("exports:domestic_record", pk=sale.pk)
