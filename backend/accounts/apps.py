from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: Any, **kwargs: Any) -> None:
    # Roles hold permissions of apps migrated after this one: make them all exist first,
    # then sync the groups from the table.
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from backend.accounts.services import roles_sync

    using = kwargs.get("using", "default")
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    roles_sync(using=using)


class AccountsConfig(AppConfig):
    name = "backend.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from backend.accounts import user_cache
        from backend.accounts.models import ApiToken, User

        post_migrate.connect(_sync_roles, sender=self)
        for signal in (post_save, post_delete):
            signal.connect(user_cache.user_saved, sender=User, dispatch_uid="user-cache")
            signal.connect(user_cache.token_saved, sender=ApiToken, dispatch_uid="token-cache")
