"""Forms of the Bebeli pages: each step's few fields, read as whole Rupiah and real dates."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.exports.forms import DateInput
from sentra.registry.models import Sme


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
