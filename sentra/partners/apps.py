from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "sentra.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from sentra.accounts.models import Role
        from sentra.core import reminders as core_reminders

        from . import reminders

        dinas = (Role.ADMIN, Role.OFFICER)
        for source in (
            core_reminders.ReminderSource(
                "partners.agreements", _("Agreements about to expire"), reminders.agreements_due, dinas
            ),
            core_reminders.ReminderSource(
                "partners.foster", _("Foster-parent assignments ending"), reminders.fosters_due, dinas
            ),
            core_reminders.ReminderSource(
                "partners.offers", _("Offers waiting for an answer"), reminders.offers_due, (Role.SME_OWNER,)
            ),
        ):
            core_reminders.register(source)
