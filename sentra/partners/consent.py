"""What an SME shares with the partners it lets find it (UU PDP: consent, purpose, minimum).

An SME chooses which kinds of partner (`Partner.Kind`: banks, retailers, BUMN buyers, universities…)
may find it, and which of the fields below they see. A partner of a consented kind always sees what
it searched by — the business name, kecamatan, sector, scale and which permits the business holds —
and beyond that only the fields the SME ticked. Some data are never shared, whatever the SME ticks:
the owner's NIK, birth date, phone and home address, and the NPWP (since 2024 a person's NPWP is
their NIK).

Every partner search and every view of an SME's profile is written to the one personal-data access
log (`sentra.core.audit.log_personal_access`, kind "view"): a search names the partner record, the
filters and how many SMEs were listed; a profile view names the SME, the partner and the fields
shown. The log needs no kind of its own: a partner's rows are those of partner users, and the
object they name (a Partner for a search, an SME for a view) says which it was.

Consent is checked again on every request — page, htmx partial, offer — so a withdrawal takes effect
at once, even in a search a partner already has open.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.core.audit import log_personal_access
from sentra.registry.models import Permit, Sme

from .models import ConsentGrant, Partner


@dataclass(frozen=True)
class Shareable:
    key: str
    label: str  # lazy
    help: str  # lazy: what the partner will see
    # (label, value) rows of an SME's profile; the SME is loaded with its owner and desa.
    rows: Callable[[Sme], list[tuple[str, str]]]


def _money(value) -> str:
    from sentra.core.templatetags.sentra import format_rupiah

    return format_rupiah(value) if value is not None else ""


SHAREABLE: dict[str, Shareable] = {
    s.key: s
    for s in (
        Shareable(
            "products",
            _("Products and activity"),
            _("What you make or sell, and your main activity."),
            lambda sme: [(_("Products"), sme.products), (_("Main activity"), sme.main_activity)],
        ),
        Shareable(
            "contact",
            _("Business contact"),
            _("The business phone / WhatsApp and email, so that the partner can contact you."),
            lambda sme: [
                (_("Phone / WhatsApp"), sme.whatsapp or sme.phone),
                (_("Email"), sme.email),
            ],
        ),
        Shareable(
            "owner_name",
            _("Owner's name"),
            _("Your name as the owner (never your NIK or birth date)."),
            lambda sme: [(_("Owner"), sme.owner.name if sme.owner_id else "")],
        ),
        Shareable(
            "address",
            _("Business address"),
            _("The street address, RT/RW and desa of the business (never your home address)."),
            lambda sme: [
                (
                    _("Business address"),
                    ", ".join(
                        part
                        for part in (
                            sme.address,
                            f"RT {sme.rt}/RW {sme.rw}" if sme.rt or sme.rw else "",
                            sme.desa.name if sme.desa_id else "",
                        )
                        if part
                    ),
                )
            ],
        ),
        Shareable(
            "finance",
            _("Turnover and capital"),
            _("Yearly turnover, declared capital and assets: banks ask for them before offering credit."),
            lambda sme: [
                (_("Yearly turnover"), _money(sme.turnover)),
                (_("Declared capital"), _money(sme.capital)),
                (_("Assets"), _money(sme.assets)),
            ],
        ),
        Shareable(
            "workers",
            _("Workers and start year"),
            _("How many people work in the business, and since when it runs."),
            lambda sme: [
                (_("Employees"), "" if sme.employees is None else str(sme.employees)),
                (_("Start year"), "" if sme.start_year is None else str(sme.start_year)),
            ],
        ),
        Shareable(
            "numbers",
            _("NIB and permit numbers"),
            _("The numbers of your NIB and permits, so that a buyer can check them."),
            lambda sme: [(_("NIB"), sme.nib or "")],
        ),
    )
}
# Fields whose values are personal data under UU PDP (the business phone may be the owner's own).
PERSONAL_SHAREABLE = {"contact", "owner_name", "address"}
# Shown to every partner of a consented kind: what the search itself filters by.
ALWAYS_SHARED = ("name", "kecamatan", "sector", "scale", "legality")
NEVER_SHARED = ("owner.nik", "owner.birth_date", "owner.phone", "owner.address", "npwp")


def kind_choices() -> list[tuple[str, str]]:
    return list(Partner.Kind.choices)


def field_choices() -> list[tuple[str, str]]:
    return [(s.key, s.label) for s in SHAREABLE.values()]


def clean_fields(fields: Iterable[str]) -> list[str]:
    """The known shareable keys among `fields`, in their defined order."""
    wanted = set(fields)
    return [key for key in SHAREABLE if key in wanted]


def clean_kinds(kinds: Iterable[str]) -> list[str]:
    wanted = set(kinds)
    return [kind for kind in Partner.Kind.values if kind in wanted]


# --- what a partner may reach ------------------------------------------------------------------


def consenting_smes(partner: Partner) -> QuerySet:
    """Verified SMEs in the registry that let this kind of partner find them, with what they share.

    Each carries `shared_fields`, the keys it shares with this kind. Unverified and merged records
    are never offered: a partner reaches businesses the Dinas has checked.
    """
    grants = ConsentGrant.objects.filter(sme=OuterRef("pk"), kind=partner.kind)
    return (
        Sme.objects.active()
        .verified()
        .filter(Exists(grants))
        .annotate(shared_fields=Subquery(grants.values("fields")[:1]))
    )


def legality_condition(kind: str) -> Q:
    """SMEs holding an NIB, or a permit of `kind` still valid today."""
    if kind == "nib":
        return Q(nib__isnull=False) & ~Q(nib="")
    today = timezone.localdate()
    valid = Permit.objects.filter(sme=OuterRef("pk"), kind=kind).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    return Q(Exists(valid))


LEGALITY_CHOICES = [
    ("nib", _("Has an NIB")),
    (Permit.Kind.HALAL, _("Valid halal certificate")),
    (Permit.Kind.PIRT, _("Valid P-IRT")),
    (Permit.Kind.BPOM, _("BPOM registration")),
]


def valid_permit_kinds(smes: list[Sme]) -> dict[int, list[str]]:
    """SME id → the kinds of permit it holds that are still valid, in one query for a page of SMEs."""
    today = timezone.localdate()
    held: dict[int, list[str]] = {sme.pk: [] for sme in smes}
    rows = (
        Permit.objects.filter(sme__in=[sme.pk for sme in smes])
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values_list("sme_id", "kind")
        .distinct()
        .order_by("sme_id", "kind")
    )
    for sme_id, kind in rows:
        held[sme_id].append(Permit.Kind(kind).label)
    return held


def profile_rows(sme: Sme, fields: Iterable[str]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(key, section label, rows) of each field the SME shares, for its profile page."""
    return [(key, SHAREABLE[key].label, SHAREABLE[key].rows(sme)) for key in clean_fields(fields)]


def log_search(*, user, partner: Partner, shown: int, filters: dict) -> None:
    detail = "partner search; " + "; ".join(f"{k}={v}" for k, v in sorted(filters.items()) if v)
    log_personal_access(
        user=user, kind="view", fields=[*ALWAYS_SHARED, "products"], obj=partner, rows=shown, detail=detail
    )


def log_profile_view(*, user, partner: Partner, sme: Sme, fields: Iterable[str]) -> None:
    log_personal_access(
        user=user,
        kind="view",
        fields=[*ALWAYS_SHARED, *clean_fields(fields)],
        obj=sme,
        detail=f"partner profile view by {partner.name}",
    )
