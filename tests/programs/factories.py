"""factory_boy factories for programmes, sessions, mentors and clinic slots.

ProgrammeFactory()                          # a training open for applications, 2024, 20 places
ProgrammeFactory(cohort=True)               # an acceleration cohort
SessionFactory(programme=p)                 # a session held yesterday
MentorFactory(user=officer)                 # a mentor with an account
MentorFactory(consultant=True)              # a clinic consultant on legality and finance
"""

import datetime as dt

import factory
from django.utils import timezone

from sentra.programs.models import ClinicSlot, Mentor, Programme, Session, Topic


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    class Params:
        cohort = factory.Trait(kind=Programme.Kind.ACCELERATION, title="Akselerasi UMKM Naik Kelas")
        halal = factory.Trait(
            kind=Programme.Kind.CERTIFICATION,
            certification=Programme.Certification.HALAL,
            title="Fasilitasi Sertifikasi Halal",
        )

    title = factory.Sequence(lambda n: f"Pelatihan Pemasaran Digital {n}")
    kind = Programme.Kind.TRAINING
    quota = 20
    starts_on = dt.date(2024, 3, 4)
    ends_on = dt.date(2024, 5, 31)
    status = Programme.Status.OPEN
    code = factory.Sequence(lambda n: f"PRG-2024-{n + 1:04d}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Sesi {n + 1}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    venue = "Aula PLUT Kabupaten Bekasi"


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    class Params:
        consultant = factory.Trait(is_consultant=True, topics=[Topic.LEGALITY, Topic.FINANCE])

    name = factory.Sequence(lambda n: f"Pendamping {n + 1}")
    expertise = "Pemasaran dan keuangan usaha mikro"


class ClinicSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicSlot

    consultant = factory.SubFactory(MentorFactory, consultant=True)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))
    minutes = 45
    venue = "PLUT Kabupaten Bekasi"
