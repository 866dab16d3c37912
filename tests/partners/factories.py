"""factory_boy factories for partners.

PartnerFactory()                       # an active company
PartnerFactory(kind=Partner.Kind.BANK, users=[user])
"""

import factory

from sentra.partners.models import Partner


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
