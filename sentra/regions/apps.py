from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_shipped_regions(sender, using="default", **kwargs):
    """Kabupaten Bekasi ships with Sentra: load it whenever it is the home regency and not yet loaded.

    post_migrate also runs after a test database flush, so tests always find the tree.
    """
    from django.conf import settings

    from .models import Region
    from .services import load_home_regency

    if (
        settings.SENTRA_HOME_REGENCY == "32.16"
        and not Region.objects.using(using).filter(code="32.16").exists()
    ):
        load_home_regency()


class RegionsConfig(AppConfig):
    name = "sentra.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self):
        post_migrate.connect(load_shipped_regions, sender=self)
