from django import forms
from django.utils.translation import gettext_lazy as _

from sentra.partners.forms import evidence_kind
from sentra.regions.models import Region

from .models import Outlet


class OutletForm(forms.ModelForm):
    class Meta:
        model = Outlet
        fields = [
            "code",
            "name",
            "kind",
            "address",
            "kecamatan",
            "partner",
            "agreement",
            "rate_bp",
            "rent",
            "floor_m2",
            "opening_hours",
            "status",
            "low_stock_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = Region.objects.filter(level=Region.Level.KECAMATAN).order_by(
            "name"
        )
        self.fields["floor_m2"].localize = True
        self.fields["floor_m2"].widget.is_localized = True


class TurnoverForm(forms.Form):
    starts_on = forms.DateField(label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Period to"), widget=forms.DateInput(attrs={"type": "date"}))
    turnover = forms.IntegerField(label=_("Turnover (Rp)"), min_value=1)
    dinas_share = forms.IntegerField(
        label=_("The Dinas' share (Rp)"),
        min_value=0,
        required=False,
        help_text=_("Empty: computed from the agreed share."),
    )
    evidence = forms.FileField(label=_("Evidence: a photo or PDF of the partner's report"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        self.evidence_kind = evidence_kind(upload)
        return upload
