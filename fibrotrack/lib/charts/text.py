"""How wide a label will be, without a browser.

The estimates follow DejaVu Sans (the widest of the usual sans-serif fonts and
the one the PDF uses), rounded up, so a label laid out here takes no more room
on the page than this says. The browser tests measure the real boxes.
"""

from __future__ import annotations

FONT_SIZE = 13  # SVG user units; charts are drawn at their CSS width, so also CSS px (never below 12)
_NARROW = set("iljtfr.,:;'!|()[] ")
_WIDE = set("mwMWOQGDHNU@%—…")


def char_width(char: str) -> float:
    """A character's advance in em, rounded up."""
    if char in _NARROW:
        return 0.42
    if char in _WIDE:
        return 1.0
    if char.isupper():
        return 0.8
    if char.isdigit():
        return 0.66
    return 0.64


def text_width(text: str, size: float = FONT_SIZE) -> float:
    return round(sum(char_width(c) for c in text) * size + 1, 1)


def fit(text: str, width: float, size: float = FONT_SIZE) -> str:
    """``text`` if it fits in ``width``, else its longest prefix with an ellipsis that does ("" if none)."""
    if text_width(text, size) <= width:
        return text
    for cut in range(len(text) - 1, 2, -1):
        candidate = text[:cut].rstrip() + "…"
        if text_width(candidate, size) <= width:
            return candidate
    return ""
