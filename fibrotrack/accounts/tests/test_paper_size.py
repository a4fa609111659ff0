"""The paper size: the person's setting, or automatic from the time zone (never the browser's language)."""

import pytest
from django.urls import reverse

from fibrotrack.accounts.paper import paper_for_time_zone, paper_size_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("time_zone", "paper"),
    [
        ("Europe/Berlin", "a4"),
        ("Europe/London", "a4"),
        ("UTC", "a4"),
        ("America/Sao_Paulo", "a4"),
        ("Australia/Sydney", "a4"),
        ("America/New_York", "letter"),
        ("America/Los_Angeles", "letter"),
        ("America/Toronto", "letter"),
        ("America/Vancouver", "letter"),
        # Issue 21: A4 outside the US and Canada, even where Letter is also common.
        ("America/Mexico_City", "a4"),
        ("Asia/Manila", "a4"),
        ("America/Bogota", "a4"),
        ("US/Eastern", "letter"),
        ("Canada/Pacific", "letter"),
        ("Pacific/Honolulu", "letter"),
    ],
)
def test_automatic_follows_the_time_zone(time_zone, paper):
    assert paper_for_time_zone(time_zone) == paper


def test_a_chosen_paper_size_wins_over_the_time_zone(owner):
    owner.time_zone = "Europe/Berlin"
    assert paper_size_for(owner) == "a4"
    owner.paper_size = "letter"
    assert paper_size_for(owner) == "letter"


def test_the_settings_form_saves_the_paper_size(owner, owner_client):
    data = {"time_zone": "Europe/Berlin", "day_starts_at_hour": "4", "units": "metric", "paper_size": "letter"}
    assert owner_client.post(reverse("accounts:settings"), data).status_code == 302
    owner.refresh_from_db()
    assert owner.paper_size == "letter"
    page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert "Paper size" in page and "Automatic" in page
