"""What the results page, the paper's PDF and the results CSV show: built from one stored analysis run.

Everything here reads the locked dataset and the stored ``AnalysisRun``;
nothing is re-estimated on display. Numbers are put in plain words with
their uncertainty, and the words say what one study can and cannot show.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from fibrotrack.studies import analysis, designs, forest, roles
from fibrotrack.studies.access import StaffView
from fibrotrack.studies.models import AnalysisRun, DatasetLock, Study
from fibrotrack.studies.monitoring import Flow, flow_for

FOREST_MAX_ROWS = 60
EXCLUSION_WORDS = {
    "withdrew_and_removed_data": gettext_lazy("withdrew and asked for their data to be removed"),
    "account_deleted": gettext_lazy("deleted their account"),
    "diary_not_shared": gettext_lazy("did not consent to share their diary"),
    "no_study_window": gettext_lazy("never started"),
    "no_allocation": gettext_lazy("had no allocation"),
}


def _n(value: Any, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


@dataclass
class Headline:
    sentence: str
    uncertainty: str
    spread: str
    outcome: str
    contrast: dict[str, Any]
    forest: Any
    forest_rows: list[dict[str, Any]]
    # Participants left out of the plot and table of a large study (each is in the results CSV).
    forest_hidden: int = 0


@dataclass
class Results:
    study: Study
    lock: DatasetLock | None
    run: AnalysisRun | None
    flow: Flow
    masked: bool = False
    protocol: designs.Protocol | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    headline: Headline | None = None
    labels: dict[str, str] = field(default_factory=dict)
    excluded: list[tuple[str, str]] = field(default_factory=list)

    @property
    def result(self) -> dict[str, Any]:
        return self.run.result if self.run else {}

    @property
    def lab(self) -> list[dict[str, Any]]:
        """Lab measures with at least one value, each with only the phases that have values."""
        out = []
        for m in self.result.get("lab") or []:
            phases = [ph for ph in m["phases"] if ph["n_values"]]
            if phases:
                out.append({**m, "phases": phases})
        return out

    def label(self, key: str | None) -> str:
        return self.labels.get(key or "", key or "")


def _labels(protocol: designs.Protocol, run: AnalysisRun | None) -> dict[str, str]:
    labels = {c.key: _(c.label) for c in protocol.conditions}
    if run is not None and run.masked:
        labels = {k: _("Condition %(letter)s") % {"letter": k} for k in analysis.MASK_LABELS}
    return labels


def outcome_label(key: str) -> str:
    words = {
        "pain": _("Pain"),
        "fatigue": _("Fatigue"),
        "sleep": _("Sleep quality"),
        "sleep_quality": _("Sleep quality"),
        "mood": _("Mood"),
    }
    return words.get(key, key.replace("_", " "))


def outcome_in_sentence(key: str) -> str:
    """An outcome's name inside a sentence (lower case in English; German keeps its capital nouns)."""
    words = {
        "pain": pgettext("outcome in a sentence", "pain"),
        "fatigue": pgettext("outcome in a sentence", "fatigue"),
        "sleep": pgettext("outcome in a sentence", "sleep quality"),
        "sleep_quality": pgettext("outcome in a sentence", "sleep quality"),
        "mood": pgettext("outcome in a sentence", "mood"),
    }
    return words.get(key, key.replace("_", " "))


def _headline(res: Results) -> Headline | None:
    outcomes = res.result.get("outcomes") or []
    if not outcomes or not outcomes[0]["contrasts"]:
        return None
    first = outcomes[0]
    contrast = first["contrasts"][0]
    effect = contrast["effect"]
    est, lo, hi = effect["estimate"], effect["ci_low"], effect["ci_high"]
    if est is None:
        return None
    name = outcome_in_sentence(first["outcome"]["name"])
    trt, ref = res.label(contrast["treatment"]), res.label(contrast["reference"])
    n = contrast["n_participants"]
    words = {
        "n": n,
        "outcome": name,
        "size": _n(abs(est)),
        "trt": trt,
        "ref": ref,
        "lo": _n(lo),
        "hi": _n(hi),
    }
    if est < 0:
        sentence = (
            ngettext(
                "Across %(n)d participant, %(outcome)s was on average %(size)s points lower on %(trt)s than on %(ref)s "
                "(95%% confidence interval %(lo)s to %(hi)s points, on a 0 to 10 scale).",
                "Across %(n)d participants, %(outcome)s was on average %(size)s points lower on %(trt)s than on %(ref)s "
                "(95%% confidence interval %(lo)s to %(hi)s points, on a 0 to 10 scale).",
                n,
            )
            % words
        )
    else:
        sentence = (
            ngettext(
                "Across %(n)d participant, %(outcome)s was on average %(size)s points higher on %(trt)s than on %(ref)s "
                "(95%% confidence interval %(lo)s to %(hi)s points, on a 0 to 10 scale).",
                "Across %(n)d participants, %(outcome)s was on average %(size)s points higher on %(trt)s than on %(ref)s "
                "(95%% confidence interval %(lo)s to %(hi)s points, on a 0 to 10 scale).",
                n,
            )
            % words
        )
    if lo is not None and hi is not None and (lo > 0 or hi < 0):
        uncertainty = _(
            "The interval does not include zero, so these data are hard to explain by chance alone. The true "
            "average difference could be anywhere in the interval, and an average says little about any one person."
        )
    else:
        uncertainty = _(
            "The interval includes zero: these data cannot rule out that there is no average difference at all."
        )
    pi = contrast.get("prediction_interval") or {}
    tau = contrast.get("tau")
    if tau is not None and tau >= 0.05:
        spread = _("People differed: the between-person standard deviation of the effect is %(tau)s points.") % {
            "tau": _n(tau)
        }
    else:
        spread = _(
            "The participants' own estimates are consistent with one common effect, as far as these data can tell."
        )
    if pi.get("ci_low") is not None:
        spread += " " + _("For a new person like these, the effect would likely lie between %(lo)s and %(hi)s.") % {
            "lo": _n(pi["ci_low"]),
            "hi": _n(pi["ci_high"]),
        }
    # A plot of hundreds of rows says nothing on a phone: large studies show the pooled row, the CSV every row.
    all_rows = contrast["forest"]
    rows = all_rows if len(all_rows) <= FOREST_MAX_ROWS else []
    lines = [forest.ForestLine(r["participant"], r["estimate"], r["ci_low"], r["ci_high"]) for r in rows]
    lines.append(forest.ForestLine(_("Pooled"), est, lo, hi, pooled=True))
    svg = forest.forest_svg(
        lines,
        title=_(
            "Forest plot: each participant's own difference in %(outcome)s, %(trt)s minus %(ref)s, and the pooled one"
        )
        % words,
        axis_label=_("%(trt)s minus %(ref)s (points)") % words,
    )
    return Headline(sentence, uncertainty, spread, name, contrast, svg, rows, len(all_rows) - len(rows))


def build_results(view: StaffView) -> Results:
    """The results as ``view``'s role may see them: masked runs only for the principal investigator."""
    study = view.study
    flow = flow_for(study)
    lock = study.dataset_locks.order_by("-created_at").first() if study.locked_at else None
    res = Results(study=study, lock=lock, run=None, flow=flow)
    if lock is None:
        return res
    res.payload = json.loads(lock.data)
    res.protocol = designs.Protocol.from_json(res.payload["protocol"])
    res.excluded = [
        (p["code"], str(EXCLUSION_WORDS.get(p["excluded_because"], p["excluded_because"])))
        for p in res.payload["participants"]
        if not p["included"]
    ]
    runs = AnalysisRun.objects.filter(lock=lock)
    if study.is_unblinded:
        run = runs.filter(masked=False).first()
    else:
        run = runs.filter(masked=True).first() if view.role in roles.MANAGES else None
    res.run = run
    res.masked = bool(run and run.masked)
    res.labels = _labels(res.protocol, run)
    if run is not None:
        res.headline = _headline(res)
    return res


# --- the methods section -------------------------------------------------------------------------------


def methods(res: Results) -> list[tuple[str, str]]:
    """A CENT/CONSORT-style methods section, generated from the registered protocol: (heading, text)."""
    protocol = res.protocol
    if protocol is None or res.lock is None:
        return []
    payload = res.payload

    def steps(sequence: tuple[str, ...]) -> str:
        return ", ".join(
            _("%(label)s (%(days)d days)")
            % {"label": _(protocol.condition(k).label), "days": protocol.condition(k).days}
            for k in sequence
        )

    sequences = "; ".join(f"{name}: {steps(seq)}" for name, seq in protocol.sequences.items())
    design = _(
        "%(title)s. Each participant kept a daily diary through the conditions of their allocated sequence "
        "(%(sequences)s). Every comparison is within the same person."
    ) % {"title": protocol.title, "sequences": sequences}
    blinded = [_(c.label) for c in protocol.conditions if c.blinded]
    blinding = _(
        "%(kind)s. Blinded conditions: %(conditions)s; the capsules looked the same and carried only a kit number."
    ) % {
        "kind": str(designs.BLINDING[protocol.blinding]),
        "conditions": ", ".join(blinded) or "–",
    }
    if protocol.stratify_by:
        strata = _("stratified by %(factor)s") % {
            "factor": str(designs.STRATA.get(protocol.stratify_by, protocol.stratify_by)).lower()
        }
    else:
        strata = _("without stratification")
    if protocol.is_randomised:
        randomisation = _(
            "Central, concealed allocation from a list drawn before enrolment with a cryptographically secure "
            "random number generator, in permuted blocks of randomly chosen sizes (%(blocks)s), "
            "%(strata)s; period orders were counterbalanced. Only the unblinded pharmacist could see the list "
            "until the dataset was locked and the study unblinded."
        ) % {"blocks": ", ".join(str(b) for b in protocol.block_sizes), "strata": strata}
    else:
        randomisation = _("Not randomised: every participant followed the same fixed order.")
    outcomes = ", ".join(outcome_label(o["key"]) for o in payload["outcomes"][1:]) or "–"
    measures = ", ".join(str(designs.MEASURES[m]) for m in sorted({m for v in protocol.visits for m in v.measures}))
    outcome_text = _(
        "Primary outcome: daily %(primary)s on a 0-10 numeric rating scale from the diary. Secondary outcomes: "
        "%(secondary)s. Responders: an improvement of at least %(pct)d%% on the treatment over the comparison "
        "condition, in the mean of the daily ratings. Lab measures at the protocol's visits: %(measures)s; the "
        "cold-pressor test stopped at %(cap)d seconds and such values were treated as censored."
    ) % {
        "primary": outcome_in_sentence(protocol.primary_outcome),
        "secondary": outcomes,
        "pct": protocol.responder_threshold_pct,
        "measures": measures or "–",
        "cap": protocol.cold_pressor_cap_s,
    }
    model = _(
        "Two-stage random-effects analysis: for each participant a regression with first-order autoregressive "
        "(AR(1)) errors over study days gave their own treatment effect and standard error; the effects were "
        "pooled with a between-person variance estimated by REML and a Hartung-Knapp-Sidik-Jonkman %(level)s%% "
        "confidence interval, with a prediction interval for a new participant. Responder proportions have "
        "Wilson intervals; period and carry-over effects were checked with a summary-measure analysis of period "
        "means; lab measures are summarised by phase with restricted means for censored times; blinding was "
        "assessed with Bang's index per arm."
    ) % {"level": 95}
    included = sum(1 for p in payload["participants"] if p["included"])
    data = ngettext(
        "The analysis used the dataset locked on %(date)s: %(n)d participant's diary days as they consented to "
        "share them, between their own start and end dates.",
        "The analysis used the dataset locked on %(date)s: %(n)d participants' diary days as they consented to "
        "share them, between their own start and end dates.",
        included,
    ) % {"date": res.lock.created_at.date().isoformat(), "n": included}
    software = _(
        "Software: fibrostats %(version)s. Dataset SHA-256: %(digest)s. Protocol version %(pv)s, hash %(hash)s."
    ) % {
        "version": res.run.fibrostats_version if res.run else "–",
        "digest": res.lock.digest,
        "pv": payload.get("protocol_version") or "–",
        "hash": payload.get("protocol_hash") or _("(not registered)"),
    }
    return [
        (_("Design"), design),
        (_("Blinding"), blinding),
        (_("Randomisation"), randomisation),
        (_("Outcomes"), outcome_text),
        (_("Statistical analysis"), model),
        (_("Data"), data),
        (_("Software and provenance"), software),
    ]


# --- the results CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = ("section", "outcome", "comparison", "quantity", "estimate", "ci_low", "ci_high", "n", "p_value")


def results_csv(res: Results) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)

    def interval(
        section: str, outcome: str, comparison: str, quantity: str, iv: dict[str, Any] | None, n: Any = "", p: Any = ""
    ) -> None:
        iv = iv or {}
        w.writerow(
            [
                section,
                outcome,
                comparison,
                quantity,
                iv.get("estimate", ""),
                iv.get("ci_low", ""),
                iv.get("ci_high", ""),
                n,
                "" if p is None else p,
            ]
        )

    for o in res.result.get("outcomes", []):
        name = o["outcome"]["name"]
        for c in o["contrasts"]:
            comp = f"{c['treatment']} vs {c['reference']}"
            interval("pooled", name, comp, "difference (points)", c["effect"], c["n_participants"], c["p_value"])
            if c.get("prediction_interval"):
                interval("pooled", name, comp, "prediction interval", c["prediction_interval"], c["n_participants"])
            for r in c["forest"]:
                interval(
                    "participant",
                    name,
                    comp,
                    r["participant"],
                    {"estimate": r["estimate"], "ci_low": r["ci_low"], "ci_high": r["ci_high"]},
                    r["n_days"],
                )
        if o.get("responders"):
            r = o["responders"]
            interval(
                "responders",
                name,
                f"{r['treatment']} vs {r['reference']}",
                f">= {r['threshold_pct']:g}% improvement (proportion)",
                r["proportion"],
                r["n_classified"],
            )
        for pc in o.get("percent_change", []):
            interval(
                "percent change",
                name,
                f"{pc['treatment']} vs {pc['reference']}",
                "mean percent improvement",
                pc["mean"],
                pc["n"],
            )
        cross = o.get("crossover")
        if cross and cross.get("carryover"):
            interval(
                "crossover",
                name,
                f"{cross['treatment']} vs {cross['reference']}",
                "carry-over (sequence difference)",
                cross["carryover"],
                cross["n_participants"],
                cross.get("carryover_p_value"),
            )
        for pe in (cross or {}).get("period_effects", []):
            interval(
                "crossover",
                name,
                "",
                f"period {pe['period']} effect",
                {"estimate": pe["estimate"], "ci_low": pe["ci_low"], "ci_high": pe["ci_high"]},
                cross["n_participants"],
                pe["p_value"],
            )
    for m in res.result.get("lab", []):
        for lc in m["contrasts"]:
            interval(
                "lab",
                m["measure"],
                f"{lc['treatment']} vs {lc['reference']}",
                f"difference ({m['unit']})",
                lc["difference"],
                lc["n_pairs"],
                lc["p_value"],
            )
    blinding = res.result.get("blinding") or {}
    for arm in blinding.get("arms", []):
        interval("blinding", "", arm["arm"], "Bang's blinding index", arm["index"], arm["n"])
    return out.getvalue()
