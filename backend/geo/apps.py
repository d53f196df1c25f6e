from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _registry_changed(**kwargs: Any) -> None:
    from backend.geo.resolver import registry_changed

    registry_changed()


class GeoConfig(AppConfig):
    name = "backend.geo"
    label = "geo"
    verbose_name = _("County registry (townships and villages)")

    def ready(self) -> None:
        # Not business logic: only the address resolver's cached copy of the registry is
        # dropped, whichever way a row changed (admin, import, demo, a migration).
        from backend.geo.models import Township, TownshipAlias, Village

        for model in (Township, TownshipAlias, Village):
            post_save.connect(_registry_changed, sender=model, dispatch_uid=f"geo-{model}-save")
            post_delete.connect(_registry_changed, sender=model, dispatch_uid=f"geo-{model}-del")
