"""What the offline shop declares: the cashier role, the counter and the office's sales
page, the API, its error codes and the demo shop."""

from backend.common.registry import Label, Page, RoleSpec, declare
from backend.offline_shop.access import CASHIER, OFFICE
from backend.offline_shop.api import router
from backend.offline_shop.demo import demo_shop_write
from backend.offline_shop.errors import ShopErrorCode

app = declare("offline_shop")
app.error_codes(ShopErrorCode)
app.roles(RoleSpec(CASHIER, Label("特产馆收银员", "Shop cashier")))
app.pages(
    Page(
        "/shop-counter/",
        Label("特产馆收银台", "Shop counter"),
        template="shop-counter",
        roles=(CASHIER, *OFFICE),
        order=540,
    ),
    Page(
        "/office/shop-sales/",
        Label("线下线上销售", "Shop and online sales"),
        template="office-shop-sales",
        roles=OFFICE,
        order=550,
    ),
)
app.router("/shop-counter", router)
app.beat(
    "offline_shop.qr-expire",
    task="backend.offline_shop.tasks.qr_payments_expire_due",
    schedule=60.0,
)
app.demo(demo_shop_write, after=("accounts", "catalog", "orders"))
