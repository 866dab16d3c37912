"""The "bebeli" kind of the shared import engine (sentra.imports): purchases kept in an earlier
application or a spreadsheet, imported as Bebeli purchases made outside Sentra.

Column matching, the dry run, background progress, the row-by-row check and the report of rows to
fix are the engine's; this module says what a row holds and what becomes of it:

- the buyer organisation, by its code (kode OPD / satker) when the file has one — an unknown code
  rejects the row, the name beside it is not tried — else by its name as Sentra has it
  (spelling-insensitive; two organisations of one name reject the row rather than pick one);
- the SME, by NIB, or by name and kecamatan. A NIB that is not in the registry, or a name that fits
  no SME (or more than one) in that kecamatan, rejects the row with the reason: never guessed. An SME
  that is not verified, or merged into another, is refused as every Bebeli purchase is;
- the date, invoice number, amount (positive whole Rupiah), and optionally the payment date and
  reference and a description.

An imported purchase is completed (status "paid", source "import") but not verified: an officer
verifies it later, and only then does it count. Its `import_key` is buyer + SME + invoice number, so
importing the same rows again creates nothing twice. Rows are written with `core.bulk.insert_rows`,
with one audit entry each, and the summaries are rebuilt once the commit ends.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.core.bulk import insert_rows
from sentra.core.models import AuditEntry
from sentra.imports import kinds
from sentra.imports.engine import CREATE, KEEP, REJECT, RowPass
from sentra.imports.models import RegionAlias
from sentra.imports.rows import (
    CellError,
    RegionResolver,
    RowError,
    Unmatched,
    error,
    from_normalization,
    name_key,
    original_text,
    text_cleaner,
)
from sentra.imports.sme_spec import Field
from sentra.registry import normalize as norm
from sentra.registry.models import Sme

from . import flags
from .models import BuyerOrganisation, Purchase, PurchaseLine

FIELDS: tuple[Field, ...] = (
    Field(
        "buyer",
        _("Buyer organisation"),
        (
            "Pembeli",
            "Nama Pembeli",
            "OPD",
            "Nama OPD",
            "Perangkat Daerah",
            "Instansi",
            "Satuan Kerja",
            "Satker",
            "Buyer",
            "Buyer name",
            "Buyer organisation",
        ),
        rejects=True,
    ),  # fmt: skip
    Field(
        "buyer_code",
        _("Buyer organisation code"),
        (
            "Kode OPD",
            "Kode Satker",
            "Kode Satuan Kerja",
            "Kode Perangkat Daerah",
            "Kode Instansi",
            "Kode Unit",
            "Kode Pembeli",
            "Buyer code",
            "Organisation code",
        ),
        rejects=True,
    ),  # fmt: skip
    Field(
        "nib",
        _("SME's NIB"),
        ("NIB", "No. NIB", "NIB UMKM", "NIB Penyedia", "Nomor Induk Berusaha"),
        rejects=True,
    ),
    Field(
        "sme_name",
        _("SME name"),
        (
            "Nama Usaha",
            "Nama UMKM",
            "Nama UKM",
            "UMKM",
            "Penyedia",
            "Nama Penyedia",
            "Nama Toko",
            "Toko",
            "Vendor",
            "SME",
            "SME name",
            "Seller",
            "Supplier",
        ),
        rejects=True,
    ),  # fmt: skip
    Field(
        "kecamatan",
        _("SME's kecamatan"),
        ("Kecamatan", "Kec.", "Kec", "Kecamatan UMKM", "District"),
        rejects=True,
    ),
    Field(
        "date",
        _("Purchase date"),
        (
            "Tanggal",
            "Tgl",
            "Tgl.",
            "Tanggal Transaksi",
            "Tgl. Transaksi",
            "Tanggal Pembelian",
            "Tanggal Belanja",
            "Date",
            "Purchase date",
            "Transaction date",
        ),
        required=True,
    ),  # fmt: skip
    Field(
        "invoice",
        _("Invoice number"),
        (
            "No. Faktur",
            "Nomor Faktur",
            "Faktur",
            "No. Invoice",
            "Nomor Invoice",
            "Invoice",
            "No. Nota",
            "Nomor Nota",
            "No. Kwitansi",
            "Nomor Kwitansi",
            "Invoice number",
            "Receipt number",
        ),
        required=True,
    ),  # fmt: skip
    Field(
        "amount",
        _("Amount (Rp)"),
        (
            "Nilai",
            "Nilai Transaksi",
            "Nilai Belanja",
            "Jumlah",
            "Jumlah Bayar",
            "Total",
            "Nominal",
            "Amount",
            "Total amount",
        ),
        required=True,
    ),  # fmt: skip
    Field(
        "description",
        _("Description"),
        ("Uraian", "Keterangan", "Deskripsi", "Barang/Jasa", "Nama Barang", "Paket", "Description", "Item"),
        rejects=True,
    ),  # fmt: skip
    Field(
        "paid_on",
        _("Payment date"),
        ("Tanggal Bayar", "Tanggal Pembayaran", "Tgl. Bayar", "Tgl Bayar", "Paid on", "Payment date"),
        rejects=True,
    ),
    Field(
        "payment_reference",
        _("Payment reference"),
        ("No. SP2D", "SP2D", "Nomor SP2D", "Referensi Pembayaran", "Bukti Bayar", "Payment reference"),
        rejects=True,
    ),
    Field("row_number", _("Row number"), ("No", "No.", "Nomor", "No Urut", "Row"), ignored=True),
    Field(
        "reason",
        _("Reason (from a rejected-rows file)"),
        ("Alasan", "Reason", "Alasan Ditolak"),
        ignored=True,
    ),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}
REQUIRED = tuple(f.key for f in FIELDS if f.required)
match_headers = kinds.header_matcher(FIELDS)
DESCRIPTION = "Pembelian di luar Sentra (impor)"


def field_choices() -> list[tuple[str, str]]:
    return [(f.key, str(f.label)) for f in FIELDS if not f.ignored]


def clean_amount(value: Any) -> int:
    amount = norm.normalize_money(value)
    if not amount:
        raise CellError(
            "amount_positive", _("Amounts are positive whole Rupiah; %(value)s is not."), value=value
        )
    return amount


CLEANERS = {
    "buyer": text_cleaner(200),
    "buyer_code": text_cleaner(40),
    "nib": norm.normalize_nib,
    "sme_name": text_cleaner(200),
    "kecamatan": text_cleaner(100),
    "date": norm.normalize_date,
    "invoice": text_cleaner(60),
    "amount": clean_amount,
    "description": text_cleaner(200),
    "paid_on": norm.normalize_date,
    "payment_reference": text_cleaner(100),
}


@dataclass(slots=True)
class PurchaseRow:
    number: int
    raw: list[Any]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)


class PurchaseMapper:
    """Raw rows -> PurchaseRow values, each unusable cell a reason to reject the row."""

    def __init__(self, *, headers: list[str], mapping: list[str], resolver: RegionResolver) -> None:
        self.resolver = resolver
        self.today = timezone.localdate()
        self.columns = []
        self.index_of: dict[str, int] = {}
        for index, key in enumerate(mapping):
            if not key or key not in CLEANERS:
                continue
            header = headers[index] if index < len(headers) else ""
            self.columns.append((index, key, header or str(FIELDS_BY_KEY[key].label)))
            self.index_of[key] = index

    def map(self, number: int, raw: list[Any]) -> PurchaseRow:
        row = PurchaseRow(number=number, raw=raw)
        for index, key, column in self.columns:
            cell = raw[index] if index < len(raw) else None
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            try:
                value = CLEANERS[key](cell)
            except norm.NormalizationError as exc:
                problem = from_normalization(exc, column)
            except CellError as exc:
                problem = error(exc.code, column, exc.message, **exc.params)
            else:
                if value is not None and value != "":
                    row.values[key] = value
                continue
            problem.original = original_text(key, cell, FIELDS_BY_KEY)
            row.errors.append(problem)
        if not row.errors:
            self._whole_row(row)
        return row

    def _problem(self, row: PurchaseRow, key: str, problem: RowError) -> None:
        index = self.index_of.get(key)
        if index is not None and index < len(row.raw):
            problem.original = original_text(key, row.raw[index], FIELDS_BY_KEY)
        row.errors.append(problem)

    def _column(self, key: str) -> str:
        return next((c for _i, k, c in self.columns if k == key), "")

    def _whole_row(self, row: PurchaseRow) -> None:
        values = row.values
        for key in REQUIRED:
            if key not in values:
                row.errors.append(error("required", self._column(key) or str(FIELDS_BY_KEY[key].label),
                                        _("This value is needed.")))  # fmt: skip
        if "buyer" not in values and "buyer_code" not in values:
            row.errors.append(
                error("buyer_missing", "", _("Name the buyer organisation by its code or by its name."))
            )
        if "nib" not in values and not ("sme_name" in values and "kecamatan" in values):
            row.errors.append(
                error("sme_missing", "", _("Name the SME by its NIB, or by its name and kecamatan."))
            )
        if "kecamatan" in values and "nib" not in values:
            found = self.resolver.kecamatan(values["kecamatan"])
            if isinstance(found, Unmatched):
                row.unmatched.append(found)
                self._problem(row, "kecamatan", error(
                    "kecamatan_unknown", self._column("kecamatan"),
                    _("%(value)s is not a kecamatan of the regency."), value=values["kecamatan"],
                ))  # fmt: skip
            elif isinstance(found, norm.NormalizationError):
                self._problem(row, "kecamatan", from_normalization(found, self._column("kecamatan")))
            else:
                values["kecamatan_id"] = found.pk
        date, paid_on = values.get("date"), values.get("paid_on")
        if date is not None and date > self.today:
            self._problem(row, "date", error("future", self._column("date"), _("The date is in the future.")))
        if date is not None and paid_on is not None and paid_on < date:
            self._problem(row, "paid_on", error(
                "paid_before", self._column("paid_on"), _("Payment cannot be before the purchase."),
            ))  # fmt: skip


@dataclass(slots=True)
class PurchasePlan:
    row: PurchaseRow
    action: str = REJECT
    values: dict[str, Any] = field(default_factory=dict)
    pk: int | None = None


def code_key(code: str) -> str:
    """An organisation code as compared: case and spaces ignored, its separators kept (1.01.2 ≠ 10.1.2)."""
    return "".join(code.casefold().split())


def import_key(organisation_id: int, sme_id: int, invoice: str) -> str:
    """buyer + SME + invoice number (spaces and case ignored): the same purchase in any later file."""
    invoice = "".join(invoice.split()).upper()
    return "import:" + hashlib.sha256(f"{organisation_id}|{sme_id}|{invoice}".encode()).hexdigest()[:48]


class PurchasePass(RowPass):
    def __init__(self, job, **kwargs) -> None:
        super().__init__(job, **kwargs)
        aliases = {
            (a.level, a.scope, a.spelling_key): a.region_id
            for a in RegionAlias.objects.filter(regency=self.regency).only(
                "level", "scope", "spelling_key", "region_id"
            )
        }
        self.resolver = RegionResolver(self.regency, aliases)
        self.buyers: dict[str, list[BuyerOrganisation]] = {}
        self.buyer_codes: dict[str, BuyerOrganisation] = {}
        for org in BuyerOrganisation.objects.filter(regency=self.regency).only(
            "id", "name", "code", "regency_id"
        ):
            self.buyers.setdefault(name_key(org.name), []).append(org)
            if org.code:
                self.buyer_codes[code_key(org.code)] = org
        self.seen_keys: dict[str, int] = {}
        self.seen_invoices: set[tuple[int, str]] = set()

    def make_mapper(self) -> PurchaseMapper:
        return PurchaseMapper(headers=self.job.headers, mapping=self.job.mapping, resolver=self.resolver)

    # --- deciding -----------------------------------------------------------------------------------

    def _decide(self, mapped: list[PurchaseRow]) -> list[PurchasePlan]:
        plans = [PurchasePlan(row=row) for row in mapped]
        valid = [p for p in plans if not p.row.errors]
        by_nib, by_name = self._smes(valid)
        matched: list[tuple[PurchasePlan, BuyerOrganisation, Sme]] = []
        for plan in valid:
            organisation = self._buyer(plan)
            sme = self._sme(plan, by_nib, by_name)
            if organisation is not None and sme is not None:
                matched.append((plan, organisation, sme))
        keys = {import_key(o.pk, s.pk, p.row.values["invoice"]) for p, o, s in matched}
        existing = {
            p["import_key"]: p
            for p in Purchase.objects.filter(import_key__in=keys).values("import_key", "total", "ordered_on")
        } if keys else {}  # fmt: skip
        invoices = {(s.pk, p.row.values["invoice"]) for p, _o, s in matched}
        recorded = set()
        if invoices:
            recorded = set(
                Purchase.objects.filter(
                    sme_id__in={sme for sme, _i in invoices}, invoice_number__in={i for _s, i in invoices}
                )
                .exclude(
                    status__in=[Purchase.Status.CANCELLED, Purchase.Status.DECLINED, Purchase.Status.DISPUTED]
                )
                .values_list("sme_id", "invoice_number")
            )
        for plan, organisation, sme in matched:
            self._plan(plan, organisation, sme, existing, recorded)
        return plans

    def _smes(self, valid: list[PurchasePlan]):
        nibs = {p.row.values["nib"] for p in valid if "nib" in p.row.values}
        names = {name_key(p.row.values["sme_name"]) for p in valid if "nib" not in p.row.values}
        base = Sme.objects.filter(regency_id=self.regency.pk).only(
            "id", "name", "nib", "name_key", "kecamatan_id", "status", "merged_into_id", "regency_id"
        )
        by_nib: dict[str, list[Sme]] = {}
        by_name: dict[tuple[str, int], list[Sme]] = {}
        if nibs:
            for sme in base.filter(nib__in=nibs):
                by_nib.setdefault(sme.nib, []).append(sme)
        if names:
            for sme in base.filter(name_key__in=names, merged_into__isnull=True):
                by_name.setdefault((sme.name_key, sme.kecamatan_id), []).append(sme)
        return by_nib, by_name

    def _reject(self, plan: PurchasePlan, key: str, code: str, message, **params) -> None:
        problem = error(code, self._column(key), message, **params)
        index = next((i for i, k in enumerate(self.job.mapping) if k == key), None)
        if index is not None and index < len(plan.row.raw):
            problem.original = original_text(key, plan.row.raw[index], FIELDS_BY_KEY)
        plan.row.errors.append(problem)

    def _column(self, key: str) -> str:
        for header, k in zip(self.job.headers, self.job.mapping, strict=False):
            if k == key:
                return header
        return ""

    def _buyer(self, plan: PurchasePlan) -> BuyerOrganisation | None:
        """By its code when the row has one (never then by the name beside it), else by its name."""
        code = plan.row.values.get("buyer_code")
        if code:
            org = self.buyer_codes.get(code_key(code))
            if org is None:
                self._reject(plan, "buyer_code", "buyer_code_unknown",
                             _("No buyer organisation with code %(value)s is in Sentra."), value=code)  # fmt: skip
            return org
        name = plan.row.values["buyer"]
        found = self.buyers.get(name_key(name), [])
        if len(found) == 1:
            return found[0]
        if found:
            self._reject(plan, "buyer", "buyer_ambiguous",
                         _("More than one buyer organisation is called %(name)s."), name=name)  # fmt: skip
        else:
            self._reject(plan, "buyer", "buyer_unknown",
                         _("No buyer organisation called %(name)s is in Sentra."), name=name)  # fmt: skip
        return None

    def _sme(self, plan: PurchasePlan, by_nib, by_name) -> Sme | None:
        values = plan.row.values
        if "nib" in values:
            found = [s for s in by_nib.get(values["nib"], []) if s.merged_into_id is None] or by_nib.get(
                values["nib"], []
            )
            if not found:
                self._reject(plan, "nib", "sme_unknown",
                             _("No SME with NIB %(nib)s is in the registry."), nib=values["nib"])  # fmt: skip
                return None
        else:
            found = by_name.get((name_key(values["sme_name"]), values["kecamatan_id"]), [])
            if not found:
                self._reject(plan, "sme_name", "sme_unknown",
                             _("No SME called %(name)s is in the registry in kecamatan %(kecamatan)s."),
                             name=values["sme_name"], kecamatan=values["kecamatan"])  # fmt: skip
                return None
            if len(found) > 1:
                self._reject(plan, "sme_name", "sme_ambiguous",
                             _("%(count)s SMEs called %(name)s are in kecamatan %(kecamatan)s: give the NIB."),
                             count=len(found), name=values["sme_name"], kecamatan=values["kecamatan"])  # fmt: skip
                return None
        sme = found[0]
        if sme.merged_into_id is not None or sme.status != Sme.Status.VERIFIED:
            self._reject(plan, "nib" if "nib" in values else "sme_name", "sme_refused",
                         _("%(sme)s is not a verified, active SME: Bebeli purchases from it are refused."),
                         sme=sme.name)  # fmt: skip
            return None
        if self.scope is not None and sme.kecamatan_id not in self.scope:
            self._reject(plan, "nib" if "nib" in values else "sme_name", "out_of_scope",
                         _("%(sme)s is outside the kecamatan you work in."), sme=sme.name)  # fmt: skip
            return None
        return sme

    def _plan(self, plan: PurchasePlan, organisation, sme, existing, recorded) -> None:
        values = plan.row.values
        key = import_key(organisation.pk, sme.pk, values["invoice"])
        first = self.seen_keys.get(key)
        if first is not None:
            self._reject(plan, "invoice", "duplicate_row",
                         _("The same purchase (buyer, SME and invoice number) is already in row %(row)s of this file."),
                         row=first)  # fmt: skip
            return
        self.seen_keys[key] = plan.row.number
        before = existing.get(key)
        if before is not None:
            if before["total"] == values["amount"] and before["ordered_on"] == values["date"]:
                plan.action = KEEP
            else:
                self._reject(plan, "amount", "imported_differently",
                             _("This purchase was imported before with another amount or date; an officer "
                               "corrects it in Bebeli."))  # fmt: skip
            return
        date = values["date"]
        paid_on = values.get("paid_on", date)
        invoice = (sme.pk, values["invoice"])
        purchase = Purchase(total=values["amount"], received_on=date, delivered_on=date, paid_on=paid_on)
        found = flags.compute(
            purchase, [], duplicate_invoice=invoice in recorded or invoice in self.seen_invoices
        )
        self.seen_invoices.add(invoice)
        plan.values = {
            "regency_id": organisation.regency_id, "organisation_id": organisation.pk, "sme_id": sme.pk,
            "source": Purchase.Source.IMPORT, "status": Purchase.Status.PAID,
            "invoice_number": values["invoice"], "total": values["amount"],
            "ordered_on": date, "delivered_on": date, "received_on": date, "paid_on": paid_on,
            "payment_reference": values.get("payment_reference", ""), "flags": found, "import_key": key,
            "created_by_id": self.actor.pk if self.actor is not None else None,
            "_repr": f"{values['invoice']} · {sme.name}"[:200], "_description": values.get("description", ""),
        }  # fmt: skip
        plan.action = CREATE

    # --- writing ------------------------------------------------------------------------------------

    def _save(self, plans: list[PurchasePlan]) -> None:
        created = [p for p in plans if p.action == CREATE]
        if not created:
            return
        rows = [{k: v for k, v in p.values.items() if not k.startswith("_")} for p in created]
        for plan, pk in zip(created, insert_rows(Purchase, rows, returning=True), strict=True):
            plan.pk = pk
        insert_rows(PurchaseLine, (
            {"purchase_id": p.pk, "description": (p.values["_description"] or DESCRIPTION)[:200], "quantity": 1,
             "unit_price": p.values["total"]}
            for p in created
        ))  # fmt: skip
        content_type_id = ContentType.objects.get_for_model(Purchase).pk
        actor_id = self.actor.pk if self.actor is not None else None
        insert_rows(AuditEntry, (
            {"actor_id": actor_id, "verb": "bebeli.purchase.imported", "action": AuditEntry.Action.CREATE,
             "content_type_id": content_type_id, "object_id": str(p.pk), "object_repr": p.values["_repr"],
             "changes": {"invoice_number": [None, p.values["invoice_number"]], "total": [None, p.values["total"]],
                         "paid_on": [None, p.values["paid_on"].isoformat()], "sme": [None, p.values["sme_id"]],
                         "organisation": [None, p.values["organisation_id"]]},
             "note": self._note(p.row)}
            for p in created
        ))  # fmt: skip

    def after_commit(self) -> None:
        from . import summaries

        summaries.rebuild()


def _pass(job, **kwargs) -> PurchasePass:
    return PurchasePass(job, **kwargs)


def register() -> None:
    kinds.register(
        kinds.Kind(
            key="bebeli",
            label=_("Bebeli purchases made outside Sentra"),
            fields_by_key=FIELDS_BY_KEY,
            required=REQUIRED,
            match_headers=match_headers,
            field_choices=field_choices,
            recognise=kinds.recognised_by(match_headers, FIELDS_BY_KEY),
            make_pass=_pass,
        )
    )
