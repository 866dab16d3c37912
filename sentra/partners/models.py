"""The organisations the Dinas works with: companies, banks, agencies, customs, universities, forums.

One partner record serves every area that deals with an organisation: MoUs and foster parents,
the Perda 30% obligation of a shopping centre or toll rest area, the operator of a cooperation
outlet. Partner users sign in for their organisation (`Partner.users`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sentra.regions.models import RegencyOwned, Region


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Partner.Status.ACTIVE)

    def of_user(self, user):
        """The organisations a partner user signs in for."""
        return self.filter(users=user)


class Partner(RegencyOwned):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        RETAIL = "retail", _("Shopping centre or modern retail")
        TOLL_REST_AREA = "rest_area", _("Toll road rest area")
        INDUSTRIAL_ESTATE = "industrial", _("Industrial estate")
        BANK = "bank", _("Bank or finance")
        SOE = "soe", _("BUMN / BUMD")
        AGENCY = "agency", _("Government agency")
        CUSTOMS = "customs", _("Customs (Bea Cukai)")
        UNIVERSITY = "university", _("University")
        ASSOCIATION = "association", _("Association")
        FORUM = "forum", _("SME forum")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    kecamatan = models.ForeignKey(
        Region,
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": Region.Level.KECAMATAN},
        related_name="+",
    )
    # The organisation's own contact points (not personal data of a natural person).
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("partner users"), blank=True, related_name="partners"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        indexes = [
            # The partner list filtered by type.
            models.Index(fields=["kind", "name"], name="partner_kind_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name
