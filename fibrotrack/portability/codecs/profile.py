"""The person's preferences. Identity (e-mail, password) is exported but never imported."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext

from fibrotrack.accounts.models import User, validate_time_zone
from fibrotrack.portability.codecs.encoding import RecordError


def export_profile(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "day_starts_at_hour": user.day_starts_at_hour,
        "reminder_time": user.reminder_time.isoformat() if user.reminder_time else None,
        "units": user.units,
        "date_joined": user.date_joined.isoformat(),
    }


def import_profile(user: User, record: dict[str, Any], context: dict[str, Any]) -> int:
    """Apply the diary preferences; the account keeps its own e-mail and pseudonym."""
    if not isinstance(record, dict):
        raise RecordError(gettext("profile should be an object"))
    changed: list[str] = []
    before = {name: getattr(user, name) for name in ("time_zone", "day_starts_at_hour", "reminder_time", "units")}
    if record.get("time_zone"):
        try:
            validate_time_zone(record["time_zone"])
        except Exception:
            raise RecordError(gettext("unknown time zone {zone}").format(zone=repr(record["time_zone"]))) from None
        user.time_zone = record["time_zone"]
        changed.append("time_zone")
    hour = record.get("day_starts_at_hour")
    if hour is not None:
        if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 12:
            raise RecordError(gettext("day_starts_at_hour should be a whole number from 0 to 12"))
        user.day_starts_at_hour = hour
        changed.append("day_starts_at_hour")
    if "reminder_time" in record:
        try:
            user.reminder_time = dt.time.fromisoformat(record["reminder_time"]) if record["reminder_time"] else None
        except (TypeError, ValueError):
            raise RecordError(gettext("reminder_time should be a time like 20:00:00")) from None
        changed.append("reminder_time")
    if record.get("units") in User.Units.values:
        user.units = record["units"]
        changed.append("units")
    changed = [name for name in changed if getattr(user, name) != before[name]]
    if changed:
        user.save(update_fields=changed)
    return 1 if changed else 0
