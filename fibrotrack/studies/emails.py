"""The staff invitation e-mail, sent by a django-tasks task, never inside a request.

As for trials' custodian invitations: the task receives only the invite's id,
and the token in the link is an HMAC of the invite's nonce under SECRET_KEY
(``codes.staff_token``), stored neither in the database (only its SHA-256)
nor in the task queue. The e-mail names the study and the role, nothing about
any participant.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from fibrotrack.studies import codes


def accept_url(token: str) -> str:
    return settings.SITE_ROOT.rstrip("/") + reverse("studies:staff_accept", args=[token])


@task()
def send_staff_invite(invite_id: int) -> bool:
    from fibrotrack.studies.models import StaffInvite

    invite = StaffInvite.objects.select_related("study", "invited_by").filter(pk=invite_id).first()
    if invite is None or not invite.is_open():
        return False
    # The invitee's language is unknown: the e-mail is in the inviter's.
    language = getattr(invite.invited_by, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "site_name": settings.SITE_NAME,
            "study": invite.study.title,
            "role": invite.get_role_display(),
            "inviter": invite.invited_by.public_name if invite.invited_by else "",
            "url": accept_url(codes.staff_token(invite.nonce)),
            "expires_at": invite.expires_at,
        }
        subject = translation.gettext("You are invited to help run a research study")
        body = render_to_string("studies/email/staff_invite.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    EmailMessage(
        subject=f"{prefix}{subject}",
        body=body,
        to=[invite.email],
        headers={"Auto-Submitted": "auto-generated"},
    ).send()
    return True
