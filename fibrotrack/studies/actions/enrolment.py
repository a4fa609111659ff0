"""Enrolment: invite codes, opening and closing, joining with a code, screening and withdrawal.

Joining takes one transaction: the code's row is locked (so a single-use code
can never be used twice, even by two people at the same moment), then the
study's row (so participant codes "SHORT-007" are handed out one at a time and
the protocol is registered exactly once, at the first enrolment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fibrotrack.lib.dates import diary_day
from fibrotrack.studies import codes, roles, screener
from fibrotrack.studies.access import StaffView, check_role
from fibrotrack.studies.actions import allocation, consent, protocol
from fibrotrack.studies.designs import Protocol
from fibrotrack.studies.models import InviteCode, Membership, Participant, Screening, Study

MAX_DAYS_VALID = 365


# Codes ------------------------------------------------------------------------------------


@transaction.atomic
def do_create_code(
    view: StaffView, *, max_uses: int, days_valid: int, label: str = "", site: str = ""
) -> tuple[InviteCode, str]:
    """A new code (``max_uses`` 1: personal) or link (more uses). Returns the row and the code."""
    check_role(view, roles.ENROLS, "make invitation codes")
    if not 1 <= max_uses <= 10_000:
        raise ValidationError(_("A code can be used 1 to 10,000 times."))
    if not 1 <= days_valid <= MAX_DAYS_VALID:
        raise ValidationError(_("A code is valid for 1 to 365 days."))
    nonce = codes.new_nonce()
    code = codes.code_for(nonce)
    row = InviteCode.objects.create(
        study=view.study,
        code_hash=codes.code_hash(code),
        nonce=nonce,
        label=label.strip()[:100],
        max_uses=max_uses,
        site=site.strip()[:60],
        created_by=view.membership.user,
        expires_at=timezone.now() + dt.timedelta(days=days_valid),
    )
    return row, code


@transaction.atomic
def do_revoke_code(view: StaffView, code: InviteCode) -> None:
    check_role(view, roles.ENROLS, "withdraw invitation codes")
    if code.revoked_at is None:
        code.revoked_at = timezone.now()
        code.save(update_fields=["revoked_at"])


def code_state(code: InviteCode, now: dt.datetime | None = None) -> str:
    """``"usable"``, ``"revoked"``, ``"expired"`` or ``"used"``."""
    now = now or timezone.now()
    if code.revoked_at is not None:
        return "revoked"
    if code.expires_at <= now:
        return "expired"
    if code.uses >= code.max_uses:
        return "used"
    return "usable"


def check_code(typed: str, *, lock: bool = False) -> InviteCode:
    """The usable code ``typed`` stands for, or a ValidationError that says plainly why not."""
    normalised = codes.normalise(typed)
    rows = InviteCode.objects.select_related("study")
    if lock:
        rows = rows.select_for_update(of=("self",))
    found = rows.filter(code_hash=codes.code_hash(normalised)).first() if normalised else None
    if found is None:
        raise ValidationError(_("We do not recognise this code. Check it with the study team."), code="unknown")
    state = code_state(found)
    if state == "revoked":
        raise ValidationError(_("This code has been withdrawn by the study team. Ask them for a new one."), code=state)
    if state == "expired":
        raise ValidationError(_("This code has expired. Ask the study team for a new one."), code=state)
    if state == "used":
        message = (
            _("This code has already been used. Each personal code works once: ask the study team for your own.")
            if found.max_uses == 1
            else _("This link has been used as many times as the study team allowed. Ask them for a new one.")
        )
        raise ValidationError(message, code=state)
    if not found.study.accepts_enrolment:
        raise ValidationError(
            _("This study is not taking new participants at the moment, so it cannot accept your consent."),
            code="closed",
        )
    return found


# Opening and closing ------------------------------------------------------------------------


@transaction.atomic
def do_open_enrolment(view: StaffView) -> Study:
    """Open the study to new participants (the allocation list is drawn by the randomisation module)."""
    check_role(view, roles.MANAGES, "open enrolment")
    study = Study.objects.select_for_update().get(pk=view.study.pk)
    if study.status not in (Study.Status.DRAFT, Study.Status.CLOSED):
        raise ValidationError(_("Only a study being set up or closed to enrolment can open."))
    if consent.current_consent(study) is None:
        raise ValidationError(_("Publish a consent form first: nobody can join without one."))
    protocol._checked(Protocol.from_json(study.protocol))
    study.status = Study.Status.OPEN
    study.save(update_fields=["status"])
    # Drawn now, before anyone is randomised, so the list exists (and is concealed) from the start.
    allocation.do_generate_allocation(study)
    return study


@transaction.atomic
def do_close_enrolment(view: StaffView) -> Study:
    check_role(view, roles.MANAGES, "close enrolment")
    study = Study.objects.select_for_update().get(pk=view.study.pk)
    if study.status != Study.Status.OPEN:
        raise ValidationError(_("The study is not open to enrolment."))
    study.status = Study.Status.CLOSED
    study.save(update_fields=["status"])
    return study


# Joining -----------------------------------------------------------------------------------


def check_may_join(user: Any, study: Study) -> None:
    """A member of the staff cannot also be a participant; nobody joins a study twice."""
    if Membership.objects.filter(study=study, user=user).exists():
        raise PermissionDenied(
            _("You are on this study's team, so you cannot also take part in it: that would break its blinding.")
        )
    if Participant.objects.filter(study=study, user=user).exists():
        raise ValidationError(_("You already take part in this study."), code="already")


def next_code(study: Study) -> str:
    """The next participant code, ``SHORT-007``. Call with the study's row locked."""
    taken = set(study.participants.values_list("code", flat=True))
    number = len(taken) + 1
    while f"{study.short_code}-{number:03d}" in taken:
        number += 1
    return f"{study.short_code}-{number:03d}"


@transaction.atomic
def do_join(
    user: Any, typed_code: str, *, consent_version: int, typed_name: str, shares: Collection[str]
) -> Participant:
    """Sign the consent with a code: the person becomes a participant in screening."""
    invite = check_code(typed_code, lock=True)
    study = Study.objects.select_for_update().get(pk=invite.study_id)
    check_may_join(user, study)
    current = consent.current_consent(study)
    if current is None:
        raise ValidationError(_("This study has no consent form yet, so nobody can join."))
    if current.version != consent_version:
        raise ValidationError(
            _("The consent form changed while you were reading it. Please read the new version."), code="stale"
        )
    protocol.register(study, user)
    proto = Protocol.from_json(study.protocol)
    participant = Participant.objects.create(
        study=study,
        user=user,
        code=next_code(study),
        invite=invite,
        stratum=invite.site if proto.stratify_by == "site" else "",
    )
    consent.sign(participant, current, typed_name, shares)
    invite.uses += 1
    invite.save(update_fields=["uses"])
    return participant


# Screening ---------------------------------------------------------------------------------


@transaction.atomic
def do_screen(participant: Participant, answers: screener.Answers, raw: dict[str, Any]) -> screener.Decision:
    participant = Participant.objects.select_for_update().select_related("study").get(pk=participant.pk)
    if participant.status != Participant.Status.SCREENING:
        raise ValidationError(_("You have already answered the screening questions."))
    proto = Protocol.from_json(participant.study.protocol)
    decision = screener.decide(proto, answers)
    Screening.objects.create(
        participant=participant,
        answers=raw,
        wpi=decision.wpi,
        sss=decision.sss,
        eligible=decision.eligible,
        reasons=decision.reasons,
    )
    participant.group = answers.group if answers.group in proto.groups else ""
    if proto.stratify_by == "group":
        participant.stratum = participant.group
    participant.status = Participant.Status.ELIGIBLE if decision.eligible else Participant.Status.SCREEN_FAILED
    participant.screen_fail_reasons = decision.reasons
    participant.save(update_fields=["group", "stratum", "status", "screen_fail_reasons"])
    return decision


# Withdrawal --------------------------------------------------------------------------------

#: Kept when a participant asks for their data to be removed: the pseudonymous ``Participant`` row
#: (CONSORT counts), the signed consent forms (the proof that whatever was collected was collected
#: with consent, which good clinical practice requires the study to keep), adverse event reports
#: (safety reporting is a legal duty that a withdrawal does not lift), the allocation slot (the
#: concealed list must stay whole) and the access log. Every other study record about them goes,
#: including those other modules add later (visits, lab measures, answers), unless listed here.
KEPT_ON_REMOVAL = frozenset(
    {"studies.consentsignature", "studies.adverseevent", "studies.allocationslot", "studies.accesslogentry"}
)


def _remove_records(participant: Participant) -> int:
    removed = 0
    for relation in Participant._meta.related_objects:
        model = relation.related_model
        if model._meta.label_lower in KEPT_ON_REMOVAL or model._meta.app_label != "studies":
            continue
        if getattr(relation, "on_delete", None) is not models.CASCADE:
            continue
        count, _per_model = model._default_manager.filter(**{relation.field.name: participant}).delete()
        removed += count
    return removed


@transaction.atomic
def do_withdraw(participant: Participant, *, by: Any, keep_data: bool, reason: str = "") -> Participant:
    """Withdraw now. The study reads nothing more of their diary from this moment (``access``)."""
    # of=("self",): the user is a nullable join, and PostgreSQL cannot lock the nullable side of one.
    participant = Participant.objects.select_for_update(of=("self",)).select_related("user").get(pk=participant.pk)
    if participant.status == Participant.Status.WITHDRAWN:
        raise ValidationError(_("This participation has already ended."))
    if not keep_data:
        _remove_records(participant)
    participant.status = Participant.Status.WITHDRAWN
    participant.withdrawn_at = timezone.now()
    participant.withdrawal_keeps_data = keep_data
    participant.withdrawal_reason = reason.strip()[:2000]
    participant.withdrawn_by = by
    # The study reads no diary day from the day of the withdrawal on (``monitoring.diary_window``).
    today = diary_day(participant.user) if participant.user else timezone.localdate()
    participant.close_window(today - dt.timedelta(days=1))
    # The blinded capsules in their own treatments end too (the last day they took part).
    allocation.stop_capsules(participant, today - dt.timedelta(days=1))
    participant.save(
        update_fields=[
            "status",
            "withdrawn_at",
            "withdrawal_keeps_data",
            "withdrawal_reason",
            "withdrawn_by",
            "end_date",
        ]
    )
    return participant


def do_withdraw_for(view: StaffView, participant: Participant, *, keep_data: bool, reason: str) -> Participant:
    """A coordinator records a withdrawal the participant asked for (by phone, at a visit)."""
    check_role(view, roles.ENROLS, "record a withdrawal")
    return do_withdraw(participant, by=view.membership.user, keep_data=keep_data, reason=reason)
