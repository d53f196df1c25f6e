"""What orders declares: the merchant's order desk and the buyer's cart and orders, the
order and payment APIs, codes, the expiry and auto-confirm sweeps and the demo orders."""

from collections.abc import Callable

from celery.schedules import crontab

from backend.accounts.roles import Role
from backend.catalog.declare import MERCHANT_DESK
from backend.common.registry import Label, Page, declare
from backend.orders.api import notify_router, router
from backend.orders.demo import demo_orders_load
from backend.orders.errors import OrderErrorCode


def _demo(write: Callable[[str], None]) -> None:
    write(f"Demo orders: {demo_orders_load()} checkouts created.")


app = declare("orders")
app.error_codes(OrderErrorCode)
app.grants(
    {Role.OFFICE_STAFF: ("orders.view_all_orders",), Role.MERCHANT: ("orders.change_order",)}
)
app.pages(
    Page(
        "/merchant/orders/",
        Label("订单管理", "Orders"),
        template="merchant-orders",
        roles=MERCHANT_DESK,
        order=210,
    ),
    Page("/shop/cart/", None, template="shop-cart", public=True),
    Page(
        "/shop/orders/",
        Label("我的订单", "My orders"),
        template="shop-orders",
        roles=(Role.BUYER,),
        order=110,
    ),
)
app.router("/orders", router)
app.router("/payments", notify_router)
app.beat(
    "orders.expire-unpaid",
    task="backend.orders.tasks.orders_expire_unpaid",
    schedule=60.0,
)
app.beat(
    "orders.auto-confirm-shipped",
    task="backend.orders.tasks.orders_auto_confirm",
    schedule=crontab(minute=35),
)
app.demo(_demo, after=("accounts", "catalog"))
