"""Show the seeded groups' and categories' names and descriptions in the reader's language.

The database keeps the English wording (an admin may change it); only wording that is still exactly
the seeded English text is translated, so a name an admin typed is shown as typed.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def seeded(value: Any) -> Any:
    from fibrotrack.community.reference import SEEDED_TEXTS  # reference.py loads actions; keep template loading light

    return gettext(value) if isinstance(value, str) and value in SEEDED_TEXTS else value
