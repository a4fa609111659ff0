"""People joining at the same instant, really concurrent, on PostgreSQL: codes are never over-used or shared."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from fibrotrack.studies.actions import enrolment
from fibrotrack.studies.models import InviteCode, Participant
from fibrotrack.studies.tests.enrol_helpers import make_code, open_study, user


def _race(study: Any, code: str, people: list[Any]) -> tuple[list[str], list[str]]:
    start = threading.Barrier(len(people))
    joined: list[str] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def one(person: Any) -> None:
        try:
            start.wait()
            p = enrolment.do_join(person, code, consent_version=1, typed_name="Some One", shares=["diary"])
            joined.append(p.code)
        except ValidationError as exc:
            refused.append(exc.messages[0])
        except BaseException as error:  # noqa: BLE001 (reported by the test)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return joined, refused


@pytest.mark.django_db(transaction=True)
def test_a_link_raced_by_more_people_than_it_allows_takes_exactly_its_uses_with_distinct_codes() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (DATABASE_URL); SQLite serialises writers")
    study, pi = open_study()
    code = make_code(study, pi, max_uses=4)
    joined, refused = _race(study, code, [user() for _ in range(6)])
    assert sorted(joined) == ["LDNX-001", "LDNX-002", "LDNX-003", "LDNX-004"]
    assert len(refused) == 2 and all("as many times" in m for m in refused)
    assert InviteCode.objects.get(study=study).uses == 4
    assert Participant.objects.filter(study=study).count() == 4


@pytest.mark.django_db(transaction=True)
def test_two_people_with_the_same_personal_code_at_once_one_joins() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (DATABASE_URL); SQLite serialises writers")
    study, pi = open_study()
    code = make_code(study, pi)
    joined, refused = _race(study, code, [user(), user()])
    assert joined == ["LDNX-001"]
    assert refused == [
        "This code has already been used. Each personal code works once: ask the study team for your own."
    ]
