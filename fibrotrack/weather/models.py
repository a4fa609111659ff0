"""Weather per 0.1° cell and day, shared by everyone in the cell; the person's opt-in names only the cell.

A cell is a latitude and a longitude rounded to 0.1° (about 10 km), stored
as whole tenths (``lat10 = 538`` is 53.8°N) so that equality is exact. No
exact location is ever stored: the rounding happens before anything is
saved, and the place name a person searched for is not kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class WeatherCell(models.Model):
    """One 0.1° square. Its days are fetched once and serve every person in it."""

    lat10 = models.SmallIntegerField()
    lon10 = models.SmallIntegerField()
    # Open-Meteo's answer to ``timezone=auto``: the cell's own calendar days, DST included.
    timezone = models.CharField(max_length=64, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lat10", "lon10"], name="weather_cell_unique"),
            models.CheckConstraint(condition=Q(lat10__gte=-900, lat10__lte=900), name="weather_cell_lat_range"),
            models.CheckConstraint(condition=Q(lon10__gte=-1800, lon10__lt=1800), name="weather_cell_lon_range"),
        ]

    def __str__(self) -> str:
        return f"{self.latitude:.1f}, {self.longitude:.1f}"

    @property
    def latitude(self) -> float:
        return self.lat10 / 10

    @property
    def longitude(self) -> float:
        return self.lon10 / 10


class WeatherLocation(models.Model):
    """A person's opt-in: the cell whose weather goes with their diary. No row means weather is off."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weather_location")
    cell = models.ForeignKey(WeatherCell, on_delete=models.PROTECT, related_name="locations")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"weather for user {self.user_id}"


class WeatherDay(models.Model):
    """One calendar day of one cell, in the cell's time zone. Missing values are None."""

    class Source(models.TextChoices):
        FORECAST = "forecast", "Forecast API (recent days)"
        ARCHIVE = "archive", "Historical weather API"

    cell = models.ForeignKey(WeatherCell, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    pressure_msl = models.FloatField(null=True, help_text="Mean sea-level pressure over the day, hPa")
    pressure_change = models.FloatField(null=True, help_text="Change of the daily mean since the day before, hPa")
    temperature = models.FloatField(null=True, help_text="Mean temperature at 2 m, °C")
    humidity = models.FloatField(null=True, help_text="Mean relative humidity at 2 m, %")
    precipitation = models.FloatField(null=True, help_text="Rain and snow over the day, mm")
    source = models.CharField(max_length=10, choices=Source.choices)
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cell", "day"], name="weather_day_unique")]

    def __str__(self) -> str:
        return f"{self.cell_id} {self.day}"
