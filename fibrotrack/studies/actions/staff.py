"""The study's team: invitations by e-mail, accepting them, removing members.

One role per person per study keeps duties apart (the pharmacist who holds the
allocation is never also the assessor who measures), and nobody is both on the
team and a participant of the same study. Only the address an invitation was
sent to may accept it (the lesson of issue 17: compare with the account's own
verified addresses, ``trials.access.check_invited_account``). Invitations are
flood-controlled like every e-mail one person's action sends to another.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fibrotrack.lib import floodcontrol
from fibrotrack.lib.tasks import enqueue
from fibrotrack.studies import codes, emails, roles
from fibrotrack.studies.access import StaffView, check_role
from fibrotrack.studies.models import Membership, Participant, StaffInvite, Study
from fibrotrack.trials.access import check_invited_account

INVITE_DAYS = 14
#: The principal investigator starts the study; the team they invite takes the other roles.
INVITABLE = (roles.COORDINATOR, roles.ASSESSOR, roles.PHARMACIST, roles.MONITOR)


@transaction.atomic
def do_invite_staff(view: StaffView, *, email: str, role: str) -> StaffInvite:
    check_role(view, roles.MANAGES, "invite people to the team")
    study = Study.objects.select_for_update().get(pk=view.study.pk)
    address = email.strip().lower()
    if role not in INVITABLE:
        raise ValidationError(_("Choose a role for the new member."))
    if Membership.objects.filter(study=study, user__email__iexact=address).exists():
        raise ValidationError(_("Someone with this address is already on the team: one role per person."))
    if Participant.objects.filter(study=study, user__email__iexact=address).exists():
        raise ValidationError(_("This address belongs to a participant of the study, who cannot also be on its team."))
    by = view.membership.user
    floodcontrol.check_within(
        lambda start: StaffInvite.objects.filter(invited_by=by, created_at__gte=start).count(),
        floodcontrol.invitation_limits(),
        "team invitations",
    )
    now = timezone.now()
    study.staff_invites.filter(email=address, accepted_at=None, revoked_at=None).update(revoked_at=now)
    nonce = codes.new_nonce()
    invite = StaffInvite.objects.create(
        study=study,
        email=address,
        role=role,
        nonce=nonce,
        token_hash=codes.token_hash(codes.staff_token(nonce)),
        invited_by=by,
        expires_at=now + dt.timedelta(days=INVITE_DAYS),
    )
    enqueue(emails.send_staff_invite, invite.pk)
    return invite


def find_staff_invite(token: str) -> StaffInvite | None:
    """The open invitation a link's token stands for."""
    found = StaffInvite.objects.select_related("study", "invited_by").filter(token_hash=codes.token_hash(token)).first()
    return found if found is not None and found.is_open() else None


def check_may_accept(user: Any, invite: StaffInvite) -> None:
    """Why ``user`` may not accept, as a 403 with a plain reason."""
    try:
        check_invited_account(user, invite.email)
    except ValidationError as exc:
        raise PermissionDenied(
            _(
                "This invitation was sent to a different e-mail address. Sign in with the account for that "
                "address to accept it."
            )
        ) from exc
    if Membership.objects.filter(study_id=invite.study_id, user=user).exists():
        raise PermissionDenied(_("You are already on this study's team: one role per person."))
    if Participant.objects.filter(study_id=invite.study_id, user=user).exists():
        raise PermissionDenied(_("You take part in this study, so you cannot also be on its team."))


@transaction.atomic
def do_accept_staff_invite(user: Any, invite: StaffInvite) -> Membership:
    invite = StaffInvite.objects.select_for_update().get(pk=invite.pk)
    if not invite.is_open():
        raise PermissionDenied(_("This invitation has expired or was withdrawn."))
    Study.objects.select_for_update().get(pk=invite.study_id)
    check_may_accept(user, invite)
    membership = Membership.objects.create(
        study_id=invite.study_id, user=user, role=invite.role, added_by=invite.invited_by
    )
    invite.accepted_at = timezone.now()
    invite.accepted_by = user
    invite.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def do_revoke_staff_invite(view: StaffView, invite: StaffInvite) -> None:
    check_role(view, roles.MANAGES, "withdraw invitations")
    if invite.accepted_at is None and invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])


@transaction.atomic
def do_remove_staff(view: StaffView, membership: Membership) -> None:
    check_role(view, roles.MANAGES, "remove members of the team")
    if membership.role == roles.PI:
        raise ValidationError(_("The principal investigator cannot be removed."))
    membership.delete()
