"""Two coordinators randomising at the same moment never share a slot (PostgreSQL row locks).

SQLite serialises every write transaction, so the race cannot happen there;
this test runs on PostgreSQL only (``DATABASE_URL=postgres://…``). Without
the row locks every transaction reads the same first free slot and the last
one to write keeps it: the test then finds one slot for six people (checked
by removing the locks).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections

from fibrotrack.studies import roles
from fibrotrack.studies.actions import allocation
from fibrotrack.studies.actions.allocation import do_generate_allocation, do_randomise
from fibrotrack.studies.models import AllocationSlot
from fibrotrack.studies.tests.blind_helpers import eligible, make_study, staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises writers")
def test_people_randomised_at_once_get_the_next_slots_in_order_and_never_the_same(monkeypatch: Any) -> None:
    study = make_study(target=8)
    do_generate_allocation(study)
    people = eligible(study, 6)
    coordinator = staff(study, roles.COORDINATOR)
    # Hold each transaction open a moment after it chose its slot, so that the others really wait on it.
    original = allocation._next_free_slot

    def slow(*args: Any) -> Any:
        found = original(*args)
        time.sleep(0.2)
        return found

    monkeypatch.setattr(allocation, "_next_free_slot", slow)
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def run(person: Any) -> None:
        try:
            barrier.wait()
            do_randomise(person, coordinator)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    taken = list(
        AllocationSlot.objects.filter(study=study, participant__isnull=False).values_list("seq", "participant")
    )
    assert len({p for _s, p in taken}) == len(people)
    assert sorted(s for s, _p in taken) == list(range(1, len(people) + 1))
