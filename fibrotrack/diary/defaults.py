"""What a new person tracks unless they choose otherwise, and built-in tags.

Reference data: the English words are stored (names, keys) and marked with gettext_noop; they are
translated when shown (``symptom_label``, ``tag_label``, ``hint``), so a stored name never changes
with the language and a person's own renamed symptom is shown as they wrote it.
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _


class DefaultSymptom(NamedTuple):
    key: str
    name: str
    lower_is_better: bool
    hint: str


# Everything is on a 0-10 numeric rating scale; for sleep quality, higher is
# better, which is why direction is stored per symptom rather than assumed.
DEFAULT_SYMPTOMS: tuple[DefaultSymptom, ...] = (
    DefaultSymptom("pain", _("Pain"), True, _("0 = no pain, 10 = worst pain imaginable")),
    DefaultSymptom("fatigue", _("Fatigue"), True, _("0 = no fatigue, 10 = worst fatigue imaginable")),
    DefaultSymptom("sleep_quality", _("Sleep quality"), False, _("0 = worst sleep, 10 = best sleep")),
    DefaultSymptom("fibro_fog", _("Fibro fog"), True, _("Trouble thinking or remembering. 0 = none, 10 = worst")),
    DefaultSymptom("mood", _("Mood"), False, _("0 = very low, 10 = very good")),
    DefaultSymptom("stiffness", _("Stiffness"), True, _("0 = none, 10 = worst imaginable")),
)
HINTS = {s.key: s.hint for s in DEFAULT_SYMPTOMS}

BUILTIN_TAGS: tuple[tuple[str, str], ...] = (
    ("stress", _("Stress")),
    ("poor_sleep", _("Poor sleep")),
    ("overexertion", _("Overexertion")),
    ("weather_change", _("Weather change")),
    ("illness", _("Illness")),
    ("menstrual_cycle", _("Menstrual cycle")),
    ("travel", _("Travel")),
)

_SYMPTOM_NAMES = frozenset(s.name for s in DEFAULT_SYMPTOMS)
_TAG_NAMES = frozenset(name for _key, name in BUILTIN_TAGS)


def symptom_label(name: str) -> str:
    """A default symptom's name in the active language; any other name as the person wrote it."""
    return gettext(name) if name in _SYMPTOM_NAMES else name


def tag_label(name: str) -> str:
    """A built-in tag's name in the active language; the person's own tags as they wrote them."""
    return gettext(name) if name in _TAG_NAMES else name


def hint(key: str) -> str:
    """The scale's anchor words of a default symptom, in the active language ("" for any other)."""
    return gettext(HINTS[key]) if key in HINTS else ""
