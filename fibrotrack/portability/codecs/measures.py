"""Daily measures from devices (steps, resting heart rate, HRV, hours asleep): exported and read back.

A record: ``{"day": "2024-03-10", "kind": "steps", "value": "5700.00", "source": "Apple Health"}``.
Reading one back adds it, or replaces the value for that day and kind; the
same file twice changes nothing.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext

from fibrotrack.accounts.models import User
from fibrotrack.diary.models import DailyMeasure
from fibrotrack.portability.codecs import encoding
from fibrotrack.portability.codecs.diary import problem, records_of
from fibrotrack.portability.codecs.encoding import RecordError

KINDS = frozenset(DailyMeasure.Kind.values)


def export_measures(user: User) -> list[dict[str, Any]]:
    return [
        {"day": day.isoformat(), "kind": kind, "value": str(value), "source": source}
        for day, kind, value, source in DailyMeasure.objects.filter(user=user)
        .order_by("day", "kind")
        .values_list("day", "kind", "value", "source")
    ]


def _parse(record: Any) -> tuple[Any, str, Decimal, str]:
    encoding.require(record, "day", "kind", "value")
    kind = record["kind"]
    if kind not in KINDS:
        raise RecordError(gettext("unknown measure kind {kind}").format(kind=repr(str(kind)[:30])))
    try:
        value = Decimal(str(record["value"])).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise RecordError(
            gettext("the value {value} is not a number").format(value=repr(str(record["value"])[:30]))
        ) from None
    if not value.is_finite() or not 0 <= value < 10_000_000:
        raise RecordError(gettext("the value is out of range"))
    source = record.get("source") or ""
    return encoding.parse_day(record["day"], "day"), kind, value, str(source)[:120]


def import_measures(user: User, records: Any, context: dict[str, Any]) -> int:
    existing = {(m.day, m.kind): m for m in DailyMeasure.objects.filter(user=user)}
    changed = 0
    for index, record in enumerate(records_of(records, "daily_measures")):
        try:
            day, kind, value, source = _parse(record)
        except (RecordError, ValueError) as error:
            problem(context, "daily_measures", index, record, error)
            continue
        found = existing.get((day, kind))
        if found is None:
            existing[(day, kind)] = DailyMeasure.objects.create(
                user=user, day=day, kind=kind, value=value, source=source
            )
        elif found.value != value or found.source != source:
            found.value, found.source = value, source
            found.save(update_fields=["value", "source", "updated_at"])
        else:
            continue
        changed += 1
    return changed
