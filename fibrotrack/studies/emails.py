"""Study e-mails, sent by django-tasks tasks, never inside a request.

An alert names the participant by study code only, never by name, and says
nothing about the allocation: the people alerted may be blinded. Each
recipient gets it in their own language.

Staff invitations (as trials' custodian invitations): the task receives only
the invite's id, and the token in the link is an HMAC of the invite's nonce
under SECRET_KEY (``codes.staff_token``), stored neither in the database (only
its SHA-256) nor in the task queue. The e-mail names the study and the role,
nothing about any participant.

The unblinding alert (``send_unblinding_alert``) goes to the same people at
once: who broke the blind (their role), for whom and why; never the arm,
which stays on the pages of those allowed to see it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from fibrotrack.lib.i18n import person_language
from fibrotrack.studies import codes, roles


def _site(path: str) -> str:
    return settings.SITE_ROOT.rstrip("/") + path


def _send(to: str, subject: str, body: str) -> None:
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    EmailMessage(subject=f"{prefix}{subject}", body=body, to=[to], headers={"Auto-Submitted": "auto-generated"}).send()


def _alert(study: Any, write: Callable[[], tuple[str, str]]) -> int:
    """Send ``write()``'s (subject, body) to the study's PI and monitor(s), each in their own language."""
    from fibrotrack.studies.models import Membership

    sent = 0
    for membership in Membership.objects.filter(study=study, role__in=roles.ALERTED).select_related("user"):
        with translation.override(person_language(membership.user)):
            subject, body = write()
        _send(membership.user.email, subject, body)
        sent += 1
    return sent


@task()
def send_serious_event_alert(event_id: int) -> int:
    """E-mail the principal investigator and the data monitor(s); returns how many were sent."""
    from fibrotrack.studies.models import AdverseEvent

    event = AdverseEvent.objects.select_related("participant__study").filter(pk=event_id).first()
    if event is None or event.alert_sent_at is not None:
        return 0
    study = event.participant.study

    def write() -> tuple[str, str]:
        context = {
            "study": study,
            "event": event,
            "code": event.participant.code,
            "criteria": [str(label) for value, label in AdverseEvent.Criterion.choices if value in event.criteria],
            "url": _site(reverse("studies:monitoring", args=[study.uuid])),
        }
        subject = _("Serious adverse event in %(study)s (%(code)s)") % {
            "study": study.short_code,
            "code": event.participant.code,
        }
        return subject, render_to_string("studies/email/serious_event.txt", context)

    sent = _alert(study, write)
    AdverseEvent.objects.filter(pk=event.pk).update(alert_sent_at=timezone.now())
    return sent


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
    _send(invite.email, subject, body)
    return True


@task()
def send_unblinding_alert(event_id: int) -> int:
    """E-mail the PI and the data monitor(s) that a blind was broken; returns how many were sent."""
    from fibrotrack.studies.models import UnblindingEvent

    event = UnblindingEvent.objects.select_related("study", "participant").filter(pk=event_id).first()
    if event is None:
        return 0
    study = event.study

    def write() -> tuple[str, str]:
        context = {
            "site_name": settings.SITE_NAME,
            "event": event,
            "study": study,
            "participant": event.participant,
            "role": event.by_role_label,
            "url": _site(reverse("studies:unblindings", kwargs={"study": study.uuid})),
        }
        if event.participant is not None:
            subject = _("%(study)s: emergency unblinding of %(code)s") % {
                "study": study.short_code.upper(),
                "code": event.participant.code,
            }
        else:
            subject = _("%(study)s: the study has been unblinded") % {"study": study.short_code.upper()}
        return subject, render_to_string("studies/email/unblinding_alert.txt", context)

    sent = _alert(study, write)
    return sent
