"""WSGI entry point: pages and the API from gunicorn's workers (websockets go to daphne).

Every request's code is synchronous: a worker thread runs it with no hop to a thread pool
(as ASGI needs), and each worker process keeps its own database pool."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")
django_wsgi_app = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402

application = StaticFilesHandler(django_wsgi_app) if settings.SERVE_STATIC else django_wsgi_app
