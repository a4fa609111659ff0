"""Every write to treatments, each inside a transaction. Views never save models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from fibrotrack.accounts.models import User
from fibrotrack.treatments import access, catalogue, titration
from fibrotrack.treatments.models import (
    SEVERITY_RANK,
    DoseChange,
    DoseLog,
    OpioidAnswer,
    Regimen,
    SafetyAcknowledgement,
    SideEffect,
    SideEffectReport,
    TitrationPlan,
    Treatment,
)
from fibrotrack.treatments.queries import due_doses
from fibrotrack.treatments.safety import Finding


def _slug(text: str) -> str:
    return (slugify(text).replace("-", "_") or "item")[:50]


# --- Treatments -------------------------------------------------------------------


def do_add_custom_treatment(user: User, *, name: str, category: str, unit: str, flags: Iterable[str] = ()) -> Treatment:
    """The person's own treatment, private to them."""
    flags = set(flags)
    with transaction.atomic():
        keys = set(access.custom_treatments_for_user(user).values_list("key", flat=True))
        base = key = _slug(name)
        n = 2
        while key in keys:
            key, n = f"{base}_{n}", n + 1
        return Treatment.objects.create(
            user=user,
            key=key,
            name=name.strip(),
            category=category,
            units=[unit],
            forms=[],
            side_effects=[],
            is_opioid="opioid" in flags,
            is_opioid_antagonist="opioid_antagonist" in flags,
            is_serotonergic="serotonergic" in flags,
            is_sedative="sedative" in flags,
        )


# --- Regimens ----------------------------------------------------------------------


@dataclass
class RegimenData:
    treatment: Treatment
    unit: str
    started_on: dt.date
    schedule: str
    amount: Decimal | None = None
    form: str = ""
    times: list[str] = field(default_factory=list)
    doses_per_day: int = 1
    weekdays: list[int] = field(default_factory=list)
    stopped_on: dt.date | None = None
    stop_reason: str = ""
    prescriber: str = ""
    note: str = ""
    plan_template: str = ""
    plan_steps: Sequence[titration.Step] = ()


def _steps_json(steps: Sequence[titration.Step]) -> list[dict[str, object]]:
    return [{"amount": None if s.amount is None else str(s.amount), "days": s.days} for s in steps]


def _acknowledge(user: User, findings: Iterable[Finding], day: dt.date, regimen: Regimen | None) -> None:
    rows = [
        SafetyAcknowledgement(user=user, rule=f.key, regimen=regimen, day=day, message=f.message)
        for f in findings
        if f.blocking
    ]
    SafetyAcknowledgement.objects.bulk_create(rows)


def do_start_regimen(user: User, data: RegimenData, *, today: dt.date, acknowledged: Sequence[Finding] = ()) -> Regimen:
    """Add a regimen with its plan (or its first dose). ``acknowledged``: warnings the person confirmed."""
    if data.treatment.user_id not in (None, user.pk):
        raise PermissionError("Not this person’s treatment")
    with transaction.atomic():
        access.check_no_duplicate(user, data.treatment, data.started_on, data.stopped_on)
        regimen = Regimen.objects.create(
            user=user,
            treatment=data.treatment,
            unit=data.unit,
            form=data.form,
            schedule=data.schedule,
            times=list(data.times),
            doses_per_day=data.doses_per_day,
            weekdays=sorted(data.weekdays),
            started_on=data.started_on,
            stopped_on=data.stopped_on,
            stop_reason=data.stop_reason if data.stopped_on else "",
            prescriber=data.prescriber.strip(),
            note=data.note.strip(),
        )
        if data.plan_template:
            TitrationPlan.objects.create(
                regimen=regimen,
                template=data.plan_template,
                start_date=data.started_on,
                steps=_steps_json(data.plan_steps),
            )
        else:
            if data.amount is None or data.amount <= 0:
                raise ValueError("A regimen without a plan needs a dose above 0")
            DoseChange.objects.create(
                regimen=regimen,
                effective_on=data.started_on,
                amount=data.amount,
                unit=data.unit,
                reason=DoseChange.Reason.STARTED,
            )
        _acknowledge(user, acknowledged, today, regimen)
    return regimen


def do_change_dose(
    regimen: Regimen, *, effective_on: dt.date, amount: Decimal, unit: str, reason: str, note: str = ""
) -> DoseChange:
    """Append a dose change; the past is never rewritten."""
    if amount <= 0:
        raise ValueError("A dose must be above 0")
    with transaction.atomic():
        return DoseChange.objects.create(
            regimen=regimen, effective_on=effective_on, amount=amount, unit=unit, reason=reason, note=note.strip()
        )


def do_stop_regimen(regimen: Regimen, *, stopped_on: dt.date, reason: str, note: str = "") -> Regimen:
    if stopped_on < regimen.started_on:
        raise ValueError("A regimen cannot stop before it starts")
    with transaction.atomic():
        regimen.stopped_on = stopped_on
        regimen.stop_reason = reason
        regimen.stop_note = note.strip()
        regimen.save(update_fields=["stopped_on", "stop_reason", "stop_note", "updated_at"])
        # Doses logged after the last day no longer belong to the regimen.
        DoseLog.objects.filter(regimen=regimen, day__gt=stopped_on).delete()
    return regimen


def do_update_regimen(regimen: Regimen, *, form: str, prescriber: str, note: str) -> Regimen:
    with transaction.atomic():
        regimen.form = form
        regimen.prescriber = prescriber.strip()
        regimen.note = note.strip()
        regimen.save(update_fields=["form", "prescriber", "note", "updated_at"])
    return regimen


def do_delete_regimen(regimen: Regimen) -> None:
    """Remove a regimen entered by mistake, with its doses; side effects stay, unlinked."""
    with transaction.atomic():
        regimen.delete()


# --- Doses ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DoseEntry:
    regimen: Regimen
    slot: int
    status: str  # taken, skipped, different, or "" to clear
    amount: Decimal | None = None
    unit: str = ""


def do_log_doses(user: User, day: dt.date, entries: Iterable[DoseEntry]) -> int:
    """Record what happened to each dose. Re-submitting updates the same rows.

    Returns how many doses changed (written differently, or cleared): a
    re-submit of the same answers returns 0, so the check-in can say truthfully
    whether anything new was saved.
    """
    entries = list(entries)
    changed = 0
    with transaction.atomic():
        stored = {
            (log.regimen_id, log.slot): log
            for log in DoseLog.objects.filter(regimen__in=[e.regimen.pk for e in entries], day=day)
        }
        for entry in entries:
            if entry.regimen.user_id != user.pk:
                raise PermissionError("Not this person’s regimen")
            log = stored.get((entry.regimen.pk, entry.slot))
            if not entry.status:
                if log is not None:
                    log.delete()
                    changed += 1
                continue
            if entry.status == DoseLog.Status.DIFFERENT and (entry.amount is None or entry.amount <= 0):
                raise ValueError("A different dose needs an amount above 0")
            skipped = entry.status == DoseLog.Status.SKIPPED
            values = {
                "status": entry.status,
                "amount": None if skipped else entry.amount,
                "unit": "" if skipped else entry.unit,
            }
            if log is not None and all(_same(getattr(log, name), value) for name, value in values.items()):
                continue
            DoseLog.objects.update_or_create(regimen=entry.regimen, day=day, slot=entry.slot, defaults=values)
            changed += 1
    return changed


def _same(stored: object, new: object) -> bool:
    """Equal as stored: 1.000 and 1 are the same dose."""
    if isinstance(stored, Decimal) or isinstance(new, Decimal):
        return stored is not None and new is not None and Decimal(str(stored)) == Decimal(str(new))
    return stored == new


def do_mark_all_taken(user: User, day: dt.date) -> int:
    """Mark every expected, not yet answered dose of ``day`` as taken at the planned amount."""
    with transaction.atomic():
        pending = [
            d
            for d in due_doses(access.active_regimens_on(user, day), day)
            if not d.as_needed and not d.status and d.dose is not None
        ]
        entries = [
            DoseEntry(d.regimen, d.slot.index, DoseLog.Status.TAKEN, d.dose.amount if d.dose else None, d.regimen.unit)
            for d in pending
        ]
        return do_log_doses(user, day, entries)


# --- Safety --------------------------------------------------------------------------


def do_record_opioid_answer(user: User, day: dt.date, took_opioid: bool, finding: Finding | None) -> bool:
    """Store the day's answer (and the acknowledged warning on a yes). Returns whether anything changed."""
    with transaction.atomic():
        answer, created = OpioidAnswer.objects.get_or_create(user=user, day=day, defaults={"took_opioid": took_opioid})
        changed = created or answer.took_opioid != took_opioid
        if not created and changed:
            answer.took_opioid = took_opioid
            answer.save(update_fields=["took_opioid"])
        if took_opioid and finding is not None:
            already = SafetyAcknowledgement.objects.filter(user=user, rule=finding.key, day=day).exists()
            if not already:
                _acknowledge(user, [finding], day, None)
                changed = True
    return changed


# --- Side effects --------------------------------------------------------------------


def _worst(severities: Iterable[str]) -> str | None:
    ranked = sorted(severities, key=lambda s: SEVERITY_RANK.get(s, 0))
    return ranked[-1] if ranked else None


def _refresh_severity(effect: SideEffect) -> None:
    worst = _worst(effect.reports.values_list("severity", flat=True))
    if worst and worst != effect.severity:
        effect.severity = worst
        effect.save(update_fields=["severity"])


def _episode_on(user: User, key: str, day: dt.date) -> SideEffect | None:
    """The episode of ``key`` that covers ``day``, or touches it (starts the day after, ended the day before)."""
    candidates = SideEffect.objects.filter(user=user, key=key, onset_on__lte=day + dt.timedelta(days=1)).filter(
        Q(is_ongoing=True) | Q(ended_on__gte=day - dt.timedelta(days=1))
    )
    return candidates.order_by("-onset_on").first()


@dataclass(frozen=True)
class SideEffectAnswer:
    key: str
    name: str
    severity: str  # mild, moderate, severe, or "none"
    suspect: Regimen | None = None


def do_record_side_effects(user: User, day: dt.date, answers: Iterable[SideEffectAnswer]) -> bool:
    """Apply one day's check-in answers to the person's side-effect episodes.

    A symptom reported on a day joins the episode that covers the day (or
    starts a new one, still going on, linked to the suspected regimen). A
    "none" ends an ongoing episode on the day before, and removes an episode
    that only held that day. Returns whether anything changed.
    """
    changed = False
    with transaction.atomic():
        for answer in answers:
            episode = _episode_on(user, answer.key, day)
            if answer.severity in SEVERITY_RANK:
                if episode is None:
                    changed = True
                    episode = SideEffect.objects.create(
                        user=user,
                        key=answer.key,
                        name=answer.name,
                        severity=answer.severity,
                        onset_on=day,
                        regimen=answer.suspect,
                    )
                elif episode.onset_on > day:
                    changed = True
                    episode.onset_on = day
                    episode.save(update_fields=["onset_on"])
                elif episode.ended_on is not None and episode.ended_on < day:
                    # It ended the day before and is back: the same episode, going on again.
                    changed = True
                    episode.is_ongoing, episode.ended_on = True, None
                    episode.save(update_fields=["is_ongoing", "ended_on"])
                _, created = SideEffectReport.objects.get_or_create(
                    side_effect=episode, day=day, defaults={"severity": answer.severity}
                )
                if not created:
                    changed |= (
                        SideEffectReport.objects.filter(side_effect=episode, day=day)
                        .exclude(severity=answer.severity)
                        .update(severity=answer.severity)
                        > 0
                    )
                changed |= created
                _refresh_severity(episode)
            elif answer.severity == "none" and episode is not None and episode.covers(day):
                changed |= SideEffectReport.objects.filter(side_effect=episode, day=day).delete()[0] > 0
                if episode.onset_on == day:
                    if not episode.reports.exists() and not episode.note:
                        episode.delete()
                        changed = True
                    else:
                        _refresh_severity(episode)
                    continue
                _refresh_severity(episode)
                if episode.is_ongoing or (episode.ended_on is not None and episode.ended_on >= day):
                    changed = True
                    episode.is_ongoing = False
                    episode.ended_on = day - dt.timedelta(days=1)
                    episode.save(update_fields=["is_ongoing", "ended_on"])
    return changed


def do_log_side_effect(
    user: User,
    *,
    name: str,
    severity: str,
    onset_on: dt.date,
    is_ongoing: bool,
    ended_on: dt.date | None = None,
    regimen: Regimen | None = None,
    note: str = "",
) -> SideEffect:
    if regimen is not None and regimen.user_id != user.pk:
        raise PermissionError("Not this person’s regimen")
    key = next((k for k, label in catalogue.SIDE_EFFECTS.items() if label.casefold() == name.strip().casefold()), "")
    with transaction.atomic():
        effect = SideEffect.objects.create(
            user=user,
            key=key or _slug(name),
            name=name.strip(),
            severity=severity,
            onset_on=onset_on,
            is_ongoing=is_ongoing,
            ended_on=None if is_ongoing else ended_on,
            regimen=regimen,
            note=note.strip(),
        )
        SideEffectReport.objects.create(side_effect=effect, day=onset_on, severity=severity)
    return effect


def do_update_side_effect(effect: SideEffect, **values: object) -> SideEffect:
    regimen = values.get("regimen")
    if isinstance(regimen, Regimen) and regimen.user_id != effect.user_id:
        raise PermissionError("Not this person’s regimen")
    with transaction.atomic():
        for name, value in values.items():
            setattr(effect, name, value)
        if effect.is_ongoing:
            effect.ended_on = None
        effect.save()
    return effect


def do_delete_side_effect(effect: SideEffect) -> None:
    with transaction.atomic():
        effect.delete()


def suspects_for(regimens: Sequence[Regimen]) -> Mapping[str, Regimen]:
    """side-effect key -> the most recently started active regimen that lists it."""
    out: dict[str, Regimen] = {}
    for regimen in sorted(regimens, key=lambda r: r.started_on):
        for key in regimen.treatment.side_effects:
            out[key] = regimen
    return out
