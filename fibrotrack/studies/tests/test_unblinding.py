"""Emergency unblinding of one participant and unblinding the whole study after the lock."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fibrotrack.studies import roles
from fibrotrack.studies.actions.allocation import do_generate_allocation, do_randomise
from fibrotrack.studies.models import AccessLogEntry, AllocationSlot, Participant, Study, UnblindingEvent
from fibrotrack.studies.tests.blind_helpers import client_for, eligible, make_study, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: object) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # type: ignore[attr-defined]


def _randomised_study() -> tuple[Study, Participant, AllocationSlot]:
    study = make_study(target=2)
    do_generate_allocation(study)
    (person,) = eligible(study)
    slot = do_randomise(person, staff(study, roles.COORDINATOR))
    person.refresh_from_db()
    return study, person, slot


def _unblind_url(study: Study, person: Participant) -> str:
    return reverse("studies:unblind", kwargs={"study": study.uuid, "participant": person.pk})


@pytest.mark.parametrize("role", [roles.PI, roles.PHARMACIST])
def test_the_pi_or_the_pharmacist_breaks_the_blind_with_a_reason_and_the_pi_and_monitor_are_told(role: str) -> None:
    study, person, slot = _randomised_study()
    client = client_for(staff(study, role))
    response = client.post(_unblind_url(study, person), {"reason": "Severe rash; A&E asks", "confirm": "on"})
    assert response.status_code == 302
    event = UnblindingEvent.objects.get(study=study)
    assert (event.kind, event.participant, event.by_role, event.reason) == (
        "emergency",
        person,
        role,
        "Severe rash; A&E asks",
    )
    assert AccessLogEntry.objects.filter(study=study, action="emergency unblinding", participant=person).exists()
    # The e-mails: the PI and the monitor, at once, with the code and the reason, never the arm.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [staff(study, roles.PI).email, staff(study, roles.MONITOR).email]
    )
    for message in mail.outbox:
        assert person.code in message.subject
        assert "Severe rash" in message.body
        assert slot.arm not in message.body and "LDN 4.5" not in message.body and "Placebo" not in message.body
    # The unblinder sees what was revealed.
    revealed = client.get(response["Location"]).content.decode()
    assert "LDN 4.5 mg" in revealed and "Placebo" in revealed


def test_a_reason_is_required() -> None:
    study, person, _slot = _randomised_study()
    client = client_for(staff(study, roles.PI))
    assert client.post(_unblind_url(study, person), {"reason": "  ", "confirm": "on"}).status_code == 400
    assert not UnblindingEvent.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("role", [roles.COORDINATOR, roles.ASSESSOR, roles.MONITOR])
def test_other_roles_cannot_break_the_blind(role: str) -> None:
    study, person, _slot = _randomised_study()
    client = client_for(staff(study, role))
    assert client.get(_unblind_url(study, person)).status_code == 404
    assert client.post(_unblind_url(study, person), {"reason": "x", "confirm": "on"}).status_code == 404
    assert not UnblindingEvent.objects.exists()


def test_the_monitor_sees_that_it_happened_but_not_what_was_revealed() -> None:
    study, person, slot = _randomised_study()
    client_for(staff(study, roles.PI)).post(_unblind_url(study, person), {"reason": "Severe rash", "confirm": "on"})
    event = UnblindingEvent.objects.get()
    monitor = client_for(staff(study, roles.MONITOR))
    log = monitor.get(reverse("studies:unblindings", kwargs={"study": study.uuid})).content.decode()
    assert person.code in log and "Severe rash" in log
    assert "LDN 4.5" not in log and slot.arm not in log
    detail = reverse("studies:unblinding", kwargs={"study": study.uuid, "event": event.pk})
    assert monitor.get(detail).status_code == 404


def test_another_studys_pi_gets_404() -> None:
    study, person, _slot = _randomised_study()
    other = make_study(code="OTHER")
    client = client_for(staff(other, roles.PI))
    assert client.get(_unblind_url(study, person)).status_code == 404
    assert client.get(reverse("studies:unblindings", kwargs={"study": study.uuid})).status_code == 404


def test_the_whole_study_is_unblinded_only_after_the_dataset_is_locked() -> None:
    study, _person, _slot = _randomised_study()
    pi = client_for(staff(study, roles.PI))
    url = reverse("studies:unblind_study", kwargs={"study": study.uuid})
    assert pi.post(url, {"confirm": "on"}).status_code == 400
    study.refresh_from_db()
    assert study.unblinded_at is None
    Study.objects.filter(pk=study.pk).update(locked_at=timezone.now(), status=Study.Status.LOCKED)
    assert pi.post(url, {"confirm": "on"}).status_code == 302
    study.refresh_from_db()
    assert study.unblinded_at is not None and study.status == Study.Status.UNBLINDED
    assert UnblindingEvent.objects.filter(study=study, kind="study", participant=None).count() == 1
    assert len(mail.outbox) == 2
    # Unblinded: the assessor is no longer blind (``StaffView.sees_allocation``).
    from fibrotrack.studies.access import get_staff_view

    assert get_staff_view(staff(study, roles.ASSESSOR), study.uuid).sees_allocation


def test_only_the_pi_unblinds_the_study() -> None:
    study, _person, _slot = _randomised_study()
    Study.objects.filter(pk=study.pk).update(locked_at=timezone.now())
    url = reverse("studies:unblind_study", kwargs={"study": study.uuid})
    assert client_for(staff(study, roles.PHARMACIST)).post(url, {"confirm": "on"}).status_code == 404
    study.refresh_from_db()
    assert study.unblinded_at is None


def test_an_unblinding_record_cannot_be_rewritten() -> None:
    from fibrotrack.studies.models import AppendOnlyError

    study, person, _slot = _randomised_study()
    client_for(staff(study, roles.PI)).post(_unblind_url(study, person), {"reason": "Rash", "confirm": "on"})
    event = UnblindingEvent.objects.get()
    event.reason = "nothing"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_the_unblinding_log_takes_the_same_number_of_queries_for_more_events(
    django_assert_max_num_queries: Any,
) -> None:
    study = make_study(target=10)
    do_generate_allocation(study)
    pi = staff(study, roles.PI)
    for p in eligible(study, 5):
        do_randomise(p, staff(study, roles.COORDINATOR))
        UnblindingEvent.objects.create(study=study, participant=p, kind="emergency", reason="rash", by=pi, by_role="pi")
    client = client_for(pi)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("studies:unblindings", kwargs={"study": study.uuid})).status_code == 200


def test_the_partials_for_the_participant_pages_link_by_role() -> None:
    """``_participant_blind_actions.html`` and ``_guess_prompt.html`` are for the study's participant pages."""
    from django.template.loader import render_to_string

    from fibrotrack.studies.access import get_staff_view

    study, person, _slot = _randomised_study()
    html = {
        role: render_to_string(
            "studies/_participant_blind_actions.html",
            {"view": get_staff_view(staff(study, role), study.uuid), "study": study, "participant": person},
        )
        for role in (roles.PI, roles.PHARMACIST, roles.COORDINATOR, roles.ASSESSOR)
    }
    unblind = _unblind_url(study, person)
    assert unblind in html[roles.PI] and unblind in html[roles.PHARMACIST]
    assert unblind not in html[roles.COORDINATOR] and unblind not in html[roles.ASSESSOR]
    assert "randomise" not in html[roles.COORDINATOR]  # already randomised
    assert reverse("studies:blinding_guess", kwargs={"study": study.uuid}) in render_to_string(
        "studies/_guess_prompt.html", {"study": study}
    )
