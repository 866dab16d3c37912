"""The programmes' demo data tells the department's story, and a second run adds nothing."""

from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from sentra.accounts.models import User
from sentra.programs.models import (
    Attendance,
    ClinicBooking,
    CompletionCertificate,
    Enrolment,
    KpiReport,
    Programme,
    RiskTask,
    Session,
)
from sentra.regions.models import Region


def counts():
    return {
        m.__name__: m.objects.count()
        for m in (Programme, Enrolment, Attendance, KpiReport, ClinicBooking, Session)
    }


def test_the_demo_holds_programmes_of_2023_and_2024_across_the_regency_with_what_came_of_them(db, client):
    call_command("demo", verbosity=0)  # the default size, as `bin/up` loads it
    years = set(Programme.objects.exclude(status="open").values_list("starts_on__year", flat=True))
    assert years == {2023, 2024}
    reached = Enrolment.objects.participating().values("sme__kecamatan").distinct().count()
    assert reached == Region.objects.kecamatan().in_home_regency().count() == 23
    assert (
        Enrolment.objects.filter(status="waitlisted").exists()
        and Enrolment.objects.filter(status="withdrawn").exists()
    )
    assert Attendance.objects.filter(session__programme__isnull=False, checked_in_at__year=2023).exists()
    assert CompletionCertificate.objects.exists()
    cohort = Programme.objects.get(kind="acceleration")
    assert KpiReport.objects.filter(enrolment__programme=cohort).values("week_start").distinct().count() == 13
    open_task = RiskTask.objects.get(status="open")
    assert open_task.mentor.user.username == "mitra"  # the partner's mentor has an SME at risk
    assert ClinicBooking.objects.filter(outcome_verified_at__isnull=False).exists()
    assert ClinicBooking.objects.exclude(outcome="").filter(outcome_verified_at__isnull=True).exists()
    meetings = Session.objects.filter(forum__isnull=False).values("forum").annotate(n=Count("id"))
    assert len(meetings) == 23
    assert Programme.objects.filter(status="open", enrolments__status="applied").exists()

    before = counts()
    call_command("demo", verbosity=0)  # the default size, as `bin/up` loads it
    assert counts() == before

    client.force_login(User.objects.get(username="petugas"))
    assert client.get(reverse("programs:report")).status_code == 200
    client.force_login(User.objects.get(username="pemilik"))
    assert client.get(reverse("my_programs:home")).status_code == 200
