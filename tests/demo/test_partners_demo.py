"""The demo's partnerships: the story it tells, on the data it loads, and loading it twice adds nothing."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count

from sentra.accounts.models import User
from sentra.core.reminders import due_for
from sentra.partners.consent import consenting_smes
from sentra.partners.models import (
    Activity,
    Agreement,
    ConsentEvent,
    ConsentGrant,
    Evidence,
    FosterAssignment,
    Offer,
    Partner,
)
from sentra.partners.report import SCALE_RANK, foster_report
from sentra.registry.models import Permit, Sme

SCALE = DEMO_SCALE = 80


@pytest.fixture
def demo(demo_data, db):
    """The demo data, loaded once for this module (conftest.demo_data)."""


def counts() -> dict[str, int]:
    models = (
        Partner,
        Agreement,
        Activity,
        Evidence,
        FosterAssignment,
        ConsentGrant,
        ConsentEvent,
        Offer,
        Permit,
    )
    return {model.__name__: model.objects.count() for model in models}


def _scale_at(records, day, default):
    """The class at the end of `day`: the last record up to then, else the first one, else `default`."""
    before = [r for r in records if r.recorded_at.date() <= day]
    if before:
        return before[-1].scale
    return records[0].scale if records else default


def test_the_tambun_selatan_foster_report_agrees_with_the_records_it_counts(demo):
    assignment = FosterAssignment.objects.select_related("partner", "kecamatan").get()
    assert assignment.partner.name == "Kejaksaan Negeri Kabupaten Bekasi"
    assert assignment.kecamatan.name == "Tambun Selatan"
    result = foster_report(assignment)
    start, end = result.period.start, result.period.end

    adopted = list(assignment.smes.prefetch_related("permits", "scale_history"))
    others = list(
        Sme.objects.active().filter(kecamatan=assignment.kecamatan).exclude(pk__in=[s.pk for s in adopted])
        .prefetch_related("permits", "scale_history")
    )  # fmt: skip

    def expected(smes):
        def obtained(kind):
            return sum(
                any(p.kind == kind and p.issued_on and start <= p.issued_on <= end for p in s.permits.all())
                for s in smes
            )

        up = 0
        for s in smes:
            records = sorted(s.scale_history.all(), key=lambda r: (r.recorded_at, r.pk))
            first = _scale_at(records, start, s.scale)
            last = _scale_at([r for r in records if r.recorded_at.date() <= end], end, first)
            up += SCALE_RANK.get(last, 0) > SCALE_RANK.get(first, 0)
        return {
            "smes": len(smes),
            "with_nib": sum(bool(s.nib) for s in smes),
            "nib_obtained": sum(bool(s.nib_issued_on and start <= s.nib_issued_on <= end) for s in smes),
            "halal_obtained": obtained(Permit.Kind.HALAL),
            "scaled_up": up,
        }

    for figures, smes in ((result.adopted, adopted), (result.others, others)):
        got = {
            key: getattr(figures, key)
            for key in ("smes", "with_nib", "nib_obtained", "halal_obtained", "scaled_up")
        }
        assert got == expected(smes)
    # The story has something to show: the adopted SMEs gained permits and classes during the period.
    assert result.adopted.nib_obtained + result.adopted.halal_obtained + result.adopted.scaled_up > 0
    assert len(result.activities) == 4 and result.reached > 0
    assert {g.goal.measure for g in result.goals} == {"nib", "halal", "scale_up", "reached", "activities"}


def test_the_demo_has_the_customs_mou_the_bank_with_offers_and_the_outlet_agreements(demo):
    customs = Agreement.objects.get(partners__kind=Partner.Kind.CUSTOMS)
    assert "ekspor" in customs.title and customs.activities.count() == 3 and customs.signed_file
    assert Agreement.objects.filter(
        number="028/PP/AEON-DKR/XI/2023", kind="loan", starts_on__month=11
    ).exists()
    living = Agreement.objects.filter(partners__name="Living Plaza Jababeka").order_by("starts_on")
    assert [a.starts_on.year for a in living] == [2021, 2024] and living[1].renews == living[0]

    mitra = User.objects.get(username="mitra")
    bank = Partner.objects.of_user(mitra).get()
    assert bank.name == "Bank BJB Cabang Cikarang" and bank.kind == Partner.Kind.BANK
    statuses = dict(bank.offers.values_list("status").annotate(n=Count("id")))
    assert statuses.get("open") and (statuses.get("accepted", 0) + statuses.get("declined", 0)) > 0
    # Every offer went to an SME that let banks find it.
    assert not bank.offers.exclude(sme__partner_consents__kind=Partner.Kind.BANK).exists()

    pemilik = User.objects.get(username="pemilik")
    own = Sme.objects.filter(accounts=pemilik)
    assert ConsentGrant.objects.filter(sme__in=own, kind=Partner.Kind.BANK).exists()
    assert Offer.objects.filter(sme__in=own, partner=bank, status="open").exists()
    assert consenting_smes(bank).count() > 3


def test_the_officer_is_reminded_of_the_customs_mou_and_the_owner_of_the_banks_offer(demo):
    petugas = User.objects.get(username="petugas")
    assert any("500.3/118/Diskopukm/II/2025" in r.title for r in due_for(petugas))
    pemilik = User.objects.get(username="pemilik")
    assert any("Bank BJB" in r.title for r in due_for(pemilik, today=dt.date(2026, 12, 1)))


def test_loading_the_demo_again_adds_no_partnership_record(demo):
    before = counts()
    call_command("demo", scale=SCALE, verbosity=0)
    assert counts() == before
