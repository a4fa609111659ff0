"""Associations in plain words, each with its uncertainty and the reminder that a link is not a cause.

Only associations that survive the false-discovery-rate correction become a
sentence; the predictors tested without a clear result are named together as
"no clear link yet". The words come from each ``Predictor`` (associations.py),
so any predictor an app adds to the frame is described the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fibrotrack.lib.words import midsentence
from fibrotrack.reports.associations import AssociationRow

NOT_A_CAUSE = gettext_lazy("A link, not proof of a cause.")


@dataclass(frozen=True)
class Insight:
    text: str
    row: AssociationRow


def _points(x: float) -> str:
    return number_format(round(abs(x), 1), 1)


def sentence(row: AssociationRow, symptom_name: str) -> str:
    """E.g. "On days after you slept under 6 hours, your pain was about 1.0 point higher (likely between 0.4 and 1.6).

    This held in 9 of the last 12 months. A link is not proof of a cause: ..."
    """
    if row.about is None or row.slope is None or row.ci_low is None or row.ci_high is None:
        raise ValueError("only a tested association has a sentence")
    low, high = sorted((abs(row.ci_low), abs(row.ci_high)))
    size = _points(row.slope)
    words = {
        "when": row.about.when(row.lag),
        "symptom": midsentence(symptom_name),
        "size": size,
        "low": _points(low),
        "high": _points(high),
        "unit": row.about.per_unit,
    }
    higher = row.slope > 0
    if row.about.per_unit:
        text = (
            _("With %(unit)s, your %(symptom)s was about %(size)s points higher (likely between %(low)s and %(high)s).")
            if higher
            else _(
                "With %(unit)s, your %(symptom)s was about %(size)s points lower (likely between %(low)s and %(high)s)."
            )
        ) % words
    elif higher:
        text = (
            ngettext(
                "%(when)s, your %(symptom)s was about %(size)s point higher (likely between %(low)s and %(high)s).",
                "%(when)s, your %(symptom)s was about %(size)s points higher (likely between %(low)s and %(high)s).",
                1 if size == _points(1.0) else 2,
            )
            % words
        )
    else:
        text = (
            ngettext(
                "%(when)s, your %(symptom)s was about %(size)s point lower (likely between %(low)s and %(high)s).",
                "%(when)s, your %(symptom)s was about %(size)s points lower (likely between %(low)s and %(high)s).",
                1 if size == _points(1.0) else 2,
            )
            % words
        )
    stability = row.stability
    if stability is not None and stability.months_checked >= 2:
        text += " " + ngettext(
            "This held in %(agree)d of the last %(months)d month.",
            "This held in %(agree)d of the last %(months)d months.",
            stability.months_checked,
        ) % {"agree": stability.months_agreeing, "months": stability.months_checked}
    return f"{text} {NOT_A_CAUSE}"


def insights(associations: dict[str, Any], limit: int | None = None) -> dict[str, Any]:
    """The clear associations as sentences (the clearest first), and what showed no clear link yet."""
    rows: list[AssociationRow] = associations.get("rows", [])
    symptom = associations.get("symptom")
    clear = sorted((r for r in rows if r.significant and r.tested), key=lambda r: (r.q_value or 0.0, r.lag))
    name = symptom.label if symptom is not None else ""
    found = [Insight(sentence(r, name), r) for r in clear]
    clear_names = {r.predictor for r in clear}
    unclear = sorted({r.predictor for r in rows if r.tested and r.predictor not in clear_names})
    return {
        "symptom": symptom,
        "found": found[:limit] if limit is not None else found,
        "more": max(len(found) - limit, 0) if limit is not None else 0,
        "no_clear_link": unclear,
        "message": associations.get("message", ""),
    }
