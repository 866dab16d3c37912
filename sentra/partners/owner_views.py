"""/my/partners/: an SME owner chooses, on their phone, who may find their businesses; answers offers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import Role
from sentra.core.permissions import role_required
from sentra.registry.models import Sme
from sentra.registry.owner_views import get_own_sme_for_user

from . import consent, services
from .forms import AnswerForm, ConsentForm
from .models import ConsentGrant, Offer, Partner

HISTORY_LENGTH = 20


def _kind_labels(kinds) -> list[str]:
    return [Partner.Kind(k).label for k in consent.clean_kinds(kinds)]


def _field_labels(fields) -> list[str]:
    return [consent.SHAREABLE[f].label for f in consent.clean_fields(fields)]


@role_required(Role.SME_OWNER)
def overview(request):
    smes = (
        Sme.objects.for_user(request.user)
        .select_related("kecamatan")
        .prefetch_related(Prefetch("partner_consents", queryset=ConsentGrant.objects.order_by("kind")))
        .order_by("name")
    )
    rows = []
    for sme in smes:
        grants = list(sme.partner_consents.all())
        rows.append(
            {
                "sme": sme,
                "kinds": _kind_labels(g.kind for g in grants),
                "fields": _field_labels(grants[0].fields) if grants else [],
            }
        )
    offers = (
        Offer.objects.filter(sme__in=Sme.objects.for_user(request.user))
        .select_related("partner", "sme")
        .order_by("-sent_at")
    )
    today = timezone.localdate()
    return render(
        request,
        "partners/owner/overview.html",
        {
            "rows": rows,
            "open_offers": [o for o in offers if o.is_open(today)],
            "other_offers": [o for o in offers if not o.is_open(today)][:20],
            "today": today,
        },
    )


@role_required(Role.SME_OWNER)
def consent_edit(request, public_id):
    sme = get_own_sme_for_user(request.user, public_id)
    grants = list(ConsentGrant.objects.filter(sme=sme))
    current = {"kinds": [g.kind for g in grants], "shared": grants[0].fields if grants else []}
    if request.method == "POST":
        withdraw_all = request.POST.get("action") == "withdraw"
        form = ConsentForm(request.POST if not withdraw_all else {})
        if form.is_valid():
            event = services.set_consent(
                sme=sme,
                actor=request.user,
                kinds=form.cleaned_data["kinds"],
                fields=form.cleaned_data["shared"],
            )
            if event is None:
                messages.info(request, _("Nothing was changed."))
            elif not event.kinds:
                messages.success(request, _("Consent withdrawn: no partner can find your business any more."))
            else:
                messages.success(request, _("Saved. Only the partners you chose can find your business."))
            return redirect("sme_partners:consent", public_id=sme.public_id)
    else:
        form = ConsentForm(initial=current)
    history = [
        (event, _kind_labels(event.kinds), _field_labels(event.fields))
        for event in sme.consent_history.select_related("by")[:HISTORY_LENGTH]
    ]
    context = {
        "sme": sme,
        "form": form,
        "current_kinds": _kind_labels(current["kinds"]),
        "history": history,
        "shareable": consent.SHAREABLE.values(),
    }
    return render(request, "partners/owner/consent.html", context, status=400 if form.errors else 200)


def get_own_offer(user, public_id) -> Offer:
    return get_object_or_404(
        Offer.objects.filter(sme__in=Sme.objects.for_user(user)).select_related("partner", "sme"),
        public_id=public_id,
    )


@role_required(Role.SME_OWNER)
def offer(request, public_id):
    offer = get_own_offer(request.user, public_id)
    today = timezone.localdate()
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_offer(
                offer=offer,
                actor=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Your answer is sent to %(partner)s.") % {"partner": offer.partner.name}
            )
            return redirect("sme_partners:offer", public_id=offer.public_id)
    context = {"offer": offer, "form": form, "answerable": offer.is_open(today), "today": today}
    return render(request, "partners/owner/offer.html", context, status=400 if form.errors else 200)
