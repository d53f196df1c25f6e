"""The one gate per entity of the stores app (CONVENTIONS rule 4).

Office staff (stores.view_all_stores) see every store of the county and may pause one; a
merchant sees and drives only the stores of their own organisations. Another
organisation's store is "not found", never "forbidden": its existence is not revealed.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.access import seller_ids_of
from backend.common.errors import Forbidden, Invalid, NotFound
from backend.common.permissions import require_authenticated, require_perm
from backend.stores.models import PlatformApp, Store


def stores_visible_to(*, user: User) -> QuerySet[Store]:
    require_authenticated(user)
    if user.has_perm("stores.view_all_stores"):
        return Store.objects.all()
    require_perm(user, "stores.change_store")
    return Store.objects.filter(organisation_id__in=seller_ids_of(user=user))


def access_store(*, user: User, store_id: int, for_write: bool = False) -> Store:
    store = stores_visible_to(user=user).select_related("app").filter(pk=store_id).first()
    if store is None:
        raise NotFound()
    if for_write and not _may_drive(user=user, organisation_id=store.organisation_id):
        raise Forbidden()
    return store


def access_bind(*, user: User, app_id: int, organisation_id: int | None) -> tuple[PlatformApp, int]:
    """The app to bind with and the organisation the store will belong to (the user's only
    one when not given). Only members of that organisation may bind a store for it."""
    require_perm(user, "stores.add_store")
    app = PlatformApp.objects.filter(pk=app_id, is_active=True).first()
    if app is None:
        raise NotFound(_("Unknown platform app."))
    mine = seller_ids_of(user=user)
    if organisation_id is None:
        if len(mine) != 1:
            raise Invalid(_("Choose the organisation the store belongs to (organisation_id)."))
        organisation_id = mine[0]
    if organisation_id not in mine:
        raise NotFound()
    return app, organisation_id


def _may_drive(*, user: User, organisation_id: int) -> bool:
    return user.has_perm("stores.change_store") and organisation_id in seller_ids_of(user=user)
