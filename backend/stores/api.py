"""Stores endpoints (/api/v1/stores/...): thin; access gate, then a service or selector."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from ninja import Router, Status
from ninja.pagination import paginate

from backend.accounts.auth import request_user
from backend.catalog.models import Category
from backend.common.errors import DomainError, NotFound
from backend.common.pagination import LimitOffset, ShapedPage
from backend.common.permissions import require_perm
from backend.stores import selectors, services, services_mapping, services_sync
from backend.stores.access import access_bind, access_store, stores_visible_to
from backend.stores.models import PlatformApp, Store
from backend.stores.schemas import (
    AppOut,
    AttributeOut,
    BindIn,
    BindOut,
    FreightIn,
    JobIn,
    JobOut,
    ListingOut,
    MappingIn,
    MappingOut,
    OfficeSummaryOut,
    PauseIn,
    RemoteCategoryOut,
    SettingsIn,
    StoreOrderOut,
    StoreOut,
    TemplateOut,
)

router = Router(tags=["stores"])
CONSOLE = "/merchant/stores/"


@router.get("/apps", response=list[AppOut])
def apps_list(request: HttpRequest) -> Any:
    request_user(request)
    return PlatformApp.objects.filter(is_active=True)


@router.post("/bind", response=BindOut)
def bind_start(request: HttpRequest, payload: BindIn) -> Any:
    user = request_user(request)
    app, organisation_id = access_bind(
        user=user, app_id=payload.app_id, organisation_id=payload.organisation_id
    )
    url = services.store_bind_start(app=app, organisation_id=organisation_id, by=user)
    return {"authorize_url": url}


@router.get("/oauth/callback", response={302: None})
def bind_callback(request: HttpRequest, code: str = "", state: str = "") -> HttpResponseRedirect:
    """Where the platform sends the merchant back; then on to the console, with the outcome."""
    user = request_user(request)
    try:
        store = services.store_bind_finish(code=code, state=state, by=user)
    except DomainError as error:
        return HttpResponseRedirect(f"{CONSOLE}?{urlencode({'bind_error': str(error.code)})}")
    return HttpResponseRedirect(f"{CONSOLE}?{urlencode({'bound': store.pk})}")


@router.get("/office/summary", response=OfficeSummaryOut)
def office_summary(request: HttpRequest) -> Any:
    require_perm(request_user(request), "stores.view_all_stores")
    return selectors.office_summary()


@router.get("", response=list[StoreOut])
def stores_list(request: HttpRequest) -> Any:
    return selectors.stores_with_counts(base=stores_visible_to(user=request_user(request)))


@router.get("/{int:store_id}", response=StoreOut)
def stores_get(request: HttpRequest, store_id: int) -> Any:
    store = access_store(user=request_user(request), store_id=store_id)
    return selectors.stores_with_counts(base=Store.objects.filter(pk=store.pk))[0]


@router.get("/orders/{int:order_id}", response=StoreOrderOut)
def store_order_get(request: HttpRequest, order_id: int) -> Any:
    """The marketplace side of one of our orders: remote status, push-back, after-sales."""
    found = selectors.store_order_of(
        stores=stores_visible_to(user=request_user(request)), order_id=order_id
    )
    if found is None:
        raise NotFound()
    return found


@router.get("/{int:store_id}/orders", response=list[StoreOrderOut])
def store_orders(request: HttpRequest, store_id: int) -> Any:
    store = access_store(user=request_user(request), store_id=store_id)
    return selectors.store_orders(store=store)


@router.post("/{int:store_id}/pause", response=StoreOut)
def stores_pause(request: HttpRequest, store_id: int, payload: PauseIn) -> Any:
    store = access_store(user=request_user(request), store_id=store_id, for_write=True)
    return selectors.store_out(services.store_set_paused(store=store, paused=payload.paused))


@router.patch("/{int:store_id}/settings", response=StoreOut)
def stores_settings(request: HttpRequest, store_id: int, payload: SettingsIn) -> Any:
    store = access_store(user=request_user(request), store_id=store_id, for_write=True)
    changes = payload.dict(exclude_unset=True)
    return selectors.store_out(services.store_settings_update(store=store, changes=changes))


@router.get("/{int:store_id}/remote/categories", response=list[RemoteCategoryOut])
def remote_categories(request: HttpRequest, store_id: int, parent_id: str = "0") -> Any:
    store = access_store(user=request_user(request), store_id=store_id, for_write=True)
    return services_mapping.remote_categories(store=store, parent_id=parent_id)


@router.get(
    "/{int:store_id}/remote/categories/{category_id}/attributes", response=list[AttributeOut]
)
def remote_attributes(request: HttpRequest, store_id: int, category_id: str) -> Any:
    store = access_store(user=request_user(request), store_id=store_id, for_write=True)
    return services_mapping.remote_attributes(store=store, category_id=category_id)


@router.get("/{int:store_id}/remote/freight-templates", response=list[TemplateOut])
def remote_templates(request: HttpRequest, store_id: int) -> Any:
    store = access_store(user=request_user(request), store_id=store_id, for_write=True)
    return services_mapping.remote_freight_templates(store=store)


@router.put("/{int:store_id}/freight-template", response=StoreOut)
def freight_set(request: HttpRequest, store_id: int, payload: FreightIn) -> Any:
    store = access_store(user=request_user(request), store_id=store_id, for_write=True)
    store = services_mapping.store_freight_template_set(
        store=store, template_id=payload.template_id
    )
    return selectors.store_out(store)


@router.get("/{int:store_id}/mappings", response=list[MappingOut])
def mappings_list(request: HttpRequest, store_id: int) -> Any:
    store = access_store(user=request_user(request), store_id=store_id)
    return selectors.mappings_of(store=store)


@router.put("/{int:store_id}/mappings/{int:category_id}", response=MappingOut)
def mappings_set(request: HttpRequest, store_id: int, category_id: int, payload: MappingIn) -> Any:
    store = access_store(user=request_user(request), store_id=store_id, for_write=True)
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise NotFound()
    services_mapping.category_mapping_set(store=store, category=category, **payload.dict())
    return next(m for m in selectors.mappings_of(store=store) if m["category_id"] == category_id)


@router.get("/{int:store_id}/listings", response=list[ListingOut])
@paginate(LimitOffset)
def listings_list(request: HttpRequest, store_id: int) -> Any:
    store = access_store(user=request_user(request), store_id=store_id)
    return ShapedPage(selectors.listings_of(store=store), selectors.listing_out)


@router.post("/{int:store_id}/jobs", response={201: JobOut})
def jobs_start(request: HttpRequest, store_id: int, payload: JobIn) -> Status[Any]:
    user = request_user(request)
    store = access_store(user=user, store_id=store_id, for_write=True)
    job = services_sync.sync_job_start(
        store=store, kind=payload.kind, product_ids=payload.product_ids, by=user
    )
    return Status(201, selectors.job_out(job))


@router.get("/{int:store_id}/jobs/{int:job_id}", response=JobOut)
def jobs_get(request: HttpRequest, store_id: int, job_id: int) -> Any:
    store = access_store(user=request_user(request), store_id=store_id)
    job = store.jobs.filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return selectors.job_out(job)


@router.get("/{int:store_id}/jobs", response=list[JobOut])
@paginate(LimitOffset)
def jobs_list(request: HttpRequest, store_id: int, kind: str | None = None) -> Any:
    store = access_store(user=request_user(request), store_id=store_id)
    jobs = store.jobs.all() if kind is None else store.jobs.filter(kind=kind)
    return ShapedPage(jobs, selectors.job_out)
