"""When doses are due: the schedule kinds and the slots on a day. Pure, no Django."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.text import get_text_list
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext, pgettext_lazy


class Kind(StrEnum):
    DAILY = "daily"
    NIGHTLY = "nightly"
    SEVERAL = "several"
    WEEKLY = "weekly"
    AS_NEEDED = "as_needed"


KIND_LABELS: dict[str, Any] = {
    Kind.DAILY: gettext_lazy("Daily, at set times"),
    Kind.NIGHTLY: gettext_lazy("Nightly"),
    Kind.SEVERAL: gettext_lazy("Several times a day"),
    Kind.WEEKLY: gettext_lazy("Weekly sessions"),
    Kind.AS_NEEDED: gettext_lazy("As needed"),
}

# Django's own catalogues translate the weekday names.
WEEKDAYS = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
)
# "weekly on Mondays and Thursdays": plural weekday names, which Django does not translate.
_ON_WEEKDAYS = (
    pgettext_lazy("weekly on ...", "Mondays"),
    pgettext_lazy("weekly on ...", "Tuesdays"),
    pgettext_lazy("weekly on ...", "Wednesdays"),
    pgettext_lazy("weekly on ...", "Thursdays"),
    pgettext_lazy("weekly on ...", "Fridays"),
    pgettext_lazy("weekly on ...", "Saturdays"),
    pgettext_lazy("weekly on ...", "Sundays"),
)
MAX_TIMES = 6
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Slot:
    index: int
    label: str


@dataclass(frozen=True)
class Schedule:
    kind: str
    times: tuple[str, ...] = ()  # "HH:MM", for DAILY
    doses_per_day: int = 1  # for SEVERAL
    weekdays: tuple[int, ...] = ()  # 0 = Monday, for WEEKLY

    @property
    def has_expected_doses(self) -> bool:
        return self.kind != Kind.AS_NEEDED

    def slots(self, day: dt.date) -> list[Slot]:
        """The expected doses on ``day`` (none for as-needed, or a weekday off)."""
        if self.kind == Kind.DAILY:
            return [Slot(i, gettext("at %(time)s") % {"time": t}) for i, t in enumerate(self.times or ("",))]
        if self.kind == Kind.NIGHTLY:
            return [Slot(0, gettext("at night"))]
        if self.kind == Kind.SEVERAL:
            n = max(self.doses_per_day, 1)
            return [Slot(i, gettext("dose %(number)d of %(count)d") % {"number": i + 1, "count": n}) for i in range(n)]
        if self.kind == Kind.WEEKLY:
            return (
                [Slot(0, pgettext("a treatment session, e.g. physiotherapy", "session"))]
                if day.weekday() in self.weekdays
                else []
            )
        return []

    def describe(self) -> str:
        """ "daily at 08:00, 20:00", in the active language (lower case: it goes inside a sentence)."""
        if self.kind == Kind.DAILY:
            return gettext("daily at %(times)s") % {"times": ", ".join(self.times)} if self.times else gettext("daily")
        if self.kind == Kind.NIGHTLY:
            return gettext("nightly")
        if self.kind == Kind.SEVERAL:
            return ngettext("%(count)d time a day", "%(count)d times a day", self.doses_per_day) % {
                "count": self.doses_per_day
            }
        if self.kind == Kind.WEEKLY:
            days = [str(_ON_WEEKDAYS[d]) for d in sorted(self.weekdays)]
            if not days:
                return gettext("weekly")
            return gettext("weekly on %(days)s") % {"days": get_text_list(days, gettext("and"))}
        return gettext("as needed")


def parse_times(text: str) -> list[str]:
    """ "8:00, 20:00" or "8am, 8pm" -> ["08:00", "20:00"], sorted and unique.

    Raises ValueError with a plain sentence for anything it cannot read.
    """
    out: set[str] = set()
    for raw in re.split(r"[,;\s]+(?![ap]\.?m)", text.strip()):
        part = raw.strip()
        if not part:
            continue
        match = _TIME.match(part)
        if not match:
            raise ValueError(
                gettext("“%(text)s” is not a time. Write times like 08:00 or 20:30, separated by commas.")
                % {"text": part}
            )
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = (match.group(3) or "").lower().replace(".", "")
        if suffix:
            if not 1 <= hour <= 12:
                raise ValueError(
                    gettext("“%(text)s” is not a time. With am or pm, the hour is from 1 to 12.") % {"text": part}
                )
            hour = hour % 12 + (12 if suffix == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValueError(
                gettext("“%(text)s” is not a time. Hours go from 0 to 23 and minutes from 0 to 59.") % {"text": part}
            )
        out.add(f"{hour:02d}:{minute:02d}")
    if len(out) > MAX_TIMES:
        raise ValueError(
            gettext("Up to %(count)d times a day. For more, choose “Several times a day”.") % {"count": MAX_TIMES}
        )
    return sorted(out)
