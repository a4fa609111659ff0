"""Small studies for the blinding and visit tests: a staff member per role and eligible participants."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from fibrotrack.accounts.models import User
from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.studies import designs, roles
from fibrotrack.studies.access import StaffView, get_staff_view
from fibrotrack.studies.models import Membership, Participant, Study

STAFF = (roles.PI, roles.COORDINATOR, roles.ASSESSOR, roles.PHARMACIST, roles.MONITOR)


def make_study(protocol: designs.Protocol | None = None, *, code: str = "FMS", target: int = 12, **extra: Any) -> Study:
    protocol = protocol or designs.ldn_crossover_2013()
    study = Study.objects.create(
        title="Crossover study (test)",
        short_code=code,
        template=protocol.template,
        protocol=protocol.to_json(),
        status=Study.Status.OPEN,
        target_enrolment=target,
        frozen_at=timezone.now(),
        **extra,
    )
    for role in STAFF:
        user: User = UserFactory(email=f"{role}-{code.lower()}@example.org", display_name=f"{role}-{code}")  # type: ignore[no-untyped-call,assignment]
        Membership.objects.create(study=study, user=user, role=role)
    return study


def staff(study: Study, role: str) -> Any:
    return study.memberships.get(role=role).user


def staff_view(study: Study, role: str) -> StaffView:
    return get_staff_view(staff(study, role), study.uuid)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def eligible(study: Study, n: int = 1, *, group: str = "", start: int = 1) -> list[Participant]:
    out = []
    for i in range(start, start + n):
        user: User = UserFactory()  # type: ignore[no-untyped-call,assignment]
        out.append(
            Participant.objects.create(
                study=study,
                user=user,
                code=f"{study.short_code}-{i:03d}",
                status=Participant.Status.ELIGIBLE,
                group=group,
            )
        )
    return out
