"""Extension point: other apps prepare their data before an account is deleted.

Almost everything goes with the user row (``on_delete=CASCADE``). An app
whose data must outlive the person in another form (community posts left up
without an author, threads others replied to) registers a step here in its
``AppConfig.ready()``; ``do_delete_account`` runs every step inside its
transaction just before the user row is deleted, so that if any step fails,
nothing is deleted or changed. Accounts never imports the apps built on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


class DeletionStep(Protocol):
    def __call__(self, user: User, *, keep_posts: bool) -> None:
        """Prepare this app's data; ``keep_posts`` is the person's choice on the delete page."""


# An ordered set: registering the same function twice runs it once.
_STEPS: dict[DeletionStep, None] = {}


def register(step: DeletionStep) -> None:
    _STEPS[step] = None


def registered() -> list[DeletionStep]:
    return list(_STEPS)
