"""The study role sweep: every study URL × every study role, GET and POST, and the allocation swap.

``MATRIX`` has one row per ``studies:`` URL pattern: how to build its
arguments from the world (``world.py``), which visitors may GET it (200) and
which may POST to it. Everyone else must get 403/404 (405 for a method the
view refuses before looking anything up; anonymous visitors may instead be
sent to the login page), and an empty POST from anyone must never answer 500
or change the study's rows unless the row allows that visitor to POST.

Two secrets are checked on every response:

* **identity**: each participant's name and e-mail address appear only to
  that participant and to the roles in ``roles.SEES_IDENTITY``;
* **the allocation**: for every visitor except the pharmacist, every page is
  fetched, the allocation is swapped to the other consistent draw
  (``swap_allocation``), and every page is fetched again: any difference
  beyond CSRF tokens is a leak, and the test names the URL. The pharmacist's
  allocation page must change (the check that the swap is real).

A new ``studies:`` URL without a row fails ``test_every_study_url_has_a_row``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fibrotrack.lib.testing.urlwalk import all_routes
from fibrotrack.studies import roles
from fibrotrack.studies.models import AllocationSlot, Participant, Study
from fibrotrack.studies.tests.world import (
    SECRET_EMAILS,
    SECRET_NAMES,
    STAFF_ROLES,
    VISITORS,
    StudyWorld,
    build_study_world,
    swap_allocation,
)

Kwargs = Callable[[StudyWorld], dict[str, Any]]
EVERYONE_SIGNED_IN = frozenset(v for v in VISITORS if v != "anonymous")
STAFF = frozenset(STAFF_ROLES)
PARTICIPANTS = frozenset({"participant", "other_participant"})


def study(world: StudyWorld) -> dict[str, Any]:
    return {"study": world.study.uuid}


def no_args(world: StudyWorld) -> dict[str, Any]:
    return {}


def participant_a(world: StudyWorld) -> dict[str, Any]:
    return {"study": world.study.uuid, "participant": world.participants["participant"].pk}


@dataclass(frozen=True)
class Row:
    kwargs: Kwargs
    get: frozenset[str]  # visitors who get the page (200)
    post: frozenset[str] = frozenset()  # visitors whose (empty) POST may be accepted by the view
    # Visitors allowed to see the allocation on this page (besides the pharmacist): e.g. after unblinding.
    sees_allocation: frozenset[str] = frozenset()
    note: str = ""


def ids(*names: str, **renamed: str) -> Kwargs:
    """Arguments from ``world.ids``: ``ids("study", pk="code_pk")``."""
    return lambda world: {**{n: world.ids[n] for n in names}, **{k: world.ids[v] for k, v in renamed.items()}}


PI = frozenset({roles.PI})
ENROLS = frozenset(roles.ENROLS)


def participant(world: StudyWorld) -> dict[str, Any]:
    return {"study": world.study.uuid, "participant": world.ids["participant_pk"]}


def visit(world: StudyWorld) -> dict[str, Any]:
    return {"study": world.study.uuid, "visit": world.ids["visit_pk"]}


def unblinding(world: StudyWorld) -> dict[str, Any]:
    return {"study": world.study.uuid, "event": world.ids["unblinding_pk"]}


PHARMACIST = frozenset({roles.PHARMACIST})
ENTERS = frozenset(roles.ENTERS_MEASURES)
SEES_VISITS = frozenset(roles.ENTERS_MEASURES | roles.SEES_MONITORING)
UNBLINDS = frozenset({roles.PI, roles.PHARMACIST})

MATRIX: dict[str, Row] = {
    "studies:list": Row(no_args, get=EVERYONE_SIGNED_IN, note="a page about whoever is signed in"),
    # st-enrol
    "studies:new": Row(no_args, get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN, note="anyone may start a study"),
    "studies:join": Row(no_args, get=EVERYONE_SIGNED_IN, post=EVERYONE_SIGNED_IN, note="enter a code"),
    "studies:join_code": Row(
        ids("code"),
        get=PARTICIPANTS | {"stranger"},
        post=PARTICIPANTS | {"stranger"},
        note="the consent form for a good code; participants are told they are in; staff may not join (403)",
    ),
    "studies:staff_accept": Row(
        ids(token="staff_token"), get=EVERYONE_SIGNED_IN, note="only the invited address may accept (403 for all here)"
    ),
    "studies:home": Row(study, get=STAFF),
    "studies:protocol": Row(study, get=STAFF),
    "studies:protocol_edit": Row(study, get=PI, post=PI, note="an amendment once registered"),
    "studies:enrolment": Row(study, get=frozenset(), post=PI),
    "studies:consent": Row(study, get=STAFF, post=PI),
    "studies:consent_publish": Row(study, get=frozenset(), post=PI),
    "studies:staff": Row(study, get=STAFF, post=PI),
    "studies:staff_remove": Row(ids("study", pk="monitor_membership_pk"), get=frozenset(), post=PI),
    "studies:staff_invite_revoke": Row(ids("study", pk="staff_invite_pk"), get=frozenset(), post=PI),
    "studies:codes": Row(study, get=ENROLS, post=ENROLS),
    "studies:code_revoke": Row(ids("study", pk="code_pk"), get=frozenset(), post=ENROLS),
    "studies:participants": Row(study, get=STAFF, note="codes for all; names for PI and coordinator, logged"),
    "studies:participant": Row(ids("study", pk="participant_pk"), get=STAFF),
    "studies:participant_withdraw": Row(ids("study", pk="participant_pk"), get=ENROLS, post=ENROLS),
    "studies:me": Row(study, get=PARTICIPANTS, note="each participant their own part"),
    "studies:me_consent": Row(study, get=PARTICIPANTS, post=PARTICIPANTS),
    "studies:me_screen": Row(study, get=PARTICIPANTS, post=PARTICIPANTS),
    "studies:me_withdraw": Row(study, get=PARTICIPANTS, post=PARTICIPANTS),
    # st-monitor
    "studies:monitoring": Row(study, get=frozenset(roles.SEES_MONITORING)),
    "studies:report_own_event": Row(study, get=PARTICIPANTS, post=PARTICIPANTS, note="each their own"),
    "studies:report_event": Row(participant_a, get=frozenset(roles.ENROLS), post=frozenset(roles.ENROLS)),
    # Results: a notice until the dataset is locked (the world is not), the way to lock for the PI;
    # downloads and exports exist only after lock and unblinding (test_results_access.py covers that world).
    "studies:results": Row(study, get=frozenset(roles.SEES_RESULTS), note="a notice before the lock"),
    "studies:lock_dataset": Row(study, get=frozenset(roles.MANAGES), post=frozenset(roles.MANAGES)),
    "studies:run_analysis": Row(study, get=frozenset(), post=frozenset(roles.MANAGES), note="POST only"),
    "studies:results_pdf": Row(study, get=frozenset(), note="404 until unblinded and analysed"),
    "studies:results_csv": Row(study, get=frozenset(), note="404 until unblinded and analysed"),
    "studies:export_dataset": Row(study, get=frozenset(), note="404 until locked and unblinded"),
    "studies:export_dictionary": Row(study, get=frozenset(), note="404 until locked and unblinded"),
    "studies:export_fhir": Row(study, get=frozenset(), note="404 until locked and unblinded"),
    # st-blind: allocation, labels, dispensing, randomisation, unblinding, visits, the blinding question.
    "studies:allocation": Row(study, get=PHARMACIST, post=PHARMACIST, note="POST draws strata that have no list"),
    "studies:labels": Row(study, get=PHARMACIST),
    "studies:labels_pdf": Row(study, get=PHARMACIST),
    "studies:dispensing": Row(study, get=PHARMACIST, post=PHARMACIST),
    "studies:randomise": Row(participant, get=frozenset(roles.ENROLS), post=frozenset(roles.ENROLS)),
    "studies:unblind": Row(participant, get=UNBLINDS, post=UNBLINDS),
    "studies:unblindings": Row(study, get=frozenset(UNBLINDS | roles.ALERTED), note="who, when, why; never the arm"),
    "studies:unblinding": Row(
        unblinding, get=UNBLINDS, sees_allocation=frozenset({roles.PI}), note="what an emergency unblinding revealed"
    ),
    "studies:unblind_study": Row(study, get=frozenset(roles.MANAGES), post=frozenset(roles.MANAGES)),
    "studies:visits": Row(study, get=SEES_VISITS),
    "studies:visit": Row(visit, get=SEES_VISITS, post=ENTERS),
    "studies:visit_missed": Row(visit, get=ENTERS, post=ENTERS),
    "studies:blinding_guess": Row(study, get=PARTICIPANTS, post=PARTICIPANTS, note="the participant's own question"),
}


def _study_routes() -> list[Any]:
    return [r for r in all_routes() if r.route.startswith("studies/")]


def test_every_study_url_has_a_row() -> None:
    routes = _study_routes()
    missing = [r.key for r in routes if r.key not in MATRIX]
    assert not missing, f"study URL patterns with no row in MATRIX (add one): {missing}"
    stale = sorted(set(MATRIX) - {r.key for r in routes})
    assert not stale, f"MATRIX rows for patterns that no longer exist: {stale}"


def _sees_identity(visitor: str, whose: str) -> bool:
    return visitor == whose or visitor in roles.SEES_IDENTITY


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|csrftoken=[^;]+')


def _normalise(body: bytes) -> bytes:
    return _CSRF.sub(b"CSRF", body)


def _clients(world: StudyWorld) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for visitor in EVERYONE_SIGNED_IN:
        client = Client()
        client.force_login(world.users[visitor])
        clients[visitor] = client
    return clients


def _study_rows(world: StudyWorld) -> dict[str, Any]:
    """The study's own rows (a snapshot to show that nobody else's POST changed anything)."""
    return {
        "study": list(Study.objects.filter(pk=world.study.pk).values()),
        "participants": list(Participant.objects.filter(study=world.study).order_by("pk").values()),
        "slots": list(AllocationSlot.objects.filter(study=world.study).order_by("pk").values()),
        "memberships": list(world.study.memberships.order_by("pk").values()),
    }


def _urls(world: StudyWorld) -> Iterable[tuple[str, str, Row]]:
    for route in _study_routes():
        row = MATRIX[route.key]
        yield route.key, reverse(route.name, kwargs=row.kwargs(world)), row


@pytest.mark.django_db
def test_each_role_gets_only_its_pages_and_no_one_elses_identity() -> None:
    world = build_study_world()
    clients = _clients(world)
    failures: list[str] = []
    for key, url, row in _urls(world):
        for visitor in VISITORS:
            response = clients[visitor].get(url)
            status = response.status_code
            if visitor in row.get:
                if status != 200:
                    failures.append(f"GET {url} as {visitor} ({key}): {status}, expected 200")
            elif status not in (403, 404, 405) and not (visitor == "anonymous" and status == 302):
                failures.append(f"GET {url} as {visitor} ({key}): {status}, expected 403/404")
            body = response.content.decode(errors="replace")
            for whose in ("participant", "other_participant"):
                if not _sees_identity(visitor, whose) and (SECRET_NAMES[whose] in body or SECRET_EMAILS[whose] in body):
                    failures.append(f"GET {url} as {visitor} ({key}) shows {whose}'s identity")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_an_empty_post_from_anyone_not_allowed_changes_nothing() -> None:
    world = build_study_world()
    clients = _clients(world)
    before = _study_rows(world)
    failures: list[str] = []
    for key, url, row in _urls(world):
        for visitor in VISITORS:
            if visitor in row.post:
                continue
            status = clients[visitor].post(url).status_code
            if status not in (403, 404, 405) and not (visitor == "anonymous" and status == 302):
                failures.append(f"POST {url} as {visitor} ({key}): {status}, expected 403/404/405")
    assert not failures, "\n".join(failures)
    assert _study_rows(world) == before


@pytest.mark.django_db
def test_swapping_the_allocation_changes_nothing_anyone_blinded_can_see() -> None:
    world = build_study_world()
    clients = _clients(world)
    blinded = [v for v in VISITORS if v not in roles.SEES_ALLOCATION]

    def fetch_all() -> dict[tuple[str, str], bytes]:
        seen = {}
        for _key, url, row in _urls(world):
            for visitor in blinded:
                if visitor in row.sees_allocation:
                    continue
                seen[(visitor, url)] = _normalise(clients[visitor].get(url).content)
        return seen

    before = fetch_all()
    swap_allocation(world)
    after = fetch_all()
    leaks = [
        f"{visitor} sees the allocation at {url}"
        for (visitor, url), body in before.items()
        if after[(visitor, url)] != body
    ]
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_the_pharmacists_allocation_page_changes_when_the_allocation_is_swapped() -> None:
    """The sanity check: the swap is real, so the blinded pages' sameness means something."""
    world = build_study_world()
    client = Client()
    client.force_login(world.users[roles.PHARMACIST])
    url = reverse("studies:allocation", kwargs={"study": world.study.uuid})
    before = _normalise(client.get(url).content)
    swap_allocation(world)
    assert _normalise(client.get(url).content) != before
