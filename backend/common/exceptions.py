"""Maps every error an endpoint can raise to the one envelope of docs/api.md."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import Throttled as NinjaThrottled

from backend.common.errors import DomainError, ErrorCode
from backend.common.parser import NulCharacter
from backend.common.validation_messages import validation_message

logger = logging.getLogger(__name__)

_HTTP_CODES = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.BODY_TOO_LARGE,
    429: ErrorCode.THROTTLED,
}


def envelope(code: str, message: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": str(code), "message": message, "extra": extra or {}}}


def error_response(
    status: int, code: str, message: str, extra: dict[str, Any] | None = None
) -> JsonResponse:
    response = JsonResponse(envelope(code, message, extra), status=status)
    if status == 429 and extra and "retry_after" in extra:
        response["Retry-After"] = str(extra["retry_after"])
    return response


def _field_path(loc: list[Any] | tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [
        {
            "path": _field_path(err.get("loc", ())),
            "message": validation_message(err),
            "type": err.get("type", ""),
        }
        for err in exc.errors
    ]
    return error_response(
        422, ErrorCode.VALIDATION, _("Some fields are invalid."), {"fields": fields}
    )


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return error_response(401, ErrorCode.UNAUTHENTICATED, _("Please log in."))
    if isinstance(exc, NinjaThrottled):
        wait = int(exc.wait or 1)
        return error_response(
            429,
            ErrorCode.THROTTLED,
            _("Too many requests; try again later."),
            {"retry_after": wait},
        )
    if isinstance(exc.__cause__, NulCharacter):  # ninja wraps what the body parser raised
        return _nul(request, exc.__cause__)
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return error_response(
            400, ErrorCode.MALFORMED_BODY, _("The request body is not valid JSON.")
        )
    code = _HTTP_CODES.get(exc.status_code, ErrorCode.BAD_REQUEST)
    return error_response(exc.status_code, code, str(exc))


def _nul(request: HttpRequest, exc: NulCharacter) -> HttpResponse:
    field = {"path": exc.path, "message": _("Text may not contain NUL characters."), "type": "nul"}
    return error_response(
        422, ErrorCode.VALIDATION, _("Some fields are invalid."), {"fields": [field]}
    )


def _unstorable(request: HttpRequest, exc: Exception) -> HttpResponse:
    # SQLSTATE class 22 (an integer past bigint, a NUL in a path) or SQLite's OverflowError:
    # a value the client sent that no column can hold; nothing was written.
    logger.info("unstorable value on %s: %s", request.path, exc)
    return error_response(
        422,
        ErrorCode.VALIDATION,
        _("Some values are out of range or cannot be stored."),
        {"fields": []},
    )


def _model_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """full_clean() failures: single-row rules, the second of the three validation layers."""
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    fields = [
        {"path": name, "message": message, "type": "model"}
        for name, items in messages.items()
        for message in items
    ]
    return error_response(
        422, ErrorCode.VALIDATION, _("Some fields are invalid."), {"fields": fields}
    )


def _integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # A database constraint caught what validation could not (a race): nothing was written.
    logger.info("integrity error on %s: %s", request.path, type(exc).__name__)
    return error_response(
        409, ErrorCode.CONFLICT, _("The request conflicts with the current state.")
    )


def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message, exc.extra)


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, ErrorCode.NOT_FOUND, _("Not found."))


def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(403, ErrorCode.FORBIDDEN, _("You do not have permission to do this."))


def _too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(413, ErrorCode.BODY_TOO_LARGE, _("The request body is too large."))


def _bad_multipart(request: HttpRequest, exc: Exception) -> HttpResponse:
    # No boundary, an empty or non-ASCII one, a cut-off body: the client's fault, not ours.
    return error_response(
        400, ErrorCode.MALFORMED_BODY, _("The request body is not valid multipart form data.")
    )


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, ErrorCode.SERVER_ERROR, _("Internal error; it has been logged."))


# Most specific first is not needed: ninja picks the handler by the exception's MRO.
_HANDLERS: list[tuple[type[Exception], Any]] = [
    (Exception, _unexpected),
    (DomainError, _domain),
    (ValidationError, _validation),
    (HttpError, _http_error),
    (Http404, _not_found),
    (ObjectDoesNotExist, _not_found),
    (PermissionDenied, _forbidden),
    (RequestDataTooBig, _too_large),
    (MultiPartParserError, _bad_multipart),
    (DjangoValidationError, _model_validation),
    (IntegrityError, _integrity),
    (DataError, _unstorable),
    (OverflowError, _unstorable),
    (NulCharacter, _nul),
]


def install_exception_handlers(api: NinjaAPI) -> None:
    for exc_class, handler in _HANDLERS:
        api.add_exception_handler(exc_class, handler)
