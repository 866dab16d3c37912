"""An officer books the clinic for a business that phoned or walked in."""

import pytest
from django.urls import reverse

from sentra.core.audit import history_for
from sentra.programs.models import ClinicBooking, Topic
from sentra.registry.models import Sme
from tests.registry.factories import SmeFactory

from .factories import ClinicSlotFactory


@pytest.fixture
def business(kecamatan):
    return SmeFactory(name="Dodol Bu Imas", kecamatan=kecamatan["cikarang_utara"], status=Sme.Status.VERIFIED)


def url(sme) -> str:
    return reverse("programs:clinic_book", args=[sme.public_id])


def test_an_officer_books_a_slot_for_a_business_from_its_record(en_client, officer, business):
    slot = ClinicSlotFactory()
    en_client.force_login(officer)
    record = en_client.get(reverse("registry:sme_detail", args=[business.public_id])).content.decode()
    assert url(business) in record
    page = en_client.get(url(business), {"topic": Topic.LEGALITY}).content.decode()
    assert slot.consultant.name in page and "Dodol Bu Imas" in page
    # The topic is chosen once, by the buttons of step 1: the booking form carries it unseen.
    assert '<select name="topic"' not in page
    assert page.count(f'type="hidden" name="topic" value="{Topic.LEGALITY}"') == 1

    response = en_client.post(
        url(business),
        {
            "topic": Topic.LEGALITY,
            "sme": str(business.public_id),
            "slot": slot.pk,
            "question": "Lewat telepon",
        },
    )

    booking = ClinicBooking.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "programs:booking_detail", args=[booking.pk]
    )
    assert (booking.sme, booking.booked_by, booking.question) == (business, officer, "Lewat telepon")
    assert [entry.verb for entry in history_for(booking)] == ["programs.clinic.booked"]


def test_a_taken_slot_or_another_business_is_refused_and_nothing_is_booked(
    en_client, officer, business, kecamatan
):
    slot = ClinicSlotFactory()
    other = SmeFactory(kecamatan=kecamatan["cikarang_utara"], status=Sme.Status.VERIFIED)
    en_client.force_login(officer)
    # The form is for this business only: another's key in the POST is not one of its choices.
    wrong = en_client.post(
        url(business), {"topic": Topic.LEGALITY, "sme": str(other.public_id), "slot": slot.pk}
    )
    assert wrong.status_code == 400 and not ClinicBooking.objects.exists()
    ClinicBooking.objects.create(slot=slot, sme=other, topic=Topic.LEGALITY)
    taken = en_client.post(
        url(business), {"topic": Topic.LEGALITY, "sme": str(business.public_id), "slot": slot.pk}
    )
    assert taken.status_code == 400 and ClinicBooking.objects.count() == 1


def test_a_business_that_may_not_take_part_is_told_why(en_client, officer, kecamatan):
    rejected = SmeFactory(kecamatan=kecamatan["cikarang_utara"], status=Sme.Status.REJECTED)
    en_client.force_login(officer)
    page = en_client.get(url(rejected), {"topic": Topic.LEGALITY}).content.decode()
    assert "cannot book the clinic" in page and 'name="slot"' not in page
    record = en_client.get(reverse("registry:sme_detail", args=[rejected.public_id])).content.decode()
    assert url(rejected) not in record


def test_a_business_outside_the_officers_kecamatan_is_not_found(client, officer, kecamatan):
    elsewhere = SmeFactory(kecamatan=kecamatan["tambun_selatan"], status=Sme.Status.VERIFIED)
    client.force_login(officer)
    assert client.get(url(elsewhere)).status_code == 404


@pytest.mark.parametrize("role", ["sme_owner", "cashier", "partner", "buyer", "outsider"])
def test_booking_for_a_business_is_for_the_dinas(client, personas, role, business):
    client.force_login(personas[role])
    assert client.get(url(business)).status_code == 403
