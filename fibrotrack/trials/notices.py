"""fibrostats' data notices in the active language.

fibrostats is Django-free and writes each notice as an English sentence with a stable ``code``. For the
codes a result shows, the sentence's numbers and names are read back with a pattern of its wording and
the sentence is written again from the catalogue; phase labels become the person's words. When the
wording does not match (a newer fibrostats), ``translate`` returns None and the English stays, so nothing
is ever lost or misread.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext, ngettext

_PHASE = r"'(?P<phase>[^']+)'"
_PATTERNS: dict[str, re.Pattern[str]] = {
    code: re.compile(pattern)
    for code, pattern in {
        "empty_phase": rf"Phase {_PHASE} has no recorded (?P<outcome>.+) values\.",
        "short_phase": rf"Phase {_PHASE} has only (?P<days>\d+) recorded days of (?P<outcome>.+) "
        r"\(fewer than (?P<min>\d+)\); its average is unreliable\.",
        "missing_days": r"(?P<missing>\d+) of (?P<planned>\d+) days \((?P<pct>\d+)%\) have no (?P<outcome>.+) value in "
        rf"phase {_PHASE} \(more than (?P<max>\d+)%\)\. If days were skipped on bad \(or good\) days, the average "
        r"is biased\.",
        "low_adherence": r"The treatment was taken on (?P<pct>\d+)% of the (?P<days>\d+) recorded days in phase "
        rf"{_PHASE} \(below (?P<min>\d+)%\); the comparison understates what the treatment does when taken as "
        r"planned\.",
        "other_treatment_change": r"Another treatment changed during the comparison: (?P<what>.+)\. Any difference "
        r"may be due to that change\.",
        "percent_undefined": rf"The {_PHASE} level of (?P<outcome>.+) is at the bottom of the scale, so a percent "
        r"change cannot be calculated\.",
        "percent_interval_unbounded": rf"The {_PHASE} level of (?P<outcome>.+) is too close to the bottom of the "
        r"scale to put a useful interval around the percent change; use the change in points instead\.",
        "randomization_unavailable": r"The randomization test could not be run: (?P<reason>.+)\.",
        "randomization_underpowered": r"With (?P<units>\d+) randomization units the smallest possible p-value is "
        r"(?P<p>[0-9.e+-]+): this design cannot reach p < 0\.05 whatever the data show\.",
        "unattributed_days": r"(?P<gap>\d+) days? between '(?P<a>[^']+)' and '(?P<b>[^']+)' \((?P<first>[0-9-]+) to "
        r"(?P<last>[0-9-]+)\) have no entries and cannot be attributed to either phase, so they are not counted as "
        r"missing; give the planned phase lengths to count them\.",
        "no_variation": r"The values do not vary from day to day within phases, so the uncertainty of the "
        r"differences cannot be estimated\.",
        "strong_autocorrelation": r"Day-to-day values are extremely correlated \(rho = (?P<rho>[0-9.-]+)\); the "
        r"series may be drifting\. Consider analysing with a time trend\.",
        "too_few_days": r"Only (?P<n>\d+) observed days for (?P<k>\d+) phase levels(?P<trend> and a trend)?: too few "
        r"to estimate the uncertainty\.",
        "endpoint_gap": rf"The last (?P<days>\d+) days of {_PHASE} are not all recorded; the endpoint uses the last "
        r"(?P<n>\d+) recorded days \((?P<first>[0-9-]+) to (?P<last>[0-9-]+)\)\.",
    }.items()
}


def _text(code: str, v: dict[str, Any]) -> str | None:  # noqa: C901 - one branch per notice
    if code == "empty_phase":
        return gettext("Phase “%(phase)s” has no recorded values of %(outcome)s.") % v
    if code == "short_phase":
        return (
            gettext(
                "Phase “%(phase)s” has only %(days)s recorded days of %(outcome)s (fewer than %(min)s); its average "
                "is unreliable."
            )
            % v
        )
    if code == "missing_days":
        return (
            gettext(
                "%(missing)s of %(planned)s days (%(pct)s%%) have no value of %(outcome)s in phase “%(phase)s” (more "
                "than %(max)s%%). If days were skipped on bad (or good) days, the average is biased."
            )
            % v
        )
    if code == "low_adherence":
        return (
            gettext(
                "The treatment was taken on %(pct)s%% of the %(days)s recorded days in phase “%(phase)s” (below "
                "%(min)s%%); the comparison understates what the treatment does when taken as planned."
            )
            % v
        )
    if code == "other_treatment_change":
        return (
            gettext(
                "Another treatment changed during the comparison: %(what)s. Any difference may be due to that change."
            )
            % v
        )
    if code == "percent_undefined":
        return (
            gettext(
                "The level of %(outcome)s in “%(phase)s” is at the bottom of the scale, so a percent change cannot be "
                "calculated."
            )
            % v
        )
    if code == "percent_interval_unbounded":
        return (
            gettext(
                "The level of %(outcome)s in “%(phase)s” is too close to the bottom of the scale to put a useful "
                "interval around the percent change; use the change in points instead."
            )
            % v
        )
    if code == "randomization_unavailable":
        return gettext("The randomization test could not be run: %(reason)s.") % v
    if code == "randomization_underpowered":
        return (
            gettext(
                "With %(units)s randomization units the smallest possible p-value is %(p)s: this design cannot reach "
                "p < 0.05 whatever the data show."
            )
            % v
        )
    if code == "unattributed_days":
        return (
            ngettext(
                "%(gap)s day between “%(a)s” and “%(b)s” (%(first)s to %(last)s) has no entries and cannot be "
                "attributed to either phase, so it is not counted as missing; give the planned phase lengths to count it.",
                "%(gap)s days between “%(a)s” and “%(b)s” (%(first)s to %(last)s) have no entries and cannot be "
                "attributed to either phase, so they are not counted as missing; give the planned phase lengths to "
                "count them.",
                int(v["gap"]),
            )
            % v
        )
    if code == "no_variation":
        return gettext(
            "The values do not vary from day to day within phases, so the uncertainty of the differences cannot be "
            "estimated."
        )
    if code == "strong_autocorrelation":
        return (
            gettext(
                "Day-to-day values are extremely correlated (ρ = %(rho)s); the series may be drifting. Consider "
                "analysing with a time trend."
            )
            % v
        )
    if code == "too_few_days":
        if v.get("trend"):
            return (
                gettext(
                    "Only %(n)s observed days for %(k)s phase levels and a trend: too few to estimate the uncertainty."
                )
                % v
            )
        return gettext("Only %(n)s observed days for %(k)s phase levels: too few to estimate the uncertainty.") % v
    if code == "endpoint_gap":
        return (
            gettext(
                "The last %(days)s days of “%(phase)s” are not all recorded; the endpoint uses the last %(n)s recorded "
                "days (%(first)s to %(last)s)."
            )
            % v
        )
    return None


def translate(code: str, message: str, phase_name: Callable[[str], str]) -> str | None:
    """The notice in the active language, or None when its wording is not one this module knows."""
    pattern = _PATTERNS.get(code)
    found = pattern.fullmatch(message) if pattern else None
    if found is None:
        return None
    values: dict[str, Any] = {k: ("" if v is None else v) for k, v in found.groupdict().items()}
    for key in ("phase", "a", "b"):
        if key in values:
            values[key] = phase_name(values[key])
    return _text(code, values)
