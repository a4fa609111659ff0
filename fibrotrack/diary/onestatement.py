"""PostgreSQL: a check-in's writes as one statement, with data-modifying CTEs.

On PostgreSQL every statement is a round trip, and most of a save's cost was
the round trips: BEGIN, the day, its scores, its tags, the revision, COMMIT.
Here they are one ``WITH ... INSERT/UPDATE ... RETURNING`` statement, which
PostgreSQL runs atomically on its own, so autocommit needs no BEGIN or COMMIT.

Same writes, same rules as ``actions._write`` (which SQLite and every save
with a check-in section or a new tag use): a new day is an INSERT that the
unique (user, day) constraint refuses after a double-tap, an edit is an
UPDATE guarded by the ``updated_at`` that was read. Every other part reads
the guarded row's ``RETURNING``, so when the guard matches nothing, nothing
else is written and ``write`` reports it. Changed scores are UPDATEd in place
rather than deleted and inserted again: the parts of one statement run in no
set order, so a delete and an insert of the same (day, symptom) could collide.
"""

# ruff: noqa: S608 - every identifier below comes from the models' meta; every value is a parameter.
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import connection

from fibrotrack.diary.models import CheckIn, CheckInRevision, SymptomScore
from fibrotrack.lib import rows

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User
    from fibrotrack.diary.actions import _Plan, _Stored

q = rows.quoted


def _values(width: int, count: int) -> str:
    one = "(" + ", ".join(["%s"] * width) + ")"
    return ", ".join([one] * count)


def write(
    user: User, day: dt.date, stored: _Stored | None, plan: _Plan, row: Mapping[str, Any], now: dt.datetime
) -> int | None:
    """Run the save; the day's id, or None when the guard found the day changed since ``stored`` was read.

    ``row`` holds the day's columns as ``actions._day_row`` makes them: all of
    a new day (when ``stored`` is None), or an edit's with the next ``updated_at``.
    """
    link = CheckIn.tags.through
    parts: list[str] = []
    params: list[Any] = [rows.saved(CheckIn, n, v) for n, v in row.items()]
    if stored is None:
        parts.append(
            f"day AS (INSERT INTO {q(CheckIn)} ({', '.join(q(CheckIn, n) for n in row)})"
            f" VALUES ({', '.join(['%s'] * len(row))}) RETURNING {q(CheckIn, 'id')} AS id)"
        )
    else:
        parts.append(
            f"day AS (UPDATE {q(CheckIn)} SET {', '.join(f'{q(CheckIn, n)} = %s' for n in row)}"
            f" WHERE {q(CheckIn, 'id')} = %s AND {q(CheckIn, 'updated_at')} = %s RETURNING {q(CheckIn, 'id')} AS id)"
        )
        params += [stored.checkin.pk, rows.saved(CheckIn, "updated_at", stored.checkin.updated_at)]

    score_id, score_day, symptom, value = (q(SymptomScore, n) for n in ("id", "checkin", "symptom", "value"))
    if plan.create_scores:
        parts.append(
            f"new_scores AS (INSERT INTO {q(SymptomScore)} ({score_day}, {symptom}, {value})"
            f" SELECT day.id, v.symptom, v.value FROM day, (VALUES {_values(2, len(plan.create_scores))})"
            f" AS v(symptom, value))"
        )
        params += [x for pair in plan.create_scores for x in pair]
    if plan.update_scores:
        parts.append(
            f"changed_scores AS (UPDATE {q(SymptomScore)} AS s SET {value} = v.value"
            f" FROM day, (VALUES {_values(2, len(plan.update_scores))}) AS v(id, value)"
            f" WHERE s.{score_id} = v.id AND s.{score_day} = day.id)"
        )
        params += [x for pk, _, v in plan.update_scores for x in (pk, v)]
    if plan.delete_scores:
        parts.append(
            f"gone_scores AS (DELETE FROM {q(SymptomScore)} AS s USING day"
            f" WHERE s.{score_day} = day.id AND s.{score_id} IN ({', '.join(['%s'] * len(plan.delete_scores))}))"
        )
        params += plan.delete_scores
    if plan.add_tags:
        parts.append(
            f"new_tags AS (INSERT INTO {q(link)} ({q(link, 'checkin')}, {q(link, 'tag')})"
            f" SELECT day.id, v.tag FROM day, (VALUES {_values(1, len(plan.add_tags))}) AS v(tag))"
        )
        params += sorted(plan.add_tags)
    if plan.remove_tags:
        parts.append(
            f"gone_tags AS (DELETE FROM {q(link)} AS t USING day WHERE t.{q(link, 'checkin')} = day.id"
            f" AND t.{q(link, 'tag')} IN ({', '.join(['%s'] * len(plan.remove_tags))}))"
        )
        params += sorted(plan.remove_tags)
    revision = ("user", "checkin", "day", "action", "changes", "created_at")
    parts.append(
        f"revision AS (INSERT INTO {q(CheckInRevision)} ({', '.join(q(CheckInRevision, n) for n in revision)})"
        f" SELECT %s, day.id, %s, %s, %s, %s FROM day)"
    )
    action = CheckInRevision.Action.CREATED if stored is None else CheckInRevision.Action.UPDATED
    params += [
        user.pk,
        rows.saved(CheckInRevision, "day", day),
        action.value,
        rows.saved(CheckInRevision, "changes", plan.changes),
        rows.saved(CheckInRevision, "created_at", now),
    ]
    sql = f"WITH {', '.join(parts)} SELECT id FROM day"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    return None if found is None else int(found[0])
