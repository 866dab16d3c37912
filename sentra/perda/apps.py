from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerdaConfig(AppConfig):
    name = "sentra.perda"
    label = "perda"
    verbose_name = _("Perda obligations")

    def ready(self):
        from sentra.accounts.models import Role
        from sentra.core import reminders as core_reminders

        from . import reminders

        core_reminders.register(
            core_reminders.ReminderSource(
                "perda.partner_reports",
                _("Perda realisation reports due or late"),
                reminders.partner_reports_due,
                (Role.PARTNER,),
            )
        )
        core_reminders.register(
            core_reminders.ReminderSource(
                "perda.officer_reports",
                _("Perda realisation reports to review or overdue"),
                reminders.officer_reports_due,
                (Role.ADMIN, Role.OFFICER),
            )
        )
