"""Extension point: other apps add their part to the welcome page.

Accounts owns onboarding (time zone, diary-day turnover, display name) but
not what the person tracks: the diary registers "which symptoms?" here in
``DiaryConfig.ready()``, so accounts never imports the apps built on it. A
step contributes a bound form, rendered by its ``template_name`` inside the
one welcome form, and a ``save`` that runs inside the onboarding
transaction. The view validates every step's form and the account's own
before saving anything.

All forms share one HTML form without prefixes (so a step's fields keep
plain names), which means no two steps, nor a step and the account's own
form, may use the same field name; a test checks the registered ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from django import forms

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


class OnboardingStep(Protocol):
    key: str
    order: int
    template_name: str

    def get_form(self, user: User, data: Mapping[str, Any] | None) -> forms.Form:
        """This step's part of the welcome form, bound when ``data`` is given."""

    def save(self, user: User, form: forms.Form) -> None:
        """Persist the cleaned form; called inside the onboarding transaction."""


_STEPS: dict[str, OnboardingStep] = {}


def register(step: OnboardingStep) -> None:
    _STEPS[step.key] = step


def registered() -> list[OnboardingStep]:
    return sorted(_STEPS.values(), key=lambda s: s.order)
