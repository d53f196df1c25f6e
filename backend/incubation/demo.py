"""Demo incubation for `make run`: incubatees of every kind with the records behind them —
live sessions held over the last months and their paid orders (one refunded), store orders
of a village store, resident enterprises with leases and services, the clusters and the
operating team — so the office view shows the plan's goals computed from those records.
Everything invented is marked 示例. Idempotent: loaded once, recognised by its programme."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Membership, Organisation, User
from backend.geo.models import Township, Village
from backend.incubation import services
from backend.incubation.models import (
    Cluster,
    ClusterMember,
    Cohort,
    Incubatee,
    Programme,
    Residency,
    ServiceLog,
    TeamMember,
)
from backend.live.models import LiveSession
from backend.orders.models import Checkout, Order, Refund
from backend.stores.models import PlatformApp, Store

PROGRAMME = "沁水县新媒体直播孵化基地（示例）"
Kind = Organisation.Kind


@dataclass(frozen=True)
class DemoIncubatee:
    kind: str
    name: str
    org_kind: str | None  # None: a person (farmer); "merchant": the demo merchant's org
    stage: str
    sessions: int  # sessions held, one every ten days back from yesterday
    per_session: tuple[str, ...]  # paid orders of each session (yuan)
    village: int  # the demo villages by code: 0 龙港, 1 端氏, 2 河畔 (端氏镇), 3 嘉峰


DEMO = [
    DemoIncubatee(
        "influencer_company",
        "沁水县示例蜂业专业合作社",
        "merchant",
        "in_incubation",
        8,
        ("1280.00", "699.00", "358.00"),
        1,
    ),
    DemoIncubatee(
        "influencer_company",
        "沁水山珍电商有限公司（示例）",
        Kind.ENTERPRISE,
        "admitted",
        3,
        ("2399.00", "459.00"),
        3,
    ),
    DemoIncubatee(
        "influencer_company", "嘉峰杂粮贸易有限公司（示例）", Kind.ENTERPRISE, "applied", 0, (), 3
    ),
    DemoIncubatee(
        "influencer_farmer",
        "网红农民 小赵",
        None,
        "in_incubation",
        12,
        ("128.00", "89.90", "256.00", "59.90"),
        1,
    ),
    DemoIncubatee(
        "influencer_farmer", "端氏蜂农 老郭（示例）", None, "admitted", 4, ("168.00", "98.00"), 2
    ),
    DemoIncubatee("influencer_farmer", "龙港果农 小刘（示例）", None, "admitted", 2, ("76.00",), 0),
    DemoIncubatee("influencer_farmer", "嘉峰山货 王姐（示例）", None, "applied", 0, (), 3),
    DemoIncubatee(
        "resident_enterprise",
        "沁水农品供应链有限公司（示例）",
        Kind.ENTERPRISE,
        "in_incubation",
        2,
        ("1860.00",),
        1,
    ),
    DemoIncubatee(
        "resident_enterprise", "沁水包装设计工作室（示例）", Kind.ENTERPRISE, "admitted", 0, (), 0
    ),
    DemoIncubatee(
        "village_store", "端氏镇电商服务站（示例）", Kind.STATION_HOST, "admitted", 0, (), 1
    ),
]
STORE_ORDERS = ("45.00", "128.00", "66.60", "239.00")
TEAM = [
    ("王老师", "中心主任"),
    ("李工", "运营总监"),
    ("赵敏", "直播运营"),
    ("陈晨", "视觉设计"),
    ("刘洋", "网店运营"),
    ("孙丽", "培训讲师"),
    ("周强", "供应链专员"),
    ("吴倩", "客服主管"),
    ("郑凯", "数据分析"),
]


def _org(spec: DemoIncubatee) -> Organisation | None:
    if spec.org_kind is None:
        return None
    if spec.org_kind == "merchant":
        membership = Membership.objects.filter(user__username="merchant").order_by("id")[0]
        return membership.organisation
    found, _created = Organisation.objects.get_or_create(name=spec.name, kind=spec.org_kind)
    return found


def _person(spec: DemoIncubatee, n: int) -> User:
    if spec.name == "网红农民 小赵":
        return User.objects.get(username="streamer")
    user, created = User.objects.get_or_create(
        username=f"demo-farmer-{n}", defaults={"display_name": spec.name}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _order(seller: Organisation, amount: str, kind: str, ref: str, paid_at: datetime) -> Order:
    value = Decimal(amount)
    checkout = Checkout.objects.create(number=f"CKDEMO{secrets.token_hex(5)}", total_amount=value)
    return Order.objects.create(
        number=f"QSDEMO{secrets.token_hex(5)}",
        checkout=checkout,
        seller=seller,
        source_kind=kind,
        source_ref=ref,
        status=Order.Status.COMPLETED,
        consignee_name="演示买家",
        consignee_phone="13800000001",
        address="山西省晋城市沁水县示例地址",
        goods_amount=value,
        paid_amount=value,
        paid_at=paid_at,
        remark="演示订单（孵化）",
    )


def _sessions(spec: DemoIncubatee, streamer: User, org: Organisation | None, now: datetime) -> None:
    seller = org or Organisation.objects.get(name="沁水县示例蜂业专业合作社")
    for n in range(spec.sessions):
        started = now - timedelta(days=1 + 10 * n, hours=4)
        token = secrets.token_hex(8)
        session = LiveSession.objects.create(
            streamer=streamer,
            organisation=org,
            title=f"{spec.name}直播间 第{spec.sessions - n}场",
            scheduled_start=started,
            state=LiveSession.State.ENDED,
            public_id=token,
            stream_key=token,
            key_hash=secrets.token_hex(32),
            started_at=started,
            ended_at=started + timedelta(minutes=95),
        )
        for k, amount in enumerate(spec.per_session):
            paid_at = started + timedelta(minutes=10 + 7 * k)
            order = _order(seller, amount, "live", str(session.pk), paid_at)
            if n == 1 and k == 0:  # one refunded order: GMV is paid less refunds
                Refund.objects.create(
                    order=order,
                    out_refund_no=f"RFDEMO{secrets.token_hex(5)}",
                    amount=order.paid_amount,
                    status=Refund.Status.SUCCEEDED,
                    settled_at=paid_at,
                )
                Order.objects.filter(pk=order.pk).update(
                    status=Order.Status.REFUNDED, refunded_amount=order.paid_amount
                )


def _village_store(org: Organisation, now: datetime) -> None:
    app, _created = PlatformApp.objects.get_or_create(
        platform="pinduoduo",
        app_key="demo-incubation",
        defaults={"name": "演示应用（未授权）", "app_secret": "demo", "is_active": False},
    )
    Store.objects.get_or_create(
        app=app,
        organisation=org,
        shop_id="demo-village-store",
        defaults={
            "shop_name": "端氏示例村特产店（示例）",
            "access_token": "demo-not-a-token",
            "token_expires_at": now + timedelta(days=3650),
            "status": Store.Status.PAUSED,
            "status_reason": "演示数据：未真实授权",
        },
    )
    for n, amount in enumerate(STORE_ORDERS):
        paid_at = now - timedelta(days=3 + 9 * n)
        _order(org, amount, "store", f"demo-village-{n}", paid_at)


def _move(incubatee: Incubatee, to: str, office: User) -> None:
    path = ["admitted", "in_incubation"]
    for stage in path[: path.index(to) + 1]:
        services.incubatee_move(
            incubatee_id=incubatee.pk, to=stage, reason="演示：评审通过", by=office
        )


def _clusters_and_team(office: User, orgs: list[Organisation]) -> None:
    duanshi = Township.objects.get(code="140521103")
    park = Cluster.objects.create(
        name="沁水县电商孵化园（示例）",
        kind="incubation_park",
        township=duanshi,
        opened_on=date(2022, 6, 1),
    )
    space = Cluster.objects.create(
        name="龙港创客空间（示例）",
        kind="maker_space",
        township=Township.objects.get(code="140521100"),
        opened_on=date(2022, 9, 1),
    )
    Cluster.objects.create(
        name="嘉峰电商仓储中心（示例）", kind="warehouse", opened_on=date(2023, 3, 1)
    )
    for n, org in enumerate(orgs):
        ClusterMember.objects.create(
            cluster=park if n % 2 == 0 else space, organisation=org, joined_on=date(2023, 1, 1)
        )
    for n, (name, role) in enumerate(TEAM):
        TeamMember.objects.create(
            name=f"{name}（示例）",
            role=role,
            phone=f"1390000{n:04d}",
            start=date(2022, 3, 1),
            end=date(2022, 12, 31) if n == len(TEAM) - 1 else None,
            user=office if n == 0 else None,
        )


@transaction.atomic
def demo_incubation_load() -> str:
    if Programme.objects.filter(name=PROGRAMME).exists():
        return "Incubation demo: already loaded (/office/incubation/)."
    office = User.objects.get(username="office")
    now = timezone.now()
    programme = Programme.objects.create(name=PROGRAMME, description="网红企业与网红农民孵化")
    cohort = Cohort.objects.create(programme=programme, name="2026年第一期", start=date(2026, 3, 1))
    villages = list(Village.objects.filter(is_sample=True).order_by("code"))
    orgs: list[Organisation] = []
    for n, spec in enumerate(DEMO):
        org = _org(spec)
        person = _person(spec, n) if org is None else None
        if spec.sessions:
            streamer = person or _person(spec, n)
            if org is not None:
                Membership.objects.get_or_create(user=streamer, organisation=org)
            _sessions(spec, streamer, org, now)
        if spec.kind == "village_store" and org is not None:
            _village_store(org, now)
        incubatee = services.incubatee_apply(
            kind=spec.kind,
            name=spec.name,
            organisation=org,
            user=person,
            village=villages[spec.village] if villages else None,
            mentor=office,
            cohort=cohort,
            contact_phone=f"1380000{n:04d}",
            by=office,
        )
        if spec.kind == "resident_enterprise":
            Residency.objects.create(
                incubatee=incubatee,
                place=f"A-{201 + n}",
                lease_start=date(2026, 1, 1),
                lease_end=date(2028, 12, 31),
            )
            ServiceLog.objects.create(
                incubatee=incubatee,
                service="marketing",
                on=date(2026, 11, 2),
                staff=office,
                outcome="策划年货节直播专场",
            )
        if spec.stage != "applied":
            _move(incubatee, spec.stage, office)
        if org is not None:
            orgs.append(org)
    _clusters_and_team(office, orgs[:4])
    return f"Incubation demo: {len(DEMO)} incubatees with their records (/office/incubation/)."
