"""Every domain event of the platform: its name, what it means, and its payload.

Payloads carry ids and the facts a listener needs, JSON-safe: money as two-decimal
strings, times as ISO 8601 with offset. `publish()` refuses a name not listed here and a
payload missing a listed key. Add an event here before publishing it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventSpec:
    description: str
    payload: dict[str, str]  # key -> what it holds


_ORDER = {
    "order_id": "int",
    "checkout_id": "str: the checkout (one payment) the order belongs to",
    "seller_org_id": "int: the one seller organisation of the order",
    "buyer_id": "int | None",
    "source_kind": (
        "str: direct | live | store | station_purchase | station_consignment | offline_shop"
    ),
    "source_ref": "str: id of the source (live session, store order…), no foreign key",
    "status": "str: the status after the move",
    "amount_paid": "money string",
    "payment_kind": (
        "str: provider | prize | counter_cash | counter_card; a prize (0 yuan) is never a sale"
    ),
    "at": "ISO time of the move",
}

_INCUBATEE = {
    "incubatee_id": "int",
    "kind": "str: influencer_company | influencer_farmer | resident_enterprise | village_store",
    "organisation_id": "int | None: the linked organisation",
    "user_id": "int | None: the linked person (always set for a farmer)",
    "cohort_id": "int | None",
    "village_id": "int | None",
    "reason": "str: the office's reason for the move",
    "at": "ISO time of the move",
}

EVENTS: dict[str, EventSpec] = {
    "product.updated": EventSpec(
        "A product (SPU) or one of its SKUs changed: title, price, status, images.",
        {"product_id": "int", "seller_org_id": "int", "status": "str", "changed": "list[str]"},
    ),
    "sku.stock_changed": EventSpec(
        "The stock of a SKU changed through the stock service, at one location. Several"
        " takes at once (a batch of checkouts, an import) send one event per SKU: `stock`"
        " after the last, `delta` their sum.",
        {
            "sku_id": "int",
            "product_id": "int",
            "outer_id": "str: the key stores match on",
            "stock": "int: stock after the change",
            "delta": "int",
            "reason": (
                "str: adjustment | reservation | release | import | correction | consign |"
                " unconsign | return"
            ),
            "location": (
                "str: where the units moved: merchant (the merchant's own, sold online) or"
                " <kind>:<id> (shop_shelf:3). `stock` is always the online-sellable figure;"
                " `delta` is the change at `location`"
            ),
        },
    ),
    "order.created": EventSpec("An order was placed (stock reserved).", _ORDER),
    "order.paid": EventSpec("The order's payment was confirmed.", _ORDER),
    "order.packed": EventSpec("The merchant packed the order.", _ORDER),
    "order.shipped": EventSpec(
        "The order was shipped: by the merchant here, or on its marketplace (an imported"
        " order). A marketplace shipment carries the platform's courier code.",
        {
            **_ORDER,
            "courier_code": "str: ours (merchant) or the platform's (platform)",
            "waybill_no": "str",
            "origin": "str: merchant | platform (never pushed back to the platform)",
        },
    ),
    "order.delivered": EventSpec("The parcel was delivered.", _ORDER),
    "order.completed": EventSpec("The order is complete (no refund possible).", _ORDER),
    "order.cancelled": EventSpec("The order was cancelled (stock released).", _ORDER),
    "order.refund_requested": EventSpec(
        "The buyer asked for a refund.", {**_ORDER, "reason": "str"}
    ),
    "order.refund_rejected": EventSpec(
        "The merchant rejected the refund request; the order is back where it was (its"
        " status), and that status's own event is not published again.",
        {**_ORDER, "reason": "str: the merchant's reason, shown to the buyer"},
    ),
    "order.refunded": EventSpec(
        "A refund was paid back. Every order may have several (partial refunds, ours or the"
        " platform's), each published once with its own amount, never more in total than was"
        " paid: paid less the sum of amount_refunded is exact. `status` says whether this one"
        " refunded the order in full (refunded) or in part (the order's status, unchanged).",
        {
            **_ORDER,
            "amount_refunded": "money string: what this refund returned (not the total)",
            "refund_ref": "str: the refund's out_refund_no (ours, or platform:store:remote id)",
        },
    ),
    "live.started": EventSpec(
        "A live session went on air (开播).",
        {
            "session_id": "int",
            "streamer_id": "int",
            "seller_org_id": "int | None: the organisation the session sells for",
            "public_id": "str: names the session's HLS folder and recordings",
            "title": "str",
            "at": "ISO",
        },
    ),
    "live.ended": EventSpec(
        "A live session went off air (ended by the streamer, or its encoder never came back).",
        {
            "session_id": "int",
            "streamer_id": "int",
            "seller_org_id": "int | None",
            "public_id": "str",
            "title": "str",
            "started_at": "ISO",
            "duration_seconds": "int",
            "reason": "str: the streamer's words, or 'encoder gone'",
            "at": "ISO",
        },
    ),
    "live.product_explained": EventSpec(
        "The streamer started explaining (讲解) a product on air.",
        {
            "session_id": "int",
            "explanation_id": "int",
            "product_id": "int",
            "sku_id": "int",
            "live_price": "money string",
            "at": "ISO: the server's start time (a replay chapter starts here)",
        },
    ),
    "store.shipment_rejected": EventSpec(
        "The platform refused a shipment pushed back to it; the merchant sees its reason.",
        {"store_id": "int", "order_id": "int", "reason": "str: the platform's message"},
    ),
    "store.bound": EventSpec(
        "A marketplace store was bound (or re-authorised) by OAuth and answered a call.",
        {
            "store_id": "int",
            "organisation_id": "int: the owning organisation",
            "platform": "str: taobao | pinduoduo | jd",
            "shop_id": "str: the platform's shop id",
            "shop_name": "str",
            "rebound": "bool: true when an existing store was re-authorised",
            "at": "ISO time",
        },
    ),
    "incubatee.admitted": EventSpec(
        "The office admitted an incubatee (网红企业, 网红农民, 入驻企业 or 村级网店) to"
        " incubation; training counts conversions from it.",
        _INCUBATEE,
    ),
    "incubatee.graduated": EventSpec(
        "An incubatee graduated from incubation (its required milestones met).", _INCUBATEE
    ),
    "award.granted": EventSpec(
        "An award of a campaign or contest was granted (published by campaigns when the"
        " contest's results become final, once per award even when campaign.finalised is"
        " re-delivered). The fund module turns a cash prize into a 以奖代补 request.",
        {
            "award_id": "int",
            "campaign_id": "int: the contest",
            "recipient_kind": "str: organisation | user",
            "recipient_id": "int: the organisation's or the person's id",
            "amount": "money string: the cash prize (0.00 for goods or honours)",
            "prize_kind": "str: cash (only cash prizes are published)",
        },
    ),
    "campaign.finalised": EventSpec(
        "A contest's results became final after its 公示 (every objection answered); its"
        " awards are granted from here.",
        {"campaign_id": "int", "title": "str", "at": "ISO time"},
    ),
    "test.probe": EventSpec(
        "Published only by the platform's own tests of the outbox (their probe handlers); no"
        " app publishes or listens to it.",
        {"probe_id": "int", "mode": "str: what the probe handler should do"},
    ),
    "batch.recalled": EventSpec(
        "A traceability batch was recalled; its products must come off sale.",
        {"batch_id": "int", "product_ids": "list[int]", "reason": "str"},
    ),
    "training.attended": EventSpec(
        "A person attended a training session (one person-time).",
        {"session_id": "int", "person_id": "int", "at": "ISO"},
    ),
}
