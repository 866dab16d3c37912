"""factory_boy factories for the registry: Owner, Sme, Permit, Cooperative (with managers), Forum.

The records look like Kabupaten Bekasi's: owners with valid NIKs (3216 + kecamatan + birth date,
women's day + 40, + serial), businesses whose name, products and KBLI code belong together, desa
taken from the region tree the test database loads, scale classified as the registry does.
Pass `kecamatan` (the desa is then picked inside it), or both `kecamatan` and `desa`.

    SmeFactory()                                    # a verified micro business somewhere in the regency
    SmeFactory(kecamatan=region)                    # in that kecamatan, in one of its desa
    SmeFactory(submitted=True) / draft / rejected   # other statuses
    SmeFactory(owner__nik=CANARY_NIK)               # plant canary data
    PermitFactory(sme=sme, expired=True)            # a halal certificate that has run out
    PermitFactory(sme=sme, pirt=True)               # a P-IRT number
"""

import datetime as dt

import factory
import factory.random
from django.utils import timezone
from faker import Faker

from sentra.regions.models import Region
from sentra.registry.claims import name_key_for
from sentra.registry.kbli import category_for
from sentra.registry.models import Cooperative, CooperativeManager, Forum, Owner, Permit, Sme
from sentra.registry.normalize import classify_scale
from sentra.registry.search import build_search_text

fake = Faker("id_ID")
random = factory.random.randgen


def random_kecamatan() -> Region:
    return random.choice(list(Region.objects.kecamatan().in_home_regency().order_by("code")))


def random_desa(kecamatan: Region) -> Region:
    return random.choice(list(Region.objects.desa().filter(parent=kecamatan).order_by("code")))


def make_nik(*, kecamatan_code: str, birth_date: dt.date, female: bool, serial: int) -> str:
    """PPKKCC DDMMYY SSSS, with 40 added to a woman's day of birth."""
    day = birth_date.day + 40 if female else birth_date.day
    return f"3216{kecamatan_code[-2:]}{day:02d}{birth_date:%m%y}{serial % 10000:04d}"


def make_phone() -> str:
    return f"+628{random.choice('1235789')}{random.randrange(10**8, 10**9)}"


# (business name pattern, products, KBLI 2020 code, legal form). {name} is the owner's first name.
BUSINESSES = [
    ("Keripik Singkong Bu {name}", "keripik singkong balado, keripik pisang, rempeyek kacang", "10794", ""),
    ("Kue Basah {name}", "kue lapis, nagasari, kue cucur, bolu kukus", "10710", ""),
    ("Roti Rumahan {name}", "roti manis, roti sobek, donat", "10710", "UD"),
    ("Konveksi {name} Jaya", "seragam sekolah, kaos sablon, kemeja batik", "14111", "CV"),
    ("Batik Tulis {name}", "batik tulis motif Bekasi, kain batik cap", "13134", ""),
    ("Warung Makan {name}", "nasi uduk, ayam goreng, sayur asem", "56102", ""),
    ("Mebel Kayu {name}", "lemari, meja makan, kursi jati", "31001", "UD"),
    ("Sambal {name} Pedas", "sambal bawang, sambal cumi, sambal roa", "10792", ""),
    ("Dodol Betawi {name}", "dodol betawi, geplak, kue kembang goyang", "10732", ""),
    ("Toko Kelontong {name}", "sembako, minyak goreng, gas elpiji", "47111", ""),
]


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Owner
        django_get_or_create = ("nik",)

    class Params:
        female = factory.LazyFunction(lambda: random.random() < 0.5)

    gender = factory.LazyAttribute(lambda o: "F" if o.female else "M")
    name = factory.LazyAttribute(
        lambda o: f"{fake.first_name_female() if o.female else fake.first_name_male()} {fake.last_name()}"
    )
    birth_date = factory.LazyFunction(
        lambda: dt.date(1960, 1, 1) + dt.timedelta(days=random.randrange(0, 14000))
    )
    birth_year = factory.LazyAttribute(lambda o: o.birth_date.year)
    nik = factory.LazyAttributeSequence(
        lambda o, n: make_nik(
            kecamatan_code=o.kecamatan.code, birth_date=o.birth_date, female=o.female, serial=n + 1
        )
    )
    phone = factory.LazyFunction(make_phone)
    education = factory.LazyFunction(lambda: random.choice(["SD", "SMP", "SMA/SMK", "D3", "S1"]))
    address = factory.LazyFunction(fake.street_address)
    rt = factory.LazyFunction(lambda: f"{random.randint(1, 15):03d}")
    rw = factory.LazyFunction(lambda: f"{random.randint(1, 12):03d}")
    kecamatan = factory.LazyFunction(random_kecamatan)
    desa = factory.LazyAttribute(lambda o: random_desa(o.kecamatan))


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    kecamatan = factory.LazyFunction(random_kecamatan)
    name = factory.LazyAttribute(
        lambda o: f"Forum UMKM Kecamatan {o.kecamatan.name}" if o.kecamatan else "Forum UMKM"
    )


class SmeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sme
        skip_postgeneration_save = True

    class Params:
        business = factory.LazyFunction(lambda: random.choice(BUSINESSES))
        draft = factory.Trait(status=Sme.Status.DRAFT, verified_at=None)
        submitted = factory.Trait(status=Sme.Status.SUBMITTED, verified_at=None)
        rejected = factory.Trait(
            status=Sme.Status.REJECTED, verified_at=None, status_note="Alamat tidak ditemukan"
        )
        inactive = factory.Trait(status=Sme.Status.INACTIVE)

    owner = factory.SubFactory(OwnerFactory)
    name = factory.LazyAttribute(
        lambda o: o.business[0].format(name=o.owner.name.split()[0] if o.owner else fake.first_name())
    )
    brand = factory.LazyAttribute(
        lambda o: f"{o.name.split()[-1]} {random.choice(['Snack', 'Rasa', 'Craft', 'Food'])}"
    )
    products = factory.LazyAttribute(lambda o: o.business[1])
    main_activity = factory.LazyAttribute(lambda o: o.business[1].split(",")[0].capitalize())
    legal_form = factory.LazyAttribute(lambda o: o.business[3])
    kbli_code = factory.LazyAttribute(lambda o: o.business[2])
    kbli_version = 2020
    kbli_category = factory.LazyAttribute(
        lambda o: category_for(o.kbli_code, 2020).letter if o.kbli_code else ""
    )
    phone = factory.LazyFunction(make_phone)
    address = factory.LazyFunction(fake.street_address)
    rt = factory.LazyFunction(lambda: f"{random.randint(1, 15):03d}")
    rw = factory.LazyFunction(lambda: f"{random.randint(1, 12):03d}")
    kecamatan = factory.LazyFunction(random_kecamatan)
    desa = factory.LazyAttribute(lambda o: random_desa(o.kecamatan) if o.kecamatan else None)
    start_year = factory.LazyFunction(lambda: random.randint(1995, 2024))
    employees = factory.LazyFunction(lambda: random.randint(1, 12))
    workers_paid_male = factory.LazyFunction(lambda: random.randint(0, 4))
    workers_paid_female = factory.LazyFunction(lambda: random.randint(0, 6))
    # Mostly micro, as in the regency: capital between Rp 5 million and Rp 900 million.
    capital = factory.LazyFunction(lambda: random.randint(5, 900) * 1_000_000)
    turnover = factory.LazyFunction(lambda: random.randint(20, 1_800) * 1_000_000)
    scale = factory.LazyAttribute(lambda o: classify_scale(capital=o.capital, turnover=o.turnover)[0] or "")
    scale_basis = factory.LazyAttribute(
        lambda o: classify_scale(capital=o.capital, turnover=o.turnover)[1] or ""
    )
    nib = factory.Sequence(lambda n: f"912{n:010d}")
    npwp = ""
    status = Sme.Status.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)
    name_key = factory.LazyAttribute(lambda o: name_key_for(o.name))
    search_text = factory.LazyAttribute(
        lambda o: build_search_text(
            name=o.name,
            brand=o.brand,
            owner_name=o.owner.name if o.owner else "",
            nib=o.nib,
            products=o.products,
        )
    )

    @factory.post_generation
    def accounts(self, create, extracted, **kwargs):
        if create and extracted:
            self.accounts.add(*extracted)


class PermitFactory(factory.django.DjangoModelFactory):
    """A halal certificate valid for two more years, unless told otherwise."""

    class Meta:
        model = Permit

    class Params:
        expired = factory.Trait(
            expires_on=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
        )
        pirt = factory.Trait(
            kind=Permit.Kind.PIRT,
            number=factory.LazyAttributeSequence(
                lambda o, n: f"2063216{n % 100:02d}{n % 10000:04d}{o.expires_on:%y}"
            ),
        )

    sme = factory.SubFactory(SmeFactory)
    kind = Permit.Kind.HALAL
    number = factory.Sequence(lambda n: f"ID3216{n:010d}")
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=730))


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    kecamatan = factory.LazyFunction(random_kecamatan)
    desa = factory.LazyAttribute(lambda o: random_desa(o.kecamatan) if o.kecamatan else None)
    kind = factory.LazyFunction(lambda: random.choice(Cooperative.Kind.values))
    name = factory.LazyAttributeSequence(
        lambda o, n: f"Koperasi {Cooperative.Kind(o.kind).label} {o.desa.name if o.desa else 'Bekasi'} {n}"
    )
    legal_entity_number = factory.Sequence(lambda n: f"{1000 + n}/BH/XIII.3/2015")
    members_count = factory.LazyFunction(lambda: random.randint(20, 400))
    last_rat_date = factory.LazyFunction(
        lambda: timezone.localdate() - dt.timedelta(days=random.randint(30, 300))
    )
    address = factory.LazyFunction(fake.street_address)
    status = Cooperative.Status.ACTIVE


class CooperativeManagerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperativeManager

    cooperative = factory.SubFactory(CooperativeFactory)
    name = factory.LazyFunction(lambda: f"{fake.first_name()} {fake.last_name()}")
    position = factory.Iterator(["Ketua", "Sekretaris", "Bendahara"])
