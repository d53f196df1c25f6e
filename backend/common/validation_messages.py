"""Every pydantic validation error type in words a person can read (Chinese first, through
the translations), so no one ever sees "String should have at least 2 characters" or a
regular expression. The envelope keeps the field path and the type beside the sentence."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_REQUIRED = _("This field is required.")
_SHAPE = _("This value has the wrong form.")
_INVALID = _("This value is not valid.")
_NUMBER = _("Enter a number.")
_WHOLE = _("Enter a whole number.")
_DATE = _("Enter a valid date.")
_TIME = _("Enter a valid time.")
_DATETIME = _("Enter a valid date and time.")
_URL = _("Enter a valid web address.")
_UNEXPECTED = _("This field is not expected here.")

_GROUPS: list[tuple[Promise, tuple[str, ...]]] = [
    (
        _REQUIRED,
        (
            "missing",
            "missing_argument",
            "missing_keyword_only_argument",
            "missing_positional_only_argument",
        ),
    ),
    (_("Enter at least %(min_length)s characters."), ("string_too_short",)),
    (_("Enter at most %(max_length)s characters."), ("string_too_long",)),
    (_("The format is not valid."), ("string_pattern_mismatch",)),
    (_("Enter text."), ("string_type", "string_unicode")),
    (_("Use only letters, digits and common signs."), ("string_not_ascii",)),
    (_("Must be greater than %(gt)s."), ("greater_than",)),
    (_("Must be at least %(ge)s."), ("greater_than_equal",)),
    (_("Must be less than %(lt)s."), ("less_than",)),
    (_("Must be at most %(le)s."), ("less_than_equal",)),
    (_("Must be a multiple of %(multiple_of)s."), ("multiple_of",)),
    (_("Enter a finite number."), ("finite_number",)),
    (_WHOLE, ("int_type", "int_parsing", "int_from_float")),
    (_("The number is too large."), ("int_parsing_size",)),
    (
        _NUMBER,
        (
            "float_type",
            "float_parsing",
            "decimal_type",
            "decimal_parsing",
            "fraction_type",
            "fraction_parsing",
            "complex_type",
            "complex_str_parsing",
        ),
    ),
    (_("Use at most %(max_digits)s digits."), ("decimal_max_digits",)),
    (_("Use at most %(decimal_places)s decimal places."), ("decimal_max_places",)),
    (_("Use at most %(whole_digits)s digits before the decimal point."), ("decimal_whole_digits",)),
    (_("Choose yes or no."), ("bool_type", "bool_parsing")),
    (
        _("Choose one of the offered options."),
        ("enum", "literal_error", "union_tag_invalid", "union_tag_not_found"),
    ),
    (_("Give at least %(min_length)s items."), ("too_short",)),
    (_("Give at most %(max_length)s items."), ("too_long",)),
    (_("Give at least %(min_length)s bytes."), ("bytes_too_short",)),
    (_("Give at most %(max_length)s bytes."), ("bytes_too_long",)),
    (
        _DATE,
        ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"),
    ),
    (_("Enter a date in the past."), ("date_past",)),
    (_("Enter a date in the future."), ("date_future",)),
    (_TIME, ("time_type", "time_parsing")),
    (
        _DATETIME,
        (
            "datetime_type",
            "datetime_parsing",
            "datetime_object_invalid",
            "datetime_from_date_parsing",
        ),
    ),
    (_("Enter a time in the past."), ("datetime_past",)),
    (_("Enter a time in the future."), ("datetime_future",)),
    (_("Give the time without a time zone."), ("timezone_aware",)),
    (_("Give the time with its offset, e.g. +08:00."), ("timezone_naive", "timezone_offset")),
    (_("Enter a valid duration."), ("time_delta_type", "time_delta_parsing")),
    (_URL, ("url_type", "url_parsing", "url_syntax_violation", "url_scheme")),
    (_("The web address is too long."), ("url_too_long",)),
    (_("Enter a valid identifier."), ("uuid_type", "uuid_parsing", "uuid_version")),
    (
        _UNEXPECTED,
        (
            "extra_forbidden",
            "no_such_attribute",
            "unexpected_keyword_argument",
            "unexpected_positional_argument",
            "multiple_argument_values",
        ),
    ),
    (_("This field cannot be changed."), ("frozen_field", "frozen_instance")),
    (_("Leave this field empty."), ("none_required",)),
    (_("The request is not valid JSON."), ("json_invalid", "json_type")),
    (
        _SHAPE,
        (
            "model_type",
            "model_attributes_type",
            "dataclass_type",
            "dataclass_exact_type",
            "named_tuple_type",
            "dict_type",
            "frozen_dict_type",
            "ordered_dict_type",
            "counter_type",
            "mapping_type",
            "list_type",
            "deque_type",
            "tuple_type",
            "set_type",
            "frozen_set_type",
            "iterable_type",
            "iteration_error",
            "arguments_type",
            "bytes_type",
            "bytes_invalid_encoding",
            "invalid_key",
            "set_item_not_hashable",
            "callable_type",
            "is_instance_of",
            "is_subclass_of",
        ),
    ),
    (
        _INVALID,
        (
            "value_error",
            "assertion_error",
            "needs_python_object",
            "recursion_loop",
            "recursion_depth_exceeded",
            "get_attribute_error",
            "default_factory_not_called",
            "missing_sentinel_error",
            "ellipsis_error",
        ),
    ),
]
MESSAGES: dict[str, Promise] = {kind: text for text, kinds in _GROUPS for kind in kinds}

# Formats used across the platform, said in words instead of as a regular expression.
PATTERNS: dict[str, Promise] = {
    r"^1[3-9]\d{9}$": _("Enter an 11-digit mobile number starting with 1."),
    r"^\d{6}$": _("Enter the 6-digit code."),
    r"^\d*$": _("Use digits only."),
    r"^[0-9]{9}$": _("Enter the 9-digit code."),
    r"^[A-Za-z0-9]+$": _("Use letters and digits only."),
    r"^[A-Za-z0-9_\-]+$": _("Use letters, digits, - and _ only."),
    r"^[A-Za-z0-9_.\-]+$": _("Use letters, digits, -, _ and . only."),
    r"^(SC\d{14})?$": _("Enter SC followed by 14 digits."),
    r"^[0-9A-HJ-NPQRTUWXY]{18}$": _("Enter the 18-character unified social credit code."),
}


def validation_message(error: dict[str, Any]) -> str:
    """One pydantic error (as in ValidationError.errors()) as a sentence in the active language."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return str(_REQUIRED)
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in PATTERNS:
        return str(PATTERNS[ctx["pattern"]])
    if kind in ("value_error", "assertion_error") and ctx.get("error"):
        # Our validators raise ValueError with a translated sentence (money, times, schemas).
        return str(ctx["error"])
    template = MESSAGES.get(kind, _INVALID)
    try:
        return str(template) % {k: _plain(v) for k, v in ctx.items()}
    except (KeyError, TypeError, ValueError):
        return str(_INVALID)


def _plain(value: Any) -> str:
    text = str(value)
    return text[:-2] if text.endswith(".0") else text
