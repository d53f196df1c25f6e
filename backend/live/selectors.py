"""Reads of live sessions shaped for the API."""

from __future__ import annotations

from backend.live.access import SessionAccess
from backend.live.models import Explanation, LineupItem, LiveSession, StreamerProfile
from backend.live.schemas import (
    ExplanationOut,
    LineupOut,
    MoveOut,
    ProfileOut,
    SessionListItem,
    SessionOut,
)


def session_detail(*, access: SessionAccess) -> SessionOut:
    session = access.session
    verified = StreamerProfile.objects.filter(
        user_id=session.streamer_id, verified_at__isnull=False
    ).exists()
    return SessionOut(
        id=session.pk,
        title=session.title,
        description=session.description,
        cover_url=session.cover_url,
        scheduled_start=session.scheduled_start,
        state=session.state,
        public_id=session.public_id,
        streamer_id=session.streamer_id,
        streamer_name=str(session.streamer),
        organisation_id=session.organisation_id,
        publishing=session.publishing,
        started_at=session.started_at,
        ended_at=session.ended_at,
        is_owner=access.is_owner,
        can_control=access.can_control,
        streamer_verified=verified,
        timeline=[
            MoveOut(
                from_state=m.from_state, to_state=m.to_state, by_id=m.by_id, note=m.note, at=m.at
            )
            for m in session.moves.all()
        ],
    )


def session_list_item(session: LiveSession) -> SessionListItem:
    return SessionListItem(
        id=session.pk,
        title=session.title,
        scheduled_start=session.scheduled_start,
        state=session.state,
        streamer_id=session.streamer_id,
        streamer_name=str(session.streamer),
        publishing=session.publishing,
    )


def profile_out(profile: StreamerProfile) -> ProfileOut:
    return ProfileOut(
        user_id=profile.user_id,
        real_name=profile.real_name,
        id_number_masked=profile.id_number[:3] + "*" * 11 + profile.id_number[-4:],
        verified=profile.verified_at is not None,
        verified_at=profile.verified_at,
    )


def lineup_of(*, session: LiveSession) -> list[LineupOut]:
    items = LineupItem.objects.filter(session=session).select_related("sku__product")
    return [
        LineupOut(
            id=item.pk,
            sku_id=item.sku_id,
            product_id=item.sku.product_id,
            title=item.sku.product.title,
            live_price=item.live_price,
            position=item.position,
            state=item.state,
        )
        for item in items
    ]


def explanation_out(explanation: Explanation) -> ExplanationOut:
    return ExplanationOut(
        id=explanation.pk,
        item_id=explanation.item_id,
        product_id=explanation.item.sku.product_id,
        started_at=explanation.started_at,
        ended_at=explanation.ended_at,
    )
