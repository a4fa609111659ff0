"""Permission-scoped getters and checks: the only way views read studies.

A study is seen by its staff (``Membership``, one role each) and, for their
own part only, by its participants. Anyone else gets Http404, and so does a
member whose role may not see a page (the blinded assessor asking for the
allocation gets the same answer as a stranger): a page's existence tells
nothing. What each role may see is decided in ``roles``; this module applies it.

Views that show identifiable data (names, e-mail addresses) or the
allocation also call ``actions.do_log_access`` (the access log).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from fibrotrack.studies import roles
from fibrotrack.studies.models import InviteCode, Membership, Participant, StaffInvite, Study


@dataclass(frozen=True)
class StaffView:
    """A staff member looking at their study: what a view needs to decide what to show."""

    study: Study
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def sees_allocation(self) -> bool:
        """Before unblinding only the pharmacist; after it, every member."""
        return self.role in roles.SEES_ALLOCATION or self.study.is_unblinded

    @property
    def sees_identity(self) -> bool:
        return self.role in roles.SEES_IDENTITY

    def has(self, allowed: Collection[str]) -> bool:
        return self.role in allowed


def studies_for_staff(user: Any) -> QuerySet[Study]:
    if not user.is_authenticated:
        return Study.objects.none()
    return Study.objects.filter(memberships__user=user).order_by("-created_at")


def get_staff_view(user: Any, study_uuid: uuid.UUID | str, allowed: Collection[str] | None = None) -> StaffView:
    """The study as ``user``'s role sees it; Http404 for non-members and for roles not in ``allowed``."""
    if not user.is_authenticated:
        raise Http404
    membership = Membership.objects.select_related("study").filter(study__uuid=study_uuid, user=user).first()
    if membership is None or (allowed is not None and membership.role not in allowed):
        raise Http404
    return StaffView(membership.study, membership)


def get_participant_for_staff(view: StaffView, participant_pk: int) -> Participant:
    """One participant of the staff member's study (never another study's)."""
    found = view.study.participants.filter(pk=participant_pk).first()
    if found is None:
        raise Http404
    return found


def get_participation_for_user(user: Any, study_uuid: uuid.UUID | str) -> Participant:
    """The signed-in person's own participation in a study."""
    if not user.is_authenticated:
        raise Http404
    found = Participant.objects.select_related("study").filter(study__uuid=study_uuid, user=user).first()
    if found is None:
        raise Http404
    return found


def participations_for_user(user: Any) -> QuerySet[Participant]:
    if not user.is_authenticated:
        return Participant.objects.none()
    return Participant.objects.filter(user=user).select_related("study").order_by("-created_at")


def check_role(view: StaffView, allowed: Collection[str], what: str) -> None:
    """For writes: a member whose role may not do ``what`` gets a clear refusal (403), not a silent no-op."""
    if view.role not in allowed:
        raise PermissionDenied(f"Your role in this study ({view.membership.get_role_display()}) cannot {what}.")


# Enrolment (st-enrol) ---------------------------------------------------------------------------


def get_code_for_staff(view: StaffView, code_pk: int) -> InviteCode:
    found = view.study.invite_codes.filter(pk=code_pk).first()
    if found is None:
        raise Http404
    return found


def get_membership_for_staff(view: StaffView, membership_pk: int) -> Membership:
    found = view.study.memberships.select_related("user").filter(pk=membership_pk).first()
    if found is None:
        raise Http404
    return found


def get_staff_invite_for_staff(view: StaffView, invite_pk: int) -> StaffInvite:
    found = view.study.staff_invites.filter(pk=invite_pk).first()
    if found is None:
        raise Http404
    return found
