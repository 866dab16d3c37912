from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "sentra.exports"
    label = "exports"
    verbose_name = _("Export facilitation")

    def ready(self):
        from . import channels

        channels.register_channels()
