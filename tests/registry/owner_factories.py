"""Small factories and fixtures for the owner, claim, change-request and duplicate tests.

Kept apart from tests/registry/factories.py (the registry team's) so the two can evolve separately.
"""

import factory
from django.conf import settings

from conftest import make_user
from sentra.accounts.models import Role
from sentra.regions.models import Region
from sentra.registry.claims import name_key_for
from sentra.registry.models import Owner, Sme

CIKARANG_UTARA = "32.16.09"
TAMBUN_SELATAN = "32.16.06"


def desa_of(kecamatan_code: str, index: int = 0) -> Region:
    return Region.objects.desa().filter(parent__code=kecamatan_code).order_by("code")[index]


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Owner

    name = factory.Sequence(lambda n: f"Pemilik {n}")
    # 3216 (Kab. Bekasi) + 09 + birth date 12 Mar 1985 + serial.
    nik = factory.Sequence(lambda n: f"321609120385{n % 10000:04d}")


class SmeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Usaha Nomor {n}")
    owner = factory.SubFactory(OwnerFactory)
    kecamatan = factory.LazyFunction(lambda: Region.objects.get(code=CIKARANG_UTARA))
    desa = factory.LazyAttribute(lambda o: desa_of(o.kecamatan.code))
    status = Sme.Status.DRAFT
    name_key = factory.LazyAttribute(lambda o: name_key_for(o.name))

    @factory.post_generation
    def accounts(self, create, extracted, **kwargs):
        if create and extracted:
            self.accounts.add(*extracted)


def use_english(client):
    """Tests assert on the English source strings; the Indonesian catalogue is filled in at the end."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def make_tambun_officer(kecamatan) -> object:
    """An officer scoped to Tambun Selatan: out of scope for everything in Cikarang Utara."""
    user = make_user("kiki_officer", Role.OFFICER)
    user.kecamatan.add(kecamatan["tambun_selatan"])
    return user


def make_other_owner():
    return make_user("joko_owner", Role.SME_OWNER)
