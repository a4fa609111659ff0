"""Admin: the shared cells and their days, for support. People's locations are not shown here (privacy)."""

from django.contrib import admin

from fibrotrack.weather.models import WeatherCell, WeatherDay


@admin.register(WeatherCell)
class WeatherCellAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "lat10", "lon10", "timezone", "last_fetched_at", "failures", "last_error")
    readonly_fields = ("lat10", "lon10", "timezone", "last_fetched_at", "failures", "last_error")


@admin.register(WeatherDay)
class WeatherDayAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("cell", "day", "pressure_msl", "pressure_change", "temperature", "humidity", "precipitation")
    list_filter = ("source",)
    list_select_related = ("cell",)
