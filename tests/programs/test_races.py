"""Two requests at once, for real (PostgreSQL): exactly one wins."""

import threading

import pytest
from django.db import connection

from sentra.programs import services
from sentra.programs.attendance import check_in
from sentra.programs.models import Attendance, Enrolment
from tests.registry.factories import SmeFactory

from .factories import ProgrammeFactory, SessionFactory


def at_once(*calls):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL (set DATABASE_URL)")
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_doors_scanning_one_card_at_once_record_one_check_in(officer, kecamatan):
    programme = ProgrammeFactory()
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    services.enrol_sme(programme=programme, sme=sme, actor=officer)
    card = services.ensure_card(sme=sme, programme=programme)
    session = SessionFactory(programme=programme)
    results = at_once(
        *(
            lambda k=key: check_in(session=session, actor=officer, method="qr", code=card.code, client_key=k)
            for key in ("a", "b")
        )
    )
    assert sorted(r.result for r in results) == ["already", "recorded"]
    assert Attendance.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_taking_the_last_place_at_once_leave_one_waiting(officer, regency_officer, kecamatan):
    programme = ProgrammeFactory(quota=1)
    smes = [SmeFactory(kecamatan=kecamatan["cikarang_utara"]) for _ in range(2)]
    at_once(
        lambda: services.enrol_sme(programme=programme, sme=smes[0], actor=officer),
        lambda: services.enrol_sme(programme=programme, sme=smes[1], actor=regency_officer),
    )
    assert sorted(Enrolment.objects.values_list("status", flat=True)) == ["accepted", "waitlisted"]
