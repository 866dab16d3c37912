"""factory_boy factories for partners.

PartnerFactory()                       # an active company
PartnerFactory(kind=Partner.Kind.BANK, users=[user])
AgreementFactory(partners=[partner])   # a signed MoU running from a year ago for two more years
FosterFactory(partner=p, kecamatan=k)  # a foster parent adopting a kecamatan this year
consent_to(sme, Partner.Kind.BANK, fields=["contact"])   # the SME lets banks find it
OfferFactory(partner=bank, sme=sme)    # an open KUR offer
"""

import datetime as dt

import factory
from django.utils import timezone

from sentra.partners.models import Agreement, ConsentEvent, ConsentGrant, FosterAssignment, Offer, Partner


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"PT Mitra Bekasi {n}")
    kind = Partner.Kind.COMPANY

    @factory.post_generation
    def users(self, create, extracted, **kwargs):
        if create and extracted:
            self.users.set(extracted)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"500/{n + 1:03d}/Diskopukm/2025")
    title = factory.Sequence(lambda n: f"Kerja sama pemberdayaan UMKM {n}")
    kind = Agreement.Kind.MOU
    scope = "Pelatihan, pendampingan dan promosi produk UMKM binaan."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=730))
    signed_on = factory.LazyAttribute(lambda o: o.starts_on)
    status = Agreement.Status.SIGNED

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create:
            self.partners.set(extracted or [PartnerFactory()])


class FosterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FosterAssignment
        skip_postgeneration_save = True

    partner = factory.SubFactory(PartnerFactory, kind=Partner.Kind.AGENCY)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=180))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=180))
    goals = "Semua UMKM binaan memiliki NIB."

    @factory.post_generation
    def smes(self, create, extracted, **kwargs):
        if create and extracted:
            self.smes.set(extracted)


def consent_to(sme, *kinds: str, fields=(), by=None) -> None:
    """Give consent directly (the service is tested on its own): these kinds may find the SME."""
    for kind in kinds:
        ConsentGrant.objects.update_or_create(sme=sme, kind=kind, defaults={"fields": list(fields)})
    ConsentEvent.objects.create(sme=sme, by=by, action="given", kinds=list(kinds), fields=list(fields))


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    partner = factory.SubFactory(PartnerFactory, kind=Partner.Kind.BANK)
    kind = Offer.Kind.KUR
    title = "KUR Mikro hingga Rp 50 juta"
    message = "Bunga 6% per tahun, tanpa agunan tambahan."
    amount = 50_000_000
