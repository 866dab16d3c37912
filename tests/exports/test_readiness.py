"""Readiness scoring: the registry's NIB and permits, the export facts, weights, the readiest product."""

import datetime as dt

import pytest

from sentra.exports import readiness, services
from sentra.registry.models import Permit
from tests.registry.factories import PermitFactory, SmeFactory

from .factories import craft_category, export_product, food_category, shipped_order

pytestmark = pytest.mark.django_db


def today():
    # Asked each time, not at import: a long suite can cross midnight between the two.
    return dt.date.today()


def _report(sme):
    return readiness.assess_many([sme], today=today())[sme.pk]


def _facts(product, **data):
    full = {
        "monthly_capacity": None,
        "english_label": False,
        "usd_price_minor": None,
        "samples": False,
        "note": "",
    }
    services.save_product_readiness(actor=None, product=product, data={**full, **data})


def test_an_sme_with_nothing_but_a_nib_scores_its_weight_out_of_all_that_applies():
    sme = SmeFactory(nib="9120001234567")
    report = _report(sme)
    # NIB 20 of NIB 20 + HKI 5 + prior exports 10 + capacity 10 + label 15 + USD 10 + samples 10 = 80.
    assert report.score.value == 20 * 100 // 80
    assert {c.item.code for c in report.score.missing} == {
        "hki",
        "prior_exports",
        "capacity",
        "english_label",
        "usd_price",
        "samples",
    }


def test_a_food_product_needs_halal_and_bpom_and_a_craft_does_not():
    sme = SmeFactory(nib="9120001234568")
    food = export_product(sme=sme, category=food_category())
    craft = export_product(sme=sme, category=craft_category())
    scores = dict(_report(sme).products)
    assert {c.item.code for c in scores[food].checks} >= {"halal", "bpom"}
    assert not {c.item.code for c in scores[craft].checks} & {"halal", "bpom"}
    PermitFactory(sme=sme, kind=Permit.Kind.HALAL)
    PermitFactory(sme=sme, kind=Permit.Kind.BPOM, number="MD123456789012")
    scores = dict(_report(sme).products)
    assert all(c.met for c in scores[food].checks if c.item.code in ("halal", "bpom"))


def test_an_expired_permit_does_not_count():
    sme = SmeFactory()
    food = export_product(sme=sme, category=food_category())
    PermitFactory(sme=sme, kind=Permit.Kind.HALAL, expired=True)
    halal = next(c for c in dict(_report(sme).products)[food].checks if c.item.code == "halal")
    assert not halal.met


def test_a_fully_prepared_craft_product_of_an_sme_that_has_exported_scores_one_hundred():
    sme = SmeFactory(nib="9120001234569")
    PermitFactory(sme=sme, kind=Permit.Kind.HKI, number="IDM000123456", expires_on=None)
    craft = export_product(sme=sme, category=craft_category())
    _facts(craft, monthly_capacity=500, english_label=True, usd_price_minor=1250, samples=True)
    assert _report(sme).score.value == 70 * 100 // 80  # everything but earlier exports: 70 of 80
    shipped_order(product=craft, on=dt.date(2024, 5, 1))
    report = _report(sme)
    assert (report.score.value, report.score.level) == (100, "ready")


def test_the_smes_score_is_that_of_its_readiest_product():
    sme = SmeFactory(nib="9120001234570")
    _weak, strong = (
        export_product(sme=sme, category=craft_category()),
        export_product(sme=sme, category=craft_category()),
    )
    _facts(strong, monthly_capacity=100, english_label=True)
    report = _report(sme)
    assert report.products[0][0] == strong
    assert report.score.value == report.products[0][1].value > report.products[1][1].value


def test_every_gap_names_the_programme_kind_that_would_fill_it():
    kinds = {"training", "coaching", "certification", "clinic"}
    assert all(item.programme_kind in kinds and item.programme_label for item in readiness.ITEMS.values())


def test_declared_earlier_exports_count_without_a_shipment_in_sentra():
    sme = SmeFactory()
    services.save_sme_readiness(actor=None, sme=sme, prior_exports=True, prior_exports_note="Malaysia, 2019")
    check = next(c for c in _report(sme).sme_checks if c.item.code == "prior_exports")
    assert check.met and check.detail == "Malaysia, 2019"


def test_an_officers_save_marks_the_facts_checked_and_an_owners_clears_it(regency_officer, sme_owner):
    product = export_product()
    _full = {
        "monthly_capacity": 10,
        "english_label": True,
        "usd_price_minor": None,
        "samples": False,
        "note": "",
    }
    facts = services.save_product_readiness(actor=regency_officer, product=product, data=_full)
    assert facts.checked_by == regency_officer
    facts = services.save_product_readiness(actor=sme_owner, product=product, data={**_full, "samples": True})
    assert facts.checked_by is None and facts.samples


def test_scoring_a_page_of_smes_costs_the_same_queries_whatever_their_number(django_assert_max_num_queries):
    smes = [SmeFactory() for _ in range(6)]
    for sme in smes:
        export_product(sme=sme)
        PermitFactory(sme=sme)
    with django_assert_max_num_queries(5):
        readiness.assess_many(smes[:2], today=today())
    with django_assert_max_num_queries(5):
        readiness.assess_many(smes, today=today())
