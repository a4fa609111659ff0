"""The sharing setting in the person's data export (export only: an import never makes anyone share)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fibrotrack.knowledge.outcomes_access import get_consent_for_user

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


def export_consent(user: User) -> dict[str, Any] | None:
    consent = get_consent_for_user(user)
    if consent is None:
        return None
    return {
        "sharing": consent.is_sharing,
        "consented_at": consent.consented_at.isoformat() if consent.consented_at else None,
        "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
    }
