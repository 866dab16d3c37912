from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDataset(models.Model):
    """Marks a database as holding demo data, and how much: `sentra demo` and `sentra up` read it to
    skip work already done and to extend a smaller set instead of duplicating it."""

    seed = models.IntegerField(_("seed"), unique=True)
    scale = models.PositiveIntegerField(_("SMEs generated"))
    cooperatives = models.PositiveIntegerField(_("cooperatives generated"), default=0)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("demo data set")
        verbose_name_plural = _("demo data sets")

    def __str__(self) -> str:
        return f"seed {self.seed}, {self.scale} SMEs"
