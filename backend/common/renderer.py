"""The API's JSON renderer: times in Asia/Shanghai everywhere, whichever path built the answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from backend.common.timefmt import iso_local


class _Encoder(NinjaJSONEncoder):
    def default(self, o: Any) -> Any:
        # Paged lists reach the encoder as python objects, past the schemas' serialisers;
        # without this they would print UTC with a "Z" while every other answer is +08:00.
        if isinstance(o, datetime) and o.tzinfo is not None:
            return iso_local(o)
        return super().default(o)


class ApiRenderer(JSONRenderer):
    encoder_class = _Encoder
