"""Progress cards: a frozen chart or result a person may attach to a post."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from fibrotrack.community.actions.text import check_text
from fibrotrack.community.models import ProgressCard

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


def do_create_card(user: User, *, kind: str, title: str, svg: str, caption: str = "") -> ProgressCard:
    caption = " ".join(caption.split())
    if caption:
        caption = check_text(caption, what=gettext_lazy("The caption"), max_chars=300)
    return ProgressCard.objects.create(owner=user, kind=kind, title=title[:200], svg=svg, caption=caption)


def do_remove_card(user: User, card: ProgressCard) -> None:
    if card.owner_id != user.pk:
        raise PermissionDenied(gettext_lazy("That progress card is not yours."))
    card.delete()
