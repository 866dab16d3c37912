"""Forms of programmes, attendance, outcomes, mentoring, cohorts and the clinic."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import Role, User
from sentra.partners.models import Partner
from sentra.registry.forms import RupiahField, forums_for_user, kbli_category_choices, kecamatan_for_user
from sentra.registry.models import Scale
from sentra.registry.normalize import (
    NormalizationError,
    normalize_bpom,
    normalize_halal,
    normalize_nib,
    normalize_pirt,
)

from .mentoring import reportable_weeks
from .models import ClinicBooking, ClinicSlot, Mentor, Programme, Referral, Session, Topic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
SME_SCALES = [(s.value, s.label) for s in (Scale.MICRO, Scale.SMALL, Scale.MEDIUM)]


class ClientKeyMixin(forms.Form):
    """The outbox's idempotency key (sentra/static/sentra/outbox.js)."""

    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


# --- programmes --------------------------------------------------------------------------------


class ProgrammeForm(forms.ModelForm):
    eligible_sectors = forms.MultipleChoiceField(
        label=_("KBLI categories"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Leave empty for any sector. Hold Ctrl (or press long on a phone) to pick several."),
    )
    eligible_scales = forms.MultipleChoiceField(
        label=_("Scales"),
        required=False,
        choices=SME_SCALES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for any scale."),
    )
    eligible_kecamatan = forms.ModelMultipleChoiceField(
        label=_("Kecamatan"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Leave empty for the whole regency."),
    )
    eligible_forums = forms.ModelMultipleChoiceField(
        label=_("Forum members only"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Leave empty for members of any forum, or none."),
    )

    class Meta:
        model = Programme
        fields = [
            "title",
            "kind",
            "certification",
            "description",
            "organiser",
            "quota",
            "min_attendance",
            "starts_on",
            "ends_on",
            "status",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligible_sectors"].choices = kbli_category_choices()
        self.fields["eligible_kecamatan"].queryset = kecamatan_for_user(user).order_by("name")
        self.fields["eligible_forums"].queryset = forums_for_user(user).order_by("name")
        self.fields["organiser"].queryset = Partner.objects.active().order_by("name")
        self.fields["organiser"].empty_label = _("Dinas Koperasi dan UKM")
        self.fields["min_attendance"].widget.attrs.update({"min": 0, "max": 100})
        if self.instance.pk:
            self.initial["eligible_kecamatan"] = list(self.instance.eligible_kecamatan.all())
            self.initial["eligible_forums"] = list(self.instance.eligible_forums.all())

    def clean_quota(self):
        quota = self.cleaned_data["quota"]
        if quota < 1:
            raise forms.ValidationError(_("A programme has at least one place."))
        return quota

    def clean_min_attendance(self):
        share = self.cleaned_data["min_attendance"]
        if share > 100:
            raise forms.ValidationError(_("A share of sessions is at most 100%."))
        return share

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The programme cannot end before it starts."))
        kind, certification = data.get("kind"), data.get("certification")
        if kind == Programme.Kind.CERTIFICATION and not certification:
            self.add_error("certification", _("Say which certificate the programme facilitates."))
        if kind != Programme.Kind.CERTIFICATION:
            data["certification"] = ""
        return data

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["eligible_sectors"] = sorted(self.cleaned_data["eligible_sectors"])
        data["eligible_scales"] = sorted(self.cleaned_data["eligible_scales"])
        return data


class ProgrammeFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]
        self.fields["kind"].choices = [("", _("All kinds")), *Programme.Kind.choices]
        self.fields["status"].choices = [("", _("Any status")), *Programme.Status.choices]

    def apply(self, programmes):
        if not self.is_valid():
            return programmes
        data = self.cleaned_data
        if data["year"]:
            programmes = programmes.in_year(data["year"])
        if data["kind"]:
            programmes = programmes.filter(kind=data["kind"])
        if data["status"]:
            programmes = programmes.filter(status=data["status"])
        return programmes


class WhenForm(forms.Form):
    """A date and a start (and end) time, read as WIB."""

    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Starts at"), widget=TIME)
    end = forms.TimeField(label=_("Ends at"), required=False, widget=TIME)

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and start:
            tz = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(dt.datetime.combine(day, start), tz)
            data["ends_at"] = timezone.make_aware(dt.datetime.combine(day, end), tz) if end else None
            if end and end <= start:
                self.add_error("end", _("The end comes after the start."))
        return data

    @classmethod
    def initial_for(cls, session: Session | None) -> dict:
        if session is None:
            return {}
        start = timezone.localtime(session.starts_at)
        end = timezone.localtime(session.ends_at) if session.ends_at else None
        return {"day": start.date(), "start": start.time(), "end": end.time() if end else None}


class SessionForm(WhenForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    field_order = ["title", "day", "start", "end", "venue", "online_link"]

    def clean(self):
        data = super().clean()
        if not data.get("venue") and not data.get("online_link") and not self.errors:
            raise forms.ValidationError(_("Give a venue, an online link, or both."))
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("title", "starts_at", "ends_at", "venue", "online_link")}


class ForumActivityForm(WhenForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Session.Kind.MEETING, Session.Kind.MEETING.label),
            (Session.Kind.ACTIVITY, Session.Kind.ACTIVITY.label),
        ],
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    venue = forms.CharField(label=_("Venue"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was discussed or done, and what was agreed."),
    )
    field_order = ["kind", "title", "day", "start", "end", "venue", "notes"]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("kind", "title", "starts_at", "ends_at", "venue", "notes")}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ApplyForm(forms.Form):
    sme = forms.ModelChoiceField(
        label=_("Business"), queryset=None, to_field_name="public_id", empty_label=None
    )
    motivation = forms.CharField(
        label=_("Why do you want to take part?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, smes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sme"].queryset = smes


# --- attendance --------------------------------------------------------------------------------


class CheckInForm(ClientKeyMixin):
    code = forms.CharField(label=_("Short code"), max_length=20, required=False)
    sme = forms.UUIDField(required=False, widget=forms.HiddenInput)
    method = forms.ChoiceField(
        choices=[("qr", "qr"), ("code", "code"), ("list", "list")], required=False, widget=forms.HiddenInput
    )

    def clean(self):
        data = super().clean()
        if not data.get("method"):
            data["method"] = "list" if data.get("sme") else "code"
        return data


# --- outcomes ----------------------------------------------------------------------------------

_NUMBER_CHECKS = {
    Programme.Certification.HALAL: normalize_halal,
    Programme.Certification.PIRT: normalize_pirt,
    Programme.Certification.BPOM: normalize_bpom,
    Programme.Certification.NIB: normalize_nib,
}


class CertificateOutcomeForm(forms.Form):
    certificate = forms.ChoiceField(label=_("Certificate"), choices=Programme.Certification.choices)
    number = forms.CharField(label=_("Number"), max_length=40)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        check = _NUMBER_CHECKS.get(data.get("certificate"))
        if check and data.get("number"):
            try:
                data["number"] = check(data["number"])
            except NormalizationError as exc:
                self.add_error("number", exc.as_validation_error())
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and issued > timezone.localdate():
            self.add_error("issued_on", _("A certificate obtained cannot be issued in the future."))
        if issued and expires and expires <= issued:
            self.add_error("expires_on", _("It expires after it is issued."))
        return data


class ProductOutcomeForm(forms.Form):
    description = forms.CharField(
        label=_("What improved"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    product = forms.ModelChoiceField(label=_("Product in the catalogue"), queryset=None, required=False)

    def __init__(self, *args, sme, **kwargs):
        super().__init__(*args, **kwargs)
        from sentra.catalog.models import Product

        self.fields["product"].queryset = Product.objects.filter(sme=sme).order_by("name_id")


# --- mentoring ---------------------------------------------------------------------------------


class MentorForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("Clinic topics"), required=False, choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Mentor
        fields = ["name", "user", "partner", "expertise", "is_consultant", "topics", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Mentor.objects.exclude(pk=self.instance.pk).exclude(user=None).values("user_id")
        self.fields["user"].queryset = (
            User.objects.filter(role__in=[Role.ADMIN, Role.OFFICER, Role.PARTNER], is_active=True)
            .exclude(pk__in=taken)
            .order_by("first_name", "username")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.get_role_display()})"
        )
        self.fields["user"].help_text = _(
            "A Dinas officer's or a partner user's account, to see their own SMEs."
        )
        self.fields["partner"].queryset = Partner.objects.active().order_by("name")

    def clean(self):
        data = super().clean()
        user, partner = data.get("user"), data.get("partner")
        if user and user.role == Role.PARTNER:
            if partner is None:
                self.add_error("partner", _("A partner user mentors for their organisation: choose it."))
            elif not partner.users.filter(pk=user.pk).exists():
                self.add_error(
                    "user", _("This account does not sign in for %(partner)s.") % {"partner": partner}
                )
        if data.get("is_consultant") and not data.get("topics"):
            self.add_error("topics", _("A consultant consults on at least one topic."))
        return data


class AssignForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Mentor.objects.filter(active=True))
    sme = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class VisitForm(ClientKeyMixin):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    notes = forms.CharField(label=_("What you found and discussed"), widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be in the future."))
        return day


class KpiReportForm(ClientKeyMixin):
    week_start = forms.TypedChoiceField(label=_("Week"), coerce=dt.date.fromisoformat)
    turnover = RupiahField(label=_("Turnover this week (Rp)"))
    orders = forms.IntegerField(label=_("Orders this week"), min_value=0, max_value=1_000_000)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        from sentra.core.templatetags.sentra import format_date

        weeks = reportable_weeks(programme)
        self.fields["week_start"].choices = [
            (w.isoformat(), f"{format_date(w)} – {format_date(w + dt.timedelta(days=6))}") for w in weeks
        ]
        self.fields["turnover"].widget.attrs["inputmode"] = "numeric"

    def clean_turnover(self):
        turnover = self.cleaned_data["turnover"]
        if turnover is None:
            raise forms.ValidationError(_("Enter the week's turnover (0 if there was none)."))
        return turnover


class KpiCorrectForm(forms.Form):
    turnover = RupiahField(label=_("Turnover this week (Rp)"))
    orders = forms.IntegerField(label=_("Orders this week"), min_value=0, max_value=1_000_000)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_turnover(self):
        turnover = self.cleaned_data["turnover"]
        if turnover is None:
            raise forms.ValidationError(_("Enter the week's turnover (0 if there was none)."))
        return turnover


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
        ),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Comment"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolutionForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- clinic ------------------------------------------------------------------------------------


class SlotsForm(forms.Form):
    consultant = forms.ModelChoiceField(
        label=_("Consultant"), queryset=Mentor.objects.filter(is_consultant=True, active=True)
    )
    day = forms.DateField(label=_("Date"), widget=DATE)
    first = forms.TimeField(label=_("First slot at"), widget=TIME)
    count = forms.IntegerField(label=_("Number of slots"), min_value=1, max_value=16, initial=4)
    minutes = forms.IntegerField(label=_("Minutes each"), min_value=15, max_value=180, initial=45)
    venue = forms.CharField(label=_("Venue"), max_length=200, initial="PLUT Kabupaten Bekasi")


class BookingForm(forms.Form):
    sme = forms.ModelChoiceField(
        label=_("Business"), queryset=None, to_field_name="public_id", empty_label=None
    )
    # Chosen by the topic buttons above the form (programs/_clinic_booking_form.html), carried here.
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices, widget=forms.HiddenInput)
    slot = forms.ModelChoiceField(
        label=_("Slot"), queryset=ClinicSlot.objects.none(), widget=forms.RadioSelect
    )
    question = forms.CharField(
        label=_("What would you like to ask?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, smes, slots, **kwargs):
        super().__init__(*args, **kwargs)
        from sentra.core.templatetags.sentra import format_date

        self.fields["sme"].queryset = smes
        self.fields["slot"].queryset = slots
        self.fields["slot"].label_from_instance = lambda s: (
            f"{format_date(s.starts_at, with_time=True)} · {s.consultant.name} · {s.venue}"
        )


def clinic_booking(request, smes, *, initial: dict | None = None):
    """The clinic's booking form for one of `smes`, read from the request: the topic (GET or POST),
    the free slots on it, and on a valid POST the booking made (`clinic.book_slot`, which may still
    refuse a slot taken meanwhile). Returns (form, topic, slots, booking or None); the owner's page
    and the officer's booking for a business both use it.
    """
    from django.core.exceptions import ValidationError

    from . import clinic

    topic = request.POST.get("topic") or request.GET.get("topic") or ""
    topic = topic if topic in Topic.values else ""
    slots = clinic.free_slots(topic=topic) if topic else clinic.free_slots().none()
    data = request.POST if request.method == "POST" else None
    form = BookingForm(data, smes=smes, slots=slots, initial={"topic": topic, **(initial or {})})
    booking = None
    if data is not None and form.is_valid():
        try:
            booking = clinic.book_slot(
                slot=form.cleaned_data["slot"],
                sme=form.cleaned_data["sme"],
                actor=request.user,
                topic=form.cleaned_data["topic"],
                question=form.cleaned_data["question"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    return form, topic, slots, booking


class ConsultationForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Did the consultation take place?"),
        choices=[
            (ClinicBooking.Status.DONE, _("Yes")),
            (ClinicBooking.Status.NO_SHOW, _("No, the business did not come")),
        ],
        widget=forms.RadioSelect,
    )
    advice = forms.CharField(
        label=_("Advice given"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=500,
        help_text=_(
            "What came of it (NIB obtained, credit approved…). It counts once a second officer verifies it."
        ),
    )
    referral_kind = forms.ChoiceField(
        label=_("Refer to"), required=False, choices=[("", _("No referral")), *Referral.Kind.choices]
    )
    referral_programme = forms.ModelChoiceField(label=_("Programme"), required=False, queryset=None)
    referral_partner = forms.ModelChoiceField(label=_("Partner"), required=False, queryset=None)
    referral_office = forms.CharField(
        label=_("Permit office"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"list": "permit-offices"}),
    )
    referral_note = forms.CharField(label=_("Referral note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral_programme"].queryset = Programme.objects.exclude(
            status=Programme.Status.COMPLETED
        ).order_by("-starts_on")
        self.fields["referral_partner"].queryset = Partner.objects.active().order_by("name")

    def clean(self):
        data = super().clean()
        kind = data.get("referral_kind")
        target = {
            Referral.Kind.PROGRAMME: "referral_programme",
            Referral.Kind.PARTNER: "referral_partner",
            Referral.Kind.PERMIT_OFFICE: "referral_office",
        }.get(kind)
        if target and not data.get(target):
            self.add_error(target, _("Say where the business is referred to."))
        return data

    def referrals(self) -> list[dict]:
        data = self.cleaned_data
        kind = data.get("referral_kind")
        if not kind:
            return []
        return [
            {
                "kind": kind,
                "programme": data["referral_programme"] if kind == Referral.Kind.PROGRAMME else None,
                "partner": data["referral_partner"] if kind == Referral.Kind.PARTNER else None,
                "office": data["referral_office"] if kind == Referral.Kind.PERMIT_OFFICE else "",
                "note": data["referral_note"],
            }
        ]


class ReportFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Programmes starting in"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]

    @property
    def chosen_year(self) -> int | None:
        return self.cleaned_data.get("year") if self.is_valid() else None
