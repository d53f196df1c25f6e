"""Times: aware, stored in UTC, shown in the API as ISO 8601 in Asia/Shanghai."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, PlainSerializer


def iso_local(value: datetime) -> str:
    return timezone.localtime(value).isoformat()


def _require_aware(value: datetime) -> datetime:
    if timezone.is_naive(value):
        raise ValueError(_("Give the time with its offset, e.g. 2026-11-28T10:00:00+08:00."))
    return value


# Use in ninja schemas for every datetime field. (Answers ninja dumps in python mode, such as
# paged lists, get the same form from the API's JSON renderer.)
Timestamp = Annotated[
    datetime,
    AfterValidator(_require_aware),
    PlainSerializer(iso_local, return_type=str, when_used="json"),
]
