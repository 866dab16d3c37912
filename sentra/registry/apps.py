from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "sentra.registry"
    label = "registry"
    verbose_name = _("SME and cooperative registry")

    def ready(self):
        from .db_indexes import ensure_list_indexes
        from .search import ensure_search_index

        # SQLite rebuilds a table to alter it, dropping the full-text triggers and the indexes
        # Django does not know of; put them back.
        post_migrate.connect(ensure_search_index, sender=self)
        post_migrate.connect(ensure_list_indexes, sender=self)
