"""Permission-scoped getters: the only way views read treatment data.

Getters return the object only if it belongs to ``user`` and raise Http404
otherwise, so another person's data is indistinguishable from none at all.
Catalogue treatments (``user=None``) are visible to everyone; people's own
treatments only to them. ``check_*`` functions validate a write and raise a
ValidationError with a plain sentence.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats
from django.utils.translation import gettext

from fibrotrack.accounts.models import User
from fibrotrack.lib import usercache
from fibrotrack.treatments.models import DoseLog, Regimen, SideEffect, Treatment


def treatments_for_user(user: User) -> QuerySet[Treatment]:
    """The catalogue plus the person's own treatments."""
    return Treatment.objects.filter(Q(user=None) | Q(user=user))


def custom_treatments_for_user(user: User) -> QuerySet[Treatment]:
    return Treatment.objects.filter(user=user)


def get_treatment_for_user(user: User, pk: int) -> Treatment:
    return get_object_or_404(treatments_for_user(user), pk=pk)


def regimens_for_user(user: User) -> QuerySet[Regimen]:
    """All of the person's regimens, with what every page needs in two queries."""
    return Regimen.objects.filter(user=user).select_related("treatment", "plan").prefetch_related("dose_changes")


def regimens_with_treatment(user: User) -> QuerySet[Regimen]:
    """All of the person's regimens with their treatment only: for choices and safety checks."""
    return Regimen.objects.filter(user=user).select_related("treatment")


def active_regimens_on(user: User, day: dt.date) -> QuerySet[Regimen]:
    return regimens_for_user(user).filter(Q(stopped_on=None) | Q(stopped_on__gte=day), started_on__lte=day)


def side_effects_on(user: User, day: dt.date) -> QuerySet[SideEffect]:
    """Side effects that had begun by ``day`` and were still going on then."""
    return SideEffect.objects.filter(user=user, onset_on__lte=day).filter(Q(is_ongoing=True) | Q(ended_on__gte=day))


def has_treatment_on(user: User, day: dt.date) -> bool:
    """Whether the check-in for ``day`` has anything to ask: a regimen in use, or a side effect going on.

    The same tests as ``active_regimens_on`` and ``side_effects_on``, on dates
    memoised per person: most check-ins have no treatment to ask about, and
    asking the database costs more than the diary's own save.
    """

    def build() -> tuple[tuple[tuple[Any, ...], ...], tuple[tuple[Any, ...], ...]]:
        return (
            tuple(Regimen.objects.filter(user=user).order_by().values_list("started_on", "stopped_on")),
            tuple(SideEffect.objects.filter(user=user).order_by().values_list("onset_on", "ended_on", "is_ongoing")),
        )

    regimens, effects = usercache.memo(user, "treatments.dates", build)
    return any(start <= day and (stop is None or stop >= day) for start, stop in regimens) or any(
        onset <= day and (ongoing or (ended is not None and ended >= day)) for onset, ended, ongoing in effects
    )


def dose_logs_for_user(user: User) -> QuerySet[DoseLog]:
    return DoseLog.objects.filter(regimen__user=user)


def get_regimen_for_user(user: User, pk: int) -> Regimen:
    return get_object_or_404(regimens_for_user(user), pk=pk)


def side_effects_for_user(user: User) -> QuerySet[SideEffect]:
    return SideEffect.objects.filter(user=user).select_related("regimen__treatment")


def get_side_effect_for_user(user: User, pk: int) -> SideEffect:
    return get_object_or_404(side_effects_for_user(user), pk=pk)


def overlapping_regimen(
    user: User, treatment: Treatment, start: dt.date, stop: dt.date | None, exclude: int | None = None
) -> Regimen | None:
    """Another regimen of the same treatment whose dates overlap ``start``..``stop``."""
    qs = Regimen.objects.filter(user=user, treatment=treatment).filter(Q(stopped_on=None) | Q(stopped_on__gte=start))
    if stop is not None:
        qs = qs.filter(started_on__lte=stop)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("started_on").first()


def check_no_duplicate(
    user: User, treatment: Treatment, start: dt.date, stop: dt.date | None, exclude: int | None = None
) -> None:
    other = overlapping_regimen(user, treatment, start, stop, exclude)
    if other is None:
        return
    names = {"name": treatment.display_name, "start": formats.date_format(other.started_on, "j F Y")}
    if other.stopped_on:
        sentence = gettext("You already have %(name)s from %(start)s until %(stop)s.") % {
            **names,
            "stop": formats.date_format(other.stopped_on, "j F Y"),
        }
    else:
        sentence = gettext("You already have %(name)s from %(start)s and it is still active.") % names
    raise ValidationError(
        f"{sentence} " + gettext("To take a different amount, change the dose on its page instead of adding it again.")
    )
