"""The dispensing log: the pharmacist records each bottle handed out."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fibrotrack.studies import bottles, roles
from fibrotrack.studies.access import StaffView, check_role
from fibrotrack.studies.actions.allocation import protocol_of
from fibrotrack.studies.models import AllocationSlot, Dispensing, Participant


@transaction.atomic
def do_record_dispensing(
    view: StaffView,
    participant: Participant,
    *,
    bottle: int,
    dispensed_on: dt.date,
    today: dt.date,
    capsules: int | None = None,
    note: str = "",
) -> Dispensing:
    check_role(view, roles.SEES_ALLOCATION, _("dispense study medicine"))
    slot = AllocationSlot.objects.filter(study=view.study, participant=participant).first()
    if slot is None:
        raise ValidationError(_("This participant has not been randomised, so they have no kit yet."))
    count = bottles.bottle_count(protocol_of(view.study))
    if not 1 <= bottle <= count:
        raise ValidationError(_("A kit of this study has bottles 1 to %(count)d.") % {"count": count})
    if dispensed_on > today:
        raise ValidationError(_("That day hasn’t happened yet."))
    return Dispensing.objects.create(
        study=view.study,
        participant=participant,
        kit=slot.kit,
        bottle=bottle,
        capsules=capsules,
        dispensed_on=dispensed_on,
        dispensed_by=view.membership.user,
        note=note.strip(),
    )
