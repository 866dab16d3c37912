"""The buyer's pages: shop from the public catalogue, a cart per SME, order, record outside purchases.

The cart lives in the session ({SME id: {product id: quantity}}); prices are read from the catalogue
only when the order is placed, so the order keeps the price of that day.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.catalog.models import Product
from sentra.core.permissions import role_required
from sentra.registry.models import Sme

from . import services
from .forms import CheckoutForm, OutsidePurchaseForm
from .models import BuyerOrganisation

CART = "bebeli_cart"
PAGE_SIZE = 24


def organisation_for(user) -> BuyerOrganisation:
    """The organisation a buyer orders for; a buyer who belongs to no active one may not order."""
    organisation = user.buyer_organisations.filter(is_active=True).order_by("name", "id").first()
    if organisation is None:
        raise Http404
    return organisation


def _cart(request) -> dict[str, dict[str, int]]:
    return request.session.get(CART, {})


@role_required(Role.BUYER)
def shop(request):
    organisation = organisation_for(request.user)
    products = Product.objects.public().select_related("sme").order_by("name_id", "id")
    q = request.GET.get("q", "").strip()
    if q:
        products = products.filter(name_id__icontains=q) | products.filter(name_en__icontains=q)
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    count = sum(sum(lines.values()) for lines in _cart(request).values())
    return render(
        request, "bebeli/shop.html", {"page": page, "q": q, "organisation": organisation, "cart_count": count}
    )


@require_POST
@role_required(Role.BUYER)
def cart_add(request):
    organisation_for(request.user)
    product = Product.objects.public().filter(public_id=request.POST.get("product")).first()
    try:
        quantity = int(request.POST.get("quantity", "1"))
    except ValueError:
        quantity = 0
    if product is None or quantity <= 0:
        messages.error(request, _("Choose a product and a quantity of at least 1."))
        return redirect("bebeli:shop")
    cart = _cart(request)
    lines = cart.setdefault(str(product.sme_id), {})
    lines[str(product.pk)] = lines.get(str(product.pk), 0) + quantity
    request.session[CART] = cart
    messages.success(request, _("%(product)s is in your cart.") % {"product": product.name})
    return redirect("bebeli:cart")


@role_required(Role.BUYER)
def cart(request):
    organisation = organisation_for(request.user)
    stored = _cart(request)
    product_ids = [int(pk) for lines in stored.values() for pk in lines]
    products = {p.pk: p for p in Product.objects.public().filter(pk__in=product_ids).select_related("sme")}
    carts = []
    for sme_id, lines in stored.items():
        items = [(products[int(pk)], qty) for pk, qty in lines.items() if int(pk) in products]
        if items:
            sme = items[0][0].sme
            carts.append({"sme": sme, "items": [(p, q, p.price * q) for p, q in items],
                          "total": sum(p.price * q for p, q in items),
                          "form": CheckoutForm(prefix=f"s{sme_id}", initial={"delivery_address": organisation.address})})  # fmt: skip
    return render(request, "bebeli/cart.html", {"carts": carts, "organisation": organisation})


@require_POST
@role_required(Role.BUYER)
def cart_clear(request, sme_id: int):
    cart = _cart(request)
    cart.pop(str(sme_id), None)
    request.session[CART] = cart
    return redirect("bebeli:cart")


@require_POST
@role_required(Role.BUYER)
def checkout(request, sme_id: int):
    organisation = organisation_for(request.user)
    stored = _cart(request).get(str(sme_id))
    sme = Sme.objects.filter(pk=sme_id).first()
    if not stored or sme is None:
        raise Http404
    form = CheckoutForm(request.POST, prefix=f"s{sme_id}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("bebeli:cart")
    products = {p.pk: p for p in Product.objects.filter(pk__in=[int(pk) for pk in stored], sme=sme)}
    lines = [services.CartLine(products[int(pk)], qty) for pk, qty in stored.items() if int(pk) in products]
    try:
        purchase = services.place_order(user=request.user, organisation=organisation, sme=sme, lines=lines,
                                        **form.cleaned_data)  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("bebeli:cart")
    cart = _cart(request)
    cart.pop(str(sme_id), None)
    request.session[CART] = cart
    messages.success(request, _("Order sent to %(sme)s.") % {"sme": sme.name})
    return redirect("bebeli:purchase_detail", public_id=purchase.public_id)


@role_required(Role.BUYER)
def outside_new(request):
    organisation = organisation_for(request.user)
    form = OutsidePurchaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            purchase = services.record_outside_purchase(
                user=request.user,
                organisation=organisation,
                sme=form.sme,
                bought_on=data["bought_on"],
                invoice_number=data["invoice_number"],
                items=[services.ItemLine(data["description"], data["quantity"], data["unit_price"])],
                paid_on=data["paid_on"],
                payment_reference=data["payment_reference"],
                evidence=data["evidence"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Recorded. It counts once the SME confirms it."))
            return redirect("bebeli:purchase_detail", public_id=purchase.public_id)
    return render(request, "bebeli/outside_form.html", {"form": form, "organisation": organisation})
