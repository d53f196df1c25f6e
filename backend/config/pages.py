"""Serves the pages of frontend_static/pages/ on one base template.

A page file is only its body (`{% extends "base.html" %}` and a `main` block); its entry
module is js/pages/<name>.js. The base holds the head (meta, CSS, favicon, the import map
of our modules and of the vendored packages listed in package.json), the header with the
signed-in user's navigation, and the one message a role without access to a page gets
instead of its body (the API would refuse it anyway; the page should not pretend)."""

from __future__ import annotations

import functools
import json
import logging
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template import Context, Engine
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie

from backend.common import registry
from backend.common.navigation import landing_for, nav_for, page_allows
from backend.common.permissions import user_role_names

logger = logging.getLogger(__name__)

FRONTEND_DIR = settings.BASE_DIR / "frontend_static"
PAGES_DIR = FRONTEND_DIR / "pages"
# Written by scripts/vendor-copy.mjs from package.json's "vendor": specifier → static path.
VENDOR_IMPORTS = FRONTEND_DIR / "vendor" / "importmap.json"


@functools.cache
def _engine() -> Engine:
    loader = ("django.template.loaders.filesystem.Loader", [str(PAGES_DIR)])
    # While developing, an edited page shows on reload; otherwise templates are cached.
    loaders: list[Any] = [loader]
    if not settings.DEBUG:
        loaders = [("django.template.loaders.cached.Loader", [loader])]
    return Engine(
        loaders=loaders,
        debug=settings.DEBUG,
        builtins=["django.templatetags.static", "django.templatetags.i18n"],
    )


@functools.cache
def _vendor_imports() -> dict[str, str]:
    try:
        table: dict[str, str] = json.loads(VENDOR_IMPORTS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        logger.warning("%s is missing: run `make frontend` (npm ci + vendor copy)", VENDOR_IMPORTS)
        return {}
    return {specifier: static(path) for specifier, path in table.items()}


def import_map() -> SafeString:
    """Our modules under `app/` and every vendored package under its npm name."""
    imports = {"app/": f"{settings.STATIC_URL}js/", **_vendor_imports()}
    text = json.dumps({"imports": imports}, ensure_ascii=False).replace("<", "\\u003c")
    return mark_safe(text)  # noqa: S308 - JSON with "<" escaped cannot close the script element


def _spec(request: HttpRequest, name: str, spec_path: str | None) -> registry.Page:
    """The declared page this request is for (two paths may share a template)."""
    for spec in registry.pages():
        if spec.template == name and spec.path == (spec_path or request.path_info):
            return spec
    raise Http404(name)


def _roles_of(user: Any, lang: str) -> str:
    held = user_role_names(user)
    labels = [r.label.for_lang(lang) for r in registry.all_roles() if r.name in held]
    # Translators: joins the names of several roles, as in "商家、主播".
    return _(", ").join(labels) or _("none")


def _texts(user: Any, lang: str, allowed: bool) -> dict[str, str]:
    """The base's own words (kept here, where makemessages finds them)."""
    texts = {
        "brand": _("Qinshui e-commerce"),
        "nav": _("Main navigation"),
        "log_in": _("Log in"),
        "log_out": _("Log out"),
    }
    if not allowed:
        texts["no_access"] = _("No access")
        texts["no_access_text"] = _("This page is not open to your role (%(roles)s).") % {
            "roles": _roles_of(user, lang)
        }
        texts["start_page"] = _("Go to my start page")
    return texts


def _context(
    request: HttpRequest, name: str, spec: registry.Page, allowed: bool, meta: registry.PageMeta
) -> Context:
    lang = get_language() or settings.LANGUAGE_CODE
    user = request.user
    other = next(code for code, _name in settings.LANGUAGES if not lang.startswith(code[:2]))
    return Context(
        {
            "name": name,
            "entry": static(f"js/pages/{name if allowed else 'denied'}.js"),
            "import_map": import_map(),
            "lang": lang,
            "html_lang": "en" if lang.startswith("en") else "zh-CN",
            "other_lang": other,
            "other_lang_name": dict(settings.LANGUAGES)[other],
            "title": meta.title or (spec.label.for_lang(lang) if spec.label else ""),
            "meta": meta,
            "path": request.path,
            "nav": nav_for(user, lang=lang),
            "user_name": (user.display_name or user.username) if user.is_authenticated else "",
            "denied": not allowed,
            "landing": "" if allowed else landing_for(user),
            "texts": _texts(user, lang, allowed),
        }
    )


@ensure_csrf_cookie
def page(
    request: HttpRequest, name: str, spec_path: str | None = None, **values: Any
) -> HttpResponse:
    spec = _spec(request, name, spec_path)
    if not (PAGES_DIR / f"{name}.html").is_file():
        raise Http404(name)
    allowed = spec.public or page_allows(spec, request.user)
    if not allowed and not request.user.is_authenticated:
        return HttpResponseRedirect(f"/login/?next={quote(request.get_full_path(), safe='')}")
    meta = spec.meta(request, **values) if spec.meta and allowed else registry.PageMeta()
    context = _context(request, name, spec, allowed, meta)
    html = _engine().get_template(f"{name}.html").render(context)
    return HttpResponse(html, status=meta.status if allowed else 403)
