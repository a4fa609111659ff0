"""The private calendar feed (iCalendar): the daily check-in and every dose time, as recurring events.

Events recur daily at local times in the person's zone (``TZID`` with its
VTIMEZONE), so a calendar app moves them with DST as the reminders do. A
regimen whose dose changes (a titration plan, a dose change) gets one
recurring event per stretch of equal dose, each ending where the next begins.
A regimen in a blinded trial is "Trial capsule", never its contents or dose.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.i18n import person_language
from fibrotrack.reminders import sync, texts
from fibrotrack.reminders.schedule import zone
from fibrotrack.treatments import titration
from fibrotrack.treatments.access import regimens_for_user

# Stretches of a regimen that ended longer ago than this are left out: a feed is for what is coming.
HISTORY_DAYS = 30
EVENT_MINUTES = 5


def _host() -> str:
    return settings.SITE_ROOT.split("//", 1)[-1].split("/", 1)[0] or "fibrotrack"


def _event(uid: str, summary: str, start: dt.datetime, until: dt.date | None, tz: dt.tzinfo) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{_host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("duration", dt.timedelta(minutes=EVENT_MINUTES))
    rule: dict[str, Any] = {"freq": "daily"}
    if until is not None:
        # UNTIL is inclusive and, with a TZID start, an instant in UTC: the last occurrence's.
        last = dt.datetime.combine(until, start.timetz().replace(tzinfo=None), tzinfo=tz).astimezone(dt.UTC)
        rule["until"] = last
    event.add("rrule", rule)
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
    return event


def _stretches(regimen: Any, today: dt.date) -> list[tuple[dt.date, dt.date | None, titration.Dose | None]]:
    """(first day, last day or None, dose) for each stretch of equal dose, pauses left out."""
    spec = regimen.dose_spec()
    horizon = max(today, regimen.started_on) + dt.timedelta(days=400)
    changes = titration.transitions(spec, horizon)
    out = []
    for i, change in enumerate(changes):
        end = changes[i + 1].day - dt.timedelta(days=1) if i + 1 < len(changes) else regimen.stopped_on
        if change.dose is not None and change.dose.is_pause:
            continue
        if end is not None and end < today - dt.timedelta(days=HISTORY_DAYS):
            continue
        out.append((change.day, end, change.dose))
    return out


def feed(user: Any) -> bytes:
    """The feed in the person's language: a calendar app fetches it without a session or their browser."""
    with translation.override(person_language(user)):
        return _feed(user)


def _feed(user: Any) -> bytes:
    tz = zone(user.time_zone)
    today = diary_day(user)
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//Reminders//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("%(site)s reminders") % {"site": settings.SITE_NAME})
    cal.add("x-wr-timezone", str(tz))
    if user.reminder_time is not None:
        start = dt.datetime.combine(today, user.reminder_time.replace(tzinfo=None), tzinfo=tz)
        cal.add_component(_event(f"checkin-{user.pk}", texts.checkin_message().title, start, None, tz))
    regimens = regimens_for_user(user).filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=today))
    for regimen in regimens:
        for slot, at in enumerate(sync.dose_times(regimen)):
            for first, last, dose in _stretches(regimen, today):
                start = dt.datetime.combine(first, at, tzinfo=tz)
                summary = texts.calendar_dose_summary(regimen, dose)
                cal.add_component(_event(f"dose-{regimen.pk}-{slot}-{first:%Y%m%d}", summary, start, last, tz))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
