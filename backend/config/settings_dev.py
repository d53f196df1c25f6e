"""The settings the development tools load (pytest, mypy's Django plugin): the ordinary
settings with DEBUG on unless the environment says otherwise, so that a checkout's tools
need no environment. Deployments, `manage.py`, daphne and Celery load `settings` itself,
where DEBUG defaults to off. Processes the tests start inherit DEBUG=1 from here."""

import os

os.environ.setdefault("DEBUG", "1")

from backend.config.settings import *  # noqa: F403
