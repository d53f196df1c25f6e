"""/ws/campaigns/<slug>/board/: a contest's leaderboard, read only and open to anyone with
the event's public link (the big screen, the event page). On connect it sends the current
standings at once, so a client that reconnects is never left with old ones; then every
`campaigns.board` frame (docs/campaign-leaderboard-socket.md)."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from backend.campaigns import groups
from backend.campaigns.models import Campaign, CampaignKind
from backend.campaigns.selectors import board_payload


def _opening(slug: str) -> tuple[int, dict[str, Any]] | None:
    campaign = Campaign.objects.filter(slug=slug, kind=CampaignKind.CONTEST).first()
    if campaign is None:
        return None
    return campaign.pk, board_payload(campaign=campaign)


class BoardConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    group = ""

    async def connect(self) -> None:
        slug = str(self.scope["url_route"]["kwargs"]["slug"])
        opening = await database_sync_to_async(_opening)(slug)
        if opening is None:
            await self.close(code=4404)
            return
        campaign_id, payload = opening
        self.group = groups.board(campaign_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "campaigns.board", "payload": payload})

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Read only: anything sent is ignored."""

    async def group_event(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": message["event"], "payload": message["payload"]})
