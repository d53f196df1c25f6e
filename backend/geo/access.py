"""The one gate for the county registry: any signed-in user reads it (it is public
knowledge: townships and villages); nobody writes it through the API (imports are the
office's management command)."""

from __future__ import annotations

from typing import Any

from backend.common.permissions import require_authenticated


def access_registry(*, user: Any) -> None:
    require_authenticated(user)
