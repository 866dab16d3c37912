import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def region_key(name: str) -> str:
    """A spelling-insensitive key: "Kec. Karang Bahagia" and "KARANGBAHAGIA" share one."""
    name = re.sub(r"^\s*(kec(amatan)?|desa|kel(urahan)?|kab(upaten)?|kota)\.?\s+", "", name, flags=re.I)
    return re.sub(r"[^a-z0-9]", "", name.lower())


class RegionQuerySet(models.QuerySet):
    def provinces(self):
        return self.filter(level=Region.Level.PROVINCE)

    def regencies(self):
        return self.filter(level=Region.Level.REGENCY)

    def kecamatan(self):
        return self.filter(level=Region.Level.KECAMATAN)

    def desa(self):
        return self.filter(level=Region.Level.DESA)

    def within(self, region: "Region"):
        """Everything below a region, found by code prefix (codes nest: 32 > 32.16 > 32.16.01)."""
        return self.filter(code__startswith=region.code + ".")

    def in_home_regency(self):
        return self.filter(code__startswith=settings.SENTRA_HOME_REGENCY + ".")


class Region(models.Model):
    """A node of the Kemendagri region tree: province > regency > kecamatan > desa/kelurahan."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency / city")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa / kelurahan")

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        KABUPATEN = "kabupaten", _("Regency")
        KOTA = "kota", _("City")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("Kemendagri code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(max_length=100, editable=False, db_index=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    bps_code = models.CharField(_("BPS code"), max_length=12, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [
            # Kecamatan and desa pickers: children of one region, in code order.
            models.Index(fields=["parent", "code"], name="region_children_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.key = region_key(self.name)
        super().save(*args, **kwargs)


def home_regency_id() -> int | None:
    """Default for every top-level record's regency. None before regions are loaded."""
    return Region.objects.filter(code=settings.SENTRA_HOME_REGENCY).values_list("pk", flat=True).first()


class RegencyOwned(models.Model):
    """Every top-level record (SME, outlet, buyer, partner…) belongs to a regency, the home one by default."""

    regency = models.ForeignKey(
        Region,
        verbose_name=_("regency"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": Region.Level.REGENCY},
        related_name="+",
        # An install serves one regency: an index on a value nearly every row shares would never
        # help a query, only slow every write.
        db_index=False,
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Not a field default: that would query the database for every instance built, even in bulk.
        if self.regency_id is None:
            self.regency_id = home_regency_id()
        super().save(*args, **kwargs)
