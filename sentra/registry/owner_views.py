"""/my/: an SME owner's own businesses — register, edit, submit for verification, claim."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.core.permissions import DINAS, role_required
from sentra.regions.models import Region

from . import claims
from .models import ClaimRequest, Decision, Sme
from .owner_forms import ClaimByNibForm, ClaimByNikForm, OwnerSmeForm

EDIT_MESSAGES = {
    claims.EditOutcome.APPLIED: _("Your changes are saved."),
    claims.EditOutcome.REQUESTED: _(
        "Your changes were sent to the Dinas for review. The record keeps its verified values until an "
        "officer approves them."
    ),
    claims.EditOutcome.UNCHANGED: _("Nothing was changed."),
}


def get_own_sme_for_user(user, public_id) -> Sme:
    """An SME linked to this owner's account; any other record answers 404, whether it exists or not."""
    return get_object_or_404(
        Sme.objects.for_user(user).select_related("kecamatan", "desa"), public_id=public_id
    )


@role_required(Role.SME_OWNER)
def my_smes(request):
    smes = (
        Sme.objects.for_user(request.user)
        .select_related("kecamatan", "desa")
        .annotate(
            pending_changes=Count("change_requests", filter=Q(change_requests__status=Decision.PENDING))
        )
    )
    # Undecided and refused claims only: an approved claim shows as a business above.
    open_claims = (
        ClaimRequest.objects.filter(user=request.user)
        .exclude(status=Decision.APPROVED)
        .select_related("sme", "sme__kecamatan")
    )
    return render(request, "registry/owner/my_smes.html", {"smes": smes, "claims": open_claims})


@role_required(Role.SME_OWNER)
def sme_create(request):
    form = OwnerSmeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        sme = claims.create_own_sme(user=request.user, data=form.cleaned_data)
        messages.success(
            request, _("Your business is saved as a draft. Submit it for verification when it is complete.")
        )
        return redirect("owner:sme_overview", public_id=sme.public_id)
    return render(request, "registry/owner/sme_form.html", {"form": form, "sme": None})


@role_required(Role.SME_OWNER)
def sme_overview(request, public_id):
    sme = get_own_sme_for_user(request.user, public_id)
    pending = claims.pending_change_request(sme)
    rows = claims.describe_changes([pending])[pending.pk] if pending else []
    return render(
        request,
        "registry/owner/sme_overview.html",
        {
            "sme": sme,
            "pending": pending,
            "pending_rows": rows,
            "can_submit": sme.status in claims.SUBMITTABLE,
            "last_decision": sme.change_requests.exclude(status=Decision.PENDING)
            .order_by("-decided_at")
            .first(),
        },
    )


@role_required(Role.SME_OWNER)
def sme_edit(request, public_id):
    sme = get_own_sme_for_user(request.user, public_id)
    if sme.status == Sme.Status.INACTIVE:
        messages.error(request, _("This business is inactive. Contact the Dinas to reopen it."))
        return redirect("owner:sme_overview", public_id=sme.public_id)
    pending = claims.pending_change_request(sme)
    form = OwnerSmeForm(
        request.POST or None, user=request.user, sme=sme, initial=claims.owner_form_initial(sme, pending)
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = claims.edit_own_sme(sme=sme, user=request.user, data=form.cleaned_data)
        except claims.OwnerActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, EDIT_MESSAGES[outcome])
        return redirect("owner:sme_overview", public_id=sme.public_id)
    return render(request, "registry/owner/sme_form.html", {"form": form, "sme": sme, "pending": pending})


@role_required(Role.SME_OWNER)
@require_POST
def sme_submit(request, public_id):
    sme = get_own_sme_for_user(request.user, public_id)
    try:
        claims.submit_sme(sme=sme, user=request.user)
    except claims.OwnerActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Submitted. An officer will check the record and verify it."))
    return redirect("owner:sme_overview", public_id=sme.public_id)


@role_required(Role.SME_OWNER)
def claim(request):
    method = request.POST.get("method") if request.method == "POST" else None
    by_nib = ClaimByNibForm(request.POST if method == "nib" else None)
    by_nik = ClaimByNikForm(request.POST if method == "nik" else None)
    result = None
    form = {"nib": by_nib, "nik": by_nik}.get(method)
    if form is not None and form.is_valid():
        try:
            if method == "nib":
                result = claims.claim_by_nib(user=request.user, nib=form.cleaned_data["nib"])
            else:
                result = claims.claim_by_nik(user=request.user, nik=form.cleaned_data["nik"])
        except claims.ClaimLimitReached as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "registry/owner/claim.html",
        {"by_nib": by_nib, "by_nik": by_nik, "result": result, "method": method},
    )


@role_required(Role.SME_OWNER, *DINAS)
def desa_options(request):
    """The desa of one kecamatan as <option>s, for the htmx-narrowed desa picker."""
    chosen = request.GET.get("kecamatan", "")
    kecamatan = Region.objects.kecamatan().filter(pk=int(chosen) if chosen.isdigit() else None)
    if request.user.regency_id:
        kecamatan = kecamatan.filter(parent_id=request.user.regency_id)
    desa = Region.objects.desa().filter(parent__in=kecamatan).order_by("name")
    return render(request, "registry/owner/_desa_options.html", {"desa": desa})
