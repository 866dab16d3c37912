from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BebeliConfig(AppConfig):
    name = "sentra.bebeli"
    label = "bebeli"
    verbose_name = _("Bebeli (Bekasi Berani Beli)")

    def ready(self):
        from . import channels, imports

        channels.register_channels()
        # The shared import engine's second kind of record: purchases kept in an earlier application.
        imports.register()
