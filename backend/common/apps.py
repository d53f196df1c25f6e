from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "backend.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        # Bind shared tasks to the platform's Celery app (broker, queues, routes).
        import worker.celery
        from backend.common import registry
        from backend.common.events import load_handlers

        # Every app's declare.py: pages, routers, grants, codes, beat entries, demo data.
        registry.discover()
        worker.celery.app.conf.beat_schedule = registry.beat_schedule()
        load_handlers()
