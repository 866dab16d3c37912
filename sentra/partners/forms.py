"""Forms of the partnership area, for officers, partner users and SME owners."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from sentra.accounts.models import Role, User
from sentra.regions.models import Region, home_regency_id
from sentra.registry.forms import RupiahField, kbli_category_choices
from sentra.registry.models import Scale

from . import consent
from .models import Agreement, Evidence, FosterAssignment, FosterGoal, Offer, Partner

MAX_UPLOAD_MB = 10
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- uploads -----------------------------------------------------------------------------------


def _too_large(upload) -> forms.ValidationError | None:
    if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
        return forms.ValidationError(
            _("The file is larger than %(mb)s MB."), code="too_large", params={"mb": MAX_UPLOAD_MB}
        )
    return None


def check_pdf(upload) -> None:
    """A PDF that opens, has pages and no password; anything else is refused with the reason."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if error := _too_large(upload):
        raise error
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise forms.ValidationError(_("This is not a PDF file."), code="not_pdf")
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise forms.ValidationError(
                _("The PDF is protected by a password: upload a copy without one."), code="encrypted"
            )
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise forms.ValidationError(_("The PDF is damaged and cannot be read."), code="damaged") from None
    finally:
        upload.seek(0)
    if pages == 0:
        raise forms.ValidationError(_("The PDF has no pages."), code="empty")


IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


def evidence_kind(upload) -> str:
    """Evidence.Kind of an upload: a photo (JPEG, PNG, WebP) or a PDF; refused otherwise."""
    if error := _too_large(upload):
        raise error
    upload.seek(0)
    if upload.read(5) == b"%PDF-":
        check_pdf(upload)
        return Evidence.Kind.DOCUMENT
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise forms.ValidationError(
            _("Upload a photo (JPEG, PNG or WebP) or a PDF document."), code="not_evidence"
        ) from None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise forms.ValidationError(
            _("Upload a photo (JPEG, PNG or WebP) or a PDF document."), code="not_evidence"
        )
    return Evidence.Kind.PHOTO


def _check_dates(form: forms.Form, start: str = "starts_on", end: str = "ends_on") -> None:
    cleaned = form.cleaned_data
    if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
        form.add_error(end, _("The end date cannot be before the start date."))


def dinas_users() -> QuerySet:
    return User.objects.filter(is_active=True, role__in=[Role.ADMIN, Role.OFFICER]).order_by(
        "first_name", "username"
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.username})"


def kecamatan_choices() -> QuerySet:
    return Region.objects.kecamatan().in_home_regency().order_by("code")


# --- partners ----------------------------------------------------------------------------------


class PartnerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All"))] + Partner.Kind.choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Partner.Status.choices
    )

    def apply(self, partners: QuerySet) -> QuerySet:
        f = self.cleaned_data if self.is_valid() else {}
        if f.get("q"):
            partners = partners.filter(name__icontains=f["q"])
        if f.get("kind"):
            partners = partners.filter(kind=f["kind"])
        if f.get("status"):
            partners = partners.filter(status=f["status"])
        return partners


class PartnerForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    users = UsersChoiceField(
        label=_("Partner users"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Accounts with the partner role who sign in for this organisation."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "description",
            "address",
            "kecamatan",
            "email",
            "phone",
            "website",
            "contact_name",
            "status",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = kecamatan_choices()
        self.fields["users"].queryset = User.objects.filter(role=Role.PARTNER, is_active=True).order_by(
            "username"
        )
        if self.instance.pk:
            self.initial["users"] = list(self.instance.users.all())

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# --- agreements --------------------------------------------------------------------------------


class AgreementFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Number or title"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Agreement.State.choices
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All"))] + Agreement.Kind.choices
    )

    def filters(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_valid() else {}


class AgreementForm(forms.ModelForm):
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=Partner.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    officer = UserChoiceField(label=_("Responsible officer"), queryset=User.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(Agreement.Status.DRAFT, _("Being prepared")), (Agreement.Status.SIGNED, _("Signed"))],
    )
    upload = forms.FileField(
        label=_("Signed copy (PDF)"),
        required=False,
        help_text=_("The scanned, signed agreement, up to %(mb)s MB.") % {"mb": MAX_UPLOAD_MB},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = Agreement
        fields = [
            "number",
            "title",
            "kind",
            "partners",
            "other_parties",
            "scope",
            "starts_on",
            "ends_on",
            "signed_on",
            "status",
            "officer",
            "remind_days",
            "renews",
        ]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DATE,
            "ends_on": DATE,
            "signed_on": DATE,
            "remind_days": forms.NumberInput(attrs={"min": 1, "max": 365}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Partner.objects.order_by("name")
        self.fields["officer"].queryset = dinas_users()
        renews = Agreement.objects.order_by("-starts_on")
        if self.instance.pk:
            renews = renews.exclude(pk=self.instance.pk)
            self.initial["partners"] = list(self.instance.partners.all())
        self.fields["renews"].queryset = renews
        if self.instance.status == Agreement.Status.ENDED:
            self.fields["status"].choices = [(Agreement.Status.ENDED, _("Ended"))]

    def clean_number(self):
        number = " ".join(self.cleaned_data["number"].split())
        others = Agreement.objects.filter(
            number__iexact=number, regency_id=self.instance.regency_id or home_regency_id()
        )
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("An agreement with this number is already registered."))
        return number

    def clean_remind_days(self):
        days = self.cleaned_data.get("remind_days")
        if days is not None and not 1 <= days <= 365:
            raise forms.ValidationError(_("Give a number of days from 1 to 365."))
        return days

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            check_pdf(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        _check_dates(self)
        if cleaned.get("status") == Agreement.Status.SIGNED and not cleaned.get("signed_on"):
            self.add_error("signed_on", _("Give the date it was signed."))
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "partners"}

    def _post_clean(self):
        # The service validates the model (after the file is stored); the form's own checks suffice here.
        pass


class EndAgreementForm(forms.Form):
    note = forms.CharField(
        label=_("Why it ends"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: expired and not continued, or terminated by both parties."),
    )


# --- activities --------------------------------------------------------------------------------


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=200)
    starts_on = forms.DateField(label=_("Date"), widget=DATE)
    ends_on = forms.DateField(
        label=_("Last day"), required=False, widget=DATE, help_text=_("For activities over several days.")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        _check_dates(self)
        return cleaned


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or document"),
        help_text=_("A photo (JPEG, PNG, WebP) or a PDF such as the attendance list, up to %(mb)s MB.")
        % {"mb": MAX_UPLOAD_MB},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = evidence_kind(upload)
        return upload


class SmePickForm(forms.Form):
    q = forms.CharField(
        label=_("Find an SME to add"),
        required=False,
        max_length=100,
        help_text=_("Business, brand, owner name, products or NIB."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


# --- foster parents ----------------------------------------------------------------------------


class FosterForm(forms.ModelForm):
    officer = UserChoiceField(label=_("Responsible officer"), queryset=User.objects.none(), required=False)

    class Meta:
        model = FosterAssignment
        fields = ["partner", "kecamatan", "starts_on", "ends_on", "goals", "agreement", "officer"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "goals": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "kecamatan": _("The kecamatan adopted. Leave it empty to adopt a list of SMEs from anywhere."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.order_by("name")
        self.fields["kecamatan"].queryset = kecamatan_choices()
        self.fields["agreement"].queryset = Agreement.objects.order_by("-starts_on")
        self.fields["officer"].queryset = dinas_users()
        targets = {g.measure: g.target for g in self.instance.targets.all()} if self.instance.pk else {}
        self.goal_names = []
        for measure, label in FosterGoal.Measure.choices:
            name = f"goal_{measure}"
            field = RupiahField if measure == FosterGoal.Measure.SALES else forms.IntegerField
            self.fields[name] = field(
                label=label, required=False, **({} if field is RupiahField else {"min_value": 1})
            )
            self.initial.setdefault(name, targets.get(measure))
            self.goal_names.append(name)

    def clean(self):
        cleaned = super().clean()
        _check_dates(self)
        return cleaned

    def goal_fields(self):
        return [self[name] for name in self.goal_names]

    def main_fields(self):
        return [self[name] for name in self.Meta.fields]

    def goals(self) -> dict[str, int | None]:
        return {name.removeprefix("goal_"): self.cleaned_data.get(name) for name in self.goal_names}

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self):
        pass


# --- consent and offers ------------------------------------------------------------------------


class ConsentForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Who may find my business"),
        required=False,
        choices=consent.kind_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    shared = forms.MultipleChoiceField(
        label=_("What they see besides the name, kecamatan, sector, scale and permits held"),
        required=False,
        choices=consent.field_choices,
        widget=forms.CheckboxSelectMultiple,
    )


class PartnerSmeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Business name, brand or products."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=Region.objects.none(), required=False, to_field_name="code"
    )
    kbli = forms.ChoiceField(label=_("Sector (KBLI)"), required=False)
    scale = forms.ChoiceField(
        label=_("Scale"),
        required=False,
        choices=[("", _("All"))] + [c for c in Scale.choices if c[0] != Scale.LARGE],
    )
    legality = forms.MultipleChoiceField(
        label=_("Legality"),
        required=False,
        choices=consent.LEGALITY_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = kecamatan_choices()
        self.fields["kecamatan"].empty_label = _("All kecamatan")
        self.fields["kbli"].choices = [("", _("All"))] + kbli_category_choices()

    def filters(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_valid() else {}

    def apply(self, smes: QuerySet) -> QuerySet:
        from sentra.registry.search import search_smes

        f = self.filters()
        if f.get("kecamatan"):
            smes = smes.filter(kecamatan=f["kecamatan"])
        if f.get("kbli"):
            smes = smes.filter(kbli_category=f["kbli"])
        if f.get("scale"):
            smes = smes.filter(scale=f["scale"])
        for kind in f.get("legality") or ():
            smes = smes.filter(consent.legality_condition(kind))
        query = f.get("q") or ""
        # A partner never searches by NIK: sixteen digits are not a search it may run.
        digits = "".join(ch for ch in query if ch.isdigit())
        if len(digits) >= 16:
            return smes.none()
        return search_smes(smes, query)

    def logged(self) -> dict[str, str]:
        """The filters as the access log records them."""
        f = self.filters()
        return {
            "q": f.get("q") or "",
            "kecamatan": f["kecamatan"].name if f.get("kecamatan") else "",
            "kbli": f.get("kbli") or "",
            "scale": f.get("scale") or "",
            "legality": ",".join(f.get("legality") or ()),
        }


class OfferForm(forms.ModelForm):
    amount = RupiahField(
        label=_("Amount (Rp)"), required=False, help_text=_("Credit ceiling or contract value, if any.")
    )

    class Meta:
        model = Offer
        fields = ["kind", "title", "message", "amount", "valid_until"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5}), "valid_until": DATE}

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept: I am interested")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Message to the partner"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example when and how they may contact you."),
    )


class WithdrawOfferForm(forms.Form):
    reason = forms.CharField(label=_("Why the offer is withdrawn"), max_length=500)
