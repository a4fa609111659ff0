"""Scoring of the 2016 revision of the ACR fibromyalgia criteria.

Wolfe F, et al. 2016 Revisions to the 2010/2011 fibromyalgia diagnostic
criteria. Semin Arthritis Rheum. 2016;46(3):319-329.

Pure functions, unit-tested against hand-worked cases at every boundary. The
result is never a diagnosis: only a clinician can make one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from fibrotrack.diary.regions import AREAS, BY_CODE

NOT_A_DIAGNOSIS = gettext_lazy(
    "This score is not a diagnosis. Only a clinician who examines you can diagnose "
    "fibromyalgia; take these numbers to your doctor."
)
# Shown wherever the questionnaire is in another language than the published English one.
UNOFFICIAL_TRANSLATION = gettext_lazy(
    "This is an unofficial translation of the ACR 2016 questionnaire, made for FibroTrack. "
    "The published, validated wording is in English (Wolfe et al. 2016)."
)


def notes() -> dict[str, str]:
    """What every questionnaire page says: not a diagnosis, and, in another language than English,
    that the wording is an unofficial translation."""
    language = (translation.get_language() or "en").split("-")[0]
    return {
        "not_a_diagnosis": str(NOT_A_DIAGNOSIS),
        "unofficial_translation": "" if language == "en" else str(UNOFFICIAL_TRANSLATION),
    }


# Polysymptomatic distress bands (Wolfe et al. 2016; "fibromyalgianess"). The band is a key (exports,
# the API): the same in every language; ``band_label`` is its name in the active language.
PSD_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 3, "none"),
    (4, 7, "mild"),
    (8, 11, "moderate"),
    (12, 19, "severe"),
    (20, 31, "very severe"),
)
_BAND_LABELS = {
    "none": gettext_noop("none"),
    "mild": gettext_noop("mild"),
    "moderate": gettext_noop("moderate"),
    "severe": gettext_noop("severe"),
    "very severe": gettext_noop("very severe"),
}


def band_label(band: str) -> str:
    """A PSD band's name in the active language (the key itself if unknown)."""
    return gettext(_BAND_LABELS[band]) if band in _BAND_LABELS else band


@dataclass(frozen=True)
class AcrScore:
    wpi: int
    sss: int
    psd: int
    psd_band: str
    painful_areas: int
    generalized_pain: bool
    severity_rule_met: bool
    duration_met: bool
    criteria_met: bool

    @property
    def band_label(self) -> str:
        return band_label(self.psd_band)


def wpi(regions: Iterable[str]) -> int:
    codes = set(regions)
    unknown = codes - BY_CODE.keys()
    if unknown:
        raise ValueError(f"unknown WPI regions: {sorted(unknown)}")
    return len(codes)


def painful_areas(regions: Iterable[str]) -> int:
    """How many of the 5 areas have pain, ignoring jaw, chest and abdomen."""
    return len({BY_CODE[c].area for c in set(regions) if BY_CODE[c].counts_for_generalized} & set(AREAS))


def sss(
    *,
    fatigue: int,
    unrefreshed: int,
    cognitive: int,
    headache: bool,
    abdominal: bool,
    depression: bool,
) -> int:
    for name, value in (("fatigue", fatigue), ("unrefreshed", unrefreshed), ("cognitive", cognitive)):
        if not 0 <= value <= 3:
            raise ValueError(f"{name} must be 0-3, got {value}")
    return fatigue + unrefreshed + cognitive + int(headache) + int(abdominal) + int(depression)


def psd_band(psd: int) -> str:
    for low, high, label in PSD_BANDS:
        if low <= psd <= high:
            return label
    raise ValueError(f"PSD must be 0-31, got {psd}")


def severity_rule(wpi_score: int, sss_score: int) -> bool:
    """(WPI ≥ 7 and SSS ≥ 5) or (WPI 4–6 and SSS ≥ 9)."""
    return (wpi_score >= 7 and sss_score >= 5) or (4 <= wpi_score <= 6 and sss_score >= 9)


def score(
    *,
    regions: Iterable[str],
    fatigue: int,
    unrefreshed: int,
    cognitive: int,
    headache: bool,
    abdominal: bool,
    depression: bool,
    three_months: bool,
) -> AcrScore:
    region_list = list(regions)
    w = wpi(region_list)
    s = sss(
        fatigue=fatigue,
        unrefreshed=unrefreshed,
        cognitive=cognitive,
        headache=headache,
        abdominal=abdominal,
        depression=depression,
    )
    areas = painful_areas(region_list)
    generalized = areas >= 4
    rule = severity_rule(w, s)
    return AcrScore(
        wpi=w,
        sss=s,
        psd=w + s,
        psd_band=psd_band(w + s),
        painful_areas=areas,
        generalized_pain=generalized,
        severity_rule_met=rule,
        duration_met=three_months,
        criteria_met=rule and generalized and three_months,
    )
