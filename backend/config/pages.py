"""Serves the pages of frontend_static/pages/ (plain HTML + ES modules, no templates)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie

PAGES_DIR = settings.BASE_DIR / "frontend_static" / "pages"


@ensure_csrf_cookie
def page(request: HttpRequest, name: str) -> HttpResponse:
    path = PAGES_DIR / f"{name}.html"
    if not path.is_file():
        raise Http404(name)
    return HttpResponse(path.read_text(encoding="utf-8"), content_type="text/html; charset=utf-8")
