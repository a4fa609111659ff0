"""Notification texts that are put together from parts, in the recipient's language.

A notification row stores its text; ``notifications.notify`` turns the lazy text into words in the
recipient's language, so these functions return lazy strings and run their gettext calls only then.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_noop as _

from fibrotrack.community.models import ModerationAction

Action = ModerationAction.Action

# What a moderator did to someone's thread, said to its author ("{title}" is the thread's title).
THREAD_FLAG_NOTICES = {
    Action.PIN: _("A moderator pinned your thread “{title}”."),
    Action.UNPIN: _("A moderator unpinned your thread “{title}”."),
    Action.LOCK: _("A moderator locked your thread “{title}”."),
    Action.UNLOCK: _("A moderator unlocked your thread “{title}”."),
    Action.HIDE_THREAD: _("A moderator hid your thread “{title}”."),
    Action.RESTORE_THREAD: _("A moderator restored your thread “{title}”."),
}


def _moderator_notice(template: str, title: str, reason: str, optional: bool = False) -> str:
    text = gettext(template).format(title=title)
    if reason:
        return gettext("%(what)s Reason: %(reason)s") % {"what": text, "reason": reason}
    if optional:
        return text
    return gettext("%(what)s Reason: not given") % {"what": text}


def _ban_notice(group: str | None, expires_at: dt.datetime | None, days: int | None, reason: str) -> str:
    if expires_at is not None:
        until = date_format(timezone.localtime(expires_at), "j F Y")
        if group is None:
            text = gettext("You are banned from the community until %(until)s.") % {"until": until}
        else:
            text = gettext("You are banned from %(group)s until %(until)s.") % {"group": group, "until": until}
    elif days:
        if group is None:
            text = ngettext(
                "You are banned from the community for %(days)s day.",
                "You are banned from the community for %(days)s days.",
                days,
            ) % {"days": days}
        else:
            text = ngettext(
                "You are banned from %(group)s for %(days)s day.",
                "You are banned from %(group)s for %(days)s days.",
                days,
            ) % {"group": group, "days": days}
    elif group is None:
        text = gettext("You are banned from the community for good.")
    else:
        text = gettext("You are banned from %(group)s for good.") % {"group": group}
    return gettext("%(what)s Reason: %(reason)s") % {"what": text, "reason": reason}


moderator_notice = lazy(_moderator_notice, str)
ban_notice = lazy(_ban_notice, str)
