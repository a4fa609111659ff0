"""Weather settings: opt in with a coarse location, see whether the data has arrived, or turn it off."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.weather import access, actions, openmeteo
from fibrotrack.weather.client import WeatherUnavailable
from fibrotrack.weather.forms import CoordinatesForm, PlaceSearchForm


@login_required
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not settings.WEATHER_ENABLED:
        raise Http404
    user = request.user
    search_form = PlaceSearchForm()
    coords_form = CoordinatesForm()
    places: list[openmeteo.Place] | None = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "off":
            if actions.do_turn_off(user):
                messages.success(request, _("Weather is off. Your area is no longer stored."))
            return redirect("weather:settings")
        if action == "search":
            search_form = PlaceSearchForm(request.POST)
            if search_form.is_valid():
                try:
                    places = openmeteo.search_places(search_form.cleaned_data["q"])
                except WeatherUnavailable:
                    search_form.add_error(
                        "q",
                        _("The place search is not answering right now. Try again later, or type coordinates below."),
                    )
        elif action in {"choose", "coords"}:
            coords_form = CoordinatesForm(request.POST)
            if coords_form.is_valid():
                lat10, lon10 = coords_form.cleaned_data["cell"]
                actions.do_set_location(user, lat10 / 10, lon10 / 10)
                messages.success(request, _("Weather is on. The first data arrives within a few minutes to a day."))
                return redirect("weather:settings")
    return render(request, "weather/settings.html", _context(user, search_form, coords_form, places))


def _context(
    user: Any, search_form: PlaceSearchForm, coords_form: CoordinatesForm, places: list[openmeteo.Place] | None
) -> dict[str, Any]:
    location = access.get_location_for_user(user)
    ctx: dict[str, Any] = {
        "location": location,
        "search_form": search_form,
        "coords_form": coords_form,
        "places": places,
    }
    if location is not None:
        latest = location.cell.days.order_by("-day").values_list("day", flat=True).first()
        ctx["latest_day"] = latest
        ctx["provider_trouble"] = location.cell.failures > 0
    return ctx
