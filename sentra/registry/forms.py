"""Forms of the officer-facing registry: list filters, SME and owner edits, status decisions,
cooperatives and forums. Identifiers are checked with the same normalisers the import uses."""

from typing import Any

from django import forms
from django.db import connection
from django.db.models import BooleanField, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.forms import inlineformset_factory
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from sentra.regions.models import Region

from .db_indexes import NO_NIB_SQL, SCALE_ORDER_SQL
from .kbli import categories
from .models import PERMIT_DATE_COLUMNS, Cooperative, CooperativeManager, Forum, Owner, Permit, Scale, Sme
from .normalize import (
    NormalizationError,
    nik_info,
    normalize_kbli,
    normalize_money,
    normalize_nib,
    normalize_nik,
    normalize_npwp,
    normalize_phone,
)
from .search import search_smes
from .services import rat_overdue_since

DESA_OPTIONS_URL = reverse_lazy("registry:desa_options")


def kecamatan_for_user(user) -> QuerySet:
    """The kecamatan a user works in: an officer's scope, or the whole home regency."""
    kecamatan = Region.objects.kecamatan().in_home_regency()
    scope = user.kecamatan_scope()
    return kecamatan if scope is None else kecamatan.filter(pk__in=scope)


def forums_for_user(user) -> QuerySet:
    forums = Forum.objects.all()
    scope = user.kecamatan_scope()
    return forums if scope is None else forums.filter(kecamatan_id__in=scope)


def _narrows_desa(kecamatan_field: forms.Field, desa_id: str, *, filter_labels: bool = False) -> None:
    """Let a kecamatan select reload its desa select's options (htmx; without JS the page reloads)."""
    kecamatan_field.widget.attrs.update(
        {
            "hx-get": str(DESA_OPTIONS_URL),
            "hx-target": f"#{desa_id}",
            "hx-trigger": "change",
            "hx-swap": "innerHTML",
        }
    )
    if filter_labels:
        kecamatan_field.widget.attrs["hx-vals"] = '{"all": "1"}'


def _desa_within(scope: QuerySet) -> QuerySet:
    return Region.objects.desa().filter(parent__in=scope).order_by("name")


class RegionChoiceField(forms.ModelChoiceField):
    """A region select that offers a narrower list than it accepts.

    The desa select offers the desa of the chosen kecamatan, but accepts any desa in scope so that
    a mismatch gets a message saying so rather than "select a valid choice".
    """

    def __init__(self, *args, **kwargs):
        # Region codes, not ids, in forms and query strings: a bookmarked filter survives a reload.
        kwargs["to_field_name"] = "code"
        super().__init__(*args, **kwargs)

    def offer(self, offered: QuerySet) -> None:
        choices = ModelChoiceIterator(self)
        choices.queryset = offered
        self.widget.choices = choices


def _initial_objects(form: forms.BaseForm, *names: str) -> None:
    """Give related fields their objects as initial values: a ModelForm gives primary keys, but
    these selects are keyed by code or public id, so a pk would select nothing."""
    instance = getattr(form, "instance", None)
    if instance is not None and instance.pk:
        for name in names:
            form.initial[name] = getattr(instance, name)


def _set_up_desa(
    form: forms.BaseForm, *, user, default_kecamatan: Region | None = None, filter_labels: bool = False
) -> None:
    """Desa accepted within the user's scope, offered within the kecamatan chosen on the form."""
    kecamatan_field, desa_field = form.fields["kecamatan"], form.fields["desa"]
    _initial_objects(form, "kecamatan", "desa")
    scope = kecamatan_for_user(user)
    kecamatan_field.queryset = scope
    desa_field.queryset = accepted = _desa_within(scope)
    code = form.data.get(form.add_prefix("kecamatan")) if form.is_bound else None
    scope_ids = user.kecamatan_scope() or []
    if code:
        offered = accepted.filter(parent__code=code)
    elif default_kecamatan is not None:
        offered = accepted.filter(parent=default_kecamatan)
    elif len(scope_ids) == 1:
        offered = accepted.filter(parent_id=scope_ids[0])
    else:
        # Nothing to offer until a kecamatan is chosen: 187 desa in one select help nobody.
        offered = Region.objects.none()
    desa_field.offer(offered)
    _narrows_desa(kecamatan_field, form["desa"].auto_id, filter_labels=filter_labels)


def _normalised(normaliser, value: Any, **kwargs: Any) -> Any:
    try:
        return normaliser(value, **kwargs)
    except NormalizationError as exc:
        raise exc.as_validation_error() from None


class RupiahField(forms.CharField):
    """Whole Rupiah typed the way people write them: 1500000, 1.500.000, Rp 1,5 jt."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        return _normalised(normalize_money, super().to_python(value))


# --- the registry list -------------------------------------------------------------------------


GAPS = [
    ("no_nib", _("No NIB")),
    ("no_halal", _("No halal certificate")),
    ("halal_expired", _("Halal certificate expired")),
    ("pirt_expired", _("P-IRT expired")),
    ("no_npwp", _("No NPWP")),
]

# Smallest class first. Literal SQL, repeated word for word in the expression index
# sme_scale_order_idx (db_indexes.py): SQLite only uses an index on an identical expression.
SCALE_ORDER = RawSQL(SCALE_ORDER_SQL, [], output_field=IntegerField())
NO_NIB = RawSQL(NO_NIB_SQL.replace('"nib"', '"registry_sme"."nib"'), [], output_field=BooleanField())
# Column → ordering; each ends in the primary key so that pages never overlap, and each has an index.
SORTS: dict[str, tuple] = {
    "name": ("name", "id"),
    # Kecamatan in the official (Kemendagri code) order, which is the order regions are loaded in:
    # ordering by the kecamatan's name would sort the whole registry on every page.
    "kecamatan": ("kecamatan_id", "name", "id"),
    "scale": (SCALE_ORDER, "name", "id"),
    "status": ("status", "name", "id"),
    "updated": ("updated_at", "id"),
}
SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]


def _descending(expression):
    if isinstance(expression, str):
        return f"-{expression}"
    return expression.desc()


def _walking(for_count: bool) -> bool:
    return not for_count and connection.vendor == "sqlite"


def _unindexed(sql: str, *params) -> Q:
    """A condition on SQLite written so that no index can serve it (a unary + on the column)."""
    return Q(RawSQL(sql, list(params), output_field=BooleanField()))


def gap_condition(gap: str, *, for_count: bool = False) -> Q:
    """The SMEs with a legality gap, each a condition on the SME's own row with a partial index to
    count from. A page walks the sort order's index and tests each row, stopping after 50; when the
    count finds few SMEs with the gap, the walk would cross the whole registry to find them, so the
    list reads that page by primary key instead (views.CountingPaginator).

    On SQLite a page's condition keeps the partial index out of reach (`+column`): given one, SQLite
    reads all of its rows and sorts them ("no halal certificate": 140,000 of 200,000 SMEs) rather
    than walking the sort order until 50 are found.
    """
    walking = _walking(for_count)
    if gap == "no_nib":
        if walking:
            return _unindexed("""COALESCE(+"registry_sme"."nib", '') = ''""")
        # NULL or blank, in the words of the partial index sme_no_nib_idx (db_indexes.NO_NIB_SQL).
        return Q(NO_NIB)
    if gap == "no_npwp":
        return _unindexed(""" +"registry_sme"."npwp" = '' """.strip()) if walking else Q(npwp="")
    # Permit gaps read the SME's copy of its permit dates (Sme.halal_valid_until, kept by every
    # permit write), each with a partial index to count from (sme_halal_until_idx, sme_pirt_until_idx).
    kind = {
        "no_halal": Permit.Kind.HALAL,
        "halal_expired": Permit.Kind.HALAL,
        "pirt_expired": Permit.Kind.PIRT,
    }
    column = PERMIT_DATE_COLUMNS[kind[gap]]
    if gap == "no_halal":
        if walking:
            return _unindexed(f'+"registry_sme"."{column}" IS NULL')
        return Q(**{f"{column}__isnull": True})
    # Expired: holds such a permit, and none of them is still valid (one without a date is).
    today = timezone.localdate()
    if walking:
        return _unindexed(f'+"registry_sme"."{column}" < %s', today.isoformat())
    return Q(**{f"{column}__lt": today})


def kbli_category_choices() -> list[tuple[str, str]]:
    # KBLI 2020's letters: the version nearly every record carries. Under KBLI 2025 the letters
    # from K on name other sectors, so a filter by letter mixes them until records are recoded.
    english = (translation.get_language() or "id").startswith("en")
    return [(c.letter, f"{c.letter} — {c.title_en if english else c.title_id}") for c in categories(2020)]


class SmeFilterForm(forms.Form):
    """The registry list's filters, read from the query string so that a list can be bookmarked."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Business, brand, owner name, products, NIB or NIK."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kecamatan = RegionChoiceField(label=_("Kecamatan"), queryset=Region.objects.none(), required=False)
    desa = RegionChoiceField(label=_("Desa / kelurahan"), queryset=Region.objects.none(), required=False)
    kbli = forms.ChoiceField(label=_("KBLI category"), required=False)
    scale = forms.ChoiceField(label=_("Scale"), required=False, choices=[("", _("All"))] + Scale.choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Sme.Status.choices
    )
    forum = forms.ModelChoiceField(label=_("Forum"), queryset=Forum.objects.none(), required=False)
    gap = forms.MultipleChoiceField(
        label=_("Legality gaps"),
        required=False,
        choices=GAPS,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].empty_label = _("All kecamatan")
        self.fields["desa"].empty_label = _("All desa / kelurahan")
        _set_up_desa(self, user=user, filter_labels=True)
        self.fields["kbli"].choices = [("", _("All"))] + kbli_category_choices()
        self.fields["forum"].queryset = forums_for_user(user).order_by("name")
        self.fields["forum"].empty_label = _("All forums")

    def clean_desa(self):
        desa, kecamatan = self.cleaned_data.get("desa"), self.cleaned_data.get("kecamatan")
        # A desa left over from the previous kecamatan is dropped, not an error: the htmx request
        # that reloads the list leaves before the desa select has been reloaded.
        if desa and kecamatan and desa.parent_id != kecamatan.pk:
            return None
        return desa

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one is ignored (and shown as an error next to its field)."""
        return getattr(self, "cleaned_data", {}) if self.is_bound else {}

    def apply(self, smes: QuerySet, *, for_count: bool = False) -> QuerySet:
        """The filtered, ordered SMEs; `for_count` gives the same rows in the form fastest to count."""
        self.is_valid()
        f = self.filters()
        if f.get("kecamatan"):
            smes = smes.filter(kecamatan=f["kecamatan"])
        if f.get("desa"):
            smes = smes.filter(desa=f["desa"])
        if f.get("kbli"):
            smes = smes.filter(kbli_category=f["kbli"])
        elif for_count and "no_nib" in (f.get("gap") or ()):
            # Always true (the column is never NULL), but it gives sme_no_nib_idx (kbli_category,
            # …) a range to read: without one SQLite counts "no NIB" through the merged_into index,
            # reading every row (150 ms → 13 ms at 200,000 SMEs).
            smes = smes.filter(kbli_category__gte="")
        if f.get("scale"):
            smes = smes.filter(scale=f["scale"])
        if f.get("status"):
            smes = smes.filter(status=f["status"])
        if f.get("forum"):
            smes = smes.filter(forum=f["forum"])
        for gap in f.get("gap") or ():
            smes = smes.filter(gap_condition(gap, for_count=for_count))
        smes = search_smes(smes, f.get("q"), for_count=for_count)
        return smes.order_by(*self.ordering())

    def filtered(self) -> bool:
        """Whether any filter narrows the list (the sort aside)."""
        return any(v for k, v in self.filters().items() if k != "sort")

    def search_only(self) -> str | None:
        """The search, when it is the list's only filter (the sort aside); else None."""
        f = self.filters()
        if not f.get("q") or any(v for k, v in f.items() if k not in ("q", "sort")):
            return None
        return f["q"]

    @property
    def current_sort(self) -> str:
        return self.filters().get("sort") or "name"

    def ordering(self) -> list:
        key = self.current_sort
        columns = SORTS[key.lstrip("-")]
        return [_descending(c) for c in columns] if key.startswith("-") else list(columns)


# --- SMEs and owners ---------------------------------------------------------------------------


class SmeForm(forms.ModelForm):
    capital = RupiahField(
        label=_("Declared capital (Rp)"),
        required=False,
        help_text=_("Excluding land and buildings; it decides the scale when given."),
    )
    turnover = RupiahField(label=_("Yearly turnover (Rp)"), required=False)
    assets = RupiahField(label=_("Assets (Rp)"), required=False)
    kbli_version = forms.TypedChoiceField(
        label=_("KBLI version"), choices=[(2020, "KBLI 2020"), (2025, "KBLI 2025")], coerce=int, initial=2020
    )

    class Meta:
        model = Sme
        fields = [
            "name",
            "brand",
            "main_activity",
            "products",
            "legal_form",
            "start_year",
            "start_month",
            "kbli_code",
            "kbli_version",
            "phone",
            "whatsapp",
            "email",
            "address",
            "rt",
            "rw",
            "kecamatan",
            "desa",
            "latitude",
            "longitude",
            "employees",
            "workers_paid_male",
            "workers_paid_female",
            "workers_paid_disabled_male",
            "workers_paid_disabled_female",
            "workers_unpaid_male",
            "workers_unpaid_female",
            "workers_unpaid_disabled_male",
            "workers_unpaid_disabled_female",
            "capital",
            "turnover",
            "assets",
            "nib",
            "nib_issued_on",
            "npwp",
            "forum",
        ]
        widgets = {
            "products": forms.Textarea(attrs={"rows": 3}),
            "nib_issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        field_classes = {"kecamatan": RegionChoiceField, "desa": RegionChoiceField}

    FIELDSETS = [
        (_("Business"), ["name", "brand", "main_activity", "products", "legal_form", "start_year", "start_month"]),
        (_("Sector"), ["kbli_code", "kbli_version"]),
        (_("Contact and address"), ["phone", "whatsapp", "email", "address", "rt", "rw", "kecamatan", "desa",
                                    "latitude", "longitude"]),
        (_("Workers"), ["employees", "workers_paid_male", "workers_paid_female", "workers_paid_disabled_male",
                        "workers_paid_disabled_female", "workers_unpaid_male", "workers_unpaid_female",
                        "workers_unpaid_disabled_male", "workers_unpaid_disabled_female"]),
        (_("Money"), ["capital", "turnover", "assets"]),
        (_("Legality"), ["nib", "nib_issued_on", "npwp"]),
        (_("Forum"), ["forum"]),
    ]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].required = True
        _set_up_desa(self, user=user, default_kecamatan=self.instance.kecamatan)
        self.fields["forum"].queryset = forums_for_user(user).order_by("name")
        self.fields["start_month"].widget = forms.NumberInput(attrs={"min": 1, "max": 12})
        if self.instance.pk is None:
            self.initial.setdefault("kbli_version", 2020)

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean_phone(self):
        return _normalised(normalize_phone, self.cleaned_data.get("phone")) or ""

    def clean_whatsapp(self):
        return _normalised(normalize_phone, self.cleaned_data.get("whatsapp")) or ""

    def clean_nib(self):
        return _normalised(normalize_nib, self.cleaned_data.get("nib"))

    def clean_npwp(self):
        return _normalised(normalize_npwp, self.cleaned_data.get("npwp")) or ""

    def clean_start_month(self):
        month = self.cleaned_data.get("start_month")
        if month is not None and not 1 <= month <= 12:
            raise forms.ValidationError(_("A month is a number from 1 to 12."))
        return month

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("kbli_code")
        if code and cleaned.get("kbli_version"):
            try:
                cleaned["kbli_code"] = normalize_kbli(code, version=cleaned["kbli_version"])
            except NormalizationError as exc:
                self.add_error("kbli_code", exc.as_validation_error())
        desa, kecamatan = cleaned.get("desa"), cleaned.get("kecamatan")
        if desa and kecamatan and desa.parent_id != kecamatan.pk:
            self.add_error("desa", _("This desa / kelurahan is not in the chosen kecamatan."))
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OwnerForm(forms.ModelForm):
    """The owner behind an SME. On a new SME, a NIK the registry already holds links to that owner."""

    class Meta:
        model = Owner
        fields = [
            "name",
            "nik",
            "gender",
            "birth_date",
            "has_disability",
            "education",
            "phone",
            "email",
            "address",
            "rt",
            "rw",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "has_disability": forms.NullBooleanSelect,
        }
        help_texts = {
            "nik": _("16 digits. A NIK already in the registry links this business to that owner."),
        }

    def __init__(self, *args, links_existing: bool = False, **kwargs):
        kwargs.setdefault("prefix", "owner")
        super().__init__(*args, **kwargs)
        self.links_existing = links_existing
        if self.empty_permitted:
            self.use_required_attribute = False
        self.fields["nik"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_nik(self):
        return _normalised(normalize_nik, self.cleaned_data.get("nik"))

    def clean_phone(self):
        return _normalised(normalize_phone, self.cleaned_data.get("phone")) or ""

    def clean(self):
        cleaned = super().clean()
        nik = cleaned.get("nik")
        if not nik:
            return cleaned
        info = nik_info(nik)
        born = cleaned.get("birth_date")
        if born is None:
            cleaned["birth_date"] = info["birth_date"]
        elif (born.day, born.month, born.year % 100) != (
            info["birth_date"].day,
            info["birth_date"].month,
            info["birth_date"].year % 100,
        ):
            self.add_error("birth_date", _("The birth date does not match the one inside the NIK."))
        if not cleaned.get("gender"):
            cleaned["gender"] = info["gender"]
        elif cleaned["gender"] != info["gender"]:
            self.add_error("gender", _("The gender does not match the NIK."))
        if cleaned.get("birth_date") and not cleaned.get("birth_year"):
            cleaned["birth_year"] = cleaned["birth_date"].year
        return cleaned

    def validate_unique(self):
        # A new business may belong to an owner already registered: the service links them.
        if not self.links_existing:
            super().validate_unique()

    def service_data(self) -> dict[str, Any] | None:
        if self.empty_permitted and not self.has_changed():
            return None
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.cleaned_data.get("birth_year"):
            data["birth_year"] = self.cleaned_data["birth_year"]
        return data


class VerifyForm(forms.Form):
    note = forms.CharField(
        label=_("Verification note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: what was checked, e.g. a field visit."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for rejecting.")},
    )


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for deactivating"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for deactivating.")},
    )


# --- cooperatives ------------------------------------------------------------------------------


class CooperativeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kecamatan = RegionChoiceField(label=_("Kecamatan"), queryset=Region.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All"))] + Cooperative.Kind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Cooperative.Status.choices
    )
    rat_overdue = forms.BooleanField(label=_("No RAT in the last 12 months"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = kecamatan_for_user(user)
        self.fields["kecamatan"].empty_label = _("All kecamatan")

    def apply(self, cooperatives: QuerySet) -> QuerySet:
        self.is_valid()
        f = getattr(self, "cleaned_data", {})
        if f.get("q"):
            cooperatives = cooperatives.filter(name__icontains=f["q"])
        if f.get("kecamatan"):
            cooperatives = cooperatives.filter(kecamatan=f["kecamatan"])
        if f.get("kind"):
            cooperatives = cooperatives.filter(kind=f["kind"])
        if f.get("status"):
            cooperatives = cooperatives.filter(status=f["status"])
        if f.get("rat_overdue"):
            since = rat_overdue_since(timezone.localdate())
            cooperatives = cooperatives.filter(Q(last_rat_date__isnull=True) | Q(last_rat_date__lt=since))
        return cooperatives


class CooperativeForm(forms.ModelForm):
    class Meta:
        model = Cooperative
        fields = [
            "name",
            "kind",
            "status",
            "legal_entity_number",
            "nik_koperasi",
            "members_count",
            "last_rat_date",
            "address",
            "kecamatan",
            "desa",
        ]
        widgets = {"last_rat_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {"kecamatan": RegionChoiceField, "desa": RegionChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].required = True
        _set_up_desa(self, user=user, default_kecamatan=self.instance.kecamatan)

    def clean_last_rat_date(self):
        held = self.cleaned_data.get("last_rat_date")
        if held and held > timezone.localdate():
            raise forms.ValidationError(_("The last RAT cannot be in the future."))
        return held

    def clean(self):
        cleaned = super().clean()
        desa, kecamatan = cleaned.get("desa"), cleaned.get("kecamatan")
        if desa and kecamatan and desa.parent_id != kecamatan.pk:
            self.add_error("desa", _("This desa / kelurahan is not in the chosen kecamatan."))
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


ManagerFormSet = inlineformset_factory(
    Cooperative,
    CooperativeManager,
    fields=["name", "position"],
    extra=2,
    can_delete=True,
    labels={"name": _("Name"), "position": _("Position")},
)


def manager_rows(formset) -> list[dict[str, Any]]:
    """The formset as plain rows for the service; untouched blank rows are left out."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk is None:
            continue
        rows.append(
            {
                "id": form.instance.pk,
                "name": form.cleaned_data.get("name", ""),
                "position": form.cleaned_data.get("position", ""),
                "delete": form.cleaned_data.get("DELETE", False),
            }
        )
    return rows


# --- forums ------------------------------------------------------------------------------------


class ForumForm(forms.ModelForm):
    class Meta:
        model = Forum
        fields = ["name", "kecamatan", "coordinator"]
        field_classes = {"kecamatan": RegionChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _initial_objects(self, "kecamatan", "coordinator")
        self.fields["kecamatan"].queryset = kecamatan_for_user(user)
        # Forums are not tied to kecamatan by code: a regency-wide forum has none.
        self.fields["kecamatan"].required = False
        coordinator = self.fields["coordinator"]
        coordinator.queryset = (
            Sme.objects.active().filter(forum=self.instance).order_by("name", "id")
            if self.instance.pk
            else Sme.objects.none()
        )
        coordinator.to_field_name = "public_id"
        coordinator.help_text = _("A member of this forum.")

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
