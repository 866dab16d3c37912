from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutletsConfig(AppConfig):
    name = "sentra.outlets"
    label = "outlets"
    verbose_name = _("Outlets")

    def ready(self):
        from . import channels

        channels.register_channels()
