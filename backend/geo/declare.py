"""What geo declares: its API, its error codes and the demo villages."""

from collections.abc import Callable

from backend.common.registry import declare
from backend.geo.api import router
from backend.geo.demo import geo_demo_load
from backend.geo.errors import GeoErrorCode


def _demo(write: Callable[[str], None]) -> None:
    write(f"Demo villages (示例, not real): {len(geo_demo_load())}")


app = declare("geo")
app.error_codes(GeoErrorCode)
app.router("/geo", router)
app.demo(_demo, after=("accounts",))
