"""/partner/: what a partner user works on for their organisation, and SMEs reached with consent.

A partner user signs in for an organisation (`Partner.users`); with several, they choose one, kept
in the session. Every page that shows an SME asks `consent.consenting_smes(partner)` again, so a
withdrawal hides the SME at once — from a search page, its htmx results, a profile and the offer
form alike — and an SME without consent answers 404, exactly like one that does not exist.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.core.permissions import role_required
from sentra.registry.models import Sme

from . import consent, services
from .forms import OfferForm, PartnerSmeFilterForm, WithdrawOfferForm
from .models import Agreement, Offer, Partner
from .views import is_partial, page_of, query_without

SESSION_KEY = "sentra_partner"
SEARCH_PAGE_SIZE = 20
# What a search result row shows: nothing else of a wide row is read.
RESULT_COLUMNS = (
    "public_id",
    "name",
    "brand",
    "kecamatan__name",
    "kbli_category",
    "kbli_code",
    "scale",
    "nib",
    "products",
    "main_activity",
)


def organisations(user):
    return Partner.objects.of_user(user).active().order_by("name")


def current_partner(request) -> Partner | None:
    """The organisation the partner user acts for: the one chosen, or their first."""
    chosen = request.session.get(SESSION_KEY)
    partners = list(organisations(request.user))
    return next((p for p in partners if str(p.public_id) == chosen), partners[0] if partners else None)


def get_current_partner(request) -> Partner:
    partner = current_partner(request)
    if partner is None:
        raise Http404(_("Your account is not linked to an organisation yet."))
    return partner


def get_consenting_sme(partner: Partner, public_id) -> Sme:
    """An SME that lets this partner's kind find it; any other answers 404, whether it exists or not."""
    return get_object_or_404(
        consent.consenting_smes(partner).select_related("kecamatan", "desa", "owner"), public_id=public_id
    )


def home_context(request) -> dict:
    """The partner's home page: its organisation, agreements, foster assignments and offers."""
    partner = current_partner(request)
    if partner is None:
        return {"partner": None}
    partners = list(organisations(request.user))
    today = timezone.localdate()
    agreements = partner.agreements.exclude(status=Agreement.Status.DRAFT).annotate(
        activity_count=Count("activities")
    )
    offers = partner.offers.values_list("status").annotate(n=Count("id")).order_by()
    return {
        "partner": partner,
        "partners": partners,
        "agreements": [(a, a.state_label(today)) for a in agreements.order_by("-ends_on")],
        "fosters": partner.foster_assignments.select_related("kecamatan").annotate(
            activity_count=Count("activities", distinct=True)
        ),
        "offer_counts": dict(offers),
        "recent_answers": partner.offers.filter(status__in=[Offer.Status.ACCEPTED, Offer.Status.DECLINED])
        .filter(sme__in=consent.consenting_smes(partner))
        .select_related("sme")
        .order_by("-answered_at")[:5],
        "reachable": consent.consenting_smes(partner).count(),
    }


@role_required(Role.PARTNER)
@require_POST
def switch(request):
    chosen = request.POST.get("partner", "")
    if any(str(p.public_id) == chosen for p in organisations(request.user)):
        request.session[SESSION_KEY] = chosen
    return redirect("home")


@role_required(Role.PARTNER)
def find_smes(request):
    partner = get_current_partner(request)
    form = PartnerSmeFilterForm(request.GET)
    smes = form.apply(consent.consenting_smes(partner)).select_related("kecamatan").only(*RESULT_COLUMNS)
    page = page_of(smes.order_by("name", "id"), request, SEARCH_PAGE_SIZE)
    rows = list(page)
    permits = consent.valid_permit_kinds(rows)
    for sme in rows:
        sme.valid_permits = permits[sme.pk]
    consent.log_search(user=request.user, partner=partner, shown=len(rows), filters=form.logged())
    context = {
        "partner": partner,
        "form": form,
        "page": page,
        "rows": rows,
        "page_query": query_without(request, "page"),
    }
    template = (
        "partners/partner/_sme_results.html" if is_partial(request) else "partners/partner/find_smes.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _profile_context(partner: Partner, sme: Sme) -> dict:
    fields = sme.shared_fields or []
    permits = sme.permits.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))
    return {
        "partner": partner,
        "sme": sme,
        "sections": consent.profile_rows(sme, fields),
        "permits": permits.order_by("kind", "-expires_on"),
        "show_numbers": "numbers" in fields,
        "offers": Offer.objects.filter(partner=partner, sme=sme).order_by("-sent_at"),
    }


@role_required(Role.PARTNER)
def sme_profile(request, public_id):
    partner = get_current_partner(request)
    sme = get_consenting_sme(partner, public_id)
    consent.log_profile_view(user=request.user, partner=partner, sme=sme, fields=sme.shared_fields or [])
    return render(request, "partners/partner/sme_profile.html", _profile_context(partner, sme))


@role_required(Role.PARTNER)
def offer_create(request, public_id):
    partner = get_current_partner(request)
    sme = get_consenting_sme(partner, public_id)
    data = request.POST if request.method == "POST" else None
    form = OfferForm(data)
    if data is not None and form.is_valid():
        try:
            offer = services.send_offer(
                partner=partner, sme=sme, actor=request.user, data=form.service_data()
            )
        except services.NoConsent:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The offer is sent. The SME sees it on its phone and answers here."))
            return redirect("partner:offer_detail", public_id=offer.public_id)
    return render(
        request,
        "partners/partner/offer_form.html",
        {"partner": partner, "sme": sme, "form": form},
        status=400 if data is not None else 200,
    )


def _offers_of(partner: Partner):
    """The partner's offers, each knowing whether its SME still shares with the partner."""
    return partner.offers.annotate(
        shared=Q(sme__in=consent.consenting_smes(partner).values("pk")),
    ).select_related("sme", "sme__kecamatan", "sent_by")


@role_required(Role.PARTNER)
def offer_list(request):
    partner = get_current_partner(request)
    offers = _offers_of(partner)
    status = request.GET.get("status", "")
    if status in Offer.Status.values:
        offers = offers.filter(status=status)
    context = {
        "partner": partner,
        "page": page_of(offers.order_by("-sent_at", "-id"), request),
        "page_query": query_without(request, "page"),
        "status": status,
        "statuses": Offer.Status.choices,
        "today": timezone.localdate(),
    }
    return render(request, "partners/partner/offer_list.html", context)


def get_offer_for_partner(partner: Partner, public_id) -> Offer:
    return get_object_or_404(_offers_of(partner), public_id=public_id)


@role_required(Role.PARTNER)
def offer_detail(request, public_id):
    partner = get_current_partner(request)
    offer = get_offer_for_partner(partner, public_id)
    context = {
        "partner": partner,
        "offer": offer,
        "today": timezone.localdate(),
        "withdraw_form": WithdrawOfferForm(),
    }
    return render(request, "partners/partner/offer_detail.html", context)


@role_required(Role.PARTNER)
@require_POST
def offer_withdraw(request, public_id):
    partner = get_current_partner(request)
    offer = get_offer_for_partner(partner, public_id)
    form = WithdrawOfferForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_offer(offer=offer, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The offer is withdrawn."))
            return redirect("partner:offer_detail", public_id=offer.public_id)
    context = {
        "partner": partner,
        "offer": offer,
        "today": timezone.localdate(),
        "withdraw_form": form,
        "open_withdraw": True,
    }
    return render(request, "partners/partner/offer_detail.html", context, status=400)
