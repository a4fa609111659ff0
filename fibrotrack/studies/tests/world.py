"""A running study with one person in every role, for the role sweep and any test that needs the whole cast.

``build_study_world()`` makes a randomised, double-blind crossover with a
principal investigator, a coordinator, a blinded assessor, a pharmacist, a
data monitor, two participants (each with their own identity planted as a
secret the others must not see) and a stranger. The two participants are
allocated opposite period orders, so swapping them (``swap_allocation``) is a
consistent alternative draw: only what is in each bottle differs.

A topic that needs more (visits, dispensing, a locked dataset) adds one
function ``_with_<topic>(world)`` here and one call to it at the end of
``build_study_world``, and records the ids its URLs need in ``world.ids``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from fibrotrack.accounts.models import User
from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.studies import codes, designs, roles
from fibrotrack.studies.models import (
    AllocationSlot,
    ConsentSignature,
    ConsentVersion,
    InviteCode,
    Membership,
    Participant,
    StaffInvite,
    Study,
)

STAFF_ROLES = (roles.PI, roles.COORDINATOR, roles.ASSESSOR, roles.PHARMACIST, roles.MONITOR)
#: Every kind of visitor the sweep tries.
VISITORS = (*STAFF_ROLES, "participant", "other_participant", "stranger", "anonymous")

#: Planted identities: only the participant themself and the roles in ``roles.SEES_IDENTITY`` may see them.
SECRET_NAMES = {"participant": "Quillon-Participant", "other_participant": "Zebedee-Participant"}
SECRET_EMAILS = {"participant": "quillon.secret@example.org", "other_participant": "zebedee.secret@example.org"}


@dataclass
class StudyWorld:
    study: Study
    users: dict[str, User]
    participants: dict[str, Participant]
    ids: dict[str, Any] = field(default_factory=dict)


def _user(name: str, email: str) -> User:
    user: User = UserFactory(display_name=name, email=email)  # type: ignore[no-untyped-call,assignment]
    return user


def build_study_world(*, start: dt.date | None = None) -> StudyWorld:
    start = start or timezone.localdate() - dt.timedelta(days=20)
    users: dict[str, User] = {}
    for role in STAFF_ROLES:
        users[role] = _user(f"Staff-{role}", f"{role}@example.org")
    for who in ("participant", "other_participant"):
        users[who] = _user(SECRET_NAMES[who], SECRET_EMAILS[who])
    users["stranger"] = _user("Stranger", "stranger@example.org")
    study = Study.objects.create(
        title="LDN crossover (probe)",
        short_code="PROBE",
        template=designs.CROSSOVER_2013,
        protocol=designs.ldn_crossover_2013().to_json(),
        status=Study.Status.OPEN,
        target_enrolment=30,
        created_by=users[roles.PI],
        frozen_at=timezone.now(),
    )
    for role in STAFF_ROLES:
        Membership.objects.create(study=study, user=users[role], role=role, added_by=users[roles.PI])
    consent = ConsentVersion.objects.create(
        study=study,
        version=1,
        text="You may withdraw at any time.",
        shares=["diary", "doses", "side_effects"],
        published_at=timezone.now(),
    )
    participants: dict[str, Participant] = {}
    for seq, (who, order) in enumerate((("participant", "AB"), ("other_participant", "BA")), start=1):
        p = Participant.objects.create(
            study=study,
            user=users[who],
            code=f"PROBE-{seq:03d}",
            status=Participant.Status.ACTIVE,
            randomised_at=timezone.now(),
        )
        p.open_window(start, designs.ldn_crossover_2013().longest_days())
        p.save()
        ConsentSignature.objects.create(
            participant=p, version=consent, typed_name=SECRET_NAMES[who], shares=consent.shares
        )
        AllocationSlot.objects.create(
            study=study,
            seq=seq,
            block=1,
            block_size=2,
            arm=order,
            kit=f"K{seq:04d}",
            participant=p,
            assigned_at=timezone.now(),
        )
        participants[who] = p
    world = StudyWorld(study=study, users=users, participants=participants)
    world.ids = {"study": study.uuid, **{f"{k}_pk": v.pk for k, v in participants.items()}}
    _with_enrolment(world)
    _with_visits_and_dispensing(world)
    return world


def _with_enrolment(world: StudyWorld) -> None:
    """A usable multi-use link and an open staff invitation (the published consent is signed above)."""
    study, pi = world.study, world.users[roles.PI]
    nonce = codes.new_nonce()
    link = InviteCode.objects.create(
        study=study,
        code_hash=codes.code_hash(codes.code_for(nonce)),
        nonce=nonce,
        label="clinic poster",
        max_uses=50,
        created_by=pi,
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    invite_nonce = codes.new_nonce()
    invite = StaffInvite.objects.create(
        study=study,
        email="new.assessor@example.org",
        role=roles.ASSESSOR,
        nonce=invite_nonce,
        token_hash=codes.token_hash(codes.staff_token(invite_nonce)),
        invited_by=pi,
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    world.ids.update(
        code=codes.code_for(nonce),
        code_pk=link.pk,
        staff_token=codes.staff_token(invite_nonce),
        staff_invite_pk=invite.pk,
        monitor_membership_pk=study.memberships.get(role=roles.MONITOR).pk,
    )


def swap_allocation(world: StudyWorld) -> None:
    """Give each participant the other's period order: a consistent other draw, nothing else changed."""
    slots = list(AllocationSlot.objects.filter(study=world.study, participant__isnull=False))
    for slot in slots:
        slot.arm = slot.arm[::-1]
    AllocationSlot.objects.bulk_update(slots, ["arm"])


def _with_visits_and_dispensing(world: StudyWorld) -> None:
    """Visits (measured, missed, window passed, upcoming), a dispensed bottle and an emergency unblinding.

    The participant's first visit is measured (the cold-pressor time censored
    at the cap) and their second marked missed; the other participant's first
    visit passed with no measures and their second is measured. The other
    participant was unblinded in an emergency by the PI.
    """
    from decimal import Decimal

    from fibrotrack.studies.actions.visits import create_visits
    from fibrotrack.studies.models import Dispensing, LabMeasure, UnblindingEvent

    protocol = designs.Protocol.from_json(world.study.protocol)
    pi = world.users[roles.PI]
    visits = {}
    for who, p in world.participants.items():
        arm = AllocationSlot.objects.get(participant=p).arm
        visits[who] = create_visits(p, protocol, arm)
    first, second = visits["participant"][0], visits["participant"][1]
    assessor = world.users[roles.ASSESSOR]
    for visit, kind, value, censored in (
        (first, "pressure_kpa", Decimal("251.5"), False),
        (first, "cold_pressor_s", Decimal(protocol.cold_pressor_cap_s), True),
        (visits["other_participant"][1], "heat_c", Decimal("44.5"), False),
    ):
        LabMeasure.objects.create(
            visit=visit,
            kind=kind,
            value=value,
            censored=censored,
            cap=value if censored else None,
            measured_on=visit.due_on,
            entered_by=assessor,
            entered_role=roles.ASSESSOR,
        )
    second.missed_at, second.missed_reason, second.missed_by = timezone.now(), "Unwell that week", assessor
    second.save()
    slot = AllocationSlot.objects.get(participant=world.participants["participant"])
    Dispensing.objects.create(
        study=world.study,
        participant=world.participants["participant"],
        kit=slot.kit,
        bottle=1,
        capsules=90,
        dispensed_on=world.participants["participant"].start_date or timezone.localdate(),
        dispensed_by=world.users[roles.PHARMACIST],
    )
    event = UnblindingEvent.objects.create(
        study=world.study,
        participant=world.participants["other_participant"],
        kind=UnblindingEvent.Kind.EMERGENCY,
        reason="Serious rash; the treating doctor asked",
        by=pi,
        by_role=roles.PI,
    )
    world.ids.update(
        {
            "visit_pk": first.pk,
            "open_visit_pk": visits["other_participant"][2].pk,
            "unblinding_pk": event.pk,
        }
    )
