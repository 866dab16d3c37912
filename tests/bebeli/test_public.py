"""The public page: verified aggregates only, small cells suppressed, no personal data (canary)."""

import csv
import datetime as dt
import io

from django.urls import reverse

from conftest import CANARY_NIK, CANARY_PHONE
from sentra.bebeli.models import BuyerOrganisation
from tests.registry.factories import SmeFactory

from .factories import OrganisationFactory, paid_purchase


def test_a_visitor_sees_verified_totals_without_signing_in(client, organisation, seller):
    paid_purchase(organisation=organisation, sme=seller, total=5_000_000)
    paid_purchase(organisation=organisation, sme=seller, total=9_000_000, verified=False)
    response = client.get(reverse("bebeli_public:transparency"), {"year": 2024})
    assert response.status_code == 200
    assert response.context["figures"].total == 5_000_000
    assert "5.000.000" in response.content.decode() and "<svg" in response.content.decode()


def test_a_cell_resting_on_fewer_than_three_smes_is_suppressed(client, organisation):
    smes = [SmeFactory() for _ in range(3)]
    lonely = OrganisationFactory(name="Kecamatan Muaragembong")
    for sme in smes:
        paid_purchase(organisation=organisation, sme=sme, total=1_000_000)
    paid_purchase(organisation=lonely, sme=smes[0], total=7_777_777)
    figures = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).context["figures"]
    rows = {name: (cells, year) for name, cells, year in figures.buyers}
    assert rows[organisation.name][1].amount == 3_000_000
    assert (
        rows["Kecamatan Muaragembong"][1].amount is None
        and rows["Kecamatan Muaragembong"][0][2].amount is None
    )
    page = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).content.decode()
    assert "7.777.777" not in page
    data = client.get(reverse("bebeli_public:transparency_csv"), {"year": 2024}).content.decode()
    assert "7777777" not in data
    rows = list(csv.reader(io.StringIO(data)))
    assert [r for r in rows if r[1] == organisation.name and r[3] == "3"][0][4] == "3000000"


def test_civil_servants_buying_for_themselves_are_never_named(client, kecamatan):
    from conftest import make_user

    asn = make_user("siti_asn", "buyer", last_name="Canary", phone=CANARY_PHONE)
    person = OrganisationFactory(name="Siti Canary Rahayu", kind=BuyerOrganisation.Kind.ASN, members=[asn])
    for _ in range(3):
        paid_purchase(
            organisation=person, sme=SmeFactory(owner__nik=CANARY_NIK, phone=CANARY_PHONE), total=2_000_000
        )
    page = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).content.decode()
    data = client.get(reverse("bebeli_public:transparency_csv"), {"year": 2024}).content.decode()
    for text in (page, data):
        assert "Siti Canary" not in text
        assert CANARY_NIK not in text and CANARY_PHONE not in text and "81299990000" not in text
    assert "6.000.000" in page


def test_the_page_names_no_sme(client, organisation, seller):
    seller.name = "Usaha Kanari Tunggal"
    seller.save()
    for _ in range(3):
        paid_purchase(organisation=organisation, sme=seller, total=1_000_000, paid_on=dt.date(2024, 2, 2))
    page = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).content.decode()
    assert "Usaha Kanari Tunggal" not in page


def test_the_public_page_queries_do_not_grow(client, organisation, django_assert_max_num_queries):
    for _ in range(6):
        paid_purchase(organisation=organisation, sme=SmeFactory(), total=1_000_000)
    with django_assert_max_num_queries(12):
        client.get(reverse("bebeli_public:transparency"), {"year": 2024})
