"""Words for the study pages: protocol labels (stored in English by the templates) in the reader's language."""

from __future__ import annotations

import re

from django.utils.translation import gettext

from fibrotrack.studies import designs

_VISIT_N = re.compile(r"^Visit (\d+)$")


def condition_label(condition: designs.Condition) -> str:
    return designs.template_text(condition.label)


def visit_label(label: str) -> str:
    match = _VISIT_N.match(label)
    if match:
        return gettext("Visit %(number)s") % {"number": match.group(1)}
    return designs.template_text(label)


def sequence_text(protocol: designs.Protocol, sequence: str) -> str:
    """ "AB: Baseline → LDN 4.5 mg → Placebo" (for those who may see the allocation only)."""
    steps = " → ".join(condition_label(protocol.condition(k)) for k in protocol.sequences.get(sequence, ()))
    return f"{sequence}: {steps}" if steps else sequence
