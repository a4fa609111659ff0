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
