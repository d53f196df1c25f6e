"""What accounts declares: the nine roles, its grants, pages, API, socket, codes, demo."""

from celery.schedules import crontab

from backend.accounts.api import router
from backend.accounts.consumers import UserConsumer
from backend.accounts.demo import demo_accounts_write
from backend.accounts.errors import AccountErrorCode
from backend.accounts.roles import ROLE_LABELS, Role
from backend.common.registry import EVERYONE, Label, Page, RoleSpec, declare

app = declare("accounts")
app.error_codes(AccountErrorCode)
app.roles(
    *(
        RoleSpec(
            role.value,
            ROLE_LABELS[role],
            # The administrator holds everything the office holds, plus user management.
            includes=(Role.OFFICE_STAFF.value,) if role is Role.PLATFORM_ADMIN else (),
        )
        for role in Role
    )
)
app.grants(
    {
        Role.PLATFORM_ADMIN: ("accounts.change_user",),
        Role.OFFICE_STAFF: (
            "accounts.view_user",
            "accounts.view_organisation",
            "accounts.add_organisation",
            "accounts.change_organisation",
            "accounts.view_all_organisations",
            "accounts.manage_members",
        ),
        Role.MERCHANT: ("accounts.view_organisation",),
        Role.STREAMER: ("accounts.view_organisation",),
        Role.ORGANISER: ("accounts.view_organisation",),
        Role.STATION_OPERATOR: ("accounts.view_organisation",),
        Role.INSPECTOR: ("accounts.view_organisation", "accounts.view_all_organisations"),
    }
)
_STAFF = (Role.PLATFORM_ADMIN, Role.OFFICE_STAFF)
app.pages(
    Page("/", None, template="index", roles=EVERYONE),
    Page("/login/", None, template="login", public=True),
    Page(
        "/account/",
        Label("我的账户", "My account"),
        template="account",
        roles=EVERYONE,
        landing=True,
        order=10,
    ),
    Page("/admin/", Label("后台管理", "Admin"), roles=_STAFF, external=True, order=900),
    Page(
        "/api/docs",
        Label("接口文档", "API docs"),
        roles=(*_STAFF, Role.MERCHANT),
        external=True,
        order=910,
    ),
)
app.router("/", router)
app.websocket("ws/me/", UserConsumer.as_asgi())
app.beat(
    "accounts.purge-expired-phone-codes",
    task="backend.accounts.tasks.phone_codes_purge",
    schedule=crontab(minute=17),
)
app.demo(demo_accounts_write)
