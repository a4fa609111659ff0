"""The access log: who looked at identifiable participant data or the allocation, and when."""

from __future__ import annotations

from typing import Any

from fibrotrack.studies.access import StaffView
from fibrotrack.studies.models import AccessLogEntry, Participant


def do_log_access(view: StaffView, action: str, *, participant: Participant | None = None, path: str = "") -> None:
    """Record one access. Called by every view that shows names, e-mail addresses or the allocation."""
    AccessLogEntry.objects.create(
        study=view.study,
        user=view.membership.user,
        role=view.role,
        action=action[:60],
        participant=participant,
        path=path[:300],
    )


def log_for_request(view: StaffView, request: Any, action: str, participant: Participant | None = None) -> None:
    do_log_access(view, action, participant=participant, path=request.get_full_path())
