"""What stores declares: grants, the merchant's console and the office view, the API, codes,
the token refresh beat and the demo stores."""

from collections.abc import Callable

from django.conf import settings

from backend.accounts.roles import Role
from backend.catalog.declare import MERCHANT_DESK
from backend.common.registry import Label, Page, declare
from backend.stores.api import router
from backend.stores.errors import StoreErrorCode


def _demo(write: Callable[[str], None]) -> None:
    from backend.stores.demo import demo_stores_load

    write(demo_stores_load())


app = declare("stores")
app.error_codes(StoreErrorCode)
app.grants(
    {
        Role.OFFICE_STAFF: (
            "stores.view_all_stores",
            "stores.view_store",
            "stores.add_platformapp",
            "stores.change_platformapp",
            "stores.view_platformapp",
        ),
        Role.MERCHANT: ("stores.add_store", "stores.change_store"),
    }
)
app.pages(
    Page(
        "/merchant/stores/",
        Label("网店同步", "Stores"),
        template="merchant-stores",
        roles=MERCHANT_DESK,
        order=220,
    ),
    Page(
        "/office/stores/",
        Label("特产网店", "Specialty stores"),
        template="office-stores",
        perms=("stores.view_all_stores",),
        order=520,
    ),
)
app.router("/stores", router)
app.beat(
    "stores.refresh-tokens",
    task="backend.stores.tasks.tokens_refresh",
    schedule=300.0,
)
app.beat(
    "stores.resume-jobs",
    task="backend.stores.tasks.sync_jobs_resume",
    schedule=60.0,
)
app.beat(
    "stores.import-orders",
    task="backend.stores.tasks.orders_import",
    schedule=settings.STORES_IMPORT_PERIOD_SECONDS,
)
app.demo(_demo, after=("accounts", "catalog"))
