"""Error codes of the county registry. Stable: never renamed once published."""

from __future__ import annotations

from enum import StrEnum


class GeoErrorCode(StrEnum):
    GEO_IMPORT_FILE_INVALID = "geo.import_file_invalid"
