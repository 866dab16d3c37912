"""Forms of the export pages. Amounts in a foreign currency are typed as text and read by
`currencies.parse_*`, which refuses what it would have to guess."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from sentra.catalog.models import Product
from sentra.registry.models import Sme

from . import currencies
from .models import (
    INCOTERMS,
    DealDocument,
    DomesticSale,
    ExportDeal,
    ForeignBuyer,
    PaymentTerms,
    Shipment,
)

PORTS = [
    "Tanjung Priok, Jakarta",
    "Bandara Soekarno-Hatta (kargo udara)",
    "Tanjung Perak, Surabaya",
    "Tanjung Emas, Semarang",
    "Patimban, Subang",
    "Belawan, Medan",
    "Ngurah Rai (kargo udara), Bali",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label, *, required=True, initial_today=False):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        initial=timezone.localdate if initial_today else None,
    )


def currency_field(**kwargs):
    return forms.ChoiceField(label=_("Currency"), choices=[("", "—"), *currencies.choices()], **kwargs)


class AmountInCurrency(forms.CharField):
    """A foreign amount as typed; turned into minor units once the currency is known."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Digits, with a point or comma before the decimals: 1250 or 12.50."))
        super().__init__(max_length=30, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        return currencies.parse_decimal(value, places=currencies.RATE_PLACES)


def to_minor_or_error(form, field: str, amount, code: str) -> int | None:
    """The amount in minor units of `code`, or an error on `field` (too many decimals for it)."""
    try:
        return currencies.to_minor(amount, currencies.get(code))
    except forms.ValidationError as exc:
        form.add_error(field, exc)
        return None


# --- buyers ----------------------------------------------------------------------------------------


class BuyerForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = ForeignBuyer
        fields = ["name", "country", "city", "address", "website", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class ContactForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("name") and (data.get("email") or data.get("phone") or data.get("position")):
            self.add_error("name", _("Give the contact's name."))
        return data


ContactFormSet = forms.formset_factory(ContactForm, extra=1, can_delete=True)


def contact_rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data.get("name") and not data.get("id"):
            continue
        rows.append({**data, "delete": data.get("DELETE") or not data.get("name")})
    return rows


# --- readiness -------------------------------------------------------------------------------------


class SmeReadinessForm(forms.Form):
    prior_exports = forms.BooleanField(label=_("Has exported before (outside Sentra)"), required=False)
    prior_exports_note = forms.CharField(
        label=_("Earlier exports (where, when)"), max_length=300, required=False
    )


class ProductReadinessForm(forms.Form):
    monthly_capacity = forms.IntegerField(label=_("Monthly capacity"), min_value=1, required=False)
    english_label = forms.BooleanField(label=_("Packaging and label in English"), required=False)
    usd_price = AmountInCurrency(label=_("Price per unit in USD"), required=False)
    samples = forms.BooleanField(label=_("Samples ready to send"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, product: Product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monthly_capacity"].help_text = _("In %(unit)s a month.") % {
            "unit": product.get_unit_display()
        }

    def clean(self):
        data = super().clean()
        price = data.get("usd_price")
        data["usd_price_minor"] = to_minor_or_error(self, "usd_price", price, "USD") if price else None
        return data


# --- the pipeline ----------------------------------------------------------------------------------


class DealForm(forms.Form):
    sme = forms.ModelChoiceField(label=_("SME"), queryset=Sme.objects.none())
    buyer = forms.ModelChoiceField(label=_("Buyer"), queryset=ForeignBuyer.objects.none())
    inquiry_on = date_field(_("Inquiry received"), initial_today=True)
    source = forms.ChoiceField(label=_("Source"), choices=ExportDeal.Source.choices)
    inquiry_text = forms.CharField(
        label=_("What the buyer asked"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, sme: Sme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = ForeignBuyer.objects.order_by("name")
        if sme is not None:
            self.fields["sme"].queryset = Sme.objects.filter(pk=sme.pk)
            self.fields["sme"].initial = sme.pk
            self.fields["sme"].widget = forms.HiddenInput()
        else:
            self.fields["sme"].queryset = export_ready_smes(user)


def export_ready_smes(user):
    """SMEs with a product marked export-ready: the ones a buyer's inquiry is usually for."""
    ready = Product.objects.filter(export_ready=True).values("sme_id")
    return Sme.objects.for_user(user).filter(pk__in=ready).order_by("name")


class OrderForm(forms.Form):
    buyer = forms.ModelChoiceField(label=_("Buyer"), queryset=ForeignBuyer.objects.none())
    number = forms.CharField(label=_("PO number"), max_length=60)
    ordered_on = date_field(_("PO date"), initial_today=True)
    currency = currency_field()
    rate = forms.CharField(
        label=_("Exchange rate (Rupiah per unit of the currency)"),
        max_length=30,
        help_text=_("As agreed or at the bank on the PO date, e.g. 15750 for USD or 105,25 for JPY."),
    )
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=INCOTERMS, initial="FOB")
    incoterm_place = forms.CharField(label=_("Incoterm place"), max_length=100, required=False)
    payment_terms = forms.ChoiceField(label=_("Payment terms"), choices=PaymentTerms.choices)
    payment_terms_note = forms.CharField(label=_("Payment terms, details"), max_length=200, required=False)

    def __init__(self, *args, with_buyer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_buyer:
            self.fields["buyer"].queryset = ForeignBuyer.objects.order_by("name")
        else:
            del self.fields["buyer"]

    def clean_rate(self):
        return currencies.parse_rate(self.cleaned_data["rate"])


class ProductChoice(forms.ModelChoiceField):
    def label_from_instance(self, product):
        sme = getattr(product, "sme", None)
        return f"{product.name_id} ({product.code}) — {sme.name}" if sme else product.name_id


class LineForm(forms.Form):
    product = ProductChoice(label=_("Product"), queryset=Product.objects.none(), required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, required=False)
    unit_price = AmountInCurrency(label=_("Unit price in the PO currency"), required=False, help_text="")

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        if products is not None:
            self.fields["product"].queryset = products

    def clean(self):
        data = super().clean()
        filled = [data.get(name) not in (None, "") for name in ("product", "quantity", "unit_price")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(
                _("Give the product, its quantity and its unit price, or leave the line empty.")
            )
        return data


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("product") for form in self.forms):
            raise forms.ValidationError(_("A purchase order needs at least one product."))


LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=3)


def order_products(user, sme: Sme | None):
    """The products a PO line may name: the SME's own, or every export-ready product in scope."""
    products = Product.objects.for_user(user).exclude(status=Product.Status.WITHDRAWN).select_related("sme")
    if sme is not None:
        return products.filter(sme=sme).order_by("-export_ready", "name_id")
    return products.filter(export_ready=True).order_by("sme__name", "name_id")


class QuotationForm(forms.Form):
    quoted_on = date_field(_("Quotation date"), initial_today=True)
    currency = currency_field()
    amount = AmountInCurrency(label=_("Amount"))
    valid_until = date_field(_("Valid until"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("amount") and data.get("currency"):
            data["amount_minor"] = to_minor_or_error(self, "amount", data["amount"], data["currency"])
        return data


class ProductionForm(forms.Form):
    started_on = date_field(_("Production started"), initial_today=True)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ShipmentForm(forms.Form):
    shipped_on = date_field(_("Shipment date"), initial_today=True)
    peb_number = forms.CharField(label=_("PEB number (export declaration)"), max_length=40, required=False)
    port = forms.CharField(
        label=_("Port of loading"), max_length=100, widget=forms.TextInput(attrs={"list": "ports"})
    )
    destination_country = forms.ChoiceField(label=_("Destination country"), choices=lambda: list(countries))
    transport = forms.ChoiceField(label=_("Transport"), choices=Shipment.Transport.choices)
    customs_facilitation = forms.BooleanField(label=_("Facilitated by customs (Bea Cukai)"), required=False)
    dinas_facilitation = forms.BooleanField(label=_("Facilitated by the Dinas"), required=False)
    facilitation_note = forms.CharField(label=_("Facilitation received"), max_length=300, required=False)


class PaymentForm(forms.Form):
    received_on = date_field(_("Received on"), initial_today=True)
    amount = AmountInCurrency(label=_("Amount in the PO currency"))
    credited_idr = forms.IntegerField(label=_("Credited in Rupiah (if known)"), min_value=1, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    # Shown only once a payment would take the total above the PO value (see ask_to_confirm).
    confirm_over = forms.BooleanField(
        label=_("Yes, record it although the total is above the PO value"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount"].label = _("Amount in %(code)s") % {"code": currency}

    def clean(self):
        data = super().clean()
        if data.get("amount"):
            data["amount_minor"] = to_minor_or_error(self, "amount", data["amount"], self.currency)
        return data

    def ask_to_confirm(self) -> None:
        self.fields["confirm_over"].widget = forms.CheckboxInput()


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class DocumentForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=DealDocument.Step.choices)
    kind = forms.ChoiceField(label=_("Document"), choices=DealDocument.Kind.choices)
    file = forms.FileField(label=_("File (PDF, JPEG, PNG or .xlsx, up to 10 MB)"))


# --- domestic sales --------------------------------------------------------------------------------


class DomesticSaleForm(forms.ModelForm):
    class Meta:
        model = DomesticSale
        fields = ["product", "buyer_name", "province", "city", "sold_on", "quantity", "amount",
                  "invoice_number", "verified", "note"]  # fmt: skip
        widgets = {"sold_on": DateInput()}

    def __init__(self, *args, sme: Sme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(sme=sme).order_by("name_id")
        self.fields["amount"].min_value = 1
        self.fields["amount"].widget.attrs["min"] = 1
        self.fields["sold_on"].initial = timezone.localdate
        self.fields["province"].initial = "51"


def _country_choices():
    return [("", _("All countries")), *countries]


# --- lists -----------------------------------------------------------------------------------------


class DealFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All stages")), *ExportDeal.Stage.choices], required=False
    )
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices, required=False)
    q = forms.CharField(label=_("SME, buyer or PO number"), required=False, max_length=100)


class YearCountryFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices, required=False)
    first_time = forms.IntegerField(required=False, min_value=2000, max_value=2100, widget=forms.HiddenInput)
