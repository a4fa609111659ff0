"""Permission-scoped getters for import jobs. Someone else's job looks like none (a 404).

A job is found by its owner *and* the hash of its upload's token; the token
itself is never stored.
"""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.http import Http404

from fibrotrack.accounts.models import User
from fibrotrack.portability.models import ImportJob


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def import_jobs_for_user(user: User) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(user=user)


def find_import_job_for_user(user: User, token: str) -> ImportJob | None:
    """The person's own import of the upload ``token``, or None (someone else's looks like none)."""
    if not token or len(token) > 200:
        return None
    return import_jobs_for_user(user).filter(token_hash=token_hash(token)).first()


def get_import_job_for_user(user: User, token: str) -> ImportJob:
    job = find_import_job_for_user(user, token)
    if job is None:
        raise Http404("No such import")
    return job
