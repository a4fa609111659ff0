"""Breaking the blind: one participant in an emergency, or the whole study after the dataset is locked.

Who may break it (decided here, documented in ``docs``): the **principal
investigator**, who is responsible for the participants' care in the study,
and the **pharmacist**, who holds the allocation anyway. A coordinator or the
blinded assessor asks one of them; the data monitor is told, not asked, so
that safety oversight stays independent of the decision. Every unblinding
needs a reason, is written to the append-only ``UnblindingEvent`` and the
access log, and the PI and the monitor (``roles.ALERTED``) are e-mailed at
once through the worker (the e-mail names the participant's code, never the
arm). The revealed order is shown to those who may break the blind (PI and
pharmacist) on the unblinding's page; everyone else stays blind until the
study is unblinded.

The whole study is unblinded only by the PI, and only once the dataset is
locked (``Study.locked_at``), so that nothing can be re-entered knowing the
arms.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fibrotrack.lib.tasks import enqueue
from fibrotrack.studies import emails, roles
from fibrotrack.studies.access import StaffView, check_role
from fibrotrack.studies.actions.access_log import do_log_access
from fibrotrack.studies.models import AllocationSlot, Participant, Study, UnblindingEvent

#: May break the blind for one participant in an emergency.
UNBLINDS_ONE = frozenset({roles.PI, roles.PHARMACIST})
#: May unblind the whole study once the dataset is locked.
UNBLINDS_STUDY = roles.MANAGES


def sees_revealed(view: StaffView) -> bool:
    """May read what an emergency unblinding revealed (before the whole study is unblinded)."""
    return view.sees_allocation or view.role in UNBLINDS_ONE


@transaction.atomic
def do_emergency_unblind(view: StaffView, participant: Participant, reason: str) -> UnblindingEvent:
    check_role(view, UNBLINDS_ONE, _("break the blind"))
    if not reason.strip():
        raise ValidationError(_("Say why the blind has to be broken now: it is kept and reported with the result."))
    if view.study.is_unblinded:
        raise ValidationError(_("The whole study is already unblinded."))
    if not AllocationSlot.objects.filter(participant=participant).exists():
        raise ValidationError(_("This participant has not been randomised, so there is no blind to break."))
    event = UnblindingEvent.objects.create(
        study=view.study,
        participant=participant,
        kind=UnblindingEvent.Kind.EMERGENCY,
        reason=reason.strip(),
        by=view.membership.user,
        by_role=view.role,
    )
    do_log_access(view, "emergency unblinding", participant=participant)
    enqueue(emails.send_unblinding_alert, event.pk)
    return event


@transaction.atomic
def do_unblind_study(view: StaffView, reason: str = "") -> UnblindingEvent:
    check_role(view, UNBLINDS_STUDY, _("unblind the study"))
    study = Study.objects.select_for_update().get(pk=view.study.pk)
    if study.unblinded_at is not None:
        raise ValidationError(_("The study is already unblinded."))
    if study.locked_at is None:
        raise ValidationError(
            _("Lock the dataset first: the study is unblinded only when nothing can be changed any more.")
        )
    now = timezone.now()
    study.unblinded_at, study.status = now, Study.Status.UNBLINDED
    study.save(update_fields=["unblinded_at", "status"])
    view.study.unblinded_at, view.study.status = study.unblinded_at, study.status
    event = UnblindingEvent.objects.create(
        study=study,
        kind=UnblindingEvent.Kind.STUDY,
        reason=reason.strip() or _("The dataset was locked; the pre-registered analysis can be run."),
        by=view.membership.user,
        by_role=view.role,
        created_at=now,
    )
    do_log_access(view, "study unblinded")
    enqueue(emails.send_unblinding_alert, event.pk)
    return event
