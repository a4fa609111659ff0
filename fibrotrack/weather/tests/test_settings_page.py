"""The weather settings page: opt in with a coarse area, bad input refused, never waiting for the provider."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from fibrotrack.accounts.actions import do_delete_account
from fibrotrack.weather import actions
from fibrotrack.weather.models import WeatherCell, WeatherDay, WeatherLocation

URL = reverse("weather:settings")


def test_it_needs_a_signed_in_person(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_weather_is_off_until_the_person_turns_it_on(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert "Weather is off." in response.content.decode()
    assert not WeatherLocation.objects.exists()


def test_opting_in_stores_only_the_rounded_cell_and_never_waits_for_the_provider(owner, owner_client):
    started = time.perf_counter()  # the provider (port 9) answers nothing at all in the tests
    response = owner_client.post(URL, {"action": "coords", "latitude": "53.8123", "longitude": "-1.5467"}, follow=True)
    assert time.perf_counter() - started < 1.5
    location = WeatherLocation.objects.get(user=owner)
    assert (location.cell.lat10, location.cell.lon10) == (538, -15)
    page = response.content.decode()
    assert "latitude 53.8, longitude -1.5" in page
    assert "not here yet" in page
    assert "53.8123" not in page
    # The back-fill waits in the task queue for the worker.
    assert DBTaskResult.objects.filter(task_path="fibrotrack.weather.tasks.fetch_cell").count() == 1


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("91", "0", "between -90"),
        ("-90.1", "0", "between -90"),
        ("0", "180.5", "between -180 and 180"),
        ("nan", "0", "must be a number"),
        ("0", "inf", "must be a number"),
        ("1e400", "0", "must be a number"),
        ("Leeds", "-1.5", "must be a number"),
        ("", "-1.5", "Type the latitude"),
    ],
)
def test_bad_coordinates_are_refused_and_change_nothing(owner, owner_client, latitude, longitude, message):
    actions.do_set_location(owner, 51.5, -0.1)
    before = list(WeatherCell.objects.values_list("lat10", "lon10"))
    response = owner_client.post(URL, {"action": "coords", "latitude": latitude, "longitude": longitude})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(WeatherCell.objects.values_list("lat10", "lon10")) == before
    assert WeatherLocation.objects.get(user=owner).cell.lat10 == 515


def test_place_search_offers_rounded_places(owner, owner_client, fake_openmeteo):
    response = owner_client.post(URL, {"action": "search", "q": "Berlin"})
    page = response.content.decode()
    assert "Berlin, Berlin, Deutschland" in page
    assert 'value="52.5"' in page and 'value="13.4"' in page
    assert "52.52437" not in page
    owner_client.post(URL, {"action": "choose", "latitude": "52.5", "longitude": "13.4"})
    assert (WeatherLocation.objects.get(user=owner).cell.lat10, WeatherLocation.objects.get().cell.lon10) == (525, 134)


def test_place_search_says_so_when_the_provider_is_down(owner_client, fake_openmeteo):
    fake_openmeteo.fail_next = 5
    response = owner_client.post(URL, {"action": "search", "q": "Berlin"})
    assert "not answering right now" in response.content.decode()
    assert not WeatherLocation.objects.exists()


def test_turning_off_deletes_the_persons_area_but_not_a_neighbours(owner, stranger, owner_client):
    actions.do_set_location(owner, 53.8, -1.5)
    actions.do_set_location(stranger, 53.81, -1.49)
    owner_client.post(URL, {"action": "off"})
    assert not WeatherLocation.objects.filter(user=owner).exists()
    assert WeatherCell.objects.count() == 1  # the stranger still uses it
    actions.do_turn_off(stranger)
    assert not WeatherCell.objects.exists()


def test_another_person_never_sees_my_area(owner, stranger_client):
    actions.do_set_location(owner, 12.3, 45.6)
    page = stranger_client.get(URL).content.decode()
    assert "12.3" not in page and "45.6" not in page and "Weather is off." in page


def test_moving_forgets_the_old_cell(owner):
    actions.do_set_location(owner, 53.8, -1.5)
    actions.do_set_location(owner, 40.7, -74.0)
    assert list(WeatherCell.objects.values_list("lat10", "lon10")) == [(407, -740)]


def test_deleting_the_account_leaves_no_cell_that_only_they_used(owner, stranger):
    actions.do_set_location(owner, 53.8, -1.5)
    actions.do_set_location(stranger, 40.7, -74.0)
    do_delete_account(owner)
    assert list(WeatherCell.objects.values_list("lat10", "lon10")) == [(407, -740)]
    assert not WeatherDay.objects.filter(cell__lat10=538).exists()


def test_switched_off_for_the_site_the_page_is_not_there(owner_client, settings):
    settings.WEATHER_ENABLED = False
    assert owner_client.get(URL).status_code == 404


def test_the_settings_page_links_to_weather(owner_client):
    page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert f'href="{URL}"' in page
