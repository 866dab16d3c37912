"""/registry/review/: what waits for an officer — verifications, claims, owners' changes, duplicates."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sentra.core.masking import mask_phone
from sentra.core.permissions import DINAS, role_required
from sentra.regions.models import Region

from . import claims
from .duplicates import (
    MergeError,
    find_duplicates,
    load_smes,
    merge_smes,
    preview_merge,
    similar_names_affordable,
)
from .models import ChangeRequest, ClaimRequest, Decision, Sme
from .owner_forms import ReasonForm

QUEUE_LENGTH = 50
GROUPS_PER_PAGE = 20


def get_sme_for_review(user, public_id) -> Sme:
    """An SME in the officer's area, by its public id; out of scope or malformed answers 404."""
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    return get_object_or_404(
        Sme.objects.for_user(user).select_related("owner", "kecamatan", "desa"), public_id=public_id
    )


def get_claim_for_user(user, pk) -> ClaimRequest:
    return get_object_or_404(
        ClaimRequest.objects.filter(sme__in=Sme.objects.for_user(user)).select_related(
            "sme", "sme__kecamatan", "user"
        ),
        pk=pk,
    )


def get_change_request_for_user(user, pk) -> ChangeRequest:
    return get_object_or_404(
        ChangeRequest.objects.filter(sme__in=Sme.objects.for_user(user)).select_related(
            "sme", "sme__kecamatan", "sme__desa", "requested_by"
        ),
        pk=pk,
    )


@role_required(*DINAS)
def queue(request):
    scope = Sme.objects.for_user(request.user)
    submitted = scope.filter(status=Sme.Status.SUBMITTED).select_related("owner", "kecamatan", "desa")
    pending_claims = (
        ClaimRequest.objects.filter(status=Decision.PENDING, sme__in=scope)
        .select_related("sme", "sme__kecamatan", "user")
        .order_by("created_at")
    )
    pending_changes = (
        ChangeRequest.objects.filter(status=Decision.PENDING, sme__in=scope)
        .select_related("sme", "sme__kecamatan", "sme__desa", "requested_by")
        .order_by("created_at")
    )
    changes = list(pending_changes[:QUEUE_LENGTH])
    rows = claims.describe_changes(changes, masked=True)
    context = {
        "submitted": submitted.order_by("updated_at")[:QUEUE_LENGTH],
        "submitted_total": submitted.count(),
        "claims": pending_claims[:QUEUE_LENGTH],
        "claims_total": pending_claims.count(),
        "changes": [(cr, rows[cr.pk]) for cr in changes],
        "changes_total": pending_changes.count(),
        "reason_form": ReasonForm(),
        "queue_length": QUEUE_LENGTH,
    }
    return render(request, "registry/review/queue.html", context)


def _decided(request, action, success) -> bool:
    try:
        action()
    except claims.OwnerActionError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


@role_required(*DINAS)
@require_POST
def claim_approve(request, pk):
    claim = get_claim_for_user(request.user, pk)
    _decided(
        request,
        lambda: claims.approve_claim(claim=claim, officer=request.user),
        _("Claim approved: the business is linked to the owner's account."),
    )
    return redirect("review:queue")


@role_required(*DINAS)
def claim_reject(request, pk):
    claim = get_claim_for_user(request.user, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        _decided(
            request,
            lambda: claims.reject_claim(claim=claim, officer=request.user, reason=reason),
            _("Claim rejected."),
        )
        return redirect("review:queue")
    return render(request, "registry/review/claim_reject.html", {"claim": claim, "form": form})


@role_required(*DINAS)
@require_POST
def change_approve(request, pk):
    change_request = get_change_request_for_user(request.user, pk)
    _decided(
        request,
        lambda: claims.approve_change_request(change_request=change_request, officer=request.user),
        _("Changes approved and applied to the record."),
    )
    return redirect("review:queue")


@role_required(*DINAS)
def change_reject(request, pk):
    change_request = get_change_request_for_user(request.user, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        _decided(
            request,
            lambda: claims.reject_change_request(
                change_request=change_request, officer=request.user, reason=reason
            ),
            _("Changes rejected; the record keeps its values."),
        )
        return redirect("review:queue")
    rows = claims.describe_changes([change_request], masked=True)[change_request.pk]
    return render(
        request,
        "registry/review/change_reject.html",
        {"change_request": change_request, "rows": rows, "form": form},
    )


def kecamatan_choices(user):
    """The kecamatan an officer may narrow a page to: their own, or all of their regency."""
    choices = Region.objects.kecamatan().order_by("name")
    scope = user.kecamatan_scope()
    if scope is not None:
        return choices.filter(pk__in=scope)
    return choices.filter(parent_id=user.regency_id) if user.regency_id else choices.in_home_regency()


@role_required(*DINAS)
def duplicates(request):
    choices = kecamatan_choices(request.user)
    chosen = request.GET.get("kecamatan", "")
    kecamatan = choices.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    similar_names = similar_names_affordable(user=request.user, kecamatan=kecamatan)
    groups = find_duplicates(user=request.user, kecamatan=kecamatan, similar_names=similar_names)
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = load_smes(page.object_list)
    context = {
        "page": page,
        "total": len(groups),
        "choices": choices,
        "kecamatan": kecamatan,
        "similar_names": similar_names,
    }
    return render(request, "registry/review/duplicates.html", context)


# Side by side on the merge page; personal data stays masked (the record page can reveal it, logged).
COMPARED_FIELDS = (
    "name",
    "brand",
    "owner",
    "nib",
    "npwp",
    "phone",
    "address",
    "desa",
    "kecamatan",
    "kbli_code",
    "products",
    "capital",
    "turnover",
    "scale",
    "status",
    "source",
)


def _comparison(keep: Sme, merge: Sme) -> list[dict]:
    filled = set(preview_merge(keep=keep, merge=merge))

    def shown(sme: Sme, name: str):
        if name == "phone":
            return mask_phone(sme.phone)
        display = getattr(sme, f"get_{name}_display", None)
        return display() if display else getattr(sme, name)

    return [
        {
            "label": Sme._meta.get_field(name).verbose_name,
            "keep": shown(keep, name),
            "merge": shown(merge, name),
            "filled": name in filled,
            "is_money": name in claims.MONEY_FIELDS,
        }
        for name in COMPARED_FIELDS
    ]


@role_required(*DINAS)
def merge(request):
    source = request.POST if request.method == "POST" else request.GET
    keep = get_sme_for_review(request.user, source.get("keep"))
    other = get_sme_for_review(request.user, source.get("merge"))
    form = ReasonForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            merge_smes(keep=keep, merge=other, officer=request.user, reason=form.cleaned_data["reason"])
        except MergeError as exc:
            error = exc.message
        else:
            messages.success(request, _("%(merged)s was merged into this record.") % {"merged": other.name})
            return redirect("registry:sme_detail", public_id=keep.public_id)
    if error is None and keep.pk == other.pk:
        error = _("A record cannot be merged into itself.")
    context = {
        "keep": keep,
        "other": other,
        "form": form,
        "error": error,
        "rows": _comparison(keep, other) if keep.pk != other.pk else [],
        "counts": {
            "keep": {"permits": keep.permits.count(), "accounts": keep.accounts.count()},
            "merge": {"permits": other.permits.count(), "accounts": other.accounts.count()},
        },
    }
    return render(request, "registry/review/merge.html", context)
