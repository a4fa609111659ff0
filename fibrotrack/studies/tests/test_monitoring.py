"""The monitoring dashboard: enrolment, the flow, diary completion with flags, adverse events and their alerts."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fibrotrack.lib.testing.factories import UserFactory, make_checkin
from fibrotrack.studies import designs
from fibrotrack.studies.models import AdverseEvent, ConsentSignature, Participant
from fibrotrack.studies.monitoring import DONE, MISSING, OUTSIDE, PENDING, build_dashboard
from fibrotrack.studies.tests.world import build_study_world

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def world():
    return build_study_world()


def _add_participant(study, n, status, *, randomised=False, start=None, shares=("diary",), **fields):
    user = UserFactory()
    p = Participant.objects.create(study=study, user=user, code=f"X-{n:03d}", status=status, **fields)
    if randomised:
        p.randomised_at = timezone.now()
        p.open_window(start or timezone.localdate() - dt.timedelta(days=9), designs.ldn_crossover_2013().longest_days())
        p.save()
    version = study.consent_versions.get(version=1)
    ConsentSignature.objects.create(participant=p, version=version, typed_name="x", shares=list(shares))
    return p


def test_the_flow_counts_every_step_and_the_reasons_for_screen_failure(world):
    study, s = world.study, Participant.Status
    _add_participant(study, 10, s.SCREEN_FAILED, screen_fail_reasons=["Takes an opioid painkiller"])
    _add_participant(study, 11, s.SCREEN_FAILED, screen_fail_reasons=["Takes an opioid painkiller"])
    _add_participant(study, 12, s.SCREENING)
    _add_participant(study, 13, s.ELIGIBLE)
    _add_participant(study, 14, s.WITHDRAWN, withdrawn_at=timezone.now(), withdrawal_keeps_data=True)
    _add_participant(study, 15, s.COMPLETED, randomised=True)
    flow = build_dashboard(study, timezone.localdate()).flow
    # The world's two participants are active and randomised.
    assert (flow.screened, flow.screen_failed, flow.eligible) == (6, 2, 4)
    assert flow.fail_reasons == [("Takes an opioid painkiller", 2)]
    assert (flow.withdrawn_before_randomisation, flow.waiting, flow.randomised) == (1, 1, 3)
    assert (flow.active, flow.completed, flow.withdrawn_after_randomisation) == (2, 1, 0)


def test_a_missing_day_is_flagged_once_two_days_have_passed(world):
    today = timezone.localdate()
    p = world.participants["participant"]
    user = world.users["participant"]
    p.open_window(today - dt.timedelta(days=4), 126)
    p.save()
    # Days -4, -3 and today done; -2 missing (two days ago: flagged), -1 missing (yesterday: pending).
    for back in (4, 3, 0):
        make_checkin(user, today - dt.timedelta(days=back), pain=5)
    make_checkin(user, today - dt.timedelta(days=30), pain=5)  # before the study: never counted
    row = next(r for r in build_dashboard(world.study, today).rows if r.participant == p)
    assert (row.done, row.expected, row.flagged, row.percent) == (3, 5, 1, 60)
    states = [m.state for m in row.strip]
    assert states[-5:] == [DONE, DONE, MISSING, PENDING, DONE] and set(states[:-5]) == {OUTSIDE}


def test_days_after_the_study_ended_are_not_counted(world):
    today = timezone.localdate()
    p = world.participants["participant"]
    p.open_window(today - dt.timedelta(days=10), 126)
    p.close_window(today - dt.timedelta(days=6))  # completed early: days -10 .. -6
    p.status, p.completed_at = Participant.Status.COMPLETED, timezone.now()
    p.save()
    for back in range(0, 11):
        make_checkin(world.users["participant"], today - dt.timedelta(days=back), pain=4)
    row = next(r for r in build_dashboard(world.study, today).rows if r.participant == p)
    assert (row.done, row.expected, row.flagged) == (5, 5, 0)


def test_a_participant_who_does_not_share_the_diary_is_shown_as_not_shared(world):
    p = _add_participant(world.study, 20, Participant.Status.ACTIVE, randomised=True, shares=("doses",))
    make_checkin(p.user, timezone.localdate(), pain=3)
    row = next(r for r in build_dashboard(world.study, timezone.localdate()).rows if r.participant == p)
    assert not row.shares_diary and row.done == 0 and row.flagged == 0


def test_a_withdrawal_that_removes_data_stops_the_diary_being_read(world):
    p = world.participants["participant"]
    p.status, p.withdrawn_at, p.withdrawal_keeps_data = Participant.Status.WITHDRAWN, timezone.now(), False
    p.save()
    make_checkin(world.users["participant"], timezone.localdate(), pain=3)
    board = build_dashboard(world.study, timezone.localdate())
    row = next(r for r in board.rows if r.participant == p)
    assert not row.shares_diary and row.done == 0
    assert board.withdrawals == [p]


def test_the_dashboard_takes_the_same_number_of_queries_for_any_number_of_participants(
    world, django_assert_num_queries
):
    today = timezone.localdate()
    with django_assert_num_queries(8) as small:
        build_dashboard(world.study, today)
    for n in range(30, 45):
        p = _add_participant(world.study, n, Participant.Status.ACTIVE, randomised=True)
        make_checkin(p.user, today, pain=2)
        AdverseEvent.objects.create(participant=p, description="headache", onset_on=today, reporter_role="participant")
    with django_assert_num_queries(len(small.captured_queries)):
        board = build_dashboard(world.study, today)
    assert len(board.rows) == 17 and len(board.adverse_events) == 15


def test_the_page_shows_codes_never_names_and_only_to_monitoring_roles(world, client):
    client.force_login(world.users["monitor"])
    page = client.get(reverse("studies:monitoring", args=[world.study.uuid])).content.decode()
    assert "PROBE-001" in page and "PROBE-002" in page
    assert "Quillon" not in page and "quillon.secret" not in page
    client.force_login(world.users["assessor"])
    assert client.get(reverse("studies:monitoring", args=[world.study.uuid])).status_code == 404
    client.force_login(world.users["stranger"])
    assert client.get(reverse("studies:monitoring", args=[world.study.uuid])).status_code == 404


def _report(client, world, **extra):
    today = timezone.localdate()
    form = {"description": "Felt faint and was kept in hospital overnight", "onset_on": today.isoformat()}
    return client.post(
        reverse("studies:report_own_event", args=[world.study.uuid]), {"severity": "severe", **form, **extra}
    )


def test_a_serious_event_alerts_the_pi_and_the_monitor_at_once_by_code_only(world, client):
    world.users["monitor"].language = "de"
    world.users["monitor"].save()
    client.force_login(world.users["participant"])
    response = _report(client, world, criteria=["hospital"])
    assert response.status_code == 302
    event = AdverseEvent.objects.get()
    assert event.is_serious and event.reporter_role == "participant" and event.alert_sent_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["monitor@example.org", "pi@example.org"]
    for message in mail.outbox:
        assert "PROBE-001" in message.subject and "PROBE-001" in message.body
        # No name, no e-mail address, not even the participant's own words: codes only.
        assert "Quillon" not in message.body and "hospital overnight" not in message.body
    german = next(m for m in mail.outbox if m.to == ["monitor@example.org"])
    english = next(m for m in mail.outbox if m.to == ["pi@example.org"])
    assert "Serious adverse event" in english.subject
    assert german.body != english.body


def test_a_non_serious_event_is_recorded_without_an_alert(world, client):
    client.force_login(world.users["participant"])
    assert _report(client, world, severity="mild").status_code == 302
    assert AdverseEvent.objects.get().is_serious is False
    assert mail.outbox == []


def test_it_refuses_an_event_dated_in_the_future(world, client):
    client.force_login(world.users["participant"])
    tomorrow = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("studies:report_own_event", args=[world.study.uuid]),
        {"description": "x", "onset_on": tomorrow, "severity": "mild"},
    )
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    assert not AdverseEvent.objects.exists()


def test_the_coordinator_reports_for_a_participant_and_a_stranger_gets_404(world, client):
    url = reverse("studies:report_event", args=[world.study.uuid, world.participants["other_participant"].pk])
    client.force_login(world.users["stranger"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["coordinator"])
    today = timezone.localdate().isoformat()
    response = client.post(url, {"description": "Rash", "onset_on": today, "severity": "moderate"})
    assert response.status_code == 302
    event = AdverseEvent.objects.get()
    assert event.participant == world.participants["other_participant"] and event.reporter_role == "coordinator"


def test_adherence_counts_capsules_logged_against_the_nights_they_were_due():
    from fibrotrack.studies import roles
    from fibrotrack.studies.actions.allocation import do_randomise
    from fibrotrack.studies.models import ConsentVersion
    from fibrotrack.studies.tests.blind_helpers import eligible, make_study, staff
    from fibrotrack.treatments.models import DoseLog, Regimen

    study = make_study()
    version = ConsentVersion.objects.create(study=study, version=1, text="x", shares=["diary", "doses"])
    sharing, private = eligible(study, 2)
    today = timezone.localdate()
    for person, shares in ((sharing, ["diary", "doses"]), (private, ["diary"])):
        ConsentSignature.objects.create(participant=person, version=version, typed_name="x", shares=shares)
        # Day 1 was 19 days ago: after the 14-day baseline, capsules were due from 5 nights ago to last night.
        do_randomise(person, staff(study, roles.COORDINATOR), start_date=today - dt.timedelta(days=19))
    (course,) = Regimen.objects.filter(user=sharing.user)
    for back in (1, 2, 3, 5):
        DoseLog.objects.create(regimen=course, day=today - dt.timedelta(days=back), status="taken")
    DoseLog.objects.create(regimen=course, day=today - dt.timedelta(days=4), status="skipped")
    DoseLog.objects.create(regimen=course, day=today, status="taken")  # tonight's: not yet counted
    rows = {r.participant: r for r in build_dashboard(study, today).rows}
    assert rows[sharing].adherence == (4, 5) and rows[sharing].adherence_percent == 80
    assert rows[private].adherence is None  # doses not shared with the study
