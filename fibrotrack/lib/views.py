"""The health check for load balancers and uptime monitors."""

from __future__ import annotations

import logging
import shutil

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)


class _RolledBack(Exception):
    """Raised inside the probe's transaction so that its write is never kept."""


def _database_problem() -> str | None:
    """None when the database answers and accepts a write; else a reason safe to show anyone.

    ``SELECT 1`` alone passes on a read-only server (a promoted replica, a full
    disk that PostgreSQL switched to read-only), where every save would fail.
    So the probe also updates one existing row, inside a transaction that is
    always rolled back: nothing changes, but the server must accept the write.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        log.exception("health check: the database does not answer")
        return "database unavailable"
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE django_migrations SET app = app WHERE id = (SELECT MIN(id) FROM django_migrations)"
                )
            raise _RolledBack
    except _RolledBack:
        return None
    except DatabaseError:
        log.exception("health check: the database refuses writes")
        return "database read-only"


def _disk_problem() -> str | None:
    minimum = settings.FIBROTRACK_HEALTHZ_MIN_FREE_MB * 1024 * 1024
    try:
        free = shutil.disk_usage(settings.VAR_DIR).free
    except OSError:
        log.exception("health check: cannot read the data directory's disk")
        return "data directory unavailable"
    if free < minimum:
        log.error("health check: %d MB free under the data directory", free // (1024 * 1024))
        return "low disk space"
    return None


def healthz(request: HttpRequest) -> HttpResponse:
    """200 ``ok`` when the database accepts writes and the data directory has room; else 503 and why.

    The reason names the part that failed and nothing else (no paths, sizes or
    error text: the page is public); the log has the details.
    """
    problems = [p for p in (_database_problem(), _disk_problem()) if p]
    if problems:
        response = HttpResponse("; ".join(problems), content_type="text/plain", status=503)
    else:
        response = HttpResponse("ok", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response
