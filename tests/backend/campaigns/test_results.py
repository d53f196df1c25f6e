"""Freezing, 公示 with objections, the final results, a refund after the freeze (the live
figures move, the frozen result does not, the audit shows it) and award.granted published
once even when campaign.finalised is delivered again."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.accounts.models import Organisation
from backend.accounts.roles import Role
from backend.campaigns.errors import CampaignErrorCode as E
from backend.campaigns.models import Award, Campaign, Result
from backend.common.models import EventDelivery, OutboxEvent
from backend.common.outbox import delivery_run
from backend.orders.services_checkout import order_payload
from tests.backend.campaigns.conftest import error_code, post
from tests.factories.records import order_fact, session_held

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(make_event, make_user, enter, org_client):
    event = make_event(weights={"gmv": "1.00"})
    coop = Organisation.objects.create(name="蜂业合作社", kind="cooperative")
    first_user, second_user = make_user(Role.STREAMER), make_user(Role.STREAMER)
    first = enter(event, first_user, "小赵")
    second = enter(event, second_user, "王大姐")
    orders = []
    for user, entry, paid in ((first_user, first, "300.00"), (second_user, second, "200.00")):
        held = session_held(streamer=user, started=timezone.now() - timedelta(hours=2))
        post(org_client, f"/campaigns/events/{event['id']}/sessions",
             {"session_id": held.pk, "entry_id": entry["id"]})  # fmt: skip
        orders.append(order_fact(seller=coop, paid=paid, source_ref=str(held.pk),
                                 paid_at=timezone.now()))  # fmt: skip
    return {"event": event, "first": first, "second": second, "orders": orders, "coop": coop}


def test_freeze_publicity_refund_and_awards_once(
    run, org_client, make_user, login_as, emit, django_capture_on_commit_callbacks
) -> None:
    event, base = run["event"], f"/campaigns/events/{run['event']['id']}"
    frozen = post(org_client, f"{base}/freeze").json()
    assert [(r["rank"], r["name"], r["total"], r["gmv"]) for r in frozen["rows"]] == [
        (1, "小赵", "100.00", "300.00"),
        (2, "王大姐", "66.67", "200.00"),
    ]
    assert error_code(post(org_client, f"{base}/freeze")) == E.WRONG_STAGE
    audit = Result.objects.get(rank=1).audit
    assert audit["orders"] == [{"order_id": run["orders"][0].pk, "number": run["orders"][0].number,
                                "paid": "300.00", "refunded": "0.00"}]  # fmt: skip

    # After the freeze the first entrant's order is refunded in full.
    refunded = run["orders"][0]
    refunded.refunded_amount, refunded.status = Decimal("300.00"), "refunded"
    refunded.save(update_fields=["refunded_amount", "status"])
    emit("order.refunded", order_payload(refunded, amount_refunded="300.00", refund_ref="RF1"))
    results = login_as(make_user(Role.BUYER)).get(f"/api/v1/events/{event['slug']}/results")
    first = results.json()[0]
    assert (first["rank"], first["total"], first["figures"]["gmv"]) == (1, "100.00", "300.00")
    assert first["figures_now"]["gmv"] == "0.00"
    assert first["changed_orders"] == [{"order_id": refunded.pk, "number": refunded.number,
                                        "paid": "300.00", "refunded": "0.00",
                                        "refunded_now": "300.00"}]  # fmt: skip

    award = post(org_client, f"{base}/awards", {"entry_id": run["first"]["id"],
                                                "title": "一等奖", "prize_kind": "cash",
                                                "amount": "5000.00"})  # fmt: skip
    assert award.status_code == 201
    bad = post(org_client, f"{base}/awards", {"entry_id": run["second"]["id"], "title": "二等奖",
                                              "prize_kind": "cash", "amount": "0"})  # fmt: skip
    assert (bad.status_code, error_code(bad)) == (422, E.INVALID)
    post(org_client, f"{base}/awards", {"entry_id": run["second"]["id"], "title": "人气奖",
                                        "prize_kind": "honour"})  # fmt: skip
    assert error_code(post(org_client, f"{base}/finalise")) == E.WRONG_STAGE  # no 公示 yet

    assert post(org_client, f"{base}/publicity", {"days": 3}).status_code == 200
    objection = post(login_as(make_user(Role.BUYER)), f"/events/{event['slug']}/objections",
                     {"text": "第一名的订单已退款", "entry_id": run["first"]["id"]})  # fmt: skip
    assert objection.status_code == 201
    assert error_code(post(org_client, f"{base}/finalise")) == E.WRONG_STAGE  # 公示 not over
    Campaign.objects.filter(pk=event["id"]).update(
        publicity_ends_at=timezone.now() - timedelta(seconds=1)
    )
    assert error_code(post(org_client, f"{base}/finalise")) == E.OBJECTIONS_OPEN
    answer = {"answer": "冻结后的退款不改变已冻结的结果，见审计记录。"}
    post(org_client, f"/campaigns/objections/{objection.json()['id']}/answer", answer)
    with django_capture_on_commit_callbacks(execute=True):
        final = post(org_client, f"{base}/finalise")
    assert final.json()["stage"] == "final"

    granted = OutboxEvent.objects.filter(name="award.granted")
    cash = Award.objects.get(prize_kind="cash")
    assert [e.payload for e in granted] == [{
        "award_id": cash.pk, "campaign_id": event["id"], "recipient_kind": "user",
        "recipient_id": cash.entry.applicant_id, "amount": "5000.00", "prize_kind": "cash",
    }]  # fmt: skip
    assert Award.objects.filter(granted_at__isnull=True).count() == 0
    # campaign.finalised delivered again: nothing is granted or published twice.
    final_event = OutboxEvent.objects.get(name="campaign.finalised")
    delivery = EventDelivery.objects.get(event=final_event, handler__endswith="awards_when_final")
    EventDelivery.objects.filter(pk=delivery.pk).update(status="pending")
    assert delivery_run(delivery_id=delivery.pk) == "succeeded"
    assert granted.count() == 1
