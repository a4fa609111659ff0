"""The pre-registration log as the registration page shows it, in the active language.

The entries' payloads are hashed (``sealing.py``), so they hold keys and English names that never
change with the language; only this view of them is translated.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext, pgettext

from fibrotrack.diary.defaults import symptom_label
from fibrotrack.trials import protocols, words
from fibrotrack.trials.models import PreRegistrationEntry
from fibrotrack.trials.result_warnings import change_name


def _measure(kind: str) -> str:
    from fibrotrack.diary.measures import KINDS

    meta = KINDS.get(kind)
    return str(meta.label) if meta is not None else kind


def _value(key: str, value: Any) -> str:
    if isinstance(value, list):
        shown = [_measure(v) if key == "secondary_measures" else symptom_label(str(v)) for v in value]
        return ", ".join(shown) or gettext("none")
    if key == "primary_outcome":
        return symptom_label(str(value))
    if key == "threshold_pct":
        return f"{value}%"
    return "—" if value is None else str(value)


def _change(key: str, change: Any) -> str:
    if key == "phases":
        parts = [
            gettext("phase %(number)d from %(before)d to %(after)d days")
            % {"number": c["position"], "before": c["from"], "after": c["to"]}
            for c in change
        ]
        return gettext("%(what)s: %(change)s") % {"what": change_name(key), "change": "; ".join(parts)}
    return gettext("%(what)s: from %(before)s to %(after)s") % {
        "what": change_name(key),
        "before": _value(key, change.get("from")),
        "after": _value(key, change.get("to")),
    }


def _phase(p: dict[str, Any]) -> str:
    days = int(p.get("days", 0))
    text = ngettext("%(phase)s %(days)d day", "%(phase)s %(days)d days", days) % {
        "phase": words.kind_name(str(p.get("kind", ""))),
        "days": days,
    }
    notes = []
    if p.get("blinded"):
        notes.append(pgettext("a trial phase", "blinded"))
    if p.get("block"):
        notes.append(gettext("randomized block %(number)d") % {"number": p["block"]})
    if not p.get("counts_in_analysis", True):
        notes.append(gettext("not counted"))
    return gettext("%(phase)s (%(notes)s)") % {"phase": text, "notes": ", ".join(notes)} if notes else text


def _plan(plan: dict[str, Any]) -> dict[str, Any]:
    design = words.template_name(str(plan.get("template", "")))
    if plan.get("blinded"):
        design = gettext("%(design)s, blinded") % {"design": design}
    if plan.get("start_date") and plan.get("planned_end"):
        design = gettext("%(design)s, from %(first)s to %(last)s") % {
            "design": design,
            "first": plan["start_date"],
            "last": plan["planned_end"],
        }
    return {
        "primary": symptom_label(str((plan.get("primary_outcome") or {}).get("name", ""))),
        "secondary": ", ".join(symptom_label(str(s.get("name", ""))) for s in plan.get("secondary_outcomes", [])),
        "measures": ", ".join(_measure(str(k)) for k in plan.get("secondary_measures", [])),
        "threshold": plan.get("threshold_pct"),
        "design": design,
        "phases": "; ".join(_phase(p) for p in plan.get("phases", [])),
    }


def entry_view(entry: PreRegistrationEntry) -> dict[str, Any]:
    payload = entry.payload or {}
    plan = payload.get("plan") if "plan" in payload else (payload if "phases" in payload else None)
    return {
        "entry": entry,
        "reason": words.logged_reason(entry.reason),
        "changes": [_change(k, v) for k, v in (payload.get("changes") or {}).items()],
        "plan": _plan(plan) if plan else None,
    }


def containers(trial: Any, payload: dict[str, Any] | None) -> list[dict[str, str]]:
    """Each bottle's letter and what it holds, in the person's words."""
    found = (payload or {}).get("containers", {}) or {}
    return [{"letter": str(letter), "name": _contents(trial, kind)} for kind, letter in found.items()]


def _contents(trial: Any, kind: str) -> str:
    if kind == protocols.PLACEBO:
        return pgettext("what a bottle holds", "placebo")
    return str(trial.label_for(kind))
