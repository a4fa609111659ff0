"""Self-harm and suicide mentions: detection, and the crisis resources to show.

Chronic pain raises the risk of suicide. When a post or message mentions
self-harm or suicide, the poster and every reader see a banner with crisis
resources, and the post goes to the moderators' queue so that a person can
reach out. Detection is deliberately generous: a banner shown once too often
costs little; one missed costs a great deal.

The resources are configurable per deployment with ``COMMUNITY_CRISIS_RESOURCES``
(Markdown; one resource a line).
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

PATTERNS = (
    r"suicid\w*",
    r"kill(?:ing)? my ?self",
    r"end(?:ing)? (?:it all|my life|things)",
    r"take my (?:own )?life",
    r"(?:don'?t|do not|no longer) want to (?:be here|live|be alive|wake up|exist)",
    r"better off (?:dead|without me)",
    r"self[- ]?harm\w*",
    r"hurt(?:ing)? my ?self",
    r"cut(?:ting)? my ?self",
    r"overdos\w+ on purpose",
    r"(?:want|wish|wanted) to die",
    r"no reason to (?:live|go on)",
    r"can'?t go on",
)
_RE = re.compile(r"(?<!\w)(?:" + "|".join(PATTERNS) + r")(?!\w)", re.IGNORECASE)

DEFAULT_RESOURCES = gettext_noop(
    """\
If you are in danger right now, call your local emergency number (999 or 112 in the UK and Europe, 911 in the US).
UK and Ireland: Samaritans, free, day or night: call 116 123 or e-mail jo@samaritans.org.
US: call or text 988 (Suicide & Crisis Lifeline).
Elsewhere: find a free, confidential helpline at https://findahelpline.com."""
)


def mentions_crisis(*texts: str) -> bool:
    return any(_RE.search(text or "") for text in texts)


@lru_cache(maxsize=4)
def _render(source: str) -> str:
    from fibrotrack.community.markup import render

    return render(source).html


def resources_html() -> SafeString:
    # A site's own resources are shown as configured; the default ones in the reader's language.
    source = getattr(settings, "COMMUNITY_CRISIS_RESOURCES", "") or gettext(DEFAULT_RESOURCES)
    return mark_safe(_render(source))  # noqa: S308  (markdown-it + nh3 output)
