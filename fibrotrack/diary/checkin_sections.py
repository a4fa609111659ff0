"""Extension point: other apps add sections to the daily check-in.

Treatments add "today's doses" and side effects; trials put their primary
outcome first. A section contributes a bound form that the diary view
validates together with its own form, so that nothing is saved unless every
part is valid, and a ``save`` that runs inside the check-in's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from django import forms

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User
    from fibrotrack.diary.models import CheckIn


class CheckInSection(Protocol):
    key: str
    order: int
    template_name: str

    def get_form(self, user: User, day: dt.date, data: Mapping[str, Any] | None) -> forms.Form | None:
        """A form for this day, or None when the section has nothing to ask."""

    def save(self, user: User, day: dt.date, checkin: CheckIn, form: forms.Form) -> bool:
        """Persist the cleaned form; called inside the check-in transaction.

        Returns whether it changed anything, so that the check-in never says
        "nothing had changed" after a section did save something.
        """


_SECTIONS: dict[str, CheckInSection] = {}


def register(section: CheckInSection) -> None:
    _SECTIONS[section.key] = section


def registered() -> list[CheckInSection]:
    return sorted(_SECTIONS.values(), key=lambda s: s.order)


def leading_symptom_ids(user: User, day: dt.date) -> list[int]:
    """Symptom ids that sections want asked first, in order (a running trial's outcomes).

    Optional hook: a section may define ``leading_symptoms(user, day) -> list[int]``.
    """
    out: list[int] = []
    for section in registered():
        hook = getattr(section, "leading_symptoms", None)
        for pk in hook(user, day) if hook else []:
            if pk not in out:
                out.append(pk)
    return out


def urgent_messages(section: CheckInSection, form: forms.Form) -> list[str]:
    """What must be said at once after a save (a serious side effect), in the section's words.

    Optional hook: a section may define ``urgent_messages(form) -> list[str]``.
    """
    hook = getattr(section, "urgent_messages", None)
    return list(hook(form)) if hook else []
