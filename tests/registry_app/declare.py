from collections.abc import Callable

from backend.common.registry import Label, Page, RoleSpec, declare
from tests.registry_app.api import router
from tests.registry_app.consumers import SampleConsumer
from tests.registry_app.errors import SampleErrorCode


def _demo(write: Callable[[str], None]) -> None:
    write("sample demo loaded")


app = declare("registry_app")
app.error_codes(SampleErrorCode)
app.roles(RoleSpec("depot_staff", Label("仓库员工", "Depot staff")))
app.grants({"depot_staff": ("catalog.view_all_products",), "merchant": ("accounts.view_user",)})
app.pages(
    Page(
        "/sample/depot/",
        Label("仓库", "Depot"),
        template="account",
        roles=("depot_staff",),
        order=150,
    )
)
app.router("/sample", router)
app.websocket("ws/sample/", SampleConsumer.as_asgi())
app.beat("registry_app.tick", task="tests.registry_app.tasks.sample_tick", schedule=45.0)
app.demo(_demo, after=("orders", "accounts"))
