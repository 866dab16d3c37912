"""Bebeli pages shared by both sides of a purchase, and the officers' pages.

A purchase page is seen by its buyer's users, its SME's owners and Dinas staff in scope (everyone
else gets 404); each side finds there the forms of the steps the state table lets it take now.
Officers verify paid purchases, correct confirmed ones with a reason, and read the report; they
also keep the buyer organisations (record, yearly budget, buyer users, deactivation).
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.core.audit import history_for
from sentra.core.permissions import DINAS, role_required
from sentra.core.xlsx import attachment

from . import flags, organisations, reports, services, states, xlsx
from .forms import (
    CorrectionForm,
    DateForm,
    DeactivateForm,
    DeliveryForm,
    MemberForm,
    OrganisationFilterForm,
    OrganisationForm,
    PaymentForm,
    ReasonForm,
    YearForm,
)
from .models import BuyerBudget, BuyerOrganisation, Purchase

S = Purchase.Status
BOTH_SIDES = (*DINAS, Role.BUYER, Role.SME_OWNER)
PAGE_SIZE = 50


def purchases_for_user(user):
    if user.role == Role.OFFICER:
        prefetch_related_objects([user], "kecamatan")
    return Purchase.objects.for_user(user)


def get_purchase_for_user(user, public_id) -> Purchase:
    """The purchase if the user may see it (buyer's users, SME's owners, Dinas in scope); 404 otherwise."""
    qs = purchases_for_user(user).select_related("organisation", "sme", "sme__kecamatan", "verified_by")
    return get_object_or_404(qs, public_id=public_id)


def _filtered(request, qs):
    """The purchase list behind a report figure: the same filters the report's links carry."""
    get = request.GET
    if get.get("year", "").isdigit():
        qs = qs.filter(paid_on__year=int(get["year"]))
    if get.get("month", "").isdigit():
        qs = qs.filter(paid_on__month=int(get["month"]))
    if get.get("buyer"):
        try:
            qs = qs.filter(organisation__public_id=get["buyer"])
        except ValidationError:
            qs = qs.none()
    if get.get("asn") == "1":
        qs = qs.filter(organisation__kind="asn")
    if get.get("kecamatan", "").isdigit():
        qs = qs.filter(sme__kecamatan_id=int(get["kecamatan"]))
    if "sector" in get:
        qs = qs.filter(sme__kbli_category="" if get["sector"] == "-" else get["sector"])
    if "scale" in get:
        qs = qs.filter(sme__scale="" if get["scale"] == "-" else get["scale"])
    if get.get("status") in S.values:
        qs = qs.filter(status=get["status"])
    if get.get("flag") in flags.LABELS:
        qs = (
            qs.filter(flags__contains=[get["flag"]])
            if _json_contains()
            else qs.filter(flags__icontains=get["flag"])
        )
    # The report's figures are official ones: the list behind them shows the same purchases.
    if "year" in get and get.get("pending") != "1":
        qs = qs.verified()
    if get.get("pending") == "1":
        qs = qs.completed().filter(verified_at__isnull=True)
    return qs


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@role_required(*BOTH_SIDES)
def purchase_list(request):
    qs = _filtered(request, purchases_for_user(request.user)).select_related("organisation", "sme")
    page = Paginator(qs.order_by("-ordered_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "bebeli/purchase_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "flag_labels": flags.LABELS,
        },
    )


def _actions(purchase: Purchase, user) -> dict:
    side = services.side_of(user, purchase)
    steps = states.next_steps(purchase.status, side)
    forms = {}
    if S.ACCEPTED in steps:
        forms["accept"] = True
    if S.DECLINED in steps:
        forms["decline"] = ReasonForm(prefix="decline")
    if S.CANCELLED in steps:
        forms["cancel"] = ReasonForm(prefix="cancel")
    if S.DELIVERED in steps:
        forms["deliver"] = DeliveryForm(lines=purchase.lines.all(), prefix="deliver")
    if S.RECEIVED in steps:
        forms["receive"] = DateForm(prefix="receive")
    if S.PAYMENT_RECORDED in steps:
        forms["pay"] = PaymentForm(prefix="pay")
    if S.PAID in steps:
        forms["confirm_paid"] = True
    if S.DISPUTED in steps:
        forms["dispute"] = ReasonForm(prefix="dispute")
    if user.role in DINAS and purchase.status == S.PAID:
        if purchase.verified_at is None:
            forms["verify"] = True
        forms["correct"] = CorrectionForm(
            prefix="correct",
            initial={
                "total": purchase.total,
                "paid_on": purchase.paid_on,
                "invoice_number": purchase.invoice_number,
            },
        )
    return forms


@role_required(*BOTH_SIDES)
def purchase_detail(request, public_id):
    purchase = get_purchase_for_user(request.user, public_id)
    context = {
        "purchase": purchase,
        "lines": purchase.lines.all(),
        "deliveries": purchase.deliveries.all(),
        "revisions": purchase.revisions.select_related("officer"),
        "actions": _actions(purchase, request.user),
        "flag_labels": flags.labels(purchase.flags),
        "history": history_for(purchase)[:50],
        "is_dinas": request.user.role in DINAS,
    }
    return render(request, "bebeli/purchase_detail.html", context)


STEPS = {
    "accept",
    "decline",
    "cancel",
    "deliver",
    "receive",
    "pay",
    "confirm_paid",
    "dispute",
    "verify",
    "correct",
}


def _run_step(request, purchase: Purchase, step: str) -> bool:
    user, post = request.user, request.POST
    if step == "accept":
        services.accept_order(purchase=purchase, user=user)
        return True
    if step == "confirm_paid":
        services.confirm_paid(purchase=purchase, user=user)
        return True
    if step == "verify":
        if user.role not in DINAS:
            raise Http404
        services.verify_purchase(purchase=purchase, officer=user)
        return True
    form_class = {
        "decline": ReasonForm,
        "cancel": ReasonForm,
        "dispute": ReasonForm,
        "receive": DateForm,
        "pay": PaymentForm,
        "correct": CorrectionForm,
    }.get(step)
    if step == "deliver":
        form = DeliveryForm(post, request.FILES, lines=purchase.lines.all(), prefix="deliver")
    else:
        form = form_class(post, prefix=step)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return False
    data = form.cleaned_data
    if step == "decline":
        services.decline_order(purchase=purchase, user=user, reason=data["reason"])
    elif step == "cancel":
        services.cancel_purchase(purchase=purchase, user=user, reason=data["reason"])
    elif step == "dispute":
        services.dispute_purchase(purchase=purchase, user=user, reason=data["reason"])
    elif step == "receive":
        services.confirm_receipt(purchase=purchase, user=user, on=data["on"])
    elif step == "pay":
        services.record_payment(purchase=purchase, user=user, on=data["on"], reference=data["reference"])
    elif step == "deliver":
        services.record_delivery(purchase=purchase, user=user, quantities=form.quantities(), on=data["on"],
                                 note=data["note"], photo=data["photo"])  # fmt: skip
    elif step == "correct":
        if user.role not in DINAS:
            raise Http404
        changes = {k: data[k] for k in ("total", "paid_on", "invoice_number")}
        services.correct_purchase(purchase=purchase, officer=user, reason=data["reason"], changes=changes)
    return True


@require_POST
@role_required(*BOTH_SIDES)
def purchase_step(request, public_id, step):
    if step not in STEPS:
        raise Http404
    purchase = get_purchase_for_user(request.user, public_id)
    try:
        if _run_step(request, purchase, step):
            messages.success(request, _("Saved."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("bebeli:purchase_detail", public_id=purchase.public_id)


@role_required(*DINAS)
def purchase_record(request, pk: int):
    """The sales channel's link to one record: the purchase page, if in scope."""
    purchase = get_object_or_404(purchases_for_user(request.user), pk=pk)
    return redirect("bebeli:purchase_detail", public_id=purchase.public_id)


# --- the officers' pages ----------------------------------------------------------------------------


@role_required(*DINAS)
def queue(request):
    """Paid purchases waiting for verification, oldest first, with their age and flags."""
    qs = (
        purchases_for_user(request.user)
        .completed()
        .filter(verified_at__isnull=True)
        .select_related("organisation", "sme")
        .order_by("payment_confirmed_at", "id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "bebeli/queue.html", {"page": page, "now": timezone.now(), "flag_labels": flags.LABELS}
    )


def _year(request) -> int:
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return timezone.localdate().year


def _scope(user):
    return None if user.role == Role.ADMIN or not user.kecamatan.exists() else purchases_for_user(user)


@role_required(*DINAS)
def report(request):
    report = reports.build(year=_year(request), scope=_scope(request.user))
    years = range(2023, timezone.localdate().year + 1)
    return render(request, "bebeli/report.html", {"report": report, "years": years})


@role_required(*DINAS)
def report_xlsx(request):
    report = reports.build(year=_year(request), scope=_scope(request.user))
    return attachment(xlsx.build_workbook(report), f"bebeli-{report.year}-{dt.date.today():%Y%m%d}.xlsx")


# --- buyer organisations ------------------------------------------------------------------------------


def organisations_for_user(user):
    """Dinas staff keep every buyer organisation: units buy across the regency, so an officer's
    kecamatan scope (which limits SMEs) does not narrow them. Nobody else reaches these pages."""
    return BuyerOrganisation.objects.all() if user.is_dinas else BuyerOrganisation.objects.none()


def get_organisation_for_user(user, public_id) -> BuyerOrganisation:
    return get_object_or_404(organisations_for_user(user).select_related("kecamatan"), public_id=public_id)


@role_required(*DINAS)
def organisation_list(request):
    year = timezone.localdate().year
    budget = BuyerBudget.objects.filter(organisation=OuterRef("pk"), year=year)
    form = OrganisationFilterForm(request.GET)
    organisations = (
        form.apply(organisations_for_user(request.user))
        .select_related("kecamatan")
        .annotate(
            member_count=Count("members", distinct=True),
            budget=Subquery(budget.values("goods_services")[:1]),
            local_target=Subquery(budget.values("local_target")[:1]),
        )
        .order_by("-is_active", "name", "id")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page")),
        "page_query": query.urlencode(),
        "year": year,
    }
    return render(request, "bebeli/organisation_list.html", context)


def _organisation_form_page(request, organisation: BuyerOrganisation | None):
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            if organisation is None:
                organisation = organisations.create_organisation(
                    actor=request.user, data=form.service_data(), budget=form.budget()
                )
                messages.success(request, _("The buyer organisation is registered. Add its buyer users."))
            else:
                organisations.update_organisation(
                    organisation=organisation,
                    actor=request.user,
                    data=form.service_data(),
                    budget=form.budget(),
                )
                messages.success(request, _("The changes are saved."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("bebeli:organisation_detail", public_id=organisation.public_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "bebeli/organisation_form.html", {"form": form, "organisation": organisation}, status=status
    )


@role_required(*DINAS)
def organisation_create(request):
    return _organisation_form_page(request, None)


@role_required(*DINAS)
def organisation_edit(request, public_id):
    return _organisation_form_page(request, get_organisation_for_user(request.user, public_id))


def _organisation_context(request, organisation: BuyerOrganisation, **extra) -> dict:
    context = {
        "organisation": organisation,
        "budgets": organisation.budgets.order_by("-year"),
        "members": organisation.members.order_by("username"),
        "member_form": MemberForm(organisation=organisation),
        "deactivate_form": DeactivateForm(),
        "history": history_for(organisation).select_related("actor")[:50],
    }
    context.update(extra)
    return context


@role_required(*DINAS)
def organisation_detail(request, public_id):
    organisation = get_organisation_for_user(request.user, public_id)
    return render(request, "bebeli/organisation_detail.html", _organisation_context(request, organisation))


@role_required(*DINAS)
@require_POST
def organisation_members(request, public_id):
    organisation = get_organisation_for_user(request.user, public_id)
    if request.POST.get("action") == "remove":
        user = get_object_or_404(organisation.members, username=request.POST.get("user", ""))
        organisations.remove_member(organisation=organisation, user=user, actor=request.user)
        messages.success(
            request,
            _("%(user)s no longer buys for this organisation.") % {"user": user.get_full_name() or user},
        )
        return redirect("bebeli:organisation_detail", public_id=organisation.public_id)
    form = MemberForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            for user in form.cleaned_data["users"]:
                organisations.add_member(organisation=organisation, user=user, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The buyer users are added."))
            return redirect("bebeli:organisation_detail", public_id=organisation.public_id)
    context = _organisation_context(request, organisation, member_form=form)
    return render(request, "bebeli/organisation_detail.html", context, status=400)


@role_required(*DINAS)
@require_POST
def organisation_status(request, public_id):
    organisation = get_organisation_for_user(request.user, public_id)
    if request.POST.get("action") == "reactivate":
        organisations.set_active(organisation=organisation, active=True, actor=request.user)
        messages.success(request, _("The organisation is active again."))
        return redirect("bebeli:organisation_detail", public_id=organisation.public_id)
    form = DeactivateForm(request.POST)
    if form.is_valid():
        organisations.set_active(
            organisation=organisation, active=False, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The organisation is deactivated: its users can no longer order for it."))
        return redirect("bebeli:organisation_detail", public_id=organisation.public_id)
    context = _organisation_context(request, organisation, deactivate_form=form)
    return render(request, "bebeli/organisation_detail.html", context, status=400)
