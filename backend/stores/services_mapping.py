"""What each platform requires before an item can go up: the store's freight template and,
per category of ours, the platform's leaf category, its required attributes and the sale
attribute carrying each SKU's spec. Every choice is read from the platform (cached briefly)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from backend.catalog.models import Category, Sku
from backend.common.errors import DomainError
from backend.stores.connectors import store_connector
from backend.stores.errors import StoreErrorCode
from backend.stores.models import CategoryMapping, Platform, Store
from backend.stores.services import store_needs_reauthorisation
from shop_connectors.errors import AuthError, ConnectorError
from shop_connectors.models import CategoryAttribute, FreightTemplate, RemoteCategory
from shop_connectors.pinduoduo.client import PddClient

_TTL = 600


class MappingInvalid(DomainError):
    status = 422
    code = StoreErrorCode.MAPPING_INVALID


def _remote(store: Store, key: str, read: Any) -> Any:
    """A platform read, cached per store; platform errors become domain errors."""
    cache_key = f"stores:remote:{store.pk}:{key}"
    found = cache.get(cache_key)
    if found is not None:
        return found
    found = _remote_call(store, read)
    cache.set(cache_key, found, _TTL)
    return found


def _remote_call(store: Store, read: Any) -> Any:
    try:
        return read(store_connector(store=store))
    except AuthError as error:
        store_needs_reauthorisation(store=store, platform_message=error.message)
        raise DomainError(
            _("The platform no longer accepts this store's authorisation: re-authorise it."),
            code=StoreErrorCode.NOT_ACTIVE,
        ) from None
    except ConnectorError as error:
        raise DomainError(
            _("The platform could not answer; try again in a moment."),
            code=StoreErrorCode.PLATFORM_UNAVAILABLE,
            status=502,
            extra={"platform_message": error.message[:200]},
        ) from None


def remote_categories(*, store: Store, parent_id: str = "0") -> list[RemoteCategory]:
    return list(
        _remote(store, f"cats:{parent_id}", lambda c: c.categories_list(parent_id=parent_id))
    )


def remote_attributes(*, store: Store, category_id: str) -> list[CategoryAttribute]:
    return list(
        _remote(
            store, f"attrs:{category_id}", lambda c: c.category_attributes(category_id=category_id)
        )
    )


def remote_freight_templates(*, store: Store) -> list[FreightTemplate]:
    return list(_remote(store, "freight", lambda c: c.freight_templates()))


def store_freight_template_set(*, store: Store, template_id: str) -> Store:
    found = [t for t in remote_freight_templates(store=store) if t.id == template_id]
    if not found:
        raise MappingInvalid(
            _("This freight template does not exist in the shop."),
            extra={"field": "freight_template_id"},
        )
    store.freight_template_id, store.freight_template_name = found[0].id, found[0].name
    store.save(update_fields=["freight_template_id", "freight_template_name"])
    return store


def category_mapping_set(
    *,
    store: Store,
    category: Category,
    remote_parent_id: str,
    remote_category_id: str,
    attributes: dict[str, str],
    spec_values: dict[str, str],
) -> CategoryMapping:
    """`attributes`: attribute id → value id (a listed value) or text (a free one). The leaf
    is checked among its parent's children, as read from the platform."""
    leaf = _leaf(store, remote_parent_id, remote_category_id)
    attrs = remote_attributes(store=store, category_id=remote_category_id)
    sale = [a for a in attrs if a.sale]
    if not sale:
        raise MappingInvalid(
            _("This platform category takes no specs; choose a leaf category."),
            extra={"field": "remote_category_id"},
        )
    chosen = _attributes_checked(attrs, attributes)
    if store.app.platform == Platform.TAOBAO:
        listed = {v.id for v in sale[0].values}
        bad = sorted(text for text, vid in spec_values.items() if vid not in listed)
        if bad:
            raise MappingInvalid(
                _("The spec %(spec)s needs one of the platform's values.") % {"spec": bad[0]},
                extra={"field": f"spec_values.{bad[0]}"},
            )
    mapping, _created = CategoryMapping.objects.update_or_create(
        store=store,
        category=category,
        defaults={
            "remote_category_id": remote_category_id,
            "remote_category_name": leaf.name,
            "sale_attribute_id": sale[0].id,
            "sale_attribute_name": sale[0].name,
            "attributes": chosen,
            "spec_values": spec_values if store.app.platform == Platform.TAOBAO else {},
        },
    )
    if store.app.platform == Platform.PINDUODUO:
        _spec_ids_fetch(store=store, mapping=mapping)
    return mapping


def _spec_ids_fetch(*, store: Store, mapping: CategoryMapping) -> None:
    """Pinduoduo names custom spec values by id: ask for the id of each spec our SKUs of
    this category use, now (a publish of many products then waits for none). Asked afresh
    on every save, so saving the mapping again repairs ids the platform no longer knows; a
    spec added later is asked by the publish itself."""
    texts = (
        Sku.objects.filter(
            product__category_id=mapping.category_id, product__seller_id=store.organisation_id
        )
        .exclude(spec_text="")
        .values_list("spec_text", flat=True)
        .distinct()
    )
    parent = int(mapping.sale_attribute_id)
    known: dict[str, int] = {}
    wanted = sorted(set(texts))

    def ask(client: Any) -> dict[str, int]:
        assert isinstance(client, PddClient)
        return {t: client.spec_id(parent_spec_id=parent, name=t) for t in wanted}

    if wanted:
        known.update(_remote_call(store, ask))
    CategoryMapping.objects.filter(pk=mapping.pk).update(spec_ids=known)
    mapping.spec_ids = known


def _attributes_checked(
    attrs: list[CategoryAttribute], given: dict[str, str]
) -> dict[str, dict[str, str]]:
    by_id = {a.id: a for a in attrs if not a.sale}
    chosen: dict[str, dict[str, str]] = {}
    for attr_id, value in given.items():
        attr = by_id.get(attr_id)
        if attr is None:
            raise MappingInvalid(
                _("The platform category has no attribute %(id)s.") % {"id": attr_id},
                extra={"field": f"attributes.{attr_id}"},
            )
        match = [v for v in attr.values if v.id == value]
        if attr.values and not match:
            raise MappingInvalid(
                _("%(name)s needs one of the platform's values.") % {"name": attr.name},
                extra={"field": f"attributes.{attr_id}"},
            )
        name = match[0].name if match else value
        chosen[attr_id] = {"name": attr.name, "value_id": value if match else "", "value": name}
    missing = [a for a in by_id.values() if a.required and a.id not in chosen]
    if missing:
        raise MappingInvalid(
            _("The platform requires the attribute %(name)s.") % {"name": missing[0].name},
            extra={"field": f"attributes.{missing[0].id}"},
        )
    return chosen


def _leaf(store: Store, parent_id: str, category_id: str) -> RemoteCategory:
    for cat in remote_categories(store=store, parent_id=parent_id):
        if cat.id == category_id and cat.is_leaf:
            return cat
    raise MappingInvalid(
        _("Choose a leaf category of the platform."), extra={"field": "remote_category_id"}
    )
