"""A P-IRT recorded without a date expires at the end of the year its number carries.

Digits 14-15 of a P-IRT number are its expiry year. Taking 31 December of that year as the expiry,
marked as derived, makes the badge, the "P-IRT expired" filter and the counts agree.
"""

import datetime as dt

from django.urls import reverse

from sentra.registry import services
from sentra.registry.models import Permit

from .factories import PermitFactory, SmeFactory

EXPIRED_2021 = "206321601012321"  # ends in 21
VALID_2099 = "206321601012399"  # ends in 99


def test_a_pirt_without_a_date_takes_the_end_of_its_numbers_year(db):
    permit = PermitFactory(kind="pirt", number=EXPIRED_2021, expires_on=None)
    permit.refresh_from_db()
    assert (permit.expires_on, permit.expiry_derived) == (dt.date(2021, 12, 31), True)
    assert services.permit_state(permit, today=dt.date(2026, 12, 2)) == "expired"
    assert services.pirt_expiry_year(permit) == 2021


def test_an_entered_date_wins_and_is_not_marked_derived(db, officer):
    permit = PermitFactory(kind="pirt", number=EXPIRED_2021, expires_on=None)
    services.record_permit(sme=permit.sme, actor=officer, kind="pirt", number=EXPIRED_2021,
                           expires_on=dt.date(2030, 6, 30))  # fmt: skip
    permit.refresh_from_db()
    assert (permit.expires_on, permit.expiry_derived) == (dt.date(2030, 6, 30), False)
    assert services.pirt_expiry_year(permit) is None


def test_other_kinds_and_unreadable_numbers_get_no_derived_date(db):
    halal = PermitFactory(kind="halal", number="ID32160000012345", expires_on=None)
    odd = PermitFactory(kind="pirt", number="12345", expires_on=None)
    for permit in (halal, odd):
        permit.refresh_from_db()
        assert (permit.expires_on, permit.expiry_derived) == (None, False)


def test_the_expired_filter_the_count_and_the_badge_agree(en_client, regency_officer):
    old = SmeFactory(name="Keripik Lama")
    fresh = SmeFactory(name="Keripik Baru")
    PermitFactory(sme=old, kind="pirt", number=EXPIRED_2021, expires_on=None)
    PermitFactory(sme=fresh, kind="pirt", number=VALID_2099, expires_on=None)
    en_client.force_login(regency_officer)
    html = en_client.get(reverse("registry:sme_list"), {"gap": "pirt_expired"}).content.decode()
    assert "Keripik Lama" in html and "Keripik Baru" not in html
    assert "1 SME" in html
    page = en_client.get(reverse("registry:sme_detail", args=[old.public_id])).content.decode()
    assert "2021 (from the number)" in page and ">Expired</span>" in page
    assert Permit.objects.filter(expiry_derived=True).count() == 2
