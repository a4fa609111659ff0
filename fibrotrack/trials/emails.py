"""The custodian invitation e-mail, sent by a django-tasks task, never inside a request.

The task receives only the invite's id. The token in the link is an HMAC of
the invite's random nonce under SECRET_KEY, recomputed here, so the token is
stored neither in the database (only its SHA-256) nor in the task queue.
The e-mail names the participant by their pseudonym, quoted as theirs, and
nothing about their health or the trial (not even its title, which they wrote).

It is written in the recipient's language: their account's language setting if they already have an
account at the invited address, else the language of the participant who invites them (who knows them),
else the site's default.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django_tasks import task

INVITE_SALT = "fibrotrack.trials.custodian-invite"


def invite_token(nonce: str) -> str:
    return salted_hmac(INVITE_SALT, nonce, algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def accept_url(token: str) -> str:
    return settings.SITE_ROOT.rstrip("/") + reverse("trials:accept_invite", args=[token])


@task()
def send_custodian_invite(invite_id: int) -> bool:
    from fibrotrack.trials.models import CustodianInvite

    invite = CustodianInvite.objects.select_related("trial__user").filter(pk=invite_id).first()
    if invite is None or not invite.is_open:
        return False
    participant = invite.trial.user
    # The participant's own words (the trial's title) stay out of the e-mail; their
    # display name is quoted in the body as theirs, and the subject is fixed.
    context = {
        "site_name": settings.SITE_NAME,
        "participant": participant.public_name,
        "email": invite.email,
        "url": accept_url(invite_token(invite.nonce)),
    }
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    with translation.override(recipient_language(invite.email, participant)):
        subject = gettext("Would you hold the blind for a personal treatment trial?")
        body = render_to_string("trials/email/custodian_invite.txt", context)
    EmailMessage(
        subject=f"{prefix}{subject}",
        body=body,
        to=[invite.email],
        headers={"Auto-Submitted": "auto-generated"},
    ).send()
    return True


def recipient_language(email: str, participant: Any) -> str:
    """The language to write to ``email`` in (see the module's docstring); only a language on offer."""
    from django.contrib.auth import get_user_model

    from fibrotrack.lib.i18n import person_language

    recipient = get_user_model().objects.filter(email__iexact=email).only("language").first()
    return person_language(recipient, getattr(participant, "language", "") or None)
