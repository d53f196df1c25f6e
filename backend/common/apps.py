from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "backend.common"
    label = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        # Bind shared tasks to the platform's Celery app (broker, queues, routes).
        import worker.celery  # noqa: F401
        from backend.common.events import load_handlers

        load_handlers()
