"""The access log's stored English words, shown in the reader's language.

An entry's ``who`` and ``what`` are written once, in English ("Share link “Dr Patel”",
"Doctor's report (PDF), 1 Mar 2026 to 28 Mar 2026"), so the record never changes with anyone's
language; ``who_text`` and ``what_text`` rebuild them in the active language. Anything that does not
match the known shapes (an older entry) is shown as it was stored.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

UNTITLED = gettext_noop("untitled")
WHAT = {
    "Dashboard": gettext_noop("Dashboard"),
    "Doctor's report (web page)": gettext_noop("Doctor's report (web page)"),
    "Doctor's report (PDF)": gettext_noop("Doctor's report (PDF)"),
}
_LINK = re.compile(r"^Share link “(?P<label>.*)”$", re.DOTALL)
_CLINICIAN = re.compile(r"^(?P<email>.*) \(clinician\)$", re.DOTALL)
_WHAT = re.compile(r"^(?P<what>.+), (?P<start>\d{1,2} \w{3} \d{4}) to (?P<end>\d{1,2} \w{3} \d{4})$")


def stored_period(start: dt.date, end: dt.date) -> str:
    """The period as the log stores it: English, whatever the language (``%b`` is the C locale's)."""
    return f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}"


def who_text(via: str, who: str) -> str:
    if via == "link" and (match := _LINK.match(who)):
        label = match["label"]
        return gettext("Share link “{label}”").format(label=gettext(UNTITLED) if label == UNTITLED else label)
    if via == "clinician" and (match := _CLINICIAN.match(who)):
        return gettext("{email} (clinician)").format(email=match["email"])
    return who


def what_text(what: str) -> str:
    match = _WHAT.match(what)
    if match is None or match["what"] not in WHAT:
        return gettext(WHAT[what]) if what in WHAT else what
    try:
        start = dt.datetime.strptime(match["start"], "%d %b %Y").date()  # noqa: DTZ007 (a date, no time)
        end = dt.datetime.strptime(match["end"], "%d %b %Y").date()  # noqa: DTZ007
    except ValueError:
        return what
    return gettext("{what}, {start} to {end}").format(
        what=gettext(WHAT[match["what"]]), start=date_format(start, "j M Y"), end=date_format(end, "j M Y")
    )
