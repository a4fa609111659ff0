"""The "what worked for others" pages read precomputed rows only; the sharing page is the person's own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fibrotrack.knowledge.outcome_models import OutcomeConsent, TreatmentOutcome
from fibrotrack.knowledge.outcomes_actions import do_compute_outcomes, do_consent
from fibrotrack.knowledge.tests.seed import TODAY, sharing_person
from fibrotrack.lib.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed():
    for _ in range(12):
        sharing_person(before=6, after=3)
    do_compute_outcomes(TODAY)


def test_the_list_reads_rows_only_and_links_the_evidence(owner_client, computed, django_assert_num_queries):
    with django_assert_num_queries(3):  # the signed-in person, the cells with their treatments, the last run
        response = owner_client.get(reverse("knowledge:outcomes"))
    text = response.content.decode()
    assert "not a controlled trial" in text.replace("\n    ", " ")
    assert "/knowledge/pregabalin/#evidence" in text
    assert "about 10 people" in text


def test_the_page_of_a_treatment_shows_rounded_figures_and_the_caveat(owner_client, computed):
    # Computing is never done on a request: deleting the rows empties the page.
    response = owner_client.get(reverse("knowledge:outcome_detail", args=["pregabalin"]))
    text = " ".join(response.content.decode().split())
    assert "About 10 people tracked it." in text
    assert "Typical change: 50% better" in text
    assert "not a controlled trial" in text
    assert 'href="/knowledge/pregabalin/#evidence"' in text
    TreatmentOutcome.objects.all().delete()
    text = " ".join(owner_client.get(reverse("knowledge:outcome_detail", args=["pregabalin"])).content.decode().split())
    assert "Fewer than 10 people share their outcomes for this treatment" in text


def test_a_page_never_computes(owner_client, django_assert_max_num_queries):
    for _ in range(10):
        sharing_person()
    with django_assert_max_num_queries(5):
        text = owner_client.get(reverse("knowledge:outcome_detail", args=["pregabalin"])).content.decode()
    assert "Fewer than 10 people" in " ".join(text.split())


def test_someones_own_treatment_has_no_page(owner_client, owner):
    from fibrotrack.treatments.models import Treatment

    Treatment.objects.create(user=owner, key="my-tea", name="My tea", category="supplement")
    assert owner_client.get(reverse("knowledge:outcome_detail", args=["my-tea"])).status_code == 404
    assert owner_client.get(reverse("knowledge:outcome_detail", args=["no-such-thing"])).status_code == 404


def test_the_pages_need_an_account():
    response = Client().get(reverse("knowledge:outcomes"))
    assert response.status_code == 302


def test_sharing_is_off_until_turned_on_and_can_be_turned_off(owner_client, owner):
    text = owner_client.get(reverse("knowledge:outcomes_share")).content.decode()
    assert "You are not sharing your outcomes." in text
    owner_client.post(reverse("knowledge:outcomes_share"), {"action": "on"})
    assert OutcomeConsent.objects.get(user=owner).is_sharing
    text = owner_client.get(reverse("knowledge:outcomes_share")).content.decode()
    assert "You are sharing your outcomes." in text
    owner_client.post(reverse("knowledge:outcomes_share"), {"action": "off"})
    consent = OutcomeConsent.objects.get(user=owner)
    assert not consent.is_sharing and consent.withdrawn_at is not None


def test_the_sharing_page_only_ever_touches_the_persons_own_consent(owner, stranger_client, stranger):
    do_consent(owner)
    text = stranger_client.get(reverse("knowledge:outcomes_share")).content.decode()
    assert "You are not sharing your outcomes." in text
    # There is no id to forge: a stray user field is ignored.
    stranger_client.post(reverse("knowledge:outcomes_share"), {"action": "off", "user": owner.pk})
    assert OutcomeConsent.objects.get(user=owner).is_sharing
    assert not OutcomeConsent.objects.filter(user=stranger).exists()


def test_the_settings_page_links_the_sharing_setting(owner_client):
    text = owner_client.get(reverse("accounts:settings")).content.decode()
    assert reverse("knowledge:outcomes_share") in text


def test_staff_can_queue_a_recomputation_from_the_admin(monkeypatch):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    queued = []
    monkeypatch.setattr("fibrotrack.lib.tasks.enqueue", lambda task, *a: queued.append(task))
    url = reverse("admin:knowledge_outcomes_recompute")
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert [t.name for t in queued] == ["compute_outcomes"]
    assert "Recompute now" in client.get(reverse("admin:knowledge_outcomerun_changelist")).content.decode()


def test_people_who_are_not_staff_cannot_queue_it(owner_client, monkeypatch):
    queued = []
    monkeypatch.setattr("fibrotrack.lib.tasks.enqueue", lambda task, *a: queued.append(task))
    owner_client.post(reverse("admin:knowledge_outcomes_recompute"))
    assert queued == []
