"""Stores: binding by OAuth, token refresh, pause and settings. Every write is here.

Binding: `store_bind_start` records a single-use attempt and returns the platform's
authorise URL with a signed `state`; `store_bind_finish` (the OAuth callback) checks the
signature and age, claims the attempt once (a conditional UPDATE, so a replay or a second
tab loses), exchanges the code, proves the token with a real call, then creates or
re-authorises the store and publishes `store.bound`.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import Membership, User
from backend.common.errors import Conflict, DomainError, Invalid
from backend.common.events import publish
from backend.common.realtime import broadcast, user_group
from backend.stores.connectors import connector, store_connector
from backend.stores.errors import StoreErrorCode
from backend.stores.lock_objects import store_lock
from backend.stores.models import BindState, PlatformApp, Store, StoreStatus
from shop_connectors.errors import AuthError, ConnectorError
from shop_connectors.models import Token

log = logging.getLogger(__name__)
_STATE_SALT = "stores.oauth.state"


class BindRefused(DomainError):
    status = 400
    code = StoreErrorCode.STATE_INVALID


def store_bind_start(*, app: PlatformApp, organisation_id: int, by: User) -> str:
    nonce = secrets.token_urlsafe(24)
    BindState.objects.create(nonce=nonce, app=app, organisation_id=organisation_id, user=by)
    state = signing.dumps({"n": nonce}, salt=_STATE_SALT, compress=True)
    return connector(app=app).authorize_url(state=state)


def _claim(*, state: str, by: User) -> BindState:
    try:
        data = signing.loads(state, salt=_STATE_SALT, max_age=settings.STORES_OAUTH_STATE_MAX_AGE)
        nonce = str(data["n"])
    except (signing.BadSignature, KeyError, TypeError):
        raise BindRefused(_("The authorisation link is invalid or has expired.")) from None
    claimed = BindState.objects.filter(nonce=nonce, user=by, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if claimed != 1:
        raise BindRefused(
            _("This authorisation was already used. Start binding again."),
            code=StoreErrorCode.STATE_USED,
        )
    return BindState.objects.select_related("app").get(nonce=nonce)


def store_bind_finish(*, code: str, state: str, by: User) -> Store:
    attempt = _claim(state=state, by=by)
    client = connector(app=attempt.app)
    try:
        token = client.token_exchange(code=code)
        # The store exists only once the new token has answered a real call.
        client.freight_templates()
    except ConnectorError as error:
        log.info("store bind refused by %s: %s", attempt.app.platform, type(error).__name__)
        raise DomainError(
            _("The platform refused the authorisation; please try again."),
            code=StoreErrorCode.AUTH_REFUSED,
            extra={"platform_message": error.message[:200]},
        ) from None
    return _store_save(attempt=attempt, token=token, by=by)


def _store_save(*, attempt: BindState, token: Token, by: User) -> Store:
    with transaction.atomic():
        store = (
            Store.objects.select_for_update().filter(app=attempt.app, shop_id=token.shop_id).first()
        )
        if store is not None and store.organisation_id != attempt.organisation_id:
            raise Conflict(
                _("This shop is already bound by another organisation."),
                code=StoreErrorCode.BOUND_ELSEWHERE,
            )
        rebound = store is not None
        if store is None:
            store = Store(app=attempt.app, organisation_id=attempt.organisation_id)
        store.shop_id = token.shop_id
        store.shop_name = token.shop_name or store.shop_name
        _tokens_set(store, token)
        store.status, store.status_reason, store.bound_by = StoreStatus.ACTIVE, "", by
        store.full_clean()
        store.save()
        if rebound:
            _paused_jobs_resume(store)
        publish(
            "store.bound",
            {
                "store_id": store.pk,
                "organisation_id": store.organisation_id,
                "platform": attempt.app.platform,
                "shop_id": store.shop_id,
                "shop_name": store.shop_name,
                "rebound": rebound,
                "at": timezone.now().isoformat(),
            },
        )
    return store


def _paused_jobs_resume(store: Store) -> None:
    """Jobs paused by a refused token go on once the store is authorised again."""
    from backend.stores.services_sync import sync_jobs_requeue

    sync_jobs_requeue(store_id=store.pk)


def _tokens_set(store: Store, token: Token) -> None:
    store.access_token = token.access_token
    store.refresh_token = token.refresh_token
    store.token_expires_at = token.expires_at
    store.refresh_expires_at = token.refresh_expires_at


def stores_tokens_refresh() -> int:
    """Beat: refresh every active store's token before it expires. Returns how many."""
    due = timezone.now() + timedelta(seconds=settings.STORES_TOKEN_REFRESH_AHEAD_SECONDS)
    ids = Store.objects.filter(status=StoreStatus.ACTIVE, token_expires_at__lt=due)
    return sum(store_token_refresh(store_id=pk) for pk in ids.values_list("pk", flat=True))


def store_token_refresh(*, store_id: int) -> bool:
    """Refresh one token under the store's lock (a refresh token is single-use: two workers
    must not both spend it). A refused refresh turns the store to re-authorise."""
    with transaction.atomic():
        store = store_lock(store_id=store_id)
        if store is None or store.status != StoreStatus.ACTIVE:
            return False
        try:
            token = store_connector(store=store).token_refresh(refresh_token=store.refresh_token)
        except AuthError as error:
            store_needs_reauthorisation(store=store, platform_message=error.message)
            return False
        except ConnectorError:
            return False  # transient: the next beat tries again
        _tokens_set(store, token)
        store.save(
            update_fields=[
                "access_token",
                "refresh_token",
                "token_expires_at",
                "refresh_expires_at",
            ]
        )
    return True


def store_needs_reauthorisation(*, store: Store, platform_message: str) -> None:
    """The platform no longer accepts the token: jobs pause, the merchant is told."""
    reason = _("The platform no longer accepts this store's authorisation: re-authorise it.")
    Store.objects.filter(pk=store.pk).update(
        status=StoreStatus.REAUTHORISE, status_reason=reason, last_error=platform_message[:300]
    )
    store.status, store.status_reason = StoreStatus.REAUTHORISE, reason
    members_notify(
        organisation_id=store.organisation_id,
        event_type="stores.reauthorise",
        payload={"store_id": store.pk, "shop_name": store.shop_name, "reason": reason},
    )


def members_notify(*, organisation_id: int, event_type: str, payload: dict[str, object]) -> None:
    """Push to every member of the organisation over their own websocket (ws/me/)."""
    users = Membership.objects.filter(organisation_id=organisation_id).values_list(
        "user_id", flat=True
    )
    for user_id in users:
        broadcast(user_group(user_id), event_type, payload)


def store_set_paused(*, store: Store, paused: bool) -> Store:
    if paused and store.status == StoreStatus.ACTIVE:
        store.status, store.status_reason = StoreStatus.PAUSED, _("Paused by the merchant.")
    elif not paused and store.status == StoreStatus.PAUSED:
        store.status, store.status_reason = StoreStatus.ACTIVE, ""
    elif not paused:
        raise Conflict(
            _("Only a paused store can be resumed; this one needs re-authorisation."),
            code=StoreErrorCode.NOT_ACTIVE,
        )
    store.save(update_fields=["status", "status_reason"])
    return store


STORE_SETTINGS = {
    "safety_stock",
    "share_percent",
    "location_state",
    "location_city",
    "deleted_remotely",
}


def store_settings_update(*, store: Store, changes: dict[str, object]) -> Store:
    unknown = set(changes) - STORE_SETTINGS
    if unknown:
        raise TypeError(f"unknown store settings {sorted(unknown)}")
    for name, value in changes.items():
        setattr(store, name, value)
    try:
        store.full_clean()
    except ValidationError as exc:
        raise Invalid(extra={"fields": exc.message_dict}) from None
    store.save(update_fields=sorted(changes))
    return store
