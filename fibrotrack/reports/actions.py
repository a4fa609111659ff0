"""Every write for sharing: links, clinician grants and the access log."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fibrotrack.accounts.models import User
from fibrotrack.lib import floodcontrol
from fibrotrack.lib.tasks import enqueue
from fibrotrack.reports.access import token_hash
from fibrotrack.reports.emails import send_clinician_invite
from fibrotrack.reports.models import AccessLogEntry, ClinicianGrant, ShareLink


@transaction.atomic
def do_create_share_link(
    user: User,
    *,
    start: dt.date,
    end: dt.date,
    include: Iterable[str],
    expires_in_days: int,
    label: str = "",
    patient_name: str = "",
) -> tuple[ShareLink, str]:
    """A new link and its token. The token is returned once and never stored."""
    if expires_in_days not in {days for days, _ in ShareLink.EXPIRY_CHOICES}:
        raise ValueError("a link expires in 7, 30 or 90 days")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ShareLink.objects.create(
        user=user,
        label=label,
        patient_name=patient_name,
        token_hash=token_hash(token),
        start=start,
        end=end,
        include=sorted(set(include)),
        created_at=now,
        expires_at=now + dt.timedelta(days=expires_in_days),
    )
    return link, token


@transaction.atomic
def do_revoke_share_link(link: ShareLink) -> ShareLink:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


RESEND_AFTER = dt.timedelta(days=1)


def _check_invitation_flood(patient: User) -> None:
    """At most FIBROTRACK_INVITES_PER_HOUR / _PER_DAY invitation e-mails, new or sent again.

    Each send moves the grant's expiry INVITE_DAYS ahead of the send, and a
    grant is sent again at most once a day (RESEND_AFTER), so the grants whose
    last send falls in a window count the e-mails sent in it.
    """

    def sent_since(start: dt.datetime) -> int:
        latest = start + dt.timedelta(days=ClinicianGrant.INVITE_DAYS)
        return ClinicianGrant.objects.filter(patient=patient, invite_expires_at__gt=latest).count()

    floodcontrol.check_within(sent_since, floodcontrol.invitation_limits(), "invitations")


@transaction.atomic
def do_invite_clinician(patient: User, email: str, patient_name: str = "") -> ClinicianGrant:
    """A pending grant; the e-mail (with the token) goes out from a task after the commit.

    Raises ValidationError when the patient has sent too many invitations lately.
    """
    User.objects.select_for_update().filter(pk=patient.pk).first()  # one sender's invitations, one at a time
    _check_invitation_flood(patient)
    now = timezone.now()
    grant = ClinicianGrant.objects.create(
        patient=patient,
        email=email.strip().lower(),
        patient_name=patient_name.strip(),
        # Replaced by the task, which makes the real token; this one is never sent anywhere.
        token_hash=token_hash(secrets.token_urlsafe(32)),
        invite_expires_at=now + dt.timedelta(days=ClinicianGrant.INVITE_DAYS),
    )
    enqueue(send_clinician_invite, grant.pk, translation.get_language() or "")
    return grant


@transaction.atomic
def do_resend_invite(grant: ClinicianGrant) -> ClinicianGrant:
    if grant.status != ClinicianGrant.Status.PENDING:
        raise ValueError("only a pending invitation can be sent again")
    User.objects.select_for_update().filter(pk=grant.patient_id).first()
    if grant.last_sent_at > timezone.now() - RESEND_AFTER:
        raise ValidationError(
            _(
                "This invitation was sent less than a day ago. Ask your clinician to look in their spam folder; "
                "you can send it again tomorrow."
            ),
            code="flood",
        )
    _check_invitation_flood(grant.patient)
    grant.invite_expires_at = timezone.now() + dt.timedelta(days=ClinicianGrant.INVITE_DAYS)
    grant.save(update_fields=["invite_expires_at"])
    enqueue(send_clinician_invite, grant.pk, translation.get_language() or "")
    return grant


@transaction.atomic
def do_accept_invite(grant: ClinicianGrant, clinician: User) -> ClinicianGrant:
    grant = ClinicianGrant.objects.select_for_update().get(pk=grant.pk)
    if not grant.invite_is_open():
        raise ValueError("this invitation is no longer open")
    now = timezone.now()
    # A second invitation from the same patient replaces the first grant.
    ClinicianGrant.objects.filter(
        patient_id=grant.patient_id, clinician=clinician, status=ClinicianGrant.Status.ACTIVE
    ).update(status=ClinicianGrant.Status.REVOKED, ended_at=now)
    grant.clinician = clinician
    grant.status = ClinicianGrant.Status.ACTIVE
    grant.accepted_at = now
    grant.token_hash = token_hash(secrets.token_urlsafe(32))  # the e-mailed link is spent
    grant.save(update_fields=["clinician", "status", "accepted_at", "token_hash"])
    return grant


@transaction.atomic
def do_decline_invite(grant: ClinicianGrant) -> ClinicianGrant:
    grant.status = ClinicianGrant.Status.DECLINED
    grant.ended_at = timezone.now()
    grant.save(update_fields=["status", "ended_at"])
    return grant


@transaction.atomic
def do_end_grant(grant: ClinicianGrant) -> ClinicianGrant:
    """The patient ends a clinician's access (or cancels an invitation). Takes effect at once."""
    if grant.status in {ClinicianGrant.Status.ACTIVE, ClinicianGrant.Status.PENDING}:
        grant.status = ClinicianGrant.Status.REVOKED
        grant.ended_at = timezone.now()
        grant.save(update_fields=["status", "ended_at"])
    return grant


def do_log_access(
    patient: User,
    *,
    what: str,
    share_link: ShareLink | None = None,
    grant: ClinicianGrant | None = None,
) -> AccessLogEntry:
    if share_link is not None:
        via, who = AccessLogEntry.Via.LINK, f"Share link “{share_link.label or 'untitled'}”"
    elif grant is not None and grant.clinician is not None:
        via, who = AccessLogEntry.Via.CLINICIAN, f"{grant.clinician.email} (clinician)"
    else:
        raise ValueError("an access is either through a link or by a clinician")
    return AccessLogEntry.objects.create(
        patient=patient, via=via, who=who[:200], what=what[:120], share_link=share_link, grant=grant
    )
