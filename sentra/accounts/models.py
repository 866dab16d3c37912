from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sentra.regions.models import Region, home_regency_id


class Role(models.TextChoices):
    ADMIN = "admin", _("Dinas admin")
    OFFICER = "officer", _("Dinas officer")
    CASHIER = "cashier", _("Outlet cashier")
    SME_OWNER = "sme_owner", _("SME owner")
    PARTNER = "partner", _("Partner")
    BUYER = "buyer", _("Buyer")


class User(AbstractUser):
    """One account per person. The role decides what they may do; scopes narrow where."""

    PERSONAL_FIELDS = ("phone",)

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, blank=True)
    regency = models.ForeignKey(
        Region,
        verbose_name=_("regency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": Region.Level.REGENCY},
        related_name="+",
    )
    # An officer with no kecamatan here works across the whole regency.
    kecamatan = models.ManyToManyField(
        Region,
        verbose_name=_("kecamatan scope"),
        blank=True,
        limit_choices_to={"level": Region.Level.KECAMATAN},
        related_name="officers",
    )
    phone = models.CharField(_("phone"), max_length=20, null=True, blank=True, unique=True)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Partner company, bank or agency; buyer OPD."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):
        # Dinas admins run the Django admin back office as a fallback, with every permission there;
        # nobody else reaches it.
        if self.role == Role.ADMIN:
            self.is_superuser = True
        self.is_staff = self.role == Role.ADMIN or self.is_superuser
        if self.regency_id is None:
            self.regency_id = home_regency_id()
        super().save(*args, **kwargs)

    @property
    def is_dinas(self) -> bool:
        return self.role in (Role.ADMIN, Role.OFFICER)

    def kecamatan_scope(self) -> list[int] | None:
        """Kecamatan ids an officer is limited to, or None when not limited."""
        if self.role != Role.OFFICER:
            return None
        ids = [k.pk for k in self.kecamatan.all()]
        return ids or None
