"""One demo account per role. They exist only in a database the demo data was loaded into."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import Role, User
from sentra.core.audit import log_action
from sentra.core.models import AuditEntry
from sentra.regions.models import Region

# Documented in the README and printed by `sentra up`: anyone running the demo may sign in with it.
DEMO_PASSWORD = "sentra-demo"
CIKARANG_UTARA = "32.16.09"
DEMO_EMAIL_DOMAIN = "sentra-demo.example"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    label: str
    first_name: str
    last_name: str
    organisation: str = ""
    kecamatan_code: str = ""


DEMO_ACCOUNTS = (
    DemoUser("admin", Role.ADMIN, _("Dinas admin"), "Ratna", "Komalasari"),
    DemoUser("petugas", Role.OFFICER, _("Dinas officer, whole regency"), "Agus", "Hermawan"),
    DemoUser(
        "petugas.cikarang",
        Role.OFFICER,
        _("Dinas officer, Cikarang Utara only"),
        "Dedi",
        "Supriyadi",
        kecamatan_code=CIKARANG_UTARA,
    ),
    DemoUser(
        "kasir",
        Role.CASHIER,
        _("Outlet cashier"),
        "Nurul",
        "Hidayah",
        organisation="Gerai Dekranasda Aeon Mall Deltamas",
    ),
    # Named after the owner of the two SMEs it is linked to, when the demo data is loaded.
    DemoUser("pemilik", Role.SME_OWNER, _("SME owner"), "Siti", "Rohmah"),
    DemoUser(
        "mitra", Role.PARTNER, _("Partner"), "Hendra", "Gunawan", organisation="Bank BJB Cabang Cikarang"
    ),
    DemoUser(
        "mitra.mall",
        Role.PARTNER,
        _("Partner (a shopping centre with a Perda obligation)"),
        "Maya",
        "Lestari",
        organisation="Living Plaza Jababeka",
    ),
    DemoUser(
        "pembeli",
        Role.BUYER,
        _("Buyer"),
        "Wulan",
        "Pertiwi",
        organisation="Dinas Pendidikan Kabupaten Bekasi",
    ),
)
# (user name, role label) for each demo account, in the order `sentra up` prints them.
DEMO_USERS = [(account.username, account.label) for account in DEMO_ACCOUNTS]


@transaction.atomic
def ensure_demo_users(*, owner_name: str = "") -> dict[str, User]:
    """Create the demo accounts, or put existing ones back to their documented role and scope."""
    users = {}
    existing = {u.username: u for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])}
    # One hash for all new accounts: hashing is slow on purpose, and the password is published anyway.
    password_hash = ""
    for account in DEMO_ACCOUNTS:
        first, last = account.first_name, account.last_name
        if account.role == Role.SME_OWNER and owner_name:
            first, _sep, last = owner_name.partition(" ")
        user = existing.get(account.username) or User(username=account.username)
        created = user.pk is None
        user.role = account.role
        user.first_name, user.last_name = first, last
        user.email = f"{account.username}@{DEMO_EMAIL_DOMAIN}"
        user.organisation = account.organisation
        user.is_active = True
        if created:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user.password = password_hash
        user.save()
        if account.kecamatan_code:
            user.kecamatan.set(Region.objects.filter(code=account.kecamatan_code))
        if created:
            log_action(
                actor=None,
                verb="accounts.user.demo_created",
                obj=user,
                action=AuditEntry.Action.CREATE,
                changes={"role": [None, account.role]},
                note="demo data",
            )
        users[account.username] = user
    return users
