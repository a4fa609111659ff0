"""On a phone: find the area, turn weather on, see what is stored, turn it off; accessible and no sideways scroll."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fibrotrack.lib.testing.browser import serious_accessibility_violations
from fibrotrack.weather.models import WeatherLocation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_turn_weather_on_by_place_search_and_off_again(logged_in_page, live_server, owner, fake_openmeteo):
    page = logged_in_page
    page.goto(f"{live_server.url}/me/weather/")
    expect(page.get_by_text("Weather is off.", exact=True)).to_be_visible()
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("Your town or postcode").fill("Berlin")
    page.get_by_role("button", name="Find my area").click()
    choice = page.get_by_role("button", name="Berlin, Berlin, Deutschland")
    box = choice.bounding_box()
    assert box is not None and box["height"] >= 44
    choice.click()
    expect(page.get_by_text("Your square: latitude 52.5, longitude 13.4.")).to_be_visible()
    expect(page.get_by_text("The weather data is not here yet")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    assert WeatherLocation.objects.get(user=owner).cell.lat10 == 525
    page.get_by_role("button", name="Turn weather off and delete my square").click()
    expect(page.get_by_text("Weather is off.", exact=True)).to_be_visible()
    assert not WeatherLocation.objects.exists()
