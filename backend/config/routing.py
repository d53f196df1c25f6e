"""The websocket routes of every app, as the apps declared them (declare.py)."""

from django.urls import path

from backend.common import registry

websocket_urlpatterns = [path(spec.path, spec.consumer) for spec in registry.websocket_routes()]
