"""Reject or warn: a row is rejected only where it cannot stand; any other unusable value is left out
and the row imports with a warning that names the cell as the file had it and the reason."""

import openpyxl
import pytest
from django.core.management import call_command

from sentra.imports import services
from sentra.imports.rows import OWNER_FIELDS, PERMIT_FIELDS, SME_FIELDS
from sentra.imports.sme_spec import FIELDS, FIELDS_BY_KEY, REQUIRED, TEMPLATE_HEADERS, match_headers
from sentra.registry.models import Permit, Sme

from .conftest import template_row

pytestmark = pytest.mark.django_db

# One unusable value per field. A field added to the spec must be added here (the first test says so),
# so that whether it rejects or warns is decided, and tested, rather than left to chance.
UNUSABLE = {
    "name": "x" * 201,
    "brand": "x" * 151,
    "phone": "0861-2345-678",
    "whatsapp": "0861-2345-678",
    "email": "siti@",
    "address": "x" * 301,
    "rt": "12345",
    "rw": "abc",
    "desa": "Desa Entah Berantah",
    "kecamatan": "Cikarang Ultra",
    "regency": "Kota Bandung",
    "province": "Jawa Timur",
    "latitude": "utara",
    "longitude": "200",
    "kbli": "1234567",
    "kbli_category": "Z",
    "main_activity": "x" * 301,
    "products": "x" * 5001,
    "legal_form": "x" * 61,
    "start_year": "kemarin",
    "start_month": "13",
    "employees": "banyak",
    "workers_paid_male": "-1",
    "workers_paid_female": "dua",
    "workers_paid_disabled_male": "1,5",
    "workers_paid_disabled_female": "-3",
    "workers_unpaid_male": "x",
    "workers_unpaid_female": "-1",
    "workers_unpaid_disabled_male": "-1",
    "workers_unpaid_disabled_female": "-1",
    "capital": "banyak",
    "turnover": "-5000000",
    "assets": "1,5",
    "nib": "123",
    "npwp": "12.345",
    "forum": "x" * 151,
    "source_ref": "x" * 65,
    "owner_name": "x" * 151,
    "owner_nik": "3216",
    "owner_gender": "X",
    "owner_birth_date": "31/02/1990",
    "owner_disability": "mungkin",
    "owner_education": "x" * 61,
    "owner_address": "x" * 301,
    "owner_rt": "abcde",
    "owner_rw": "abcde",
    "owner_desa": "Desa Entah Berantah",
    "owner_kecamatan": "Cikarang Ultra",
    "halal": "HALAL-123",
    "halal_expires": "kemarin",
    "pirt": "123",
    "bpom": "XY123",
    "hki": "x" * 41,
    "sni": "x" * 41,
}
# Fields whose every value can be used: an owner's home regency or province outside the home
# regency only means their home is not linked to a region of its tree.
ANY_VALUE = {"owner_regency", "owner_province"}
# What each field's value is stored as, where not a field of the SME or its owner of the same name.
STORED_ELSEWHERE = {
    "kbli": lambda sme: sme.kbli_code,
    "kbli_category": lambda sme: sme.kbli_code,  # a category the code is not in: the code is left out
    "owner_desa": lambda sme: sme.owner.desa_id,
    "owner_kecamatan": lambda sme: sme.owner.kecamatan_id,
    "halal_expires": lambda sme: sme.permits.get(kind=Permit.Kind.HALAL).expires_on,
    "forum": lambda sme: sme.forum_id,
}
IMPORTED = [f.key for f in FIELDS if not f.ignored]


def test_every_field_of_the_spec_has_an_unusable_value_to_test():
    assert set(UNUSABLE) | ANY_VALUE == set(IMPORTED)


def header_for(key: str) -> str:
    """The template's column for the field, or the field's first header as an extra column."""
    for header, mapped in zip(TEMPLATE_HEADERS, match_headers(list(TEMPLATE_HEADERS)), strict=True):
        if mapped == key:
            return header
    return FIELDS_BY_KEY[key].headers[0]


def import_with(template_file, actor, key: str, value, **overrides):
    header = header_for(key)
    headers = list(TEMPLATE_HEADERS) if header in TEMPLATE_HEADERS else [*TEMPLATE_HEADERS, header]
    row = template_row(1, **{header: value}, **overrides)
    return services.import_file(path=template_file([row], headers=headers), actor=actor)


def problems_of(job):
    _numbers, _actions, reasons = services.read_plan(job)
    return [problem for found in reasons.values() for problem in found]


def stored(sme: Sme, key: str):
    if key in STORED_ELSEWHERE:
        return STORED_ELSEWHERE[key](sme)
    if key in SME_FIELDS:
        return getattr(sme, key)
    if key in OWNER_FIELDS:
        return getattr(sme.owner, OWNER_FIELDS[key])
    return sme.permits.filter(kind=PERMIT_FIELDS[key]).exists()


@pytest.mark.parametrize("key", [k for k in IMPORTED if k in UNUSABLE and FIELDS_BY_KEY[k].rejects_row])
def test_an_unusable_required_identifying_region_or_amount_value_rejects_the_row(
    template_file, admin_user, key
):
    job = import_with(template_file, admin_user, key, UNUSABLE[key])
    assert (job.created, job.rejected, job.warned) == (0, 1, 0)
    assert not Sme.objects.exists()
    assert all(
        not p[5] for p in problems_of(job)
    )  # as_json: [code, column, msgid, params, original, warning]


@pytest.mark.parametrize("key", [k for k in IMPORTED if k in UNUSABLE and not FIELDS_BY_KEY[k].rejects_row])
def test_an_unusable_optional_value_is_left_out_and_the_row_imports_with_a_warning(
    template_file, admin_user, key
):
    job = import_with(template_file, admin_user, key, UNUSABLE[key])
    assert (job.created, job.rejected, job.warned) == (1, 0, 1)
    sme = Sme.objects.select_related("owner").get()
    assert stored(sme, key) in (None, "", False)
    [(code, column, _msgid, _params, original, warning)] = problems_of(job)
    assert warning
    # Where a whole-row check found it (KBLI with its category), the warning is on the KBLI column.
    assert column == header_for("kbli" if key == "kbli_category" else key)
    shown = template_row(1)["KBLI"] if key == "kbli_category" else UNUSABLE[key]
    if FIELDS_BY_KEY[key].personal:
        assert original != shown and "\u2022" in original
    else:
        assert original.rstrip("…") in shown


def test_the_fields_that_reject_are_the_ones_the_issue_names():
    rejecting = {f.key for f in FIELDS if f.rejects_row and not f.ignored}
    assert rejecting == {
        "name", "owner_name", "nib", "owner_nik", "kecamatan", "desa", "regency", "province",
        "capital", "turnover", "assets",
    }  # fmt: skip


@pytest.mark.parametrize("key", REQUIRED)
def test_an_empty_required_cell_rejects_the_row(template_file, admin_user, key):
    job = import_with(template_file, admin_user, key, "")
    assert (job.created, job.rejected) == (0, 1)


def test_an_owner_name_column_is_required_to_import(template_file, admin_user):
    headers = [h for h in TEMPLATE_HEADERS if h != "Nama Pemilik"]
    job = services.import_file(path=template_file([template_row(1)], headers=headers), actor=admin_user)
    assert job.status == "failed"
    assert "Owner name" in job.error_message


def test_a_warned_value_leaves_the_stored_one_as_it_was(template_file, admin_user):
    services.import_file(path=template_file([template_row(1)]), actor=admin_user)
    again = services.import_file(
        path=template_file([template_row(1, **{"No. HP/WA": "0861-2345-678", "Email": "baru@contoh.id"})]),
        actor=admin_user,
    )
    assert (again.updated, again.warned, again.rejected) == (1, 1, 0)
    sme = Sme.objects.get()
    assert (sme.phone, sme.email) == ("+6281210000001", "baru@contoh.id")


def test_a_row_with_warnings_does_not_stop_an_all_or_nothing_import(template_file, admin_user):
    rows = [template_row(1, **{"No. HP/WA": "0861-2345-678"}), template_row(2, Email="siti@")]
    job = services.import_file(path=template_file(rows), actor=admin_user, mode="all_or_nothing")
    assert (job.status, job.created, job.warned) == ("done", 2, 2)


def test_a_rejected_row_still_stops_an_all_or_nothing_import_that_has_warnings(template_file, admin_user):
    rows = [template_row(1, **{"No. HP/WA": "0861-2345-678"}), template_row(2, NIK="3216")]
    job = services.import_file(path=template_file(rows), actor=admin_user, mode="all_or_nothing")
    assert (job.status, job.created, job.warned) == ("failed", 0, 0)
    assert not Sme.objects.exists()


def test_a_rejected_row_lists_its_warnings_too_so_the_officer_fixes_everything_at_once(
    template_file, admin_user
):
    job = services.import_file(
        path=template_file([template_row(1, NIK="3216", Email="siti@")]), actor=admin_user
    )
    assert (job.rejected, job.warned) == (1, 0)
    assert sorted(p[0] for p in problems_of(job)) == ["email_format", "nik_length"]


def test_the_report_lists_rejected_and_warned_rows_with_the_original_text_and_the_reason(
    template_file, admin_user
):
    rows = [template_row(1), template_row(2, **{"No. HP/WA": "0861-2345-678"}), template_row(3, NIK="3216")]
    job = services.import_file(path=template_file(rows), actor=admin_user)
    assert (job.created, job.rejected, job.warned) == (2, 1, 1)
    with job.rejected_file.open("rb") as f:
        values = list(openpyxl.load_workbook(f).active.values)
    assert list(values[0]) == [*TEMPLATE_HEADERS, "Reason"]
    warned, rejected = values[1], values[2]
    assert warned[0] == "Keripik Singkong Bu Siti 2"
    assert warned[TEMPLATE_HEADERS.index("No. HP/WA")] == "0861-2345-678"  # the cell as the file had it
    assert warned[-1].startswith("Imported without: No. HP/WA “0861-")
    assert "This prefix is not a subscriber number." in warned[-1]
    assert rejected[-1].startswith("Rejected: NIK")
    assert job.rejected_file.name.endswith("smes-report.xlsx")


def test_the_report_uploaded_again_fills_in_what_the_rows_went_without(template_file, admin_user, tmp_path):
    job = services.import_file(
        path=template_file([template_row(1, **{"No. HP/WA": "0861-2345-678"})]), actor=admin_user
    )
    with job.rejected_file.open("rb") as f:
        book = openpyxl.load_workbook(f)
    book.active.cell(row=2, column=TEMPLATE_HEADERS.index("No. HP/WA") + 1).value = "0812-3456-789"
    book.save(tmp_path / "fixed.xlsx")
    again = services.import_file(path=tmp_path / "fixed.xlsx", actor=admin_user)
    assert (again.updated, again.warned, again.rejected) == (1, 0, 0)
    assert Sme.objects.get().phone == "+62812345678 9".replace(" ", "")


def test_the_import_command_lists_the_warnings_with_the_original_text_masked_where_personal(
    template_file, admin_user, capsys
):
    rows = [template_row(1, **{"No. HP/WA": "0861-2345-678", "Email": "siti@"})]
    call_command("import", str(template_file(rows, name="smes.csv")), "--user", admin_user.username)
    out = capsys.readouterr().out
    assert "1 rejected" not in out and "0 rejected, 1 imported with warnings." in out
    assert "Imported without these values:\n  Row 2: No. HP/WA “0861-•••••678”: This prefix" in out
    assert "Email “siti@”: siti@ is not an email address." in out
    assert "0861-2345-678" not in out
    assert "Done: 1 created, 0 updated, 0 unchanged, 0 rejected, 1 imported with warnings." in out


# --- the check page --------------------------------------------------------------------------------


@pytest.fixture
def warned_job(template_file, admin_user):
    """Checked, not yet imported: one clean row, one with a bad phone and email, one rejected."""
    from django.core.files import File

    rows = [
        template_row(1),
        template_row(2, **{"No. HP/WA": "0861-2345-678", "Email": "siti@"}),
        template_row(3, NIK="3216"),
    ]
    path = template_file(rows)
    with open(path, "rb") as f:
        job = services.create_job(file=File(f, name=path.name), name=path.name, actor=admin_user)
    return services.run_dry_run(job=job)


def test_the_check_page_counts_and_lists_each_warning_with_the_original_text_and_the_reason(
    client, admin_user, warned_job
):
    from django.urls import reverse

    assert (warned_job.to_create, warned_job.rejected, warned_job.to_warn) == (2, 1, 1)
    client.force_login(admin_user)
    page = client.get(reverse("imports:check", args=[warned_job.public_id])).content.decode()
    assert "imported with warnings" in page
    assert (
        '<strong>Email</strong> “<span class="text-break">siti@</span>”: siti@ is not an email address.'
        in page
    )
    assert "This prefix is not a subscriber number." in page
    # The phone as written, masked: the full number is in the report, whose download is logged.
    assert "0861-•••••678" in page and "0861-2345-678" not in page
    assert "Download the report (.xlsx)" in page


def test_the_check_page_shows_only_the_rows_with_warnings_when_asked(client, admin_user, warned_job):
    from django.urls import reverse

    client.force_login(admin_user)
    url = reverse("imports:check", args=[warned_job.public_id])
    page = client.get(url, {"only": "w"}, headers={"HX-Request": "true", "HX-Target": "plan-table"})
    html = page.content.decode()
    assert "Rows 1–1 of 1" in html
    assert "with warnings" in html and "A NIK has 16 digits" not in html


def test_the_check_page_reads_a_plan_stored_before_warnings_existed(client, admin_user, warned_job):
    """Jobs checked before this change kept four items per reason; their pages still open."""
    import json

    from django.core.files.base import ContentFile
    from django.urls import reverse

    plan = {
        "numbers": [2],
        "actions": "r",
        "reasons": {"0": [["nik_length", "NIK", "A NIK has 16 digits.", {}]]},
    }
    warned_job.plan_file.save("plan.json", ContentFile(json.dumps(plan)))
    client.force_login(admin_user)
    page = client.get(reverse("imports:check", args=[warned_job.public_id])).content.decode()
    assert "<strong>NIK</strong>: A NIK has 16 digits." in page


def test_the_check_page_speaks_indonesian_about_warnings(client, admin_user, warned_job, settings):
    from django.urls import reverse

    settings.LANGUAGE_CODE = "id"
    client.cookies["sentra_language"] = "id"
    client.force_login(admin_user)
    page = client.get(reverse("imports:check", args=[warned_job.public_id])).content.decode()
    assert "diimpor dengan peringatan" in page
    assert "imported with warnings" not in page


def test_the_report_download_is_logged_with_the_warned_and_rejected_rows(client, admin_user, warned_job):
    from django.urls import reverse

    from sentra.core.models import AccessLog

    client.force_login(admin_user)
    response = client.get(reverse("imports:rejected", args=[warned_job.public_id]))
    assert response.status_code == 200
    assert AccessLog.objects.get().row_count == 2


@pytest.mark.parametrize("province", ["Jawa Barat", "JABAR", "Prov. Jawa Barat", "32", "Jawa Bart"])
def test_a_province_cell_rejects_only_when_it_names_another_province(template_file, admin_user, province):
    job = import_with(template_file, admin_user, "province", province)
    assert (job.created, job.rejected, job.warned) == (1, 0, 0)


@pytest.mark.parametrize("province", ["Jawa Timur", "Provinsi DKI Jakarta", "35"])
def test_a_business_in_another_province_is_rejected(template_file, admin_user, province):
    job = import_with(template_file, admin_user, "province", province)
    assert (job.created, job.rejected) == (0, 1)
    assert [p[0] for p in problems_of(job)] == ["outside_regency"]
