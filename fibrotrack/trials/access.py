"""Permission-scoped getters and checks: the only way views read trials.

Two people can see a trial: its participant (the owner) and its custodian
(who holds the blind). Anyone else gets Http404, so another person's trial
is indistinguishable from none. Whether the allocation may be shown is
decided here, in one place: to the custodian always, to the participant only
once the trial is unblinded (or if it was never blinded).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from fibrotrack.lib import usercache
from fibrotrack.trials import protocols, schedule, words
from fibrotrack.trials.models import Phase, Trial

Role = Literal["participant", "custodian"]

_PREFETCH = (
    Prefetch("phases", queryset=Phase.objects.prefetch_related("regimens__treatment")),
    "unblindings",
    "secondary_outcomes",
)


def trials_for_user(user: Any) -> QuerySet[Trial]:
    return (
        Trial.objects.filter(user=user)
        .select_related("primary_outcome", "allocation", "custodian")
        .prefetch_related(*_PREFETCH)
    )


def has_trial_running_on(user: Any, day: dt.date) -> bool:
    """Whether a running trial of ``user`` may cover ``day``: a cheap test before the full query.

    An over-estimate (the planned end depends on the phases, which the full
    query reads), on dates memoised per person: most people have no trial
    running, and every check-in asks.
    """

    def build() -> tuple[tuple[Any, ...], ...]:
        running = Trial.objects.filter(user=user, status=Trial.Status.RUNNING).order_by()
        return tuple(running.values_list("start_date", "stopped_on"))

    spans = usercache.memo(user, "trials.running", build)
    return any(start is not None and start <= day and (stop is None or stop >= day) for start, stop in spans)


def trials_for_custodian(user: Any) -> QuerySet[Trial]:
    return (
        Trial.objects.filter(custodian=user)
        .exclude(user=user)
        .select_related("user", "primary_outcome", "allocation")
        .prefetch_related(*_PREFETCH)
    )


def get_trial_for_user(user: Any, pk: int) -> Trial:
    """The participant's own trial."""
    return get_object_or_404(trials_for_user(user), pk=pk)


def get_trial_for_custodian(user: Any, pk: int) -> Trial:
    return get_object_or_404(trials_for_custodian(user), pk=pk)


def get_trial_for_viewer(user: Any, pk: int) -> tuple[Trial, Role]:
    """The trial and the viewer's role, for pages both the participant and the custodian use."""
    trial = (
        Trial.objects.filter(Q(user=user) | Q(custodian=user), pk=pk)
        .select_related("user", "primary_outcome", "allocation", "custodian")
        .prefetch_related(*_PREFETCH)
        .first()
    )
    if trial is None:
        raise Http404("No such trial")
    return trial, ("participant" if trial.user_id == user.pk else "custodian")


def may_see_allocation(trial: Trial, role: Role) -> bool:
    return role == "custodian" or not trial.is_blind_now


# Checks for writes ------------------------------------------------------------------


def check_draft(trial: Trial) -> None:
    if not trial.is_draft:
        raise ValidationError(
            _("This trial has started, so its plan is frozen. Use “Change the plan” to record a change.")
        )


def check_custodian_may_change(trial: Trial) -> None:
    """Who holds the blind is fixed at the start: a new custodian would see the allocation.

    The only way past this is an emergency unblinding, which is logged and
    reported with the result, so a participant cannot quietly make a second
    account of theirs the custodian and read what they are taking.
    """
    if trial.is_closed:
        raise ValidationError(_("This trial has ended."))
    if not trial.is_draft and trial.is_blind_now:
        raise ValidationError(
            _(
                "This trial has started, so its custodian cannot change: a new custodian would see which bottle "
                "is which. If the blind has to be broken, use emergency unblinding (it is recorded and shown with "
                "the result); after that you can invite a new custodian."
            )
        )


def invited_account_matches(user: Any, email: str) -> bool:
    """Whether ``user``'s account is the address an invitation was sent to."""
    from allauth.account.models import EmailAddress

    if (user.email or "").strip().lower() == email:
        return True
    return bool(EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists())


def check_invited_account(user: Any, email: str) -> None:
    if not invited_account_matches(user, email):
        raise ValidationError(
            _(
                "This invitation was sent to a different e-mail address. Sign in with the account for that "
                "address to accept it."
            )
        )


def overlapping_trial(trial: Trial, start: dt.date, end: dt.date) -> Trial | None:
    """Another started trial of the same person, on a shared outcome, whose dates overlap."""
    outcome_ids = {o.pk for o in trial.outcomes()}
    others = (
        Trial.objects.filter(user_id=trial.user_id)
        .exclude(pk=trial.pk)
        .exclude(status=Trial.Status.DRAFT)
        .prefetch_related("phases", "secondary_outcomes")
    )
    for other in others:
        other_ids = {other.primary_outcome_id, *(o.pk for o in other.secondary_outcomes.all())}
        last = other.last_day
        if other.start_date is None or last is None or not (outcome_ids & other_ids):
            continue
        if other.start_date <= end and start <= last:
            return other
    return None


def check_no_overlap(trial: Trial, start: dt.date) -> None:
    end = schedule.end_date(start, trial.planned())
    other = overlapping_trial(trial, start, end)
    if other is not None and other.start_date is not None and other.last_day is not None:
        raise ValidationError(
            _(
                "“%(title)s” already measures the same outcome from %(first)s to %(last)s. Two trials on one "
                "outcome at the same time would muddle both: start this one after that one ends, or choose a "
                "different outcome."
            )
            % {
                "title": other.display_title,
                "first": words.format_date(other.start_date, "j F Y"),
                "last": words.format_date(other.last_day, "j F Y"),
            }
        )


def check_ready_to_start(trial: Trial) -> list[str]:
    """Every reason the plan cannot start yet, in plain words (empty when it can)."""
    problems: list[str] = []
    phases = list(trial.phases.all())
    if len(phases) < 2:
        problems.append(_("A trial needs at least two phases to compare."))
    for phase in phases:
        if phase.days < 1:
            problems.append(
                _("Phase %(number)d has no days. Give it at least 1 day or remove it.") % {"number": phase.position}
            )
        if phase.kind in protocols.NEEDS_REGIMEN and not phase.regimens.all():
            problems.append(
                _(
                    "Phase %(number)d (%(name)s) has no treatment linked. Add the treatment on the Treatments "
                    "page, then link it to this phase."
                )
                % {"number": phase.position, "name": trial.label_for(phase.kind)}
            )
    if not trial.comparisons:
        problems.append(_("Choose at least one comparison."))
    kinds = {p.kind for p in phases}
    for ref, trt in trial.comparisons:
        if ref not in kinds or trt not in kinds:
            problems.append(
                _("The comparison %(treatment)s vs %(reference)s needs both kinds of phase in the plan.")
                % {"treatment": trial.label_for(trt), "reference": trial.label_for(ref)}
            )
    try:
        schedule.blocks(trial.planned())
    except ValueError:
        problems.append(_("The periods of a randomized pair must follow each other directly."))
    if trial.blinded:
        blinded = [p for p in phases if p.blinded]
        if not blinded:
            problems.append(_("A blinded trial needs at least one blinded phase."))
        regimen_sets = {frozenset(r.pk for r in p.regimens.all()) for p in blinded}
        if len(regimen_sets) > 1:
            problems.append(
                _(
                    "Every blinded phase must have the same treatment linked (the trial capsules, whatever they "
                    "contain). Otherwise your daily check-in would show which period is the active one."
                )
            )
        if trial.custodian_id is None:
            problems.append(
                _(
                    "A blinded trial needs a custodian who has accepted the invitation: someone has to know "
                    "what is in each bottle."
                )
            )
    return problems
