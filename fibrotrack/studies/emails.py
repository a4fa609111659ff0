"""E-mails the study sends through the worker (django-tasks), never inside a request.

The unblinding alert goes to the PI and the data monitor (``roles.ALERTED``)
at once. It names the study's short code and the participant's pseudonymous
code, who broke the blind (their role) and why; never the arm, which stays on
the pages of those allowed to see it. Each recipient reads it in their own language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task


@task()
def send_unblinding_alert(event_id: int) -> int:
    from fibrotrack.studies import roles
    from fibrotrack.studies.models import Membership, UnblindingEvent

    event = UnblindingEvent.objects.select_related("study", "participant").filter(pk=event_id).first()
    if event is None:
        return 0
    members = Membership.objects.filter(study=event.study, role__in=roles.ALERTED).select_related("user")
    url = settings.SITE_ROOT.rstrip("/") + reverse("studies:unblindings", kwargs={"study": event.study.uuid})
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    sent = 0
    for member in members:
        with translation.override(member.user.language or settings.LANGUAGE_CODE):
            context = {
                "site_name": settings.SITE_NAME,
                "event": event,
                "study": event.study,
                "participant": event.participant,
                "role": dict(roles.CHOICES).get(event.by_role, event.by_role),
                "url": url,
            }
            if event.participant is not None:
                subject = gettext("%(study)s: emergency unblinding of %(code)s") % {
                    "study": event.study.short_code.upper(),
                    "code": event.participant.code,
                }
            else:
                subject = gettext("%(study)s: the study has been unblinded") % {"study": event.study.short_code.upper()}
            body = render_to_string("studies/email/unblinding_alert.txt", context)
        EmailMessage(
            subject=f"{prefix}{subject}",
            body=body,
            to=[member.user.email],
            headers={"Auto-Submitted": "auto-generated"},
        ).send()
        sent += 1
    return sent
