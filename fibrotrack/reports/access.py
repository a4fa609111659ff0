"""Permission-scoped getters for sharing. Anything a viewer may not see is a 404.

A share link is found only by the hash of its token and only while it is
neither revoked nor expired; a clinician reaches a patient only through an
active grant. Expired, revoked, unknown and someone else's look the same.
"""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from fibrotrack.accounts.models import User
from fibrotrack.reports.models import AccessLogEntry, ClinicianGrant, ShareLink


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def share_links_for_user(user: User) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(user=user)


def get_share_link_for_user(user: User, pk: int) -> ShareLink:
    return get_object_or_404(share_links_for_user(user), pk=pk)


def get_share_link_for_token(token: str) -> ShareLink:
    """The live link for ``token``; 404 when unknown, revoked or expired."""
    if not token or len(token) > 200:
        raise Http404("No such link")
    link = (
        ShareLink.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at=None, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    if link is None:
        raise Http404("No such link")
    return link


def grants_for_patient(user: User) -> QuerySet[ClinicianGrant]:
    return ClinicianGrant.objects.filter(patient=user).select_related("clinician")


def get_grant_for_patient(user: User, pk: int) -> ClinicianGrant:
    return get_object_or_404(grants_for_patient(user), pk=pk)


def patients_for_clinician(user: User) -> QuerySet[ClinicianGrant]:
    """Active grants to ``user``, one per patient, with the patient loaded."""
    return (
        ClinicianGrant.objects.filter(clinician=user, status=ClinicianGrant.Status.ACTIVE, patient__is_active=True)
        .select_related("patient")
        .order_by("patient_name", "patient__display_name", "pk")
    )


def get_grant_for_clinician(user: User, pk: int) -> ClinicianGrant:
    """An active grant to ``user``; 404 for a revoked grant or someone else's."""
    return get_object_or_404(patients_for_clinician(user), pk=pk)


def get_open_invite(token: str) -> ClinicianGrant:
    if not token or len(token) > 200:
        raise Http404("No such invitation")
    grant = (
        ClinicianGrant.objects.select_related("patient")
        .filter(token_hash=token_hash(token), status=ClinicianGrant.Status.PENDING, patient__is_active=True)
        .first()
    )
    if grant is None or not grant.invite_is_open():
        raise Http404("No such invitation")
    return grant


def access_log_for_user(user: User) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(patient=user)


def check_can_accept(grant: ClinicianGrant, user: User) -> str | None:
    """None if ``user`` may accept ``grant``, else the reason in a plain sentence."""
    if grant.patient_id == user.pk:
        return _("This is your own invitation: it has to be accepted by your clinician's account.")
    if grant.email.casefold() != user.email.casefold():
        return _(
            "This invitation was sent to {invited}, and you are signed in as {email}. "
            "Sign in with the invited address, or ask your patient to invite this one."
        ).format(invited=grant.email, email=user.email)
    return None
