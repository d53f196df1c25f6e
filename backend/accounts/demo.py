"""Demo accounts: one user per role and two organisations. Demo only — the passwords
are public and printed by `make run`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from backend.accounts.models import Membership, Organisation, User
from backend.accounts.roles import Role
from backend.accounts.services import user_create, user_set_roles


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    display_name: str
    phone: str | None = None


DEMO_USERS = [
    DemoUser("admin", "qinshui-admin-2026", Role.PLATFORM_ADMIN, "平台管理员"),
    DemoUser("office", "qinshui-office-2026", Role.OFFICE_STAFF, "县电商办 王老师"),
    DemoUser("merchant", "qinshui-merchant-2026", Role.MERCHANT, "蜂业合作社 李经理"),
    DemoUser("streamer", "qinshui-streamer-2026", Role.STREAMER, "网红农民 小赵"),
    DemoUser("organiser", "qinshui-organiser-2026", Role.ORGANISER, "文化节 组委会"),
    DemoUser("judge", "qinshui-judge-2026", Role.JUDGE, "直播大赛 评委"),
    DemoUser("station", "qinshui-station-2026", Role.STATION_OPERATOR, "端氏镇服务站 站长"),
    DemoUser("inspector", "qinshui-inspector-2026", Role.INSPECTOR, "质量抽检员"),
    DemoUser("buyer", "qinshui-buyer-2026", Role.BUYER, "买家 张女士", phone="13800000001"),
]

DEMO_ORGANISATIONS = [
    ("沁水县电子商务公共服务中心（示例）", Organisation.Kind.PUBLIC_SERVICE_CENTRE, "office"),
    ("沁水县示例蜂业专业合作社", Organisation.Kind.COOPERATIVE, "merchant"),
    ("端氏镇电商服务站（示例）", Organisation.Kind.STATION_HOST, "station"),
]


@transaction.atomic
def demo_accounts_load() -> list[DemoUser]:
    """Idempotent: existing demo users keep their ids; passwords and roles are reset."""
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            user = user_create(
                username=demo.username,
                password=demo.password,
                roles=[demo.role],
                phone=demo.phone,
                display_name=demo.display_name,
            )
        else:
            user.set_password(demo.password)
            user.save()
            user_set_roles(user=user, roles=[demo.role])
        if demo.role is Role.PLATFORM_ADMIN:
            User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
    for name, kind, owner in DEMO_ORGANISATIONS:
        organisation, _created = Organisation.objects.get_or_create(name=name, kind=kind)
        Membership.objects.get_or_create(
            organisation=organisation,
            user=User.objects.get(username=owner),
            defaults={"role": Membership.Role.OWNER},
        )
    return DEMO_USERS


def demo_accounts_write(write: Callable[[str], None]) -> None:
    """The accounts demo loader (declared in declare.py): load, then print the logins."""
    users = demo_accounts_load()
    write("Demo logins (demo only; passwords are public):")
    for demo in users:
        write(f"  {demo.role.value:<17} {demo.username:<10} {demo.password}")
    write("Buyers log in by phone: any mainland mobile, code printed by the SMS sandbox.")
