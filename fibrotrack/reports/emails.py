"""E-mail for clinician invitations, sent by django-tasks outside the request.

The task makes the invitation token itself and stores only its hash, so the
token exists in one place: the e-mail. Sending again makes a new token, which
also retires the link in any earlier e-mail.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task

from fibrotrack.lib.i18n import person_language
from fibrotrack.reports.access import token_hash
from fibrotrack.reports.models import ClinicianGrant


def absolute(path: str) -> str:
    return settings.SITE_ROOT.rstrip("/") + path


@task()
def send_clinician_invite(grant_id: int, language: str = "") -> bool:
    """``language``: the one the patient used when inviting (their own setting wins); the clinician's is unknown."""
    with transaction.atomic():
        grant = (
            ClinicianGrant.objects.select_for_update(of=("self",))
            .select_related("patient")
            .filter(pk=grant_id, status=ClinicianGrant.Status.PENDING)
            .first()
        )
        if grant is None or not grant.invite_is_open():
            return False
        token = secrets.token_urlsafe(32)
        grant.token_hash = token_hash(token)
        grant.save(update_fields=["token_hash"])
    url = absolute(reverse("reports:invite_accept", args=[token]))
    context = {"site_name": settings.SITE_NAME, "grant": grant, "url": url, "days": ClinicianGrant.INVITE_DAYS}
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    with translation.override(person_language(grant.patient, language)):
        message = EmailMessage(
            # Fixed words only: the subject is what a spammer would most like to write.
            subject=prefix + gettext("An invitation to read a patient's symptom diary"),
            body=render_to_string("reports/email/invite.txt", context),
            to=[grant.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
    message.send()
    return True
