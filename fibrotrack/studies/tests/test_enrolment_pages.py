"""The staff study home, the participants list and the participant's own page: scoping, logging, query counts, blinding."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fibrotrack.studies import designs, plain, roles
from fibrotrack.studies.models import AccessLogEntry, Membership
from fibrotrack.studies.tests.enrol_helpers import join, make_code, open_study, user

pytestmark = pytest.mark.django_db


def test_another_study_s_team_and_participants_get_404(client):
    study, pi = open_study()
    participant = join(study, pi)
    other, other_pi = open_study(pi=user(), short="OTHER")
    outsider = join(other, other_pi)
    for visitor in (other_pi, outsider.user, user()):
        client.force_login(visitor)
        for name, args in (
            ("studies:home", [study.uuid]),
            ("studies:participants", [study.uuid]),
            ("studies:participant", [study.uuid, participant.pk]),
            ("studies:codes", [study.uuid]),
            ("studies:me", [study.uuid]),
            ("studies:me_withdraw", [study.uuid]),
        ):
            assert client.get(reverse(name, args=args)).status_code == 404, (name, visitor)
    # A PI of another study cannot reach this study's participant through their own study either.
    client.force_login(other_pi)
    assert client.get(reverse("studies:participant", args=[other.uuid, participant.pk])).status_code == 404


def test_names_and_emails_only_for_pi_and_coordinator_and_each_look_is_logged(client):
    study, pi = open_study()
    participant = join(study, pi, person=user(display_name="Secret-Name", email="secret.person@example.org"))
    assessor = user()
    Membership.objects.create(study=study, user=assessor, role=roles.ASSESSOR)
    client.force_login(assessor)
    page = client.get(reverse("studies:participants", args=[study.uuid])).content.decode()
    assert participant.code in page and "Secret-Name" not in page and "secret.person@" not in page
    assert not AccessLogEntry.objects.exists()
    client.force_login(pi)
    page = client.get(reverse("studies:participants", args=[study.uuid])).content.decode()
    assert "Secret-Name" in page and "secret.person@example.org" in page
    client.get(reverse("studies:participant", args=[study.uuid, participant.pk]))
    log = list(AccessLogEntry.objects.order_by("created_at").values_list("role", "action", "participant"))
    assert log == [
        (roles.PI, "participant list with identities", None),
        (roles.PI, "participant identity", participant.pk),
    ]


def test_the_participants_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    study, pi = open_study()
    for _ in range(3):
        join(study, pi)
    client.force_login(pi)
    url = reverse("studies:participants", args=[study.uuid])
    client.get(url)
    with django_assert_num_queries(7) as few:
        client.get(url)
    for _ in range(5):
        join(study, pi)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_codes_and_team_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    study, pi = open_study()
    for _ in range(6):
        make_code(study, pi)
    for _ in range(4):
        Membership.objects.create(study=study, user=user(), role=roles.MONITOR)
    client.force_login(pi)
    with django_assert_max_num_queries(8):
        client.get(reverse("studies:codes", args=[study.uuid]))
    with django_assert_max_num_queries(8):
        client.get(reverse("studies:staff", args=[study.uuid]))
    with django_assert_max_num_queries(10):
        client.get(reverse("studies:home", args=[study.uuid]))


def test_the_crossover_schedule_merges_bottle_periods_whose_lengths_would_hint_at_the_order():
    steps, merged = plain.participant_schedule(designs.ldn_crossover_2013())
    assert merged
    assert [(s.first, s.last) for s in steps] == [(1, 14), (15, 126)]
    assert "Bottle periods 1 to 2" in steps[1].label


def test_equal_periods_are_shown_one_by_one_as_bottle_periods():
    steps, merged = plain.participant_schedule(designs.nof1_series(pairs=2, period_days=14))
    assert not merged
    assert [s.label for s in steps][1:] == ["Bottle period 1", "Bottle period 2", "Bottle period 3", "Bottle period 4"]


def test_the_participants_page_names_no_treatment(client):
    study, pi = open_study(short="ABCD")
    participant = join(study, pi)
    participant.status = participant.Status.ACTIVE
    participant.start_date = timezone.localdate() - dt.timedelta(days=20)
    participant.save()
    client.force_login(participant.user)
    page = client.get(reverse("studies:me", args=[study.uuid])).content.decode()
    main = page.split('<main id="main"', 1)[1].split("</main>")[0]
    assert "Bottle periods 1 to 2: days 15 to 126" in main
    assert "Today is day 21 of 126." in main
    for word in ("LDN", "Placebo", "placebo", "naltrexone at night"):
        assert word not in main.split("The study repeats:")[0], word
    assert "Withdraw from the study" in main
    assert "version 1" in main


def test_the_study_list_links_each_study_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    study, pi = open_study()
    open_study(pi=pi, short="SECOND")
    join(study, pi)
    client.force_login(pi)
    with django_assert_max_num_queries(7):
        page = client.get(reverse("studies:list")).content.decode()
    assert reverse("studies:home", args=[study.uuid]) in page
