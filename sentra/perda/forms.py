"""Forms of the Perda area. Uploads go through the partnership area's evidence check (photo or PDF,
opened before it is kept), the same one its activity evidence uses."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sentra.partners.forms import DATE, UserChoiceField, dinas_users, evidence_kind
from sentra.partners.models import Partner
from sentra.registry.forms import RupiahField

from .models import Obligation

EVIDENCE_WIDGET = forms.ClearableFileInput(
    attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
)
EVIDENCE_HELP = _("A photo of the space (JPEG, PNG, WebP) or a PDF such as the tenancy list, up to 10 MB.")


class ObligationForm(forms.ModelForm):
    officer = UserChoiceField(label=_("Responsible officer"), queryset=dinas_users(), required=False)

    class Meta:
        model = Obligation
        fields = [
            "partner",
            "category",
            "legal_basis",
            "article",
            "percentage",
            "basis",
            "period",
            "starts_on",
            "ends_on",
            "grace_days",
            "officer",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "article": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.active().order_by("name")
        self.fields["officer"].queryset = dinas_users()
        self.fields["percentage"].localize = True
        self.fields["percentage"].widget.is_localized = True

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ConsignorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.kecamatan.name}" if obj.kecamatan_id else obj.name


class ReportForm(forms.Form):
    """The figures of one period; the evidence file is asked for when the report is first submitted.

    When the business hosts outlets of the outlets area, the report may name one; once it is chosen
    (the "fill in" button reloads the form with it), the SMEs consigning there are offered, all
    ticked, to be named as beneficiaries with the report, and its floor space as the space given.
    """

    period = forms.ChoiceField(label=_("Period"))
    description = forms.CharField(
        label=_("What was given"),
        required=False,
        max_length=3000,
        help_text=_("Which outlets, spaces or purchases, where, on what terms."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(label=_("Evidence"), help_text=EVIDENCE_HELP, widget=EVIDENCE_WIDGET)
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def __init__(
        self, *args, obligation: Obligation, periods=None, creating: bool = True, outlets=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.obligation = obligation
        self.outlet = None
        if outlets is not None and outlets.exists():
            self.fields["outlet"] = forms.ModelChoiceField(
                label=_("Outlet (gerai)"),
                queryset=outlets,
                to_field_name="public_id",
                required=False,
                help_text=_("An outlet of the Dinas that your business hosts, if the space went to it."),
            )
            if creating:
                # Chosen above the form, where choosing it fills the form in (see the view).
                self.fields["outlet"].widget = forms.HiddenInput()
            self.outlet = self._chosen_outlet(outlets)
        if creating and self.outlet is not None:
            from sentra.outlets.services import consignors

            offered = consignors(self.outlet).select_related("kecamatan").order_by("name", "id")
            self.fields["smes"] = ConsignorsField(
                label=_("SMEs consigning at the outlet"),
                queryset=offered,
                to_field_name="public_id",
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Ticked ones are named as benefiting; more can be added after submitting.")
                if offered.exists()
                # A canteen or a closed shelf has none; say so rather than show an empty list.
                else _("No SME has goods on this outlet's shelves now; SMEs can be added after submitting."),
            )
            if not self.is_bound:
                self.initial["smes"] = [sme.public_id for sme in offered]
        if obligation.in_rupiah:
            self.fields["total"] = RupiahField(label=_("Total in the period (Rp)"))
            self.fields["allocated"] = RupiahField(label=_("Of which to SMEs and cooperatives (Rp)"))
        else:
            self.fields["total"] = forms.DecimalField(
                label=_("Total commercial space (m²)"), max_digits=12, decimal_places=2, localize=True
            )
            self.fields["allocated"] = forms.DecimalField(
                label=_("Of which given to SMEs and cooperatives (m²)"),
                max_digits=12,
                decimal_places=2,
                localize=True,
            )
        self.order_fields(
            ["period", "outlet", "smes", "total", "allocated", "description", "evidence", "caption"]
        )
        if creating:
            self.fields["period"].choices = [(p.start.isoformat(), p.label) for p in periods or []]
        else:
            del self.fields["period"], self.fields["evidence"], self.fields["caption"]

    def _chosen_outlet(self, outlets):
        """The outlet the form is about: the posted one, or the initial one (the view checked it)."""
        if not self.is_bound:
            return self.initial.get("outlet")
        try:
            return outlets.filter(public_id=self.data.get("outlet") or None).first()
        except ValidationError:
            return None

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        self.evidence_kind = evidence_kind(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if "outlet" in self.errors and self.fields["outlet"].widget.is_hidden:
            self.add_error(None, _("Choose one of the outlets your business hosts."))
        if "smes" in self.fields and cleaned.get("outlet") != self.outlet:
            cleaned["smes"] = []
        total, allocated = cleaned.get("total"), cleaned.get("allocated")
        if total is not None and total <= 0:
            self.add_error("total", _("The total must be more than zero."))
        if allocated is not None and allocated < 0:
            self.add_error("allocated", _("The part given to SMEs and cooperatives cannot be negative."))
        if total is not None and allocated is not None and total > 0 and allocated > total:
            self.add_error(
                "allocated", _("The part given to SMEs and cooperatives cannot be more than the total.")
            )
        return cleaned


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"), help_text=EVIDENCE_HELP, widget=EVIDENCE_WIDGET)
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = evidence_kind(upload)
        return upload


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the report")), ("return", _("Return it for correction"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the business"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning: say what needs correcting."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say what needs correcting when returning a report."))
        return cleaned


class PickForm(forms.Form):
    q = forms.CharField(
        label=_("Find an SME or cooperative"),
        required=False,
        max_length=100,
        help_text=_("Business or cooperative name, or the SME's NIB."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
