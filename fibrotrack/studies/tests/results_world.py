"""A finished study for the results tests: the role-sweep world, its diaries filled in, closed to enrolment.

Pain is 6 on baseline and placebo days and 4 on LDN days, give or take one
point in a fixed pattern; every seventh day is missing. Both participants
completed. ``finish(world)`` also returns the known LDN-minus-placebo effect.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.studies import designs
from fibrotrack.studies.models import Participant, Study
from fibrotrack.studies.tests.world import StudyWorld, build_study_world

LEVEL = {"baseline": 6, "placebo": 6, "ldn": 4}
WIGGLE = (0, 1, -1, 0, 1, 0, -1)
TRUE_EFFECT = -2.0


def finished_world(*, every_day: int = 1) -> StudyWorld:
    protocol = designs.ldn_crossover_2013()
    length = protocol.longest_days()
    start = timezone.localdate() - dt.timedelta(days=length + 5)
    world = build_study_world(start=start)
    for who, p in world.participants.items():
        sequence = p.allocation.arm
        for day_no in range(1, length + 1, every_day):
            if day_no % 7 == 0:
                continue
            condition = protocol.condition_on(sequence, day_no)
            assert condition is not None
            value = LEVEL[condition.key] + WIGGLE[(day_no + len(who)) % 7]
            make_checkin(world.users[who], start + dt.timedelta(days=day_no - 1), note="private words", pain=value)
        p.status = Participant.Status.COMPLETED
        p.completed_at = timezone.now()
        p.save()
    # A day before the start and after the end, which the study must never read.
    for who in world.participants:
        make_checkin(world.users[who], start - dt.timedelta(days=1), pain=9)
        make_checkin(world.users[who], start + dt.timedelta(days=length), pain=9)
    Study.objects.filter(pk=world.study.pk).update(status=Study.Status.CLOSED)
    world.study.refresh_from_db()
    return world


def unblind(world: StudyWorld) -> None:
    """What the study-wide unblinding records (another step of the workflow does it for real)."""
    Study.objects.filter(pk=world.study.pk).update(status=Study.Status.UNBLINDED, unblinded_at=timezone.now())
    world.study.refresh_from_db()
