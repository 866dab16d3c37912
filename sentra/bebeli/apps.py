from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BebeliConfig(AppConfig):
    name = "sentra.bebeli"
    label = "bebeli"
    verbose_name = _("Bebeli (Bekasi Berani Beli)")

    def ready(self):
        from . import channels

        channels.register_channels()
