"""The eligibility screener's decision: the protocol's rules applied to the answers. No models.

The ACR 2016 criteria are scored by the diary's own code (``diary.acr2016``),
so a study and a person's weekly questionnaire always agree. Every reason a
person is not eligible is kept as a code with its numbers (the study's
CONSORT flow counts them) and shown in kind, plain words (``reason_text``).
A screener's result is not a diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from fibrotrack.diary import acr2016
from fibrotrack.studies.designs import Protocol

HEALTHY_CONTROL = "healthy_control"
GROUP_LABELS = {
    "fibromyalgia": gettext_lazy("People with fibromyalgia"),
    HEALTHY_CONTROL: gettext_lazy("Healthy volunteers (the comparison group)"),
}


def group_label(key: str) -> str:
    label = GROUP_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Answers:
    age: int
    is_woman: bool | None = None
    takes_opioids: bool | None = None
    group: str = ""
    # Index of each exclusion question answered "yes".
    exclusions_yes: tuple[int, ...] = ()
    # The ACR 2016 questionnaire (None when it is not asked).
    acr: dict[str, Any] | None = None


@dataclass
class Decision:
    eligible: bool
    reasons: list[dict[str, Any]] = field(default_factory=list)
    wpi: int | None = None
    sss: int | None = None


def needs_acr(protocol: Protocol, group: str) -> bool:
    """Healthy controls are not screened with the fibromyalgia criteria."""
    return protocol.eligibility.requires_acr_2016 and group != HEALTHY_CONTROL


def decide(protocol: Protocol, answers: Answers) -> Decision:
    rules = protocol.eligibility
    decision = Decision(eligible=True)
    reasons = decision.reasons
    if answers.age < rules.min_age:
        reasons.append({"code": "too_young", "min_age": rules.min_age})
    if rules.max_age is not None and answers.age > rules.max_age:
        reasons.append({"code": "too_old", "max_age": rules.max_age})
    if rules.women_only and answers.is_woman is not True:
        reasons.append({"code": "women_only"})
    if rules.excludes_opioids and answers.takes_opioids:
        reasons.append({"code": "opioids"})
    if protocol.groups and answers.group not in protocol.groups:
        reasons.append({"code": "no_group"})
    for index in answers.exclusions_yes:
        if 0 <= index < len(rules.exclusion_questions):
            reasons.append({"code": "exclusion", "question": rules.exclusion_questions[index]})
    if needs_acr(protocol, answers.group):
        if answers.acr is None:
            reasons.append({"code": "acr_missing"})
        else:
            score = acr2016.score(**answers.acr)
            decision.wpi, decision.sss = score.wpi, score.sss
            if not score.criteria_met:
                reasons.append({"code": "acr_not_met", "wpi": score.wpi, "sss": score.sss})
    decision.eligible = not reasons
    return decision


def reason_text(reason: dict[str, Any]) -> str:
    """One kept reason in plain words, in the active language."""
    code = reason.get("code")
    if code == "too_young":
        return gettext("This study takes people aged %(age)s or older.") % {"age": reason.get("min_age")}
    if code == "too_old":
        return gettext("This study takes people up to the age of %(age)s.") % {"age": reason.get("max_age")}
    if code == "women_only":
        return gettext(
            "This study takes women only, as the published study it repeats did, so that its results can be compared."
        )
    if code == "opioids":
        return gettext(
            "You take an opioid painkiller. Naltrexone blocks opioid painkillers: they would stop working while "
            "you take it, so taking part would not be safe for you. Please do not stop any medicine to take part; "
            "talk to your doctor first."
        )
    if code == "no_group":
        return gettext("No group was chosen.")
    if code == "exclusion":
        return gettext("You answered yes to: “%(question)s”") % {"question": reason.get("question", "")}
    if code == "acr_missing":
        return gettext("The fibromyalgia questionnaire was not filled in.")
    if code == "acr_not_met":
        return gettext(
            "Your answers (pain areas %(wpi)s, symptom severity %(sss)s) do not meet the 2016 fibromyalgia criteria "
            "this study uses. This is not a diagnosis either way: only a doctor can diagnose fibromyalgia."
        ) % {"wpi": reason.get("wpi"), "sss": reason.get("sss")}
    return gettext("Another reason the study team recorded.")
