"""Forms of the catalogue: products and storefronts (owners, officers), inquiries (visitors), events."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sentra.registry.models import Sme
from sentra.registry.owner_forms import MoneyField

from .models import Category, EventParticipant, Inquiry, Product, PromotionEvent, Storefront

MAX_QUERY_LENGTH = 200


class ProductForm(forms.ModelForm):
    price = MoneyField(
        label=_("price (Rp)"), required=True, help_text=_("Whole Rupiah, e.g. 15000 or 15.000.")
    )

    class Meta:
        model = Product
        fields = [
            "name_id", "name_en", "category", "price", "unit", "min_order", "stock_status",
            "export_ready", "description_id", "description_en", "barcode",
        ]  # fmt: skip
        widgets = {
            "description_id": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, sme_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()
        if sme_choices is not None:
            self.fields = {"sme": forms.ModelChoiceField(sme_choices, label=_("business")), **self.fields}
        for name in ("price", "min_order"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean_price(self):
        price = self.cleaned_data["price"]
        if price is None or price <= 0:
            raise ValidationError(_("Enter a price above zero, in whole Rupiah."))
        return price


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("photo"), help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip


class StorefrontForm(forms.ModelForm):
    class Meta:
        model = Storefront
        fields = ["slug", "tagline_id", "tagline_en", "about_id", "about_en", "publish_whatsapp"]
        widgets = {
            "about_id": forms.Textarea(attrs={"rows": 3}),
            "about_en": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"slug": _("The address of your page: letters, digits and hyphens.")}


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("note to the owner"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("what the owner should change"), widget=forms.Textarea(attrs={"rows": 3}))


class InquiryForm(forms.ModelForm):
    # A field people do not see and bots fill in: an inquiry that fills it is dropped.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    class Meta:
        model = Inquiry
        fields = ["name", "organisation", "country", "email", "phone", "quantity", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"phone": _("Give an email address, a phone number, or both.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("phone")):
            raise ValidationError(
                _("Give an email address or a phone number, so that the business can answer you.")
            )
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("your reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000)


PRICE_RANGES = {
    "": (None, None),
    "lt25": (None, 25_000),
    "25-100": (25_000, 100_000),
    "100-500": (100_000, 500_000),
    "gt500": (500_000, None),
}
CERTIFICATES = ("halal", "bpom", "pirt", "sni", "nib")
SORTS = ("relevance", "newest", "price", "-price")


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search products"), required=False, max_length=MAX_QUERY_LENGTH)
    category = forms.ChoiceField(label=_("category"), required=False)
    kecamatan = forms.ChoiceField(label=_("kecamatan"), required=False)
    certificate = forms.ChoiceField(label=_("certificate"), required=False)
    price = forms.ChoiceField(label=_("price"), required=False)
    export_ready = forms.BooleanField(label=_("export-ready only"), required=False)
    sort = forms.ChoiceField(label=_("sort"), required=False)

    def __init__(self, *args, kecamatan_choices=(), categories=(), **kwargs):
        """`categories`: the Category rows, read once per process (public_views.categories), not per page."""
        super().__init__(*args, **kwargs)
        self._categories = {category.slug: category for category in categories}
        self.fields["category"].choices = [
            ("", _("All categories")),
            *((category.slug, category.name) for category in categories),
        ]
        self.fields["kecamatan"].choices = [("", _("All kecamatan")), *kecamatan_choices]
        self.fields["certificate"].choices = [
            ("", _("Any")), ("halal", _("Halal")), ("bpom", "BPOM"), ("pirt", "P-IRT"), ("sni", "SNI"), ("nib", "NIB"),
        ]  # fmt: skip
        self.fields["price"].choices = [
            ("", _("Any price")), ("lt25", _("under Rp 25,000")), ("25-100", _("Rp 25,000 – 100,000")),
            ("100-500", _("Rp 100,000 – 500,000")), ("gt500", _("over Rp 500,000")),
        ]  # fmt: skip
        self.fields["sort"].choices = [
            ("relevance", _("Best match")), ("newest", _("Newest")), ("price", _("Price, low to high")),
            ("-price", _("Price, high to low")),
        ]  # fmt: skip

    def clean_category(self) -> Category | None:
        return self._categories.get(self.cleaned_data.get("category") or "")

    def clean_q(self):
        return " ".join((self.cleaned_data.get("q") or "").split())


class EventForm(forms.ModelForm):
    class Meta:
        model = PromotionEvent
        fields = [
            "name_id", "name_en", "kind", "reach", "starts_on", "ends_on", "venue", "city", "country",
            "organiser", "partner", "description_id", "description_en", "is_public",
        ]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description_id": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day cannot be before the first."))
        return data


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for cancelling"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class InviteForm(forms.Form):
    smes = forms.ModelMultipleChoiceField(Sme.objects.none(), label=_("SMEs to invite"))

    def __init__(self, *args, smes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if smes is not None:
            self.fields["smes"].queryset = smes


class ParticipationForm(forms.Form):
    status = forms.ChoiceField(choices=EventParticipant.Status.choices, label=_("status"))


class EventSaleForm(forms.Form):
    amount = MoneyField(label=_("sales (Rp)"), required=True)
    whole_event = forms.BooleanField(label=_("total for the whole event"), required=False)
    sold_on = forms.DateField(label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("note"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if not data.get("whole_event") and not data.get("sold_on"):
            self.add_error("sold_on", _("Give the day of the sales, or tick the total for the whole event."))
        return data
