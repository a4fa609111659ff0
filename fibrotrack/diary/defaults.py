"""What a new person tracks unless they choose otherwise, and built-in tags."""

from __future__ import annotations

from typing import NamedTuple


class DefaultSymptom(NamedTuple):
    key: str
    name: str
    lower_is_better: bool
    hint: str


# Everything is on a 0-10 numeric rating scale; for sleep quality, higher is
# better, which is why direction is stored per symptom rather than assumed.
DEFAULT_SYMPTOMS: tuple[DefaultSymptom, ...] = (
    DefaultSymptom("pain", "Pain", True, "0 = no pain, 10 = worst pain imaginable"),
    DefaultSymptom("fatigue", "Fatigue", True, "0 = no fatigue, 10 = worst fatigue imaginable"),
    DefaultSymptom("sleep_quality", "Sleep quality", False, "0 = worst sleep, 10 = best sleep"),
    DefaultSymptom("fibro_fog", "Fibro fog", True, "Trouble thinking or remembering. 0 = none, 10 = worst"),
    DefaultSymptom("mood", "Mood", False, "0 = very low, 10 = very good"),
    DefaultSymptom("stiffness", "Stiffness", True, "0 = none, 10 = worst imaginable"),
)
HINTS = {s.key: s.hint for s in DEFAULT_SYMPTOMS}

BUILTIN_TAGS: tuple[tuple[str, str], ...] = (
    ("stress", "Stress"),
    ("poor_sleep", "Poor sleep"),
    ("overexertion", "Overexertion"),
    ("weather_change", "Weather change"),
    ("illness", "Illness"),
    ("menstrual_cycle", "Menstrual cycle"),
    ("travel", "Travel"),
)
