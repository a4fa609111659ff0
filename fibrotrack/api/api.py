"""The API itself: one NinjaAPI, its errors, and its routers (``routes/``).

Served at /api/v1/; the OpenAPI 3.1 schema at /api/v1/openapi.json and the
browsable docs at /api/v1/docs, whose Swagger UI files are django-ninja's own,
served from our static files (``ninja`` is in INSTALLED_APPS): no CDN, and no
inline script, so the strict Content Security Policy holds.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation

from fibrotrack.api.auth import READ, RateLimited, ReadOnlyToken

DESCRIPTION = """\
Your own FibroTrack data, for your own scripts and apps.

Make a personal access token on the settings page ("Access tokens for apps")
and send it with every request: `Authorization: Bearer ft_...`. A read-only
token can read; a read-and-write token can also save. Another person's data
is never found (404). Saving a check-in needs a `client_id` (a new random UUID
per save): sending the same save again with the same id saves it once.
Where the app would ask you to confirm a safety warning (starting an opioid
while on naltrexone, say), the API answers 409 with the warning: read it,
talk to your prescriber, and send `acknowledged_safety: true` to go ahead.

FibroTrack does not diagnose or treat anything.
"""


class _Api(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The function's name (list_checkins, save_checkin): short names for generated clients.
        return operation.view_func.__name__


api = _Api(
    title="FibroTrack API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=READ,
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, gettext("This needs a valid access token. It may have expired or been revoked."))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ReadOnlyToken)
def _read_only(request: HttpRequest, exc: ReadOnlyToken) -> HttpResponse:
    return _error(request, 403, gettext("This token can only read. Make a read-and-write token to save."))


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(request, 429, gettext("Too many requests with this token. Wait a minute and try again."))
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Only the plain parts of pydantic's errors: their "ctx" may hold exception objects.
    errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors]
    return _error(request, 422, gettext("Some values need another look."), errors=errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if exc.status_code == 400:
        message = gettext("The request body is not valid JSON.")
    return _error(request, exc.status_code, message, getattr(exc, "errors", None))


def _register() -> None:
    from fibrotrack.api.routes import diary, exports, regimens, treatments, trials  # noqa: F401

    api.add_router("/", diary.router)
    api.add_router("/", treatments.router)  # with the regimens' writes, on the same router
    api.add_router("/", trials.router)
    api.add_router("/", exports.router)


_register()
