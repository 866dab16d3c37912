"""/my/products/: an SME owner's products, storefront and inquiries, made for a phone."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.core.audit import history_for
from sentra.core.permissions import role_required
from sentra.registry.models import Sme

from . import labels, services
from .forms import PhotoForm, ProductForm, ReplyForm, StorefrontForm
from .models import Inquiry, Product, ProductPhoto

INBOX_PAGE = 20


def get_product_for_user(user, public_id) -> Product:
    """A product the user may manage (their own SMEs' or, for officers, their area's); else 404."""
    return get_object_or_404(
        Product.objects.for_user(user).select_related("sme", "sme__kecamatan", "category", "sme__storefront"),
        public_id=public_id,
    )


def get_inquiry_for_user(user, public_id) -> Inquiry:
    return get_object_or_404(
        Inquiry.objects.filter(sme__in=Sme.objects.for_user(user)).select_related("sme", "product"),
        public_id=public_id,
    )


def get_own_sme(user, public_id) -> Sme:
    return get_object_or_404(Sme.objects.for_user(user), public_id=public_id)


@role_required(Role.SME_OWNER)
def products(request):
    smes = list(
        Sme.objects.for_user(request.user)
        .select_related("storefront")
        .annotate(open_inquiries=Count("inquiries", filter=Q(inquiries__status=Inquiry.Status.OPEN)))
        .order_by("name")
    )
    items = (
        Product.objects.for_user(request.user)
        .select_related("sme", "category")
        .order_by("sme__name", "name_id", "id")
    )
    by_sme = {sme.pk: [] for sme in smes}
    for product in items:
        by_sme.setdefault(product.sme_id, []).append(product)
    groups = [(sme, by_sme[sme.pk]) for sme in smes]
    return render(request, "catalog/owner/products.html", {"groups": groups})


@role_required(Role.SME_OWNER)
def product_create(request):
    smes = Sme.objects.for_user(request.user).order_by("name")
    form = ProductForm(request.POST or None, sme_choices=smes, initial={"sme": request.GET.get("sme")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sme = data.pop("sme")
        product = services.create_product(actor=request.user, sme=sme, **data)
        messages.success(request, _("Saved as a draft. Add photos, then send it for curation."))
        return redirect("catalog_owner:product", product.public_id)
    return render(request, "catalog/owner/product_form.html", {"form": form, "product": None})


@role_required(Role.SME_OWNER)
def product_detail(request, public_id):
    product = get_product_for_user(request.user, public_id)
    context = {
        "product": product,
        "photos": product.photos.all(),
        "photo_form": PhotoForm(),
        "pending": product.pending_changes,
        "history": history_for(product)[:20],
    }
    return render(request, "catalog/owner/product.html", context)


@role_required(Role.SME_OWNER)
def product_edit(request, public_id):
    product = get_product_for_user(request.user, public_id)
    initial = dict(product.pending_changes)
    form = ProductForm(request.POST or None, instance=product, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS
        }
        # The form is bound to a copy: the service reads the stored values again under lock.
        product.refresh_from_db()
        try:
            updated = services.update_product(product=product, actor=request.user, data=data)
        except services.CatalogError as exc:
            messages.error(request, exc.message)
        else:
            if updated.has_pending_changes:
                messages.success(
                    request,
                    _(
                        "Your changes were sent for curation. Buyers see the published text until an officer approves them."
                    ),
                )
            else:
                messages.success(request, _("Your changes are saved."))
        return redirect("catalog_owner:product", product.public_id)
    return render(request, "catalog/owner/product_form.html", {"form": form, "product": product})


@role_required(Role.SME_OWNER)
@require_POST
def product_submit(request, public_id):
    product = get_product_for_user(request.user, public_id)
    try:
        services.submit_product(product=product, actor=request.user)
    except services.CatalogError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sent for curation. An officer checks it before it is public."))
    return redirect("catalog_owner:product", product.public_id)


@role_required(Role.SME_OWNER)
@require_POST
def product_withdraw(request, public_id):
    """The owner takes a product out of the catalogue (no longer made, sold out for good)."""
    product = get_product_for_user(request.user, public_id)
    reason = " ".join(request.POST.get("reason", "").split())[:500]
    try:
        services.withdraw_product(product=product, actor=request.user, reason=reason)
    except services.CatalogError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Withdrawn: the product is no longer in the public catalogue."))
    return redirect("catalog_owner:product", product.public_id)


@role_required(Role.SME_OWNER)
@require_POST
def photo_add(request, public_id):
    product = get_product_for_user(request.user, public_id)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo to upload."))
    else:
        try:
            services.add_photo(product=product, actor=request.user, upload=form.cleaned_data["photo"])
        except services.CatalogError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Photo added."))
    return redirect("catalog_owner:product", product.public_id)


@role_required(Role.SME_OWNER)
@require_POST
def photo_remove(request, public_id, photo_id):
    product = get_product_for_user(request.user, public_id)
    photo = get_object_or_404(ProductPhoto, product=product, pk=photo_id)
    services.remove_photo(photo=photo, actor=request.user)
    messages.success(request, _("Photo removed."))
    return redirect("catalog_owner:product", product.public_id)


@role_required(Role.SME_OWNER)
def storefront_edit(request, public_id):
    sme = get_own_sme(request.user, public_id)
    shop = services.ensure_storefront(sme)
    form = StorefrontForm(request.POST or None, instance=shop)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_storefront(storefront=shop, actor=request.user, data=form.cleaned_data)
        except services.CatalogError as exc:
            form.add_error("slug", exc.message)
        else:
            messages.success(request, _("Your storefront is saved."))
            return redirect("catalog_owner:products")
    shop.refresh_from_db()
    return render(request, "catalog/owner/storefront_form.html", {"form": form, "sme": sme, "shop": shop})


@role_required(Role.SME_OWNER)
def labels_pdf(request, public_id):
    sme = get_own_sme(request.user, public_id)
    return _labels_response(request, sme)


def _labels_response(request, sme) -> HttpResponse:
    pdf = labels.label_sheet(request=request, sme=sme)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="label-{sme.public_id}.pdf"'
    return response


@role_required(Role.SME_OWNER)
def inbox(request):
    status = request.GET.get("status", "open")
    inquiries = (
        Inquiry.objects.filter(sme__in=Sme.objects.for_user(request.user))
        .select_related("sme", "product")
        .order_by("-created_at", "-id")
    )
    if status in Inquiry.Status.values:
        inquiries = inquiries.filter(status=status)
    page = Paginator(inquiries, INBOX_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/owner/inbox.html",
        {"page": page, "status": status, "statuses": Inquiry.Status.choices},
    )


@role_required(Role.SME_OWNER)
def inquiry_detail(request, public_id):
    inquiry = get_inquiry_for_user(request.user, public_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reply = services.reply_inquiry(
                inquiry=inquiry, actor=request.user, body=form.cleaned_data["body"]
            )
        except services.CatalogError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Reply sent by email.")
                if reply.emailed
                else _("Reply saved. Contact the buyer by phone or WhatsApp."),
            )
            return redirect("catalog_owner:inquiry", inquiry.public_id)
    context = {"inquiry": inquiry, "replies": inquiry.replies.select_related("author"), "form": form}
    return render(request, "catalog/owner/inquiry.html", context)


@role_required(Role.SME_OWNER)
@require_POST
def inquiry_close(request, public_id):
    inquiry = get_inquiry_for_user(request.user, public_id)
    services.close_inquiry(inquiry=inquiry, actor=request.user)
    messages.success(request, _("Inquiry closed."))
    return redirect("catalog_owner:inbox")
