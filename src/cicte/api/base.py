"""The NinjaAPI object: authentication, the JSON error shape and shared helpers.

Authentication, tried in order:

1. ``Authorization: Bearer <token>`` — a token created at /accounts/tokens/ (scripts). A
   malformed, unknown, expired or revoked token is a 401, never a fallback to anonymous.
2. The Django session cookie (the browser), with a CSRF check on unsafe methods.
3. Anonymous — read operations on public data only.

Errors always have the shape ``{"error": {"code": "...", "message": "...", "details": [...]}}``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from cicte.access.permissions import is_secretariat
from cicte.accounts import otp
from cicte.accounts.services import token_authenticate
from cicte.core.errors import ApplicationError
from cicte.plan.models import WorkPlan
from cicte.plan.selectors import PlanNotFound, plan_get

logger = logging.getLogger(__name__)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ApiError(ApplicationError):
    """An error of the HTTP layer itself (authentication, body size, unknown plan), with its
    status; the services' errors are :class:`ApplicationError` and carry theirs."""

    def __init__(
        self, status: int, code: str, message: str, details: list[Any] | None = None
    ) -> None:
        super().__init__(code, message, details=details or ())
        self.status = status


def not_authenticated() -> ApiError:
    return ApiError(401, "not_authenticated", "Sign in or send a valid API token.")


def forbidden(message: str = "You may not do this.") -> ApiError:
    return ApiError(403, "permission_denied", message)


def not_found(message: str = "Not found.") -> ApiError:
    return ApiError(404, "not_found", message)


def _check_body_size(request: HttpRequest) -> None:
    limit = getattr(settings, "CICTE_API_MAX_BODY_BYTES", 1024 * 1024)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(400, "bad_request", "Invalid Content-Length header.") from None
    if length > limit:
        raise ApiError(413, "payload_too_large", f"The request body is larger than {limit} bytes.")
    # NUL characters are never valid data here, and PostgreSQL refuses them in text.
    query = request.META.get("QUERY_STRING", "")
    if "\x00" in request.path or "%00" in query or "\x00" in query:
        raise ApiError(400, "bad_request", "NUL characters are not accepted.")
    if length and request.method in UNSAFE_METHODS:
        body = request.body
        if b"\x00" in body or b"\\u0000" in body:
            raise ApiError(400, "bad_request", "NUL characters are not accepted.")


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``."""

    def __call__(self, request: HttpRequest) -> Any | None:
        _check_body_size(request)
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _sep, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise ApiError(401, "invalid_token", "Use 'Authorization: Bearer <token>'.")
        return self.authenticate(request, value.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = token_authenticate(token)
        if user is None:
            raise ApiError(401, "invalid_token", "The token is unknown, expired or revoked.")
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's Django session (CSRF-checked on unsafe methods)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        # csrf=True makes the Swagger UI page send the CSRF token; the check itself is done in
        # authenticate() below, with our error shape.
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if otp.otp_required(user) and not otp.is_verified(user):
            return None  # an administrator must finish two-factor sign-in first
        if request.method in UNSAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed", "CSRF check failed: send the X-CSRFToken header.")
        return user


class AnonymousAuth:
    """Lets public read operations through as the anonymous user."""

    def __call__(self, request: HttpRequest) -> Any:
        return AnonymousUser()


#: Read operations: token, session or anonymous.
PUBLIC_AUTH: list[Callable[..., Any]] = [TokenAuth(), SessionAuth(), AnonymousAuth()]
#: Write operations (and private reads): token or session.
SIGNED_IN_AUTH: list[Callable[..., Any]] = [TokenAuth(), SessionAuth()]


def caller(request: HttpRequest) -> Any:
    """The user the request acts as (AnonymousUser when none)."""
    return getattr(request, "auth", None) or AnonymousUser()


def require_signed_in(request: HttpRequest) -> Any:
    user = caller(request)
    if not user.is_authenticated:
        raise not_authenticated()
    return user


def plan_for(request: HttpRequest, reference: str | int) -> WorkPlan:
    """A plan by year, id or symbol; drafts only for Secretariat staff."""
    try:
        return plan_get(reference, public=not is_secretariat(caller(request)))
    except (PlanNotFound, ValueError, OverflowError):  # e.g. "²" passes isdigit() only
        raise not_found(f"No work plan {str(reference)[:100]!r}.") from None


class ErrorBody(Schema):
    code: str
    message: str
    details: list[Any] = []


class ErrorOut(Schema):
    error: ErrorBody


#: Responses every operation may give (documented in OpenAPI).
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut}


def error_response(
    status: int, code: str, message: str, details: list[Any] | None = None
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": details or []}}
    return JsonResponse(body, status=status)


_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    422: "validation_error",
    429: "too_many_requests",
}


def _clean_validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        cleaned.append(
            {"loc": loc, "message": str(error.get("msg", "")), "type": str(error.get("type", ""))}
        )
    return cleaned


api = NinjaAPI(
    title="CICTE Work Plan API",
    version="1.0.0",
    description=(
        "Read the Work Plan, mandates, member states, partners, events, progress and published "
        "reports; record events and narratives. Authenticate scripts with "
        "`Authorization: Bearer <token>` (create tokens at /accounts/tokens/). Errors: "
        '`{"error": {"code", "message", "details"}}`. See docs/api.md.'
    ),
    urls_namespace="api",
    auth=PUBLIC_AUTH,
)


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    """The one handler of every refusal a service or the HTTP layer raises."""
    return error_response(exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return error_response(
        422, "validation_error", "The request is not valid.", _clean_validation_errors(exc.errors)
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    message = str(exc) or "Error."
    if isinstance(exc, AuthenticationError):
        return error_response(401, "not_authenticated", "Sign in or send a valid API token.")
    if status == 400 and "parse" in message.lower():
        return error_response(400, "malformed_json", "The request body is not valid JSON.")
    return error_response(status, _CODES.get(status, "error"), message)


@api.exception_handler(ValidationError)
def _django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(422, "validation_error", " ".join(exc.messages), exc.messages)


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(403, "permission_denied", "You may not do this.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, "not_found", "Not found.")


@api.exception_handler(ObjectDoesNotExist)
def _does_not_exist(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, "not_found", "Not found.")


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(413, "payload_too_large", "The request body is too large.")


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(400, "bad_request", "The request is not acceptable.")


@api.exception_handler(OverflowError)
def _overflow(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(422, "validation_error", "A number is out of range.")


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return error_response(500, "server_error", "Unexpected error; it was logged.")


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """JSON 404 for any other path under /api/."""
    return error_response(404, "not_found", "No such API endpoint.")
