"""Visits: windows in dates, the blinded assessor's measures (the cold-pressor time censored), missed visits."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from fibrotrack.studies import designs, roles
from fibrotrack.studies.actions import visits as actions
from fibrotrack.studies.actions.allocation import do_generate_allocation, do_randomise
from fibrotrack.studies.models import LabMeasure, Participant, Study, StudyVisit
from fibrotrack.studies.tests.blind_helpers import client_for, eligible, make_study, staff, staff_view
from fibrotrack.studies.tests.world import build_study_world

pytestmark = pytest.mark.django_db


def _started(days_ago: int = 20, protocol: designs.Protocol | None = None) -> tuple[Study, Participant]:
    study = make_study(protocol, target=2)
    do_generate_allocation(study)
    (person,) = eligible(study)
    start = dt.date.today() - dt.timedelta(days=days_ago)
    do_randomise(person, staff(study, roles.COORDINATOR), start_date=dt.date.today())
    # Move the start into the past as if randomised earlier (the windows follow).
    StudyVisit.objects.filter(participant=person).delete()
    person.refresh_from_db()
    person.start_date = start
    person.save()
    slot = person.allocation
    actions.create_visits(person, designs.Protocol.from_json(study.protocol), slot.arm)
    return study, person


def _visits_url(study: Study, show: str = "all") -> str:
    return reverse("studies:visits", kwargs={"study": study.uuid}) + f"?show={show}"


def test_a_visit_whose_window_passed_without_measures_shows_as_missed() -> None:
    study, person = _started()
    body = client_for(staff(study, roles.ASSESSOR)).get(_visits_url(study, "attention")).content.decode()
    assert "Missed: the window passed with no measures" in body
    assert "Visit 2" in body  # day 15, window to day 17: passed on day 21
    assert "Visit 3" not in body  # upcoming: not on the attention list


def test_the_assessor_enters_measures_and_a_cold_pressor_time_at_the_cap_is_censored() -> None:
    study, person = _started()
    visit = StudyVisit.objects.get(participant=person, number=2)
    client = client_for(staff(study, roles.ASSESSOR))
    url = reverse("studies:visit", kwargs={"study": study.uuid, "visit": visit.pk})
    response = client.post(
        url,
        {"measured_on": visit.due_on.isoformat(), "pressure_kpa": "250", "heat_c": "44.5", "cold_pressor_s": "180"},
    )
    assert response.status_code == 302
    measures = {m.kind: m for m in LabMeasure.objects.filter(visit=visit)}
    assert measures["pressure_kpa"].value == Decimal("250")
    cold = measures["cold_pressor_s"]
    assert cold.censored and cold.cap == Decimal(180) and cold.value == Decimal(180)
    assert measures["heat_c"].entered_role == roles.ASSESSOR
    page = client.get(url).content.decode()
    assert "≥ 180" in page and "stopped at the cap" in page
    listing = client.get(_visits_url(study)).content.decode()
    assert "Measured" in listing


def test_a_time_stopped_early_by_the_assessor_is_censored_at_the_cap_too() -> None:
    study, person = _started()
    visit = StudyVisit.objects.get(participant=person, number=1)
    view_ = staff_view(study, roles.ASSESSOR)
    actions.do_record_measures(
        view_, visit, actions.MeasuresData(visit.due_on, {"cold_pressor_s": Decimal(120)}, at_cap=True), dt.date.today()
    )
    measure = LabMeasure.objects.get(visit=visit)
    assert measure.censored and measure.value == Decimal(180)


def test_a_cold_pressor_time_over_the_cap_is_refused() -> None:
    protocol = dataclasses.replace(designs.ldn_crossover_2013(), cold_pressor_cap_s=120)
    study, person = _started(protocol=protocol)
    visit = StudyVisit.objects.get(participant=person, number=1)
    client = client_for(staff(study, roles.ASSESSOR))
    url = reverse("studies:visit", kwargs={"study": study.uuid, "visit": visit.pk})
    response = client.post(url, {"measured_on": visit.due_on.isoformat(), "cold_pressor_s": "150"})
    assert response.status_code == 400
    assert not LabMeasure.objects.exists()


def test_out_of_range_and_future_measures_are_refused() -> None:
    study, person = _started()
    visit = StudyVisit.objects.get(participant=person, number=1)
    client = client_for(staff(study, roles.COORDINATOR))
    url = reverse("studies:visit", kwargs={"study": study.uuid, "visit": visit.pk})
    assert client.post(url, {"measured_on": visit.due_on.isoformat(), "heat_c": "80"}).status_code == 400
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert client.post(url, {"measured_on": tomorrow, "heat_c": "44"}).status_code == 400
    assert client.post(url, {"measured_on": visit.due_on.isoformat()}).status_code == 400  # nothing entered
    assert not LabMeasure.objects.exists()


def test_marking_a_visit_missed_needs_a_reason_and_shows_it() -> None:
    study, person = _started()
    visit = StudyVisit.objects.get(participant=person, number=2)
    client = client_for(staff(study, roles.ASSESSOR))
    url = reverse("studies:visit_missed", kwargs={"study": study.uuid, "visit": visit.pk})
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Could not travel"}).status_code == 302
    visit.refresh_from_db()
    assert visit.missed_at is not None and visit.missed_reason == "Could not travel"
    body = client.get(_visits_url(study)).content.decode()
    assert "Missed: Could not travel" in body


def test_an_upcoming_visit_cannot_be_marked_missed() -> None:
    study, person = _started()
    visit = StudyVisit.objects.get(participant=person, number=5)
    client = client_for(staff(study, roles.ASSESSOR))
    url = reverse("studies:visit_missed", kwargs={"study": study.uuid, "visit": visit.pk})
    assert client.post(url, {"reason": "Away"}).status_code == 400


@pytest.mark.parametrize("role", [roles.PI, roles.MONITOR])
def test_the_pi_and_monitor_read_visits_but_cannot_enter_measures(role: str) -> None:
    study, person = _started()
    visit = StudyVisit.objects.get(participant=person, number=1)
    client = client_for(staff(study, role))
    url = reverse("studies:visit", kwargs={"study": study.uuid, "visit": visit.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"measured_on": visit.due_on.isoformat(), "heat_c": "44"}).status_code == 403
    assert not LabMeasure.objects.exists()


def test_the_pharmacist_another_study_and_a_stranger_get_404(stranger: object) -> None:
    study, person = _started()
    visit = StudyVisit.objects.get(participant=person, number=1)
    other = make_study(code="OTHER")
    for user in (staff(study, roles.PHARMACIST), staff(other, roles.ASSESSOR), stranger):
        client = client_for(user)
        for url in (
            _visits_url(study),
            reverse("studies:visit", kwargs={"study": study.uuid, "visit": visit.pk}),
            reverse("studies:visit_missed", kwargs={"study": study.uuid, "visit": visit.pk}),
        ):
            assert client.get(url).status_code == 404, url
    # Another study's assessor cannot reach this visit through their own study either.
    url = reverse("studies:visit", kwargs={"study": other.uuid, "visit": visit.pk})
    assert client_for(staff(other, roles.ASSESSOR)).get(url).status_code == 404


def test_the_visit_pages_never_name_the_condition() -> None:
    world = build_study_world()
    client = client_for(world.users[roles.ASSESSOR])
    pages = [_visits_url(world.study)] + [
        reverse("studies:visit", kwargs={"study": world.study.uuid, "visit": v.pk})
        for v in StudyVisit.objects.filter(participant__study=world.study)
    ]
    for url in pages:
        body = client.get(url).content.decode()
        for word in ("LDN 4.5", "Placebo", "Baseline", "Washout"):
            assert word not in body, (url, word)


def test_the_visit_list_takes_the_same_number_of_queries_for_more_participants(
    django_assert_max_num_queries: Any,
) -> None:
    study = make_study(target=30)
    do_generate_allocation(study)
    for p in eligible(study, 12):
        do_randomise(p, staff(study, roles.COORDINATOR))
    client = client_for(staff(study, roles.ASSESSOR))
    with django_assert_max_num_queries(8):
        assert client.get(_visits_url(study)).status_code == 200


def test_when_visit_days_differ_between_orders_only_dates_are_shown() -> None:
    """A visit placed within a condition falls on other days in each order: the page shows the dates, not why."""
    base = designs.ldn_crossover_2013()
    protocol = dataclasses.replace(
        base, visits=(designs.Visit("end_ldn", "End of period", 84, measures=designs.LAB, condition="ldn"),)
    )
    study, person = _started(protocol=protocol)
    visit = StudyVisit.objects.get(participant=person)
    body = client_for(staff(study, roles.ASSESSOR)).get(_visits_url(study)).content.decode()
    assert visit.window_start.strftime("%-d %b") in body
    assert "LDN" not in body and "ldn" not in body
