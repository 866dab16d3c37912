"""Forms SME owners fill in: their business record, and a claim on a record the Dinas holds."""

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sentra.regions.models import Region

from .models import Sme
from .normalize import (
    NormalizationError,
    normalize_kbli,
    normalize_money,
    normalize_nib,
    normalize_nik,
    normalize_npwp,
    normalize_phone,
)


def _normalized(normalizer, value):
    try:
        return normalizer(value)
    except NormalizationError as exc:
        raise exc.as_validation_error() from None


class MoneyField(forms.CharField):
    """Whole Rupiah, typed the way people do: 1500000, 1.500.000, Rp 1,5 jt."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def clean(self, value):
        return _normalized(normalize_money, super().clean(value))


class DesaChoiceField(forms.ModelChoiceField):
    show_kecamatan = False

    def label_from_instance(self, obj: Region) -> str:
        # Without JavaScript the list holds every desa of the regency, so each names its kecamatan.
        return f"{obj.name} ({obj.parent.name})" if self.show_kecamatan else obj.name


def _label(name: str):
    return capfirst(Sme._meta.get_field(name).verbose_name)


class OwnerSmeForm(forms.Form):
    """The fields an owner keeps up to date; the Dinas fills in status, scale, forum and legality."""

    name = forms.CharField(label=_label("name"), max_length=200)
    brand = forms.CharField(label=_label("brand"), max_length=150, required=False)
    phone = forms.CharField(label=_label("phone"), max_length=30, required=False)
    email = forms.EmailField(label=_label("email"), required=False)
    address = forms.CharField(label=_label("address"), max_length=300, required=False)
    kecamatan = forms.ModelChoiceField(label=_label("kecamatan"), queryset=Region.objects.none())
    desa = DesaChoiceField(
        label=_label("desa"),
        queryset=Region.objects.none(),
        # The choices hold only the chosen kecamatan's desa, so any other desa lands here.
        error_messages={"invalid_choice": _("This desa is not in the kecamatan you chose.")},
    )
    kbli_code = forms.CharField(
        label=_label("kbli_code"),
        max_length=10,
        required=False,
        help_text=_("Five digits from the OSS system, e.g. 10792 for crisps and chips (KBLI 2020)."),
    )
    products = forms.CharField(
        label=_label("products"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_year = forms.IntegerField(label=_label("start_year"), required=False, min_value=1900)
    employees = forms.IntegerField(label=_label("employees"), required=False, min_value=0, max_value=100_000)
    capital = MoneyField(
        label=_label("capital"),
        help_text=_("Capital excluding land and buildings, in Rupiah. It decides the scale class."),
    )
    turnover = MoneyField(label=_label("turnover"))
    nib = forms.CharField(
        label=_label("nib"),
        max_length=20,
        required=False,
        help_text=_("13 digits, if the business has one."),
    )
    npwp = forms.CharField(label=_label("npwp"), max_length=25, required=False)

    def __init__(self, *args, user, sme: Sme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sme = sme
        kecamatan = Region.objects.kecamatan().order_by("name")
        if user.regency_id:
            kecamatan = kecamatan.filter(parent_id=user.regency_id)
        else:
            kecamatan = kecamatan.in_home_regency()
        self.fields["kecamatan"].queryset = kecamatan
        self.fields["kecamatan"].widget.attrs.update(
            {
                "hx-get": reverse("owner:desa_options"),
                "hx-target": "#id_desa",
                "hx-swap": "innerHTML",
                "aria-controls": "id_desa",
            }
        )
        chosen = self._chosen_kecamatan()
        desa = self.fields["desa"]
        if chosen is not None:
            desa.queryset = Region.objects.desa().filter(parent_id=chosen).order_by("name")
        else:
            desa.queryset = (
                Region.objects.desa().filter(parent__in=kecamatan).select_related("parent").order_by("name")
            )
            desa.show_kecamatan = True
        this_year = date.today().year
        self.fields["start_year"].validators.append(MaxValueValidator(this_year))
        self.fields["start_year"].widget.attrs["max"] = this_year
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        for name in ("nib", "npwp", "kbli_code"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def _chosen_kecamatan(self) -> int | None:
        raw = self.data.get("kecamatan") if self.is_bound else self.initial.get("kecamatan")
        raw = getattr(raw, "pk", raw)
        try:
            return int(raw)
        except (TypeError, ValueError):
            return None

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        return _normalized(normalize_phone, self.cleaned_data["phone"]) or ""

    def clean_kbli_code(self) -> str:
        return _normalized(normalize_kbli, self.cleaned_data["kbli_code"]) or ""

    def clean_npwp(self) -> str:
        return _normalized(normalize_npwp, self.cleaned_data["npwp"]) or ""

    def clean_nib(self) -> str | None:
        nib = _normalized(normalize_nib, self.cleaned_data["nib"])
        others = Sme.objects.active().filter(nib=nib)
        if self.sme is not None:
            others = others.exclude(pk=self.sme.pk)
        if nib and others.exists():
            raise forms.ValidationError(
                _(
                    "A business with this NIB is already in the registry. Claim it instead of registering it again."
                ),
                code="nib_registered",
            )
        return nib

    def clean(self):
        data = super().clean()
        kecamatan, desa = data.get("kecamatan"), data.get("desa")
        if kecamatan and desa and desa.parent_id != kecamatan.pk:
            self.add_error("desa", _("This desa is not in the kecamatan you chose."))
        return data


class ClaimByNibForm(forms.Form):
    nib = forms.CharField(
        label=_("NIB of the business"),
        max_length=20,
        help_text=_("The 13-digit business ID from the OSS system."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "by_nib")
        super().__init__(*args, **kwargs)
        self.fields["nib"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_nib(self) -> str:
        return _normalized(normalize_nib, self.cleaned_data["nib"])


class ClaimByNikForm(forms.Form):
    nik = forms.CharField(
        label=_("Your NIK"),
        max_length=24,
        help_text=_(
            "The 16-digit number on your KTP. An officer checks the claim before your account is linked."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "by_nik")
        super().__init__(*args, **kwargs)
        self.fields["nik"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_nik(self) -> str:
        return _normalized(normalize_nik, self.cleaned_data["nik"])


class ReasonForm(forms.Form):
    """Every rejection and merge states why; the reason is shown to the owner and kept in the history."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason.")},
    )
