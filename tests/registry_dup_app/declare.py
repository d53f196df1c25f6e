from enum import StrEnum

from backend.common.registry import declare


class ClashingCode(StrEnum):
    STOCK_GONE = "stock.insufficient"  # catalog's code


declare("registry_dup_app").error_codes(ClashingCode)
