"""Milestones met from the records on events: exact figures over a known set of sessions and
orders, refunds that lower a figure without moving a first-met date, re-delivered events."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from backend.accounts.models import Organisation
from backend.accounts.roles import Role
from backend.common.models import EventDelivery, OutboxEvent
from backend.common.outbox import delivery_run
from backend.incubation.figures import figures_of
from backend.incubation.models import Incubatee, MilestoneMet, TrainingAttendance
from backend.live.models import MinuteFigure
from backend.orders.services_checkout import order_payload
from backend.stores.models import PlatformApp, Store
from tests.backend.incubation.conftest import api, at, org
from tests.factories.records import order_fact, refund_fact, session_held

Kind = Organisation.Kind


def _admit(client, body):
    pk = api(client, "post", "/incubatees", body).json()["id"]
    api(client, "post", f"/incubatees/{pk}/move", {"to": "admitted", "reason": "入选"})
    return Incubatee.objects.get(pk=pk)


def _met(incubatee):
    return {
        m.rule.key: (m.first_met_at, m.value_then)
        for m in MilestoneMet.objects.filter(incubatee=incubatee).select_related("rule")
    }


def test_sessions_and_gmv_over_a_known_set_of_records(office_client, make_user, emit):
    farmer = make_user(Role.STREAMER, username="farmer1")
    shop = org(Kind.COOPERATIVE)  # the farmer streams for a cooperative's products
    held1 = session_held(streamer=farmer, organisation=shop, started=at(3))
    held2 = session_held(streamer=farmer, started=at(10))
    session_held(streamer=farmer, started=at(12), state="live")  # on air: not held yet
    session_held(streamer=farmer, started=at(28), state="scheduled")
    session_held(streamer=make_user(username="other"), started=at(4))  # someone else's
    for amount in ("5000.00", "3000.50", "2500.00"):
        order_fact(seller=shop, paid=amount, source_ref=str(held1.pk), paid_at=at(3, 21))
    order_fact(seller=shop, paid="999.00", source_ref=str(held1.pk), status="created")
    order_fact(seller=shop, paid="888.00", source_ref=str(held1.pk), status="cancelled")
    last = order_fact(seller=shop, paid="100.00", source_ref=str(held2.pk), paid_at=at(10, 21))
    # A store order of the cooperative is the cooperative's, not the farmer's.
    order_fact(seller=shop, paid="700.00", source_kind="store", paid_at=at(5))

    inc = _admit(
        office_client, {"kind": "influencer_farmer", "name": "李大姐", "user_id": farmer.pk}
    )
    figures = figures_of(incubatee=inc)
    assert [s.id for s in figures.sessions] == [held1.pk, held2.pk]
    assert [(s.orders, s.gmv) for s in figures.sessions] == [
        (3, Decimal("10500.50")),
        (1, Decimal("100.00")),
    ]
    assert (len(figures.orders), figures.gmv) == (4, Decimal("10600.50"))
    assert figures.monthly() == [("2026-11", 2, Decimal("10600.50"))]
    # Admission evaluates the records already there; the date is the admission's.
    met = _met(inc)
    assert sorted(met) == ["first-session", "gmv-10000"]
    assert met["first-session"][1] == Decimal("2") and met["gmv-10000"][1] == Decimal("10600.50")

    # Re-delivered: a paid-event for the last order, delivered twice, changes nothing.
    event = emit("order.paid", order_payload(last))
    delivery = EventDelivery.objects.get(event=event, handler__endswith="on_order_paid")
    assert delivery.status == "succeeded"
    EventDelivery.objects.filter(pk=delivery.pk).update(status="pending")
    assert delivery_run(delivery_id=delivery.pk) == "succeeded"
    assert _met(inc) == met


def test_a_refund_lowers_the_figure_but_not_the_first_met_date(office_client, make_user, emit):
    owner = make_user(Role.MERCHANT, username="boss")
    company = org(Kind.ENTERPRISE, owner)
    inc = _admit(
        office_client,
        {"kind": "influencer_company", "name": "沁水蜂业", "organisation_id": company.pk},
    )
    assert _met(inc) == {}
    streamer = make_user(Role.STREAMER, username="anchor")
    held = session_held(streamer=streamer, organisation=company, started=at(6))
    emit(
        "live.ended",
        {
            "session_id": held.pk,
            "streamer_id": streamer.pk,
            "seller_org_id": company.pk,
            "public_id": held.public_id,
            "title": held.title,
            "started_at": at(6).isoformat(),
            "duration_seconds": 5400,
            "reason": "",
            "at": at(6, 22).isoformat(),
        },
    )
    assert _met(inc) == {"first-session": (at(6, 22), Decimal("1"))}

    big = order_fact(seller=company, paid="9000.00", source_ref=str(held.pk), paid_at=at(6, 21))
    store = order_fact(seller=company, paid="1500.00", source_kind="store", paid_at=at(7))
    # Imported already refunded: paid and paid back, it nets to zero.
    order_fact(seller=company, paid="800.00", source_kind="store", status="refunded", paid_at=at(7))
    emit("order.paid", {**order_payload(store), "at": at(7, 9).isoformat()})
    assert figures_of(incubatee=inc).gmv == Decimal("10500.00")
    assert _met(inc)["gmv-10000"] == (at(7, 9), Decimal("10500.00"))

    refund_fact(order=big, amount="2000.00")
    big.refresh_from_db()
    emit(
        "order.refunded",
        {
            **order_payload(big),
            "amount_refunded": "2000.00",
            "refund_ref": "RF-2000",
            "at": at(9).isoformat(),
        },
    )
    assert figures_of(incubatee=inc).gmv == Decimal("8500.00")
    assert _met(inc)["gmv-10000"] == (at(7, 9), Decimal("10500.00"))  # the date stays
    card = api(office_client, "get", f"/incubatees/{inc.pk}").json()
    gmv = next(m for m in card["milestones"] if m["key"] == "gmv-10000")
    assert (gmv["value"], gmv["value_then"], gmv["holds"]) == ("8500.00", "10500.00", False)
    assert datetime.fromisoformat(gmv["met_at"]) == at(7, 9)
    assert (card["gmv"], card["refunded"], card["orders"]) == ("8500.00", "2800.00", 3)


def test_training_attendance_counts_once_per_session(office_client, make_user, emit):
    farmer = make_user(Role.STREAMER, username="farmer2")
    inc = _admit(office_client, {"kind": "influencer_farmer", "name": "王哥", "user_id": farmer.pk})
    for session_id in (1, 2, 2, 3):  # session 2's event delivered twice
        emit(
            "training.attended",
            {"session_id": session_id, "person_id": farmer.pk, "at": at(session_id).isoformat()},
        )
    assert TrainingAttendance.objects.count() == 3
    assert _met(inc)["training-3"] == (at(3), Decimal("3"))
    assert figures_of(incubatee=inc).training == 3


def test_a_village_store_graduates_once_its_store_is_bound(office_client, emit):
    station = org(Kind.STATION_HOST)
    inc = _admit(
        office_client,
        {"kind": "village_store", "name": "端氏村网店", "organisation_id": station.pk},
    )
    move = {"to": "in_incubation", "reason": "开始运营"}
    assert api(office_client, "post", f"/incubatees/{inc.pk}/move", move).status_code == 200
    graduate = {"to": "graduated", "reason": "网店已开通"}
    early = api(office_client, "post", f"/incubatees/{inc.pk}/move", graduate)
    assert early.json()["error"]["extra"] == {"missing": ["store-bound"]}
    app = PlatformApp.objects.create(platform="jd", name="京东", app_key="k", app_secret="s")
    store = Store.objects.create(
        app=app,
        organisation=station,
        shop_id="jd-1",
        shop_name="端氏村特产店",
        access_token="t",
        token_expires_at=at(30),
    )
    emit(
        "store.bound",
        {
            "store_id": store.pk,
            "organisation_id": station.pk,
            "platform": "jd",
            "shop_id": "jd-1",
            "shop_name": "端氏村特产店",
            "rebound": False,
            "at": at(12).isoformat(),
        },
    )
    assert _met(inc) == {"store-bound": (at(12), Decimal("1"))}
    done = api(office_client, "post", f"/incubatees/{inc.pk}/move", graduate)
    assert (done.status_code, done.json()["stage"]) == (200, "graduated")
    event = OutboxEvent.objects.get(name="incubatee.graduated")
    assert (event.payload["incubatee_id"], event.payload["organisation_id"]) == (inc.pk, station.pk)
    assert event.payload["reason"] == "网店已开通"


def test_peak_viewers_come_from_the_live_rooms_minutes(office_client, make_user, emit):
    farmer = make_user(Role.STREAMER, username="farmer-peak")
    held1 = session_held(streamer=farmer, started=at(3))
    held2 = session_held(streamer=farmer, started=at(10))
    on_air = session_held(streamer=farmer, started=at(12), state="live")  # not held yet
    for session, minute, peak in ((held1, 0, 640), (held1, 1, 1180), (held2, 0, 90)):
        start = at(3 if session == held1 else 10) + timedelta(minutes=minute)
        MinuteFigure.objects.create(session=session, minute=start, peak=peak)
    MinuteFigure.objects.create(session=on_air, minute=at(12, 20), peak=5000)
    inc = _admit(office_client, {"kind": "influencer_farmer", "name": "峰值", "user_id": farmer.pk})
    figures = figures_of(incubatee=inc)
    assert [(s.id, s.peak_viewers) for s in figures.sessions] == [(held1.pk, 1180), (held2.pk, 90)]
    assert figures.peak_viewers == 1180
    assert _met(inc)["peak-viewers-1000"][1] == Decimal("1180")
