"""/catalog/: what officers do with the catalogue — curation, inquiries, promotion events."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.core.audit import history_for
from sentra.core.permissions import DINAS, role_required
from sentra.registry.models import Sme

from . import services
from .forms import (
    CancelEventForm,
    EventForm,
    EventSaleForm,
    InviteForm,
    NoteForm,
    ParticipationForm,
    ReturnForm,
)
from .models import EventParticipant, EventSale, Inquiry, Product, PromotionEvent
from .owner_views import _labels_response, get_inquiry_for_user, get_product_for_user

QUEUE_PAGE = 30
FIELD_LABELS = {name: Product._meta.get_field(name).verbose_name for name in services.CURATED_FIELDS}


@role_required(*DINAS)
def queue(request):
    waiting = (
        Product.objects.for_user(request.user)
        .waiting_for_curation()
        .select_related("sme", "sme__kecamatan", "category")
        .order_by("submitted_at", "id")
    )
    page = Paginator(waiting, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(request, "catalog/officer/queue.html", {"page": page})


def _pending_rows(product: Product) -> list[dict]:
    return [
        {
            "label": FIELD_LABELS.get(field, field),
            "old": getattr(product, field, ""),
            "new": value,
            "money": field == "price",
        }
        for field, value in product.pending_changes.items()
    ]


@role_required(*DINAS)
def review(request, public_id):
    product = get_product_for_user(request.user, public_id)
    context = {
        "product": product,
        "photos": product.photos.all(),
        "rows": _pending_rows(product),
        "approve_form": NoteForm(),
        "return_form": ReturnForm(),
        "history": history_for(product)[:20],
        "sme_verified": product.sme.status == Sme.Status.VERIFIED and not product.sme.merged_into_id,
    }
    return render(request, "catalog/officer/review.html", context)


@role_required(*DINAS)
@require_POST
def approve(request, public_id):
    product = get_product_for_user(request.user, public_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.approve_product(product=product, officer=request.user, note=note)
    except services.CatalogError as exc:
        messages.error(request, exc.message)
        return redirect("catalog_officer:review", product.public_id)
    messages.success(request, _("%(product)s is published.") % {"product": product.name})
    return redirect("catalog_officer:queue")


@role_required(*DINAS)
@require_POST
def send_back(request, public_id):
    product = get_product_for_user(request.user, public_id)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell the owner what to change."))
        return redirect("catalog_officer:review", product.public_id)
    try:
        services.return_product(product=product, officer=request.user, note=form.cleaned_data["note"])
    except services.CatalogError as exc:
        messages.error(request, exc.message)
        return redirect("catalog_officer:review", product.public_id)
    messages.success(request, _("Returned to the owner with your note."))
    return redirect("catalog_officer:queue")


@role_required(*DINAS)
def sme_labels(request, public_id):
    sme = get_object_or_404(Sme.objects.for_user(request.user), public_id=public_id)
    return _labels_response(request, sme)


@role_required(*DINAS)
def inquiries(request):
    rows = (
        Inquiry.objects.filter(sme__in=Sme.objects.for_user(request.user))
        .select_related("sme", "product")
        .order_by("-created_at", "-id")
    )
    status = request.GET.get("status", "")
    if status in Inquiry.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/officer/inquiries.html",
        {"page": page, "status": status, "statuses": Inquiry.Status.choices},
    )


@role_required(*DINAS)
def inquiry_detail(request, public_id):
    inquiry = get_inquiry_for_user(request.user, public_id)
    return render(
        request,
        "catalog/officer/inquiry.html",
        {"inquiry": inquiry, "replies": inquiry.replies.select_related("author")},
    )


# --- events ------------------------------------------------------------------------------------


def get_event_for_user(user, slug) -> PromotionEvent:
    events = PromotionEvent.objects.select_related("partner")
    if user.regency_id:
        events = events.filter(regency_id=user.regency_id)
    return get_object_or_404(events, slug=slug)


@role_required(*DINAS)
def event_list(request):
    events = PromotionEvent.objects.annotate(
        taking_part=Count(
            "participants", filter=~Q(participants__status=EventParticipant.Status.DECLINED), distinct=True
        ),
        sales_total=Sum("participants__sales__amount"),
    ).order_by("-starts_on", "-id")
    if request.user.regency_id:
        events = events.filter(regency_id=request.user.regency_id)
    page = Paginator(events, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(request, "catalog/officer/events.html", {"page": page})


@role_required(*DINAS)
def event_create(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = services.create_event(
            actor=request.user, data={**form.cleaned_data, "regency_id": request.user.regency_id}
        )
        messages.success(request, _("Event saved. Invite the SMEs that take part."))
        return redirect("catalog_officer:event", event.slug)
    return render(request, "catalog/officer/event_form.html", {"form": form})


@role_required(*DINAS)
def event_edit(request, slug):
    event = get_event_for_user(request.user, slug)
    if event.is_cancelled:
        messages.error(request, _("This event was cancelled; it cannot be changed any more."))
        return redirect("catalog_officer:event", event.slug)
    form = EventForm(request.POST or None, instance=PromotionEvent.objects.get(pk=event.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(event=event, actor=request.user, data=form.cleaned_data)
        except services.CatalogError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Event saved."))
            return redirect("catalog_officer:event", event.slug)
    return render(request, "catalog/officer/event_form.html", {"form": form, "event": event})


@role_required(*DINAS)
@require_POST
def event_cancel(request, slug):
    event = get_event_for_user(request.user, slug)
    form = CancelEventForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for cancelling the event."))
        return redirect("catalog_officer:event", event.slug)
    try:
        services.cancel_event(event=event, actor=request.user, reason=form.cleaned_data["reason"])
    except services.CatalogError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Event cancelled. The SMEs taking part are told."))
    return redirect("catalog_officer:event", event.slug)


@role_required(*DINAS)
def event_detail(request, slug):
    event = get_event_for_user(request.user, slug)
    participants = (
        event.participants.select_related("sme", "sme__kecamatan")
        .annotate(total=Sum("sales__amount"), reports=Count("sales"))
        .order_by("sme__name")
    )
    in_scope = (
        Sme.objects.for_user(request.user)
        .verified()
        .exclude(event_participations__event=event)
        .order_by("name")
    )
    context = {
        "event": event,
        "participants": participants,
        "invite_form": InviteForm(smes=in_scope[:200]),
        "sale_form": EventSaleForm(),
        "total": EventSale.objects.filter(participant__event=event).aggregate(total=Sum("amount"))["total"]
        or 0,
        "statuses": EventParticipant.Status.choices,
        "cancel_form": CancelEventForm(),
    }
    return render(request, "catalog/officer/event.html", context)


@role_required(*DINAS)
@require_POST
def event_invite(request, slug):
    event = get_event_for_user(request.user, slug)
    form = InviteForm(request.POST, smes=Sme.objects.for_user(request.user).verified())
    if form.is_valid():
        count = services.invite_smes(event=event, smes=form.cleaned_data["smes"], actor=request.user)
        messages.success(request, _("%(count)s SMEs invited.") % {"count": count})
    else:
        messages.error(request, _("Choose the SMEs to invite."))
    return redirect("catalog_officer:event", event.slug)


def _participant(request, slug, pk) -> EventParticipant:
    event = get_event_for_user(request.user, slug)
    return get_object_or_404(
        EventParticipant.objects.filter(sme__in=Sme.objects.for_user(request.user)).select_related(
            "event", "sme"
        ),
        event=event,
        pk=pk,
    )


@role_required(*DINAS)
@require_POST
def participation(request, slug, pk):
    participant = _participant(request, slug, pk)
    form = ParticipationForm(request.POST)
    if form.is_valid():
        try:
            services.set_participation(
                participant=participant, status=form.cleaned_data["status"], actor=request.user
            )
        except services.CatalogError as exc:
            messages.error(request, exc.message)
    return redirect("catalog_officer:event", slug)


@role_required(*DINAS)
@require_POST
def event_sale(request, slug, pk):
    participant = _participant(request, slug, pk)
    form = EventSaleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("catalog_officer:event", slug)
    data = form.cleaned_data
    try:
        services.record_event_sale(
            participant=participant, actor=request.user, amount=data["amount"], sold_on=data.get("sold_on"),
            whole_event=data.get("whole_event", False), note=data.get("note", ""), verified=True,
        )  # fmt: skip
    except services.CatalogError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sales recorded."))
    return redirect("catalog_officer:event", slug)
