"""What incubation declares: its codes, the office's grant, the office page, the API and
the demo incubatees (after the live, orders and stores demos whose records they read)."""

from collections.abc import Callable

from backend.accounts.roles import Role
from backend.common.registry import EVERYONE, Label, Page, declare
from backend.incubation.api import router
from backend.incubation.errors import IncubationErrorCode


def _demo(write: Callable[[str], None]) -> None:
    from backend.incubation.demo import demo_incubation_load

    write(demo_incubation_load())


app = declare("incubation")
app.error_codes(IncubationErrorCode)
app.grants({Role.OFFICE_STAFF: ("incubation.manage_incubation", "incubation.view_incubatee")})
app.pages(
    Page(
        "/office/incubation/",
        Label("孵化培育", "Incubation"),
        template="office-incubation",
        perms=("incubation.manage_incubation",),
        order=530,
    ),
    # The incubatee's own card: every signed-in user may open it (it shows only their own,
    # or says they are not an incubatee); linked from the office, not in the navigation.
    Page("/incubation/mine/", None, template="incubation-mine", roles=EVERYONE),
)
app.router("/incubation", router)
app.demo(_demo, after=("accounts", "geo", "catalog", "orders", "live", "stores"))
