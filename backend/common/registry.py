"""What each app declares about itself, collected at start-up and assembled by config/.

Every installed app may have a `declare.py` (found by `discover()`, the way Django's admin
finds `admin.py`). It calls `declare("<app label>")` and, on what it gets back, registers
its error codes, roles and grants, pages, API routers, websocket routes, beat entries and
demo loader. Nothing central names an app's things: `config/urls.py`, `config/api.py`,
`config/routing.py`, the Celery app, `roles_sync`, the navigation and `demo_load` read them
from here. See docs/decisions/0004-apps-declare-themselves.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from graphlib import CycleError, TopologicalSorter
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

EVERYONE = "*"  # a page every signed-in user sees


@dataclass(frozen=True)
class Label:
    """A name shown in the UI, Chinese first."""

    zh: str
    en: str

    def for_lang(self, lang: str) -> str:
        return self.en if lang.startswith("en") else self.zh


@dataclass(frozen=True)
class RoleSpec:
    """A role (a Django group). `includes` names roles whose grants it also holds."""

    name: str
    label: Label
    includes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    """A page of frontend_static/pages/: its URL, its HTML file and who sees it in the nav.

    `roles` and `perms` say who may use it (any role listed, or any permission held);
    `roles=EVERYONE` means every signed-in user; `public` pages are open to visitors too.
    `label=None` keeps a page out of the navigation (a detail page, the login page).
    `external` entries are links only (the admin, the API docs): no route is made.
    A `landing` page is where users go after login when no page is theirs by role.
    """

    path: str
    label: Label | None
    template: str = ""
    roles: tuple[str, ...] | str = ()
    perms: tuple[str, ...] = ()
    public: bool = False
    external: bool = False
    landing: bool = False
    order: int = 100
    # For pages with path parameters ("/live/<int:session_id>/") or words a shared link
    # shows: called with the request and the path's values, it returns the PageMeta.
    meta: Callable[..., PageMeta] | None = None


@dataclass(frozen=True)
class PageMeta:
    """What a page tells before its script runs: the title and the Open Graph tags a
    shared link shows (`image` an absolute URL), the HTTP status (404: the page says
    kindly that the thing is not there), and `data` for the page's own attributes."""

    title: str = ""
    description: str = ""
    image: str = ""
    url: str = ""
    status: int = 200
    data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Router:
    prefix: str
    router: Any


@dataclass(frozen=True)
class UrlRoute:
    """A plain Django view under a path (a redirect, a file): neither a page nor the API."""

    path: str
    view: Callable[..., Any]


@dataclass(frozen=True)
class WebsocketRoute:
    path: str
    consumer: Any


@dataclass(frozen=True)
class EarlyAnswer:
    """A request answered before the middleware stack (sessions, sign-in, CSRF) runs:
    `answer(request, **groups)` returns a response, or None to let the request through.
    Only for answers that need no sign-in and no database (a sold-out flash sale, a cached
    storefront read). A `localised` answer runs in the visitor's language."""

    method: str
    pattern: str  # a regular expression matched against the whole path, with named groups
    answer: Callable[..., Any]
    localised: bool = True


@dataclass(frozen=True)
class DemoLoader:
    app: str
    load: Callable[[Callable[[str], None]], None]
    after: tuple[str, ...]


@dataclass
class AppDeclaration:
    """What one app registered. Build it with `declare(label)`, then call its methods."""

    label: str
    error_enums: list[type[StrEnum]] = field(default_factory=list)
    role_specs: list[RoleSpec] = field(default_factory=list)
    grant_table: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page_specs: list[Page] = field(default_factory=list)
    router_specs: list[Router] = field(default_factory=list)
    websocket_specs: list[WebsocketRoute] = field(default_factory=list)
    url_specs: list[UrlRoute] = field(default_factory=list)
    early_specs: list[EarlyAnswer] = field(default_factory=list)
    beat_entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    demo_loader: DemoLoader | None = None

    def error_codes(self, enum: type[StrEnum]) -> None:
        for member in enum:
            owner = _ERROR_CODES.get(member.value)
            if owner is not None:
                raise ImproperlyConfigured(
                    f"error code {member.value!r} is declared twice: by {owner[0]} "
                    f"({owner[1]}) and by {self.label} ({enum.__name__}.{member.name})"
                )
            _ERROR_CODES[member.value] = (self.label, f"{enum.__name__}.{member.name}", member)
        self.error_enums.append(enum)

    def roles(self, *specs: RoleSpec) -> None:
        for spec in specs:
            if any(spec.name == r.name for r in all_roles()):
                raise ImproperlyConfigured(f"role {spec.name!r} is declared twice")
            self.role_specs.append(spec)

    def grants(self, table: Mapping[str, Iterable[str]]) -> None:
        """Permissions ("app_label.codename") this app gives to each role (by role name)."""
        for role, perms in table.items():
            self.grant_table[str(role)] = (*self.grant_table.get(str(role), ()), *perms)

    def pages(self, *specs: Page) -> None:
        self.page_specs.extend(specs)

    def router(self, prefix: str, router: Any) -> None:
        self.router_specs.append(Router(prefix, router))

    def url(self, path: str, view: Callable[..., Any]) -> None:
        """A Django view at `path` (Django's path syntax, no leading slash)."""
        self.url_specs.append(UrlRoute(path, view))

    def websocket(self, path: str, consumer: Any) -> None:
        self.websocket_specs.append(WebsocketRoute(path, consumer))

    def early(
        self, method: str, pattern: str, answer: Callable[..., Any], *, localised: bool = True
    ) -> None:
        """Answer `method` requests whose path matches `pattern` before the middleware
        (common.middleware.EarlyAnswerMiddleware); see EarlyAnswer."""
        self.early_specs.append(EarlyAnswer(method.upper(), pattern, answer, localised))

    def beat(self, name: str, *, task: str, schedule: Any, **options: Any) -> None:
        """A periodic task; `name` is global, so prefix it with the app's label."""
        if any(name in app.beat_entries for app in _APPS.values()):
            raise ImproperlyConfigured(f"beat entry {name!r} is declared twice")
        self.beat_entries[name] = {"task": task, "schedule": schedule, **options}

    def demo(
        self, load: Callable[[Callable[[str], None]], None], *, after: Iterable[str] = ()
    ) -> None:
        """The app's demo data: `load(write)` is idempotent and reports through `write`."""
        self.demo_loader = DemoLoader(self.label, load, tuple(after))


_APPS: dict[str, AppDeclaration] = {}
_ERROR_CODES: dict[str, tuple[str, str, StrEnum]] = {}


def declare(label: str) -> AppDeclaration:
    if label in _APPS:
        raise ImproperlyConfigured(f"app {label!r} declares itself twice")
    app = AppDeclaration(label)
    _APPS[label] = app
    return app


def discover() -> None:
    """Import every installed app's declare.py (once; Django calls ready() once)."""
    autodiscover_modules("declare")


def apps() -> list[AppDeclaration]:
    return list(_APPS.values())


def error_catalogue() -> dict[str, tuple[str, str]]:
    """Every error code → (app label, enum member), in declaration order."""
    return {code: (app, name) for code, (app, name, _member) in _ERROR_CODES.items()}


def all_roles() -> list[RoleSpec]:
    return [spec for app in _APPS.values() for spec in app.role_specs]


def role_permissions() -> dict[str, set[str]]:
    """Every role → the permissions granted to it or to a role it includes."""
    direct: dict[str, set[str]] = {spec.name: set() for spec in all_roles()}
    for app in _APPS.values():
        for role, perms in app.grant_table.items():
            if role not in direct:
                raise ImproperlyConfigured(f"{app.label} grants to unknown role {role!r}")
            direct[role].update(perms)
    specs = {spec.name: spec for spec in all_roles()}

    def collect(name: str, seen: frozenset[str]) -> set[str]:
        if name in seen:
            raise ImproperlyConfigured(f"role {name!r} includes itself")
        perms = set(direct[name])
        for included in specs[name].includes:
            perms |= collect(included, seen | {name})
        return perms

    return {name: collect(name, frozenset()) for name in direct}


def pages() -> list[Page]:
    specs = [spec for app in _APPS.values() for spec in app.page_specs]
    return sorted(specs, key=lambda spec: spec.order)


def routers() -> list[Router]:
    return [spec for app in _APPS.values() for spec in app.router_specs]


def url_routes() -> list[UrlRoute]:
    return [spec for app in _APPS.values() for spec in app.url_specs]


def websocket_routes() -> list[WebsocketRoute]:
    return [spec for app in _APPS.values() for spec in app.websocket_specs]


def early_answers() -> list[EarlyAnswer]:
    return [spec for app in _APPS.values() for spec in app.early_specs]


def beat_schedule() -> dict[str, dict[str, Any]]:
    return {name: entry for app in _APPS.values() for name, entry in app.beat_entries.items()}


def demo_loaders() -> list[DemoLoader]:
    """The demo loaders in dependency order (`after` names app labels)."""
    loaders = {app.label: app.demo_loader for app in _APPS.values() if app.demo_loader}
    graph = {label: {a for a in loader.after if a in loaders} for label, loader in loaders.items()}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise ImproperlyConfigured(f"demo loaders depend on each other in a cycle: {exc}") from exc
    return [loaders[label] for label in order]


def error_codes_markdown() -> str:
    """The catalogue as the Markdown table that docs/api.md holds."""
    rows = [f"| `{code}` | {app} | `{name}` |" for code, (app, name) in error_catalogue().items()]
    return "\n".join(["| code | app | declared as |", "|---|---|---|", *rows, ""])
