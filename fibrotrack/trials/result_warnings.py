"""What a trial's result must warn about: a broken or changed blind, a seal that does not match, too little data, a design's caveats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from fibrostats import (
    AnalysisResult,
)
from fibrotrack.trials import dataset, notices, protocols, words
from fibrotrack.trials.custodianlog import custodian_changes
from fibrotrack.trials.models import PreRegistrationEntry, Trial, UnblindingEvent
from fibrotrack.trials.result_text import phase_name
from fibrotrack.trials.schedule import ScheduledPhase
from fibrotrack.trials.sealing import allocation_digest


def _day(day: Any) -> str:
    return words.format_date(day, "j F Y")


_CHANGES = {
    "primary_outcome": gettext_lazy("main outcome"),
    "secondary_outcomes": gettext_lazy("other outcomes"),
    "secondary_measures": gettext_lazy("device measures"),
    "threshold_pct": gettext_lazy("threshold"),
    "phases": gettext_lazy("phase lengths"),
    "custodian": gettext_lazy("custodian"),
}


def change_name(key: str) -> str:
    """What a logged change changed (its key in the hashed payload is English), in the active language."""
    return str(_CHANGES.get(key, key.replace("_", " ")))


@dataclass
class Warning_:
    code: str
    message: str


def allocation_matches_seal(trial: Trial, entries: Sequence[PreRegistrationEntry]) -> bool | None:
    """Whether the stored allocation is the one sealed at the start (None when there is no allocation).

    The allocation must hash to its own digest *and* that digest must be the seal recorded in the
    hash-chained registration entry, so rewriting the allocation together with its digest is caught too.
    """
    allocation = trial.allocation_or_none()
    if allocation is None:
        return None
    registered = entries[0].payload.get("allocation_seal") if entries else None
    return allocation_digest(allocation.payload) == allocation.digest == registered


def trial_warnings(
    trial: Trial,
    result: AnalysisResult | None,
    sched: Sequence[ScheduledPhase],
    chain_bad: int | None,
    digest_ok: bool | None = None,
) -> list[Warning_]:
    out: list[Warning_] = []
    if chain_bad is not None:
        out.append(
            Warning_(
                "log_tampered",
                gettext(
                    "The pre-registration log fails its integrity check at entry %(number)d: it was changed "
                    "outside FibroTrack."
                )
                % {"number": chain_bad},
            )
        )
    if digest_ok is False:
        out.append(
            Warning_(
                "allocation_tampered",
                gettext(
                    "The allocation does not match the seal registered at the start: it was changed outside "
                    "FibroTrack, so which period was which cannot be trusted."
                ),
            )
        )
    for u in trial.unblindings.all():
        if u.kind == UnblindingEvent.Kind.EMERGENCY:
            out.append(
                Warning_(
                    "blinding_broken",
                    gettext(
                        "The blind was broken on %(day)s (%(reason)s). Days after that were rated knowing "
                        "what was being taken, so expectations may have coloured them."
                    )
                    % {"day": _day(u.day), "reason": u.reason},
                )
            )
    out += [Warning_(code, text) for code, text in custodian_changes(trial)]
    for e in trial.prereg_entries.all():
        if e.kind == PreRegistrationEntry.Kind.AMENDED:
            if set(e.payload.get("changes", {})) == {"custodian"}:
                continue  # reported by custodian_changes
            what = ", ".join(change_name(k) for k in e.payload.get("changes", {}))
            out.append(
                Warning_(
                    "plan_changed",
                    gettext(
                        "The plan was changed after the start, on %(day)s (%(what)s): “%(reason)s”. "
                        "Results for changed outcomes or thresholds are less trustworthy than pre-registered ones."
                    )
                    % {"day": _day(e.created_at), "what": what, "reason": words.logged_reason(e.reason)},
                )
            )
    for phase in trial.phases.all():
        if phase.kind in protocols.NEEDS_REGIMEN and not phase.regimens.all():
            out.append(
                Warning_(
                    "regimen_missing",
                    gettext(
                        "Phase %(number)d (%(name)s) no longer has a treatment linked "
                        "(it may have been deleted), so adherence in it is unknown."
                    )
                    % {"number": phase.position, "name": trial.label_for(phase.kind)},
                )
            )
    if trial.status == Trial.Status.STOPPED:
        reached = {s.phase.position for s in sched}
        missing = [p for p in trial.phases.all() if p.position not in reached]
        parts = [
            gettext("The trial was stopped early on %(day)s: “%(reason)s”.")
            % {"day": _day(trial.stopped_on), "reason": trial.stop_reason}
        ]
        if missing:
            parts.append(
                gettext("These phases never happened: %(phases)s, so comparisons that need them cannot be made.")
                % {"phases": ", ".join(trial.label_for(p.kind) for p in missing)}
            )
        parts.append(
            gettext(
                "The phases that did happen can still be compared, with wider intervals if they were cut short. If "
                "you stopped because of how you felt (side effects, a flare, no benefit), the last days may not be "
                "typical, and a shortened treatment phase may miss a slow-acting effect."
            )
        )
        text = " ".join(parts)
        out.append(Warning_("stopped_early", text))
    if trial.template == protocols.BEFORE_AFTER:
        out.append(Warning_("before_after", words.before_after_caveat()))
    if result is not None:
        seen = set()
        for n in result.all_warnings():
            if n.severity != "warning":
                continue
            # fibrostats writes English: the notices it is known to write are given again in the active
            # language (notices.py); any other keeps its English, with the person's names for the phases.
            message = notices.translate(n.code, n.message, lambda label: phase_name(trial, label)) or n.message
            for kind in protocols.KINDS:
                message = message.replace(f"'{kind}'", trial.label_for(kind)).replace(
                    f"'{kind}{dataset.NOT_COUNTED}'",
                    gettext("%(phase)s (not counted)") % {"phase": trial.label_for(kind)},
                )
            if message not in seen:
                seen.add(message)
                out.append(Warning_(n.code, message))
    return out


# Warnings that change how far the verdict can be trusted stay in view above the chart; the
# notes about the data (missing days, adherence, autocorrelation) are one tap deeper.
URGENT_CODES = frozenset(
    {
        "log_tampered",
        "allocation_tampered",
        "blinding_broken",
        "custodian_changed",
        "plan_changed",
        "stopped_early",
        "before_after",
        "analysis_failed",
    }
)


def split_warnings(warnings: Sequence[Warning_]) -> tuple[list[Warning_], list[Warning_]]:
    """(urgent, other), each in the original order."""
    return [w for w in warnings if w.code in URGENT_CODES], [w for w in warnings if w.code not in URGENT_CODES]
