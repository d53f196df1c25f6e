"""Demo data of campaigns (make run): the 电商旅游文化节 with a 新媒体直播大赛 inside it over
the demo sessions (the demo streamer's coming and replayed sessions, the influencer farmer's
on-air one), both approved, the demo judge assigned, public voting on, a door-staff login,
and a campaign coupon over the contest's sessions. The demo buyer paying an order in the
farmer's on-air session moves the big screen. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Organisation, User
from backend.accounts.services import user_create
from backend.audience.demo import FARMER, LIVE_TITLE, REPLAY_TITLE
from backend.campaigns.access import DOOR_STAFF
from backend.campaigns.models import Campaign, CampaignKind, CampaignSession, Registration
from backend.campaigns.services import CampaignTerms, campaign_create, registration_review
from backend.campaigns.services_contest import judge_assign
from backend.live.demo import DEMO_STREAMER, DEMO_TITLE
from backend.live.models import LiveSession
from backend.promotions.models import Coupon
from backend.promotions.services_coupons import CouponTerms, coupon_create

FESTIVAL = "沁水县电商旅游文化节（演示）"
CONTEST = "沁水县新媒体直播大赛（演示）"
DOOR = ("door", "qinshui-door-2026", "文化节 检票员")
COUPON = "文化节 直播大赛 满50减5"


def _campaign(title: str, kind: str, by: User, parent: Campaign | None) -> Campaign:
    found = Campaign.objects.filter(title=title).first()
    if found is not None:
        return found
    now = timezone.now()
    terms = CampaignTerms(
        kind=kind, title=title, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=6),
        registration_deadline=now + timedelta(days=3), capacity=40,
        description="沁水好物、沁河风光、网红主播同台竞技。线上直播间与线下端氏古镇会场同步进行。",
        venue="端氏古镇 文化广场", online=True, offline=True, voting=kind == CampaignKind.CONTEST,
        schedule=[{"at": "第一天 09:00", "title": "开幕式", "venue": "文化广场"},
                  {"at": "第一天 14:00", "title": "直播大赛 初赛", "venue": "直播间"},
                  {"at": "第三天 19:00", "title": "直播大赛 决赛与颁奖", "venue": "主舞台"}],
        parent_id=parent.pk if parent else None,
        weights={"gmv": "0.35", "orders": "0.10", "peak": "0.05", "likes": "0.05",
                 "followers": "0.10", "judges": "0.30", "votes": "0.05"},
    )  # fmt: skip
    return campaign_create(by=by, terms=terms)


def _entry(contest: Campaign, user: User, name: str, org: Organisation | None, farmer: bool,
           reviewer: User) -> Registration:  # fmt: skip
    found = Registration.objects.filter(campaign=contest, applicant=user).first()
    if found is None:
        found = Registration.objects.create(campaign=contest, applicant=user, display_name=name,
                                            organisation=org, is_farmer=farmer)  # fmt: skip
        Campaign.objects.filter(pk=contest.pk).update(places_taken=contest.registrations.count())
        found = registration_review(registration=found, by=reviewer, approve=True)
    return found


def _link(contest: Campaign, entry: Registration, session: LiveSession | None) -> None:
    if session is not None:
        CampaignSession.objects.get_or_create(
            campaign=contest, session=session, defaults={"entry": entry}
        )


@transaction.atomic
def demo_campaigns_load() -> Campaign | None:
    organiser = User.objects.filter(username="organiser").first()
    judge = User.objects.filter(username="judge").first()
    streamer = User.objects.filter(username=DEMO_STREAMER).first()
    farmer = User.objects.filter(username=FARMER[0]).first()
    if None in (organiser, judge, streamer, farmer):
        return None
    assert organiser and judge and streamer and farmer
    if not User.objects.filter(username=DOOR[0]).exists():
        user_create(username=DOOR[0], password=DOOR[1], roles=[], display_name=DOOR[2])
        User.objects.get(username=DOOR[0]).groups.add(*Group.objects.filter(name=DOOR_STAFF))
    festival = _campaign(FESTIVAL, CampaignKind.FESTIVAL, organiser, None)
    contest = _campaign(CONTEST, CampaignKind.CONTEST, organiser, festival)
    coop = Organisation.objects.filter(name="沁水县示例蜂业专业合作社").first()
    first = _entry(contest, streamer, streamer.display_name or "小赵", coop, False, organiser)
    second = _entry(contest, farmer, FARMER[1], None, True, organiser)
    sessions = LiveSession.objects.filter(title__in=[DEMO_TITLE, LIVE_TITLE, REPLAY_TITLE])
    for session in sessions:
        _link(contest, second if session.streamer_id == farmer.pk else first, session)
    judge_assign(campaign=contest, judge=judge)
    if not Coupon.objects.filter(name=COUPON).exists() and sessions:
        now = timezone.now()
        coupon_create(by=organiser, sessions=list(sessions), terms=CouponTerms(
            name=COUPON, kind="amount", amount_off=Decimal("5.00"), percent_off=0,
            threshold=Decimal("50.00"), total_quantity=500, per_user_limit=1,
            claim_starts_at=now, claim_ends_at=now + timedelta(days=6),
            valid_until=now + timedelta(days=7),
        ))  # fmt: skip
    return contest


def demo_campaigns_write(write: Callable[[str], None]) -> None:
    contest = demo_campaigns_load()
    if contest is None:
        write("Campaigns demo skipped: no organiser, judge, demo streamer or farmer.")
        return
    base = "http://127.0.0.1:8000"
    festival = contest.parent
    write(f"Campaigns demo: festival {base}/events/{festival.slug if festival else ''}/ ;")
    write(f"  contest big screen {base}/events/{contest.slug}/screen/ (no login);")
    write(f"  judge page {base}/events/judge/ ; door check-in {base}/events/door/ "
          f"({DOOR[0]} / {DOOR[1]}).")  # fmt: skip
