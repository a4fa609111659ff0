"""The pharmacist's pages: the allocation list, bottle labels (HTML and PDF), the dispensing log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from fibrotrack.studies import bottles, designs, labels, roles
from fibrotrack.studies.actions.allocation import do_generate_allocation, do_randomise
from fibrotrack.studies.models import AccessLogEntry, AllocationSlot, Dispensing
from fibrotrack.studies.tests.blind_helpers import client_for, eligible, make_study, staff
from fibrotrack.studies.tests.world import build_study_world

pytestmark = pytest.mark.django_db


def _url(name: str, study: object) -> str:
    return reverse(f"studies:{name}", kwargs={"study": study.uuid})  # type: ignore[attr-defined]


def test_the_allocation_page_shows_each_slot_with_its_order_and_logs_the_view() -> None:
    study = make_study(target=4)
    do_generate_allocation(study)
    (person,) = eligible(study)
    slot = do_randomise(person, staff(study, roles.COORDINATOR))
    pharmacist = staff(study, roles.PHARMACIST)
    response = client_for(pharmacist).get(_url("allocation", study))
    assert response.status_code == 200
    body = response.content.decode()
    assert slot.kit in body and person.code in body
    assert "LDN 4.5 mg" in body  # the pharmacist reads what each order means
    entry = AccessLogEntry.objects.get(study=study, action="viewed the allocation list")
    assert entry.user == pharmacist and entry.role == roles.PHARMACIST


def test_the_allocation_list_takes_the_same_number_of_queries_for_any_size(django_assert_max_num_queries: Any) -> None:
    small, large = make_study(code="SMALL", target=4), make_study(code="LARGE", target=60)
    for study in (small, large):
        do_generate_allocation(study)
        for p in eligible(study, 3):
            do_randomise(p, staff(study, roles.COORDINATOR))
    client = client_for(staff(large, roles.PHARMACIST))
    with django_assert_max_num_queries(12):
        assert client.get(_url("allocation", large)).status_code == 200


@pytest.mark.parametrize("role", [roles.PI, roles.COORDINATOR, roles.ASSESSOR, roles.MONITOR])
def test_every_other_role_and_a_stranger_get_404(role: str, stranger: object) -> None:
    study = make_study()
    for name in ("allocation", "labels", "labels_pdf", "dispensing"):
        assert client_for(staff(study, role)).get(_url(name, study)).status_code == 404
        assert client_for(stranger).get(_url(name, study)).status_code == 404


def test_another_studys_pharmacist_gets_404() -> None:
    mine, theirs = make_study(code="MINE"), make_study(code="THEIRS")
    other = client_for(staff(theirs, roles.PHARMACIST))
    for name in ("allocation", "labels", "labels_pdf", "dispensing"):
        assert other.get(_url(name, mine)).status_code == 404


def test_labels_name_the_kit_and_bottle_never_the_contents() -> None:
    study = make_study(target=2)
    do_generate_allocation(study)
    (person,) = eligible(study)
    slot = do_randomise(person, staff(study, roles.COORDINATOR))
    client = client_for(staff(study, roles.PHARMACIST))
    body = client.get(_url("labels", study) + f"?kit={slot.kit}").content.decode()
    assert slot.kit in body and person.code in body
    assert "Bottle 1 of 2" in body and "Bottle 2 of 2" in body
    assert "Take one capsule at night." in body
    labels_part = body[body.index('class="st-labels"') :]
    for word in ("LDN", "Placebo", "placebo", "naltrexone", f">{slot.arm}<"):
        assert word not in labels_part
    assert AccessLogEntry.objects.filter(study=study, action="printed bottle labels").count() == 1


def test_the_labels_pdf_is_a_pdf_and_logged() -> None:
    study = make_study(target=2)
    do_generate_allocation(study)
    response = client_for(staff(study, roles.PHARMACIST)).get(_url("labels_pdf", study))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(study=study, action="printed bottle labels (PDF)").exists()


DESIGNS = [
    designs.ldn_pilot_2009(),
    designs.ldn_crossover_2013(),
    designs.naltrexone_single_dose_2009(),
    designs.nof1_series(),
    designs.nof1_series(pairs=2, period_days=7),
    designs.custom(),
]


@settings(max_examples=60, deadline=None)
@given(
    protocol=st.sampled_from(DESIGNS),
    number=st.integers(min_value=1, max_value=999),
    kit=st.text(alphabet="CDEFGHJKLMQRTUVWXY3479", min_size=6, max_size=6),
)
def test_a_label_reads_the_same_whatever_the_arm_and_names_no_condition(
    protocol: designs.Protocol, number: int, kit: str
) -> None:
    """Labels are built without the arm, so they cannot differ by it; and no condition's words appear on them."""
    made = labels.bottle_labels(protocol, "STUDY", f"K-{kit}", f"STUDY-{number:03d}")
    assert len(made) == bottles.bottle_count(protocol)
    text = " ".join(f"{x.study_code} {x.kit} {x.participant_code} {x.bottle} {x.of} {x.instruction}" for x in made)
    forbidden = {c.label for c in protocol.conditions} | {c.key for c in protocol.conditions if len(c.key) > 2}
    forbidden |= {c.dose for c in protocol.conditions if c.dose} | {"placebo", "Placebo", "LDN", "naltrexone"}
    forbidden |= {name for name in protocol.sequences if len(name) > 1}
    assert not [w for w in forbidden if w in text.replace(f"K-{kit}", "")]
    # Every sequence has the same number of bottles, so a kit's label set cannot tell the sequence either.
    assert len({len(bottles.bottles(protocol, s)) for s in protocol.sequences}) == 1


def test_the_dispensing_log_records_a_bottle_and_logs_the_view() -> None:
    study = make_study(target=2)
    do_generate_allocation(study)
    (person,) = eligible(study)
    slot = do_randomise(person, staff(study, roles.COORDINATOR))
    pharmacist = staff(study, roles.PHARMACIST)
    client = client_for(pharmacist)
    today = dt.date.today()
    response = client.post(
        _url("dispensing", study),
        {"participant": person.pk, "bottle": 2, "dispensed_on": today.isoformat(), "capsules": 30},
    )
    assert response.status_code == 302
    entry = Dispensing.objects.get(study=study)
    assert (entry.kit, entry.bottle, entry.capsules, entry.dispensed_by) == (slot.kit, 2, 30, pharmacist)
    body = client.get(_url("dispensing", study)).content.decode()
    assert slot.kit in body and person.code in body
    assert AccessLogEntry.objects.filter(study=study, action="viewed the dispensing log").exists()


def test_dispensing_refuses_a_bottle_the_kit_does_not_have_and_a_participant_not_randomised() -> None:
    study = make_study(target=2)
    do_generate_allocation(study)
    randomised, waiting = eligible(study, 2)
    do_randomise(randomised, staff(study, roles.COORDINATOR))
    client = client_for(staff(study, roles.PHARMACIST))
    today = dt.date.today().isoformat()
    assert (
        client.post(
            _url("dispensing", study), {"participant": randomised.pk, "bottle": 3, "dispensed_on": today}
        ).status_code
        == 400
    )
    assert (
        client.post(
            _url("dispensing", study), {"participant": waiting.pk, "bottle": 1, "dispensed_on": today}
        ).status_code
        == 400
    )
    assert not Dispensing.objects.exists()


def test_the_coordinators_randomise_page_shows_the_kit_never_the_arm() -> None:
    world = build_study_world()
    client = client_for(world.users[roles.COORDINATOR])
    person = world.participants["participant"]
    url = reverse("studies:randomise", kwargs={"study": world.study.uuid, "participant": person.pk})
    body = client.get(url).content.decode()
    slot = AllocationSlot.objects.get(participant=person)
    assert slot.kit in body
    assert "LDN 4.5" not in body and ">AB<" not in body


def test_randomising_through_the_page() -> None:
    study = make_study(target=2)
    (person,) = eligible(study)
    client = client_for(staff(study, roles.COORDINATOR))
    url = reverse("studies:randomise", kwargs={"study": study.uuid, "participant": person.pk})
    assert client.post(url, {}).status_code == 400  # the confirmation box
    assert client.post(url, {"confirm": "on"}).status_code == 302
    person.refresh_from_db()
    assert person.status == "active"
    assert AllocationSlot.objects.filter(participant=person).exists()


def test_the_dispensing_log_takes_the_same_number_of_queries_for_more_lines(django_assert_max_num_queries: Any) -> None:
    study = make_study(target=20)
    do_generate_allocation(study)
    pharmacist = staff(study, roles.PHARMACIST)
    people = eligible(study, 6)
    for p in people:
        slot = do_randomise(p, staff(study, roles.COORDINATOR))
        for bottle in (1, 2):
            Dispensing.objects.create(
                study=study,
                participant=p,
                kit=slot.kit,
                bottle=bottle,
                dispensed_on=dt.date.today(),
                dispensed_by=pharmacist,
            )
    client = client_for(pharmacist)
    with django_assert_max_num_queries(8):
        assert client.get(_url("dispensing", study)).status_code == 200


def test_another_studys_coordinator_and_a_stranger_cannot_randomise(stranger: object) -> None:
    study = make_study(target=2)
    (person,) = eligible(study)
    other = make_study(code="OTHER")
    url = reverse("studies:randomise", kwargs={"study": study.uuid, "participant": person.pk})
    for user in (
        staff(other, roles.COORDINATOR),
        stranger,
        staff(study, roles.ASSESSOR),
        staff(study, roles.PHARMACIST),
    ):
        assert client_for(user).post(url, {"confirm": "on"}).status_code == 404
    # Nor through their own study's address with this participant's number.
    own = reverse("studies:randomise", kwargs={"study": other.uuid, "participant": person.pk})
    assert client_for(staff(other, roles.COORDINATOR)).post(own, {"confirm": "on"}).status_code == 404
    assert not AllocationSlot.objects.filter(participant=person).exists()


def test_the_study_capsules_are_logged_in_the_participants_own_check_in() -> None:
    study = make_study(target=2)
    (person,) = eligible(study)
    # Started 20 days ago: past the 14-day baseline, in the first bottle's period.
    slot = do_randomise(person, staff(study, roles.COORDINATOR), start_date=dt.date.today() - dt.timedelta(days=20))
    body = client_for(person.user).get(reverse("diary:today")).content.decode()
    assert f"FMS study capsules, kit {slot.kit} 4.5 mg, at night" in body  # a dose to answer as taken
