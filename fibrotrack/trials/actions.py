"""Every write to a trial, with its side effects, inside a transaction.

Views bind forms and call these; nothing else saves trial rows. Writes that
the plan forbids raise ``ValidationError`` with a sentence a person can act
on.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fibrotrack.lib import floodcontrol
from fibrotrack.lib.tasks import enqueue
from fibrotrack.trials import access, emails, protocols, schedule, words
from fibrotrack.trials.models import (
    Allocation,
    Assessment,
    CustodianInvite,
    Phase,
    PreRegistrationEntry,
    Trial,
    UnblindingEvent,
    unit_label,
)
from fibrotrack.trials.sealing import GENESIS, allocation_digest, draw_allocation, entry_hash

MAX_SECONDARY = 3


def _long(day: dt.date) -> str:
    return words.format_date(day, "j F Y")


# Creating and planning -------------------------------------------------------------


@transaction.atomic
def do_create_trial(
    user: Any,
    *,
    template: protocols.Template,
    title: str,
    primary_outcome: Any,
    treatment_name: str,
    regimens: Sequence[Any] = (),
    control_name: str = words.DEFAULT_CONTROL,
    control_regimens: Sequence[Any] = (),
) -> Trial:
    trial = Trial.objects.create(
        user=user,
        title=title.strip() or template.name,
        template=template.key,
        blinded=template.blinded,
        # Stored in English (a key): words.person_name shows them in the page's language.
        treatment_name=treatment_name.strip() or words.DEFAULT_TREATMENT,
        control_name=control_name.strip() or words.DEFAULT_CONTROL,
        primary_outcome=primary_outcome,
        comparisons=[list(c) for c in template.comparisons],
        endpoint_last_days=template.endpoint_last_days,
        assessment_every_days=template.assessment_every_days,
    )
    for position, spec in enumerate(template.phases, start=1):
        phase = Phase.objects.create(
            trial=trial,
            position=position,
            kind=spec.kind,
            days=spec.days,
            counts_in_analysis=spec.counts,
            blinded=spec.blinded,
            block=spec.block,
        )
        _link_default_regimens(phase, regimens, control_regimens)
    return trial


def _link_default_regimens(phase: Phase, regimens: Sequence[Any], control_regimens: Sequence[Any]) -> None:
    if phase.kind == protocols.TREATMENT:
        phase.regimens.set(regimens)
    elif phase.kind == protocols.COMPARISON:
        phase.regimens.set(control_regimens)
    elif phase.kind == protocols.PLACEBO and phase.blinded:
        # Blinded: the same trial capsules whatever they contain (see access.check_ready_to_start).
        phase.regimens.set(regimens)


@dataclass
class PlanSettings:
    title: str
    treatment_name: str
    control_name: str
    primary_outcome: Any
    secondary_outcomes: Sequence[Any]
    comparisons: Sequence[tuple[str, str]]
    threshold_pct: int
    blinded: bool
    endpoint_last_days: bool
    assessment_every_days: int
    weather_covariate: bool = False
    secondary_measures: Sequence[str] = ()


def _check_outcomes(primary: Any, secondary: Sequence[Any]) -> list[Any]:
    chosen = [s for s in secondary if s.pk != primary.pk]
    if len(chosen) > MAX_SECONDARY:
        raise ValidationError(
            _("Choose at most %(count)d secondary outcomes, so the result stays readable.") % {"count": MAX_SECONDARY}
        )
    return chosen


def _check_measures(kinds: Sequence[str]) -> list[str]:
    from fibrotrack.diary.measures import KINDS

    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValidationError(_("Unknown measure: %(name)s.") % {"name": unknown[0][:30]})
    return [k for k in KINDS if k in kinds]  # one order, whatever the form's


@transaction.atomic
def do_update_plan(trial: Trial, data: PlanSettings) -> Trial:
    access.check_draft(trial)
    trial.title = data.title.strip() or trial.title
    trial.treatment_name = data.treatment_name.strip() or trial.treatment_name
    trial.control_name = data.control_name.strip() or trial.control_name
    trial.primary_outcome = data.primary_outcome
    trial.comparisons = [list(c) for c in data.comparisons]
    trial.threshold_pct = data.threshold_pct
    trial.blinded = data.blinded
    trial.endpoint_last_days = data.endpoint_last_days
    trial.assessment_every_days = data.assessment_every_days
    trial.weather_covariate = data.weather_covariate
    trial.secondary_measures = _check_measures(data.secondary_measures)
    trial.save()
    trial.secondary_outcomes.set(_check_outcomes(data.primary_outcome, data.secondary_outcomes))
    if not trial.blinded:
        trial.phases.update(blinded=False)
    return trial


@dataclass
class PhaseData:
    kind: str
    days: int
    counts_in_analysis: bool
    blinded: bool
    regimens: Sequence[Any]


def _check_days(days: int) -> None:
    if days < 1:
        raise ValidationError(_("A phase needs at least 1 day. To leave it out, remove the phase instead."))


@transaction.atomic
def do_update_phase(trial: Trial, phase: Phase, data: PhaseData) -> Phase:
    access.check_draft(trial)
    _check_days(data.days)
    phase.kind = data.kind
    phase.days = data.days
    phase.counts_in_analysis = data.counts_in_analysis
    phase.blinded = data.blinded and trial.blinded and data.kind in protocols.TAKEN_KINDS
    phase.save()
    phase.regimens.set(data.regimens)
    return phase


@transaction.atomic
def do_add_phase(trial: Trial, kind: str, days: int) -> Phase:
    access.check_draft(trial)
    _check_days(days)
    last = trial.phases.aggregate(m=Max("position"))["m"] or 0
    return Phase.objects.create(
        trial=trial,
        position=last + 1,
        kind=kind,
        days=days,
        counts_in_analysis=kind not in protocols.NOT_COUNTED_BY_DEFAULT,
    )


@transaction.atomic
def do_remove_phase(trial: Trial, phase: Phase) -> None:
    access.check_draft(trial)
    phase.delete()
    _renumber(trial)


@transaction.atomic
def do_move_phase(trial: Trial, phase: Phase, step: int) -> None:
    access.check_draft(trial)
    phases = list(trial.phases.order_by("position"))
    i = next(i for i, p in enumerate(phases) if p.pk == phase.pk)
    j = i + step
    if 0 <= j < len(phases):
        phases[i], phases[j] = phases[j], phases[i]
        _renumber(trial, phases)


def _renumber(trial: Trial, ordered: list[Phase] | None = None) -> None:
    phases = ordered if ordered is not None else list(trial.phases.order_by("position"))
    # Two passes, so the unique (trial, position) constraint never sees a clash.
    for offset, phase in enumerate(phases, start=1000):
        Phase.objects.filter(pk=phase.pk).update(position=offset)
    for position, phase in enumerate(phases, start=1):
        Phase.objects.filter(pk=phase.pk).update(position=position)


@transaction.atomic
def do_delete_draft(trial: Trial) -> None:
    if not trial.is_draft:
        raise ValidationError(_("A trial that has started cannot be deleted; you can stop it early instead."))
    trial.delete()


# Pre-registration ---------------------------------------------------------------------


def plan_snapshot(trial: Trial) -> dict[str, Any]:
    """The plan as registered: what the person can see (the planned order, never the drawn one)."""
    phases = list(trial.phases.all())
    return {
        "title": trial.title,
        "template": trial.template,
        "design": trial.design,
        "blinded": trial.blinded,
        "treatment_name": trial.treatment_name,
        "control_name": trial.control_name,
        "primary_outcome": {"key": trial.primary_outcome.key, "name": trial.primary_outcome.name},
        "secondary_outcomes": [{"key": s.key, "name": s.name} for s in trial.secondary_outcomes.all()],
        # Only when chosen, so plans registered before device measures existed read the same.
        **({"secondary_measures": list(trial.secondary_measures)} if trial.secondary_measures else {}),
        "comparisons": [list(c) for c in trial.comparisons],
        "threshold_pct": trial.threshold_pct,
        "endpoint_last_days": trial.endpoint_last_days,
        "assessment_every_days": trial.assessment_every_days,
        **({"weather_covariate": True} if trial.weather_covariate else {}),
        "start_date": trial.start_date.isoformat() if trial.start_date else None,
        "phases": [
            {
                "position": p.position,
                "kind": p.kind,
                "days": p.days,
                "counts_in_analysis": p.counts_in_analysis,
                "blinded": p.blinded,
                "block": p.block,
                "regimens": [
                    {"name": r.treatment.name, "started_on": r.started_on.isoformat()} for r in p.regimens.all()
                ],
            }
            for p in phases
        ],
    }


def append_entry(
    trial: Trial, kind: str, reason: str, payload: dict[str, Any], at: dt.datetime | None = None
) -> PreRegistrationEntry:
    """Add one entry to the hash-chained pre-registration log (the only way entries are written)."""
    last = PreRegistrationEntry.objects.filter(trial=trial).order_by("-seq").first()
    seq = 1 if last is None else last.seq + 1
    prev = GENESIS if last is None else last.hash
    created = at or timezone.now()
    digest = entry_hash(prev, seq, kind, created.isoformat(), reason, payload)
    return PreRegistrationEntry.objects.create(
        trial=trial, seq=seq, kind=kind, reason=reason, payload=payload, created_at=created, prev_hash=prev, hash=digest
    )


# Starting -------------------------------------------------------------------------------


@transaction.atomic
def do_start_trial(trial: Trial, start: dt.date, today: dt.date) -> Trial:
    trial = Trial.objects.select_for_update().get(pk=trial.pk)
    trial = access.get_trial_for_user(trial.user, trial.pk)
    access.check_draft(trial)
    if start < today:
        raise ValidationError(_("A trial cannot start in the past. Choose today or a later day."))
    problems = access.check_ready_to_start(trial)
    if problems:
        raise ValidationError(problems)
    access.check_no_overlap(trial, start)
    trial.start_date = start
    trial.started_at = timezone.now()
    trial.status = Trial.Status.RUNNING
    trial.save()
    seal = None
    planned = trial.planned()
    if trial.blinded or trial.is_randomized:
        payload = draw_allocation(planned, secrets.SystemRandom())
        seal = allocation_digest(payload)
        Allocation.objects.create(trial=trial, payload=payload, digest=seal)
    # The custodian is fixed from now on (access.check_custodian_may_change): retire pending invitations.
    trial.invites.filter(accepted_at=None, revoked_at=None).update(revoked_at=timezone.now())
    snapshot = plan_snapshot(trial)
    snapshot["allocation_seal"] = seal
    snapshot["planned_end"] = schedule.end_date(start, planned).isoformat()
    append_entry(trial, PreRegistrationEntry.Kind.REGISTERED, "", snapshot)
    return trial


# Changing the plan after the start ---------------------------------------------------------


@dataclass
class Amendment:
    reason: str
    primary_outcome: Any | None = None
    secondary_outcomes: Sequence[Any] | None = None
    secondary_measures: Sequence[str] | None = None
    threshold_pct: int | None = None
    phase_days: dict[int, int] | None = None  # phase pk -> new length


@transaction.atomic
def do_amend_plan(trial: Trial, change: Amendment, today: dt.date) -> PreRegistrationEntry:
    """Record a change to a running trial's plan. Past phases cannot change; the change is appended."""
    if not trial.is_running:
        raise ValidationError(_("Only a running trial's plan can be changed."))
    if not change.reason.strip():
        raise ValidationError(_("Say why the plan is changing: it is shown with the result."))
    changes: dict[str, Any] = {}
    if change.primary_outcome is not None and change.primary_outcome.pk != trial.primary_outcome_id:
        changes["primary_outcome"] = {"from": trial.primary_outcome.name, "to": change.primary_outcome.name}
        trial.primary_outcome = change.primary_outcome
    if change.secondary_outcomes is not None:
        before = sorted(s.name for s in trial.secondary_outcomes.all())
        chosen = _check_outcomes(trial.primary_outcome, change.secondary_outcomes)
        after = sorted(s.name for s in chosen)
        if before != after:
            changes["secondary_outcomes"] = {"from": before, "to": after}
            trial.secondary_outcomes.set(chosen)
    if change.secondary_measures is not None:
        chosen_measures = _check_measures(change.secondary_measures)
        if chosen_measures != list(trial.secondary_measures):
            changes["secondary_measures"] = {"from": list(trial.secondary_measures), "to": chosen_measures}
            trial.secondary_measures = chosen_measures
    if change.threshold_pct is not None and change.threshold_pct != trial.threshold_pct:
        changes["threshold_pct"] = {"from": trial.threshold_pct, "to": change.threshold_pct}
        trial.threshold_pct = change.threshold_pct
    if change.phase_days:
        changes["phases"] = _amend_phase_days(trial, change.phase_days, today)
        if not changes["phases"]:
            del changes["phases"]
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    trial.save()
    snapshot = plan_snapshot(trial)
    if trial.start_date is not None:
        snapshot["planned_end"] = schedule.end_date(trial.start_date, trial.planned()).isoformat()
    return append_entry(
        trial, PreRegistrationEntry.Kind.AMENDED, change.reason.strip(), {"changes": changes, "plan": snapshot}
    )


def _amend_phase_days(trial: Trial, new_days: dict[int, int], today: dt.date) -> list[dict[str, Any]]:
    by_pk = {p.pk: p for p in trial.phases.all()}
    on_calendar = {s.phase.position: s for s in trial.actual_schedule()}
    out = []
    for pk, days in new_days.items():
        phase = by_pk[pk]
        if days == phase.days:
            continue
        _check_days(days)
        # Checked before anything that depends on the calendar: where a randomized period falls depends on
        # the sealed order, so a message naming its dates would reveal the order to a blinded participant.
        if phase.block is not None:
            raise ValidationError(
                _(
                    "Phase %(number)d is one period of a randomized pair, whose order is sealed. Changing its "
                    "length would reveal or break the randomization, so it cannot be changed after the start."
                )
                % {"number": phase.position}
            )
        placed = on_calendar.get(phase.position)
        if placed is not None and placed.end < today:
            raise ValidationError(
                _(
                    "Phase %(number)d ended on %(day)s. Past phases cannot be changed: "
                    "the days already lived are what the trial measured."
                )
                % {"number": phase.position, "day": _long(placed.end)}
            )
        if placed is not None and placed.start + dt.timedelta(days=days - 1) < today:
            raise ValidationError(
                _("Phase %(number)d is under way (day %(day)d); it cannot be shortened to end before today.")
                % {"number": phase.position, "day": (today - placed.start).days + 1}
            )
        out.append({"position": phase.position, "from": phase.days, "to": days})
        phase.days = days
        phase.save(update_fields=["days"])
    if out:
        access.check_no_overlap(trial, trial.start_date or today)
    return out


# Custodian ---------------------------------------------------------------------------------


@transaction.atomic
def do_invite_custodian(trial: Trial, email: str) -> CustodianInvite:
    trial = Trial.objects.select_for_update().prefetch_related("unblindings").get(pk=trial.pk)
    access.check_custodian_may_change(trial)
    if email.strip().lower() == trial.user.email.lower():
        raise ValidationError(_("The custodian must be someone else: you are the one being kept blind."))
    floodcontrol.check_within(
        lambda start: CustodianInvite.objects.filter(trial__user_id=trial.user_id, created_at__gte=start).count(),
        floodcontrol.invitation_limits(),
        "custodian invitations",
    )
    trial.invites.filter(accepted_at=None, revoked_at=None).update(revoked_at=timezone.now())
    nonce = secrets.token_hex(16)
    digest = emails.token_hash(emails.invite_token(nonce))
    invite = CustodianInvite.objects.create(trial=trial, email=email.strip().lower(), nonce=nonce, token_hash=digest)
    enqueue(emails.send_custodian_invite, invite.pk)
    return invite


def find_invite(token: str) -> CustodianInvite | None:
    return (
        CustodianInvite.objects.select_related("trial__user")
        .filter(token_hash=emails.token_hash(token), accepted_at=None, revoked_at=None)
        .first()
    )


@transaction.atomic
def do_accept_invite(user: Any, invite: CustodianInvite) -> Trial:
    trial = Trial.objects.select_for_update().prefetch_related("unblindings").get(pk=invite.trial_id)
    if trial.user_id == user.pk:
        raise ValidationError(_("You cannot hold the blind for your own trial. Ask someone you trust."))
    access.check_invited_account(user, invite.email)
    access.check_custodian_may_change(trial)
    if not trial.is_draft:
        # Only after a logged unblinding (checked above); the change itself is logged too.
        before = trial.custodian.public_name if trial.custodian else None
        change = {"custodian": {"from": before, "to": user.public_name}}
        # The logged reason is English whatever the page's language: it is hashed (words.logged_reason shows it).
        append_entry(trial, PreRegistrationEntry.Kind.AMENDED, words.NEW_CUSTODIAN_REASON, {"changes": change})
    invite.accepted_at = timezone.now()
    invite.accepted_by = user
    invite.save(update_fields=["accepted_at", "accepted_by"])
    trial.custodian = user
    trial.had_custodian = True
    trial.save(update_fields=["custodian", "had_custodian", "updated_at"])
    return trial


@transaction.atomic
def do_remove_custodian(trial: Trial) -> None:
    access.check_draft(trial)
    trial.custodian = None
    trial.had_custodian = False
    trial.save(update_fields=["custodian", "had_custodian", "updated_at"])
    trial.invites.filter(accepted_at=None, revoked_at=None).update(revoked_at=timezone.now())


# Running and ending ---------------------------------------------------------------------------


@transaction.atomic
def do_unblind(trial: Trial, by: Any, role: str, *, emergency: bool, reason: str, today: dt.date) -> UnblindingEvent:
    if not trial.blinded:
        raise ValidationError(_("This trial is not blinded."))
    if trial.is_unblinded:
        raise ValidationError(_("This trial has already been unblinded."))
    if trial.is_draft:
        raise ValidationError(_("The trial has not started, so there is nothing to unblind."))
    if emergency:
        if not reason.strip():
            raise ValidationError(_("Say why the blind has to be broken now: it is shown with the result."))
    elif not trial.has_ended(today):
        raise ValidationError(
            _(
                "The trial is still running. Unblinding now would spoil the rest of it; use emergency unblinding "
                "only if you or a doctor need to know."
            )
        )
    event = UnblindingEvent.objects.create(
        trial=trial,
        kind=UnblindingEvent.Kind.EMERGENCY if emergency else UnblindingEvent.Kind.END,
        reason=reason.strip(),
        by=by,
        by_role=role,
        day=today,
    )
    if not emergency:
        _close(trial, today)
    return event


def _close(trial: Trial, today: dt.date) -> None:
    if trial.is_running and trial.has_ended(today):
        trial.status = Trial.Status.FINISHED
        trial.ended_at = timezone.now()
        trial.save(update_fields=["status", "ended_at", "updated_at"])


@transaction.atomic
def do_finish(trial: Trial, today: dt.date) -> Trial:
    if not trial.is_running or not trial.has_ended(today):
        raise ValidationError(_("The trial is still running; it finishes after its last day."))
    if trial.is_blind_now:
        raise ValidationError(_("Unblind the trial first: the result needs to know which period was which."))
    _close(trial, today)
    return trial


@transaction.atomic
def do_stop_early(trial: Trial, reason: str, today: dt.date) -> Trial:
    if not trial.is_running:
        raise ValidationError(_("Only a running trial can be stopped."))
    if not reason.strip():
        raise ValidationError(_("Say why you are stopping: the result explains what the shorter trial can show."))
    if trial.start_date is None or today < trial.start_date:
        raise ValidationError(_("This trial has not reached its first day yet, so there is nothing to stop."))
    if trial.has_ended(today):
        raise ValidationError(_("The trial has already reached its last day: close it to see the result instead."))
    last = trial.last_day
    trial.stopped_on = min(today, last) if last else today
    trial.stop_reason = reason.strip()
    trial.status = Trial.Status.STOPPED
    trial.ended_at = timezone.now()
    trial.save(update_fields=["stopped_on", "stop_reason", "status", "ended_at", "updated_at"])
    return trial


# Lab and clinic assessments ---------------------------------------------------------------------


@dataclass
class AssessmentData:
    measured_on: dt.date
    kind: str
    value: Any
    at_cap: bool = False
    cap: Any = None
    site: str = ""
    note: str = ""


@transaction.atomic
def do_record_assessment(trial: Trial, by: Any, role: str, data: AssessmentData, today: dt.date) -> Assessment:
    if trial.is_draft or trial.start_date is None:
        raise ValidationError(_("Assessments are recorded once the trial has started."))
    if data.measured_on > today:
        raise ValidationError(_("That day hasn’t happened yet."))
    last = trial.last_day
    if data.measured_on < trial.start_date or (last is not None and data.measured_on > last):
        raise ValidationError(
            _("Choose a day within the trial (%(first)s to %(last)s).")
            % {"first": _long(trial.start_date), "last": _long(last)}
            if last
            else _("Choose a day within the trial.")
        )
    low, high = Assessment.RANGES[data.kind]
    if not low <= data.value <= high:
        raise ValidationError(
            _("That value is outside the range this test can give (%(low)s to %(high)s %(unit)s).")
            % {"low": low, "high": high, "unit": unit_label(data.kind)}
        )
    cold_pressor = data.kind == Assessment.Kind.COLD_PRESSOR
    if data.at_cap and not cold_pressor:
        raise ValidationError(_("Only the cold-pressor test has a time limit."))
    cap = Decimal(str(data.cap)) if cold_pressor and data.cap is not None else None
    value = data.value
    if cap is not None and value > cap:
        raise ValidationError(
            _("The time cannot be longer than the test’s limit (%(seconds)s seconds).")
            % {"seconds": f"{cap.normalize():f}"}
        )
    # A value at the cap is censored: the test was stopped, so the true tolerance is at least that long.
    censored = cold_pressor and (bool(data.at_cap) or (cap is not None and value == cap))
    if censored:
        if cap is None:
            cap = value
        value = cap
    return Assessment.objects.create(
        trial=trial,
        measured_on=data.measured_on,
        kind=data.kind,
        value=value,
        censored=censored,
        cap=cap,
        site=data.site.strip(),
        note=data.note.strip(),
        entered_by=by,
        entered_role=role,
    )


def assessment_due_days(trial: Trial) -> list[dt.date]:
    if not trial.assessment_every_days or trial.start_date is None or trial.last_day is None:
        return []
    out, day = [], trial.start_date
    while day <= trial.last_day:
        out.append(day)
        day += dt.timedelta(days=trial.assessment_every_days)
    return out


def regimens_of(trial: Trial) -> Iterable[Any]:
    seen: dict[int, Any] = {}
    for phase in trial.phases.all():
        for regimen in phase.regimens.all():
            seen[regimen.pk] = regimen
    return seen.values()
