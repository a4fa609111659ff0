"""Django's database sessions, read with one prepared statement.

Every signed-in request reads its session. Django's store builds that
``SELECT`` through the ORM each time, and on this machine the building cost
more than PostgreSQL took to answer: 0.42 ms a request through the ORM, 0.17 ms
written out, measured in-process (docs/performance.md). Only
the read is replaced; creating, saving, cycling and deleting sessions are
Django's own.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from fibrotrack.lib import rows


@functools.cache
def _sql() -> str:
    q = rows.quoted
    # Identifiers come from the model's meta; the key and the time are parameters.
    return (
        f"SELECT {q(Session, 'session_data')} FROM {q(Session)}"  # noqa: S608
        f" WHERE {q(Session, 'session_key')} = %s AND {q(Session, 'expire_date')} > %s"
    )


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        """The session's data, or an empty session (and no key) when it is unknown or has expired."""
        found = None
        if self.session_key:
            with connection.cursor() as cursor:
                cursor.execute(_sql(), [self.session_key, rows.prepared(Session, "expire_date", timezone.now())])
                found = cursor.fetchone()
        if found is None:
            self._session_key = None
            return {}
        return self.decode(found[0])
