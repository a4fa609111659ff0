"""Where a row left out of an import was: stored as "row 12" or "line 5" (a finished import's result
is kept as written), shown in the reader's language."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.translation import gettext

register = template.Library()

_WHERE = re.compile(r"^(row|line) (\d+)$")


@register.filter
def where(location: Any) -> str:
    text = str(location)
    match = _WHERE.match(text)
    if match is None:
        return text  # a section and a number ("checkins #3"): the file's own words
    if match[1] == "row":
        return gettext("row {number}").format(number=match[2])
    return gettext("line {number}").format(number=match[2])
