"""The trials' words in the active language, translated when shown (issue 21).

What a trial stores stays English and language-neutral, because it is a key or feeds the
pre-registration hash chain (``sealing.py``): phase kinds, the protocol templates' names, the default
treatment and comparison names ("the treatment", "placebo"), the default title ("Crossover: LDN 4.5 mg"),
the reason logged when a new custodian accepts. This module turns them into words at display time.

fibrostats (a Django-free package) writes some English sentences of its own; the ones with a fixed
wording (its caveats, its sensitivity-analysis labels, the probability phrases) are given again here
in the active language. Its data notices stay English for now (docs/architecture.md, "Translations").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, gettext_noop, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fibrotrack.trials import protocols

if TYPE_CHECKING:
    from fibrotrack.trials.models import Trial

# The choices people pick a phase kind from (forms, the model's choices).
KIND_CHOICES = [
    (protocols.BASELINE, _("Baseline (nothing new)")),
    (protocols.PLACEBO, pgettext_lazy("trial phase", "Placebo")),
    (protocols.TREATMENT, _("Treatment being tested")),
    (protocols.COMPARISON, _("Comparison treatment")),
    (protocols.WASHOUT, _("Washout (stopped, letting it wear off)")),
    (protocols.PAUSE, _("Pause")),
]

# A phase's short name, as a heading or a table row.
_SHORT = {
    protocols.BASELINE: pgettext_lazy("trial phase", "Baseline"),
    protocols.PLACEBO: pgettext_lazy("trial phase", "Placebo"),
    protocols.TREATMENT: pgettext_lazy("trial phase", "Treatment"),
    protocols.COMPARISON: pgettext_lazy("trial phase", "Comparison"),
    protocols.WASHOUT: pgettext_lazy("trial phase", "Washout"),
    protocols.PAUSE: pgettext_lazy("trial phase", "Pause"),
}
# The same inside a sentence ("during the baseline"): German keeps its capital, English and Spanish do not.
_IN_SENTENCE = {
    protocols.BASELINE: pgettext_lazy("trial phase, inside a sentence", "baseline"),
    protocols.PLACEBO: pgettext_lazy("trial phase, inside a sentence", "placebo"),
    protocols.TREATMENT: pgettext_lazy("trial phase, inside a sentence", "treatment"),
    protocols.COMPARISON: pgettext_lazy("trial phase, inside a sentence", "comparison"),
    protocols.WASHOUT: pgettext_lazy("trial phase, inside a sentence", "washout"),
    protocols.PAUSE: pgettext_lazy("trial phase, inside a sentence", "pause"),
}

# Stored defaults (see actions.do_create_trial): English in the database, translated when shown.
DEFAULT_TREATMENT = gettext_noop("the treatment")
DEFAULT_CONTROL = gettext_noop("placebo")
DEFAULT_COMPARISON = gettext_noop("the comparison treatment")
_DEFAULT_NAMES = {
    DEFAULT_TREATMENT: _("the treatment"),
    DEFAULT_CONTROL: pgettext_lazy("the control of a trial", "placebo"),
    DEFAULT_COMPARISON: _("the comparison treatment"),
}
NEW_CUSTODIAN_REASON = gettext_noop("A new custodian accepted.")
IMPORTED_TITLE = gettext_noop("Imported trial")

# The protocol templates' names as stored in ``Trial.template`` and its registration (protocols.TEMPLATE_NAMES).
_TEMPLATE_NAMES = {
    protocols.LDN_PILOT: _("LDN pilot design"),
    protocols.CROSSOVER: _("Crossover"),
    protocols.PAIRS: _("Randomized pairs"),
    protocols.BEFORE_AFTER: _("Before/after"),
    protocols.CUSTOM: _("Custom"),
}


#: For a form's choices, made at import time: lazy, so each page shows them in its own language.
TEMPLATE_CHOICES = [(t.key, _TEMPLATE_NAMES[t.key]) for t in protocols.all_templates()]


def format_date(day: Any, pattern: str) -> str:
    """A date in the active language, written with one of the app's patterns ("j M Y", "j F Y", "j F").

    The one place the trials format a date in Python, so that the locale's own order (lib/l10n.py, issue 21)
    can be applied here for all of them.
    """
    return date_format(day, pattern)


def kind_name(kind: str) -> str:
    return str(_SHORT.get(kind, kind))


def kind_in_sentence(kind: str) -> str:
    return str(_IN_SENTENCE.get(kind, kind))


def person_name(name: str) -> str:
    """A treatment or comparison name: a stored default in the active language, the person's own as written."""
    default = _DEFAULT_NAMES.get(name)
    return str(default) if default is not None else name


def template_name(key: str) -> str:
    return str(_TEMPLATE_NAMES.get(key, _TEMPLATE_NAMES[protocols.CUSTOM]))


def template_summary(template: protocols.Template) -> str:
    return gettext(template.summary) % dict(template.summary_args)


def template_notes(template: protocols.Template) -> list[str]:
    return [gettext(note) for note in template.notes]


def template_view(template: protocols.Template) -> dict[str, Any]:
    """A template as a page shows it: name, summary and notes translated, the citation as published."""
    return {
        "key": template.key,
        "name": template_name(template.key),
        "summary": template_summary(template),
        "citation": template.citation,
        "notes": template_notes(template),
    }


def before_after_caveat() -> str:
    return gettext(protocols.BEFORE_AFTER_CAVEAT)


def default_title(template: protocols.Template, treatment_name: str) -> str:
    """The title a trial gets when the person gives none: English, so that its registration is the same
    whatever language the page was in; ``display_title`` shows it in the active language."""
    return f"{protocols.TEMPLATE_NAMES[template.key]}: {treatment_name}"


def display_title(trial: Trial) -> str:
    title = trial.title
    if title == IMPORTED_TITLE:
        return gettext(IMPORTED_TITLE)
    english = protocols.TEMPLATE_NAMES.get(trial.template, "")
    if english and (title == english or title.startswith(english + ": ")):
        return template_name(trial.template) + title[len(english) :]
    return title


def logged_reason(reason: str) -> str:
    """A reason in the pre-registration log: FibroTrack's own in the active language, a person's as written."""
    return gettext(NEW_CUSTODIAN_REASON) if reason == NEW_CUSTODIAN_REASON else reason


def in_sentence(label: str) -> str:
    """A name written with a capital as a heading ("Pain"), inside a sentence: lower case, except in German."""
    return label if (get_language() or "en").startswith("de") else label.lower()


# fibrostats' fixed English sentences ---------------------------------------------------------------


def chance(p: float) -> str:
    """fibrostats.probability_phrase in the active language: rounded to what a daily diary can support."""
    if p < 0.01:
        return gettext("less than 1%")
    if p > 0.99:
        return gettext("more than 99%")
    pct = round(100 * p) if p < 0.1 or p > 0.9 else 5 * round(20 * p)
    return gettext("about %(pct)d%%") % {"pct": pct}


_CAVEATS = {
    "These numbers describe one person's diary. A difference between phases is an association with the treatment "
    "periods, not proof that the treatment caused it.": _(
        "These numbers describe one person's diary. A difference between phases is an association with the "
        "treatment periods, not proof that the treatment caused it."
    ),
    "Unless the order of the phases was randomized, a before/after difference cannot be separated from changes "
    "over time, expectations (placebo response) or regression to the mean (starting a treatment during a bad "
    "spell that would have eased anyway).": _(
        "Unless the order of the phases was randomized, a before/after difference cannot be separated from "
        "changes over time, expectations (placebo response) or regression to the mean (starting a treatment "
        "during a bad spell that would have eased anyway)."
    ),
    "Intervals and probabilities allow for day-to-day correlation (regression with AR(1) errors); they do not "
    "allow for other treatment changes, carry-over or missing days that were skipped because of how the person "
    "felt.": _(
        "Intervals and probabilities allow for day-to-day correlation (regression with AR(1) errors); they do "
        "not allow for other treatment changes, carry-over or missing days that were skipped because of how the "
        "person felt."
    ),
    "Discuss any decision about treatment with your doctor.": _(
        "Discuss any decision about treatment with your doctor."
    ),
}

_METHOD_LABELS = {
    "ar1-gls": _("Regression with AR(1) errors (GLS, REML rho, Kenward-Roger small-sample correction)"),
    "newey-west-hac": _("OLS with Newey-West HAC standard errors (sensitivity analysis)"),
    "ols": _("Plain OLS - ignores autocorrelation, shown for comparison only"),
}


def caveat(text: str) -> str:
    found = _CAVEATS.get(text)
    return str(found) if found is not None else text


def method_label(method: str, english: str) -> str:
    found = _METHOD_LABELS.get(method)
    return str(found) if found is not None else english


def randomization_message(r: Any) -> str:
    """What the randomization test was, or why there is none; fibrostats' own reason stays English."""
    if not r.available:
        return str(r.message)
    exact = r.method == "exact"
    if r.alternative == "greater":
        if exact:
            return gettext("exact test, one-sided in the direction of improvement")
        return gettext("Monte Carlo test, one-sided in the direction of improvement")
    return gettext("exact test, two-sided") if exact else gettext("Monte Carlo test, two-sided")


def role_name(role: str) -> str:
    names = {
        "participant": pgettext("trial role", "participant"),
        "custodian": pgettext("trial role", "custodian"),
    }
    return names.get(role, role)
