"""Forms of the Bebeli pages: each step's few fields, read as whole Rupiah and real dates."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import Role, User
from sentra.exports.forms import DateInput
from sentra.partners.forms import UsersChoiceField, kecamatan_choices
from sentra.registry.forms import RupiahField
from sentra.registry.models import Sme

from .models import BuyerOrganisation
from .organisations import Budget


class CheckoutForm(forms.Form):
    po_number = forms.CharField(label=_("PO number"), max_length=60)
    delivery_address = forms.CharField(label=_("Delivery address"), max_length=300)
    delivery_due = forms.DateField(label=_("Delivery date wanted"), required=False, widget=DateInput())


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class DateForm(forms.Form):
    on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())


class PaymentForm(DateForm):
    reference = forms.CharField(label=_("Payment reference (transfer or SP2D number)"), max_length=100)


class DeliveryForm(forms.Form):
    on = forms.DateField(label=_("Delivered on"), initial=timezone.localdate, widget=DateInput())
    note = forms.CharField(label=_("Delivery note"), max_length=300, required=False)
    photo = forms.FileField(label=_("Photo of the delivery"), required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            owed = line.quantity - line.delivered_quantity
            self.fields[f"qty_{line.pk}"] = forms.IntegerField(
                label=line.description, min_value=0, max_value=owed, initial=owed
            )

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"qty_{line.pk}") or 0 for line in self.lines}


class OutsidePurchaseForm(forms.Form):
    sme_nib = forms.CharField(label=_("SME's NIB"), max_length=13)
    bought_on = forms.DateField(label=_("Bought on"), widget=DateInput())
    invoice_number = forms.CharField(label=_("Invoice or receipt number"), max_length=60)
    description = forms.CharField(label=_("What was bought"), max_length=200)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    unit_price = forms.IntegerField(label=_("Unit price (Rp)"), min_value=1)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    payment_reference = forms.CharField(label=_("Payment reference"), max_length=100)
    evidence = forms.FileField(label=_("Evidence: invoice, receipt or photo (PDF, JPEG, PNG)"))

    def clean_sme_nib(self):
        nib = self.cleaned_data["sme_nib"].strip()
        sme = Sme.objects.active().filter(nib=nib).first()
        if sme is None:
            raise forms.ValidationError(_("No SME in the registry has this NIB."))
        self.sme = sme
        return nib


class CorrectionForm(forms.Form):
    total = forms.IntegerField(label=_("Total (Rp)"), min_value=1)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=60, required=False)
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


# --- buyer organisations (officers) ----------------------------------------------------------------

KIND_GROUPS = [
    ("", _("All kinds")),
    ("opd", _("OPD (government units)")),
    ("company", _("Companies")),
    ("asn", _("Civil servants buying for themselves")),
]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=KIND_GROUPS)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated"))],
    )

    def apply(self, organisations):
        f = self.cleaned_data if self.is_valid() else {}
        if q := f.get("q", "").strip():
            organisations = organisations.filter(Q(name__icontains=q) | Q(code__icontains=q))
        kind = f.get("kind")
        if kind == "opd":
            organisations = organisations.filter(kind__in=BuyerOrganisation.GOVERNMENT)
        elif kind in ("company", "asn"):
            organisations = organisations.filter(kind=kind)
        if f.get("status"):
            organisations = organisations.filter(is_active=f["status"] == "active")
        return organisations


class OrganisationForm(forms.ModelForm):
    """The organisation's record and one year's budget (the current year unless another is chosen)."""

    year = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    goods_services = RupiahField(
        label=_("Goods and services budget (Rp)"),
        required=False,
        help_text=_("The year's budget for goods and services; leave empty for a civil servant."),
    )
    local_target = RupiahField(
        label=_("Target for local purchases (Rp)"),
        required=False,
        help_text=_("Optional: how much of the budget the unit means to spend with local SMEs."),
    )

    class Meta:
        model = BuyerOrganisation
        fields = ["name", "kind", "code", "kecamatan", "address"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = kecamatan_choices()
        year = timezone.localdate().year
        self.fields["year"].initial = year
        if self.instance.pk and not self.is_bound:
            budget = self.instance.budgets.filter(year=year).first()
            if budget is not None:
                self.initial.update(goods_services=budget.goods_services, local_target=budget.local_target)

    def clean(self):
        cleaned = super().clean()
        budget, target = cleaned.get("goods_services"), cleaned.get("local_target")
        if target is not None and budget is None:
            self.add_error(
                "goods_services", _("Give the year's budget the local purchase target is part of.")
            )
        elif budget is not None and budget <= 0:
            self.add_error("goods_services", _("The budget must be more than zero."))
        elif budget is not None and target is not None and target > budget:
            self.add_error(
                "local_target", _("The target for local purchases cannot be more than the budget.")
            )
        return cleaned

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def budget(self):
        f = self.cleaned_data
        return Budget(year=f["year"], goods_services=f["goods_services"], local_target=f["local_target"])


class MemberForm(forms.Form):
    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"] = UsersChoiceField(
            label=_("Buyer accounts"),
            queryset=User.objects.filter(role=Role.BUYER, is_active=True)
            .exclude(buyer_organisations=organisation)
            .order_by("username"),
            help_text=_("Accounts with the buyer role; new accounts are opened in the back office."),
            widget=forms.SelectMultiple(attrs={"size": 6}),
        )


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for deactivating"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
