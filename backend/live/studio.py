"""The console's commands, shared by the API and the studio socket: each checks the gate
once (streamer or assistant) and calls one service."""

from __future__ import annotations

from backend.accounts.models import User
from backend.common.errors import NotFound
from backend.live.access import Need, access_session
from backend.live.models import Explanation, LineupItem
from backend.live.services_lineup import explain_start, explanation_close, lineup_card_set


def _item(*, user: User, session_id: int, item_id: int) -> LineupItem:
    session = access_session(user=user, session_id=session_id, need=Need.CONSOLE).session
    item = LineupItem.objects.select_related("sku").filter(pk=item_id, session=session).first()
    if item is None:
        raise NotFound()
    return item


def studio_explain(*, user: User, session_id: int, item_id: int) -> Explanation:
    return explain_start(item=_item(user=user, session_id=session_id, item_id=item_id), by=user)


def studio_explain_end(*, user: User, session_id: int) -> Explanation | None:
    session = access_session(user=user, session_id=session_id, need=Need.CONSOLE).session
    return explanation_close(session=session)


def studio_card(*, user: User, session_id: int, item_id: int, state: str) -> LineupItem:
    return lineup_card_set(
        item=_item(user=user, session_id=session_id, item_id=item_id), state=state
    )
