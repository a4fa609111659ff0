"""Issue 21: dates, numbers, the first day of the week and units follow the person's language and region."""

import datetime as dt
import re
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from fibrotrack.lib import l10n
from fibrotrack.lib.l10n import Conventions

DAY = dt.date(2026, 12, 5)  # a Saturday
AT = dt.datetime(2026, 12, 5, 15, 4, tzinfo=zoneinfo.ZoneInfo("UTC"))


def render(source: str, language: str, region: str = "", units: str = "", **context: object) -> str:
    with translation.override(language), l10n.override(Conventions(region=region, units=units)):
        return Template(source).render(Context(context)).strip()


@pytest.mark.parametrize(
    ("language", "region", "expected"),
    [
        ("en", "", "5 Dec 2026"),
        ("en", "GB", "5 Dec 2026"),
        ("en", "US", "Dec 5, 2026"),
        ("es", "", "5 dic. 2026"),
        ("es", "MX", "5 dic. 2026"),
        ("de", "", "5. Dez. 2026"),
        ("de", "AT", "5. Dez. 2026"),
    ],
)
def test_the_projects_date_pattern_is_written_in_the_locales_order(language, region, expected):
    assert render('{{ day|date:"j M Y" }}', language, region, day=DAY) == expected


@pytest.mark.parametrize(
    ("language", "region", "expected"),
    [
        ("en", "", "Saturday 5 December 2026"),
        ("en", "US", "Saturday, December 5, 2026"),
        ("es", "", "sábado, 5 de diciembre de 2026"),
        ("de", "", "Samstag, 5. Dezember 2026"),
    ],
)
def test_long_dates_too(language, region, expected):
    assert render('{{ day|date:"l j F Y" }}', language, region, day=DAY) == expected
    with translation.override(language), l10n.override(Conventions(region=region)):
        assert l10n.format_date(DAY, "l j F Y") == expected


def test_times_use_the_12_hour_clock_in_the_us_only():
    assert render('{{ at|date:"j M Y, H:i" }}', "en", "US", at=AT) == "Dec 5, 2026, 3:04 PM"
    assert render('{{ at|date:"j M Y, H:i" }}', "de", at=AT) == "5. Dez. 2026, 15:04"
    assert render('{{ at|time:"H:i" }}', "en", at=AT) == "15:04"


def test_an_unknown_pattern_is_used_as_written():
    assert render('{{ day|date:"Y-m-d" }}', "de", day=DAY) == "2026-12-05"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "3.5 · 1234.5"), ("es", "3,5 · 1234,5"), ("de", "3,5 · 1234,5")],
)
def test_decimals_use_the_locales_separator(language, expected):
    source = "{{ a|floatformat:1 }} · {{ b }}"
    assert render(source, language, a=3.5, b=Decimal("1234.5")) == expected


def test_no_thousand_separator_leaks_into_years_and_ids():
    # USE_THOUSAND_SEPARATOR stays off: links and years print plain digits in every language.
    assert render("{{ n }}", "de", n=12345) == "12345"


@pytest.mark.parametrize(
    ("language", "region", "first"),
    [("en", "", 0), ("en", "GB", 0), ("en", "US", 6), ("es", "", 0), ("es", "ES", 0), ("de", "DE", 0), ("es", "MX", 6)],
)
def test_the_first_day_of_the_week_follows_the_region(language, region, first):
    with translation.override(language), l10n.override(Conventions(region=region)):
        assert l10n.first_weekday() == first  # 0 Monday, 6 Sunday
        assert l10n.week_start(DAY).weekday() == first
        assert l10n.week_start(DAY) <= DAY < l10n.week_start(DAY) + dt.timedelta(days=7)
        assert l10n.weekday_headings()[0][1] == str(translation.gettext(["Monday", "Sunday"][first == 6]))


@pytest.mark.parametrize(
    ("header", "region"),
    [("en-US,en;q=0.9", "US"), ("es", ""), ("de-AT,de;q=0.8", "AT"), ("zh-Hant-TW", "TW"), ("", ""), ("*", "")],
)
def test_the_region_comes_from_the_browsers_language(header, region):
    assert l10n.region_from_accept_language(header) == region


@pytest.mark.parametrize(
    ("time_zone", "region"),
    [("America/Chicago", "US"), ("Europe/Madrid", "ES"), ("US/Eastern", "US"), ("UTC", ""), ("Nowhere/Else", "")],
)
def test_else_from_the_time_zone(time_zone, region):
    assert l10n.region_for_time_zone(time_zone) == region


@pytest.mark.parametrize(
    ("region", "units", "shown"),
    [
        ("US", "", ("70.7 °F", "0.04 in", "165.3 lb")),
        ("", "", ("21.5 °C", "1.0 mm", "75.0 kg")),
        ("DE", "", ("21.5 °C", "1.0 mm", "75.0 kg")),
        ("US", "metric", ("21.5 °C", "1.0 mm", "75.0 kg")),  # the person's choice wins
        ("ES", "us", ("70.7 °F", "0.04 in", "165.3 lb")),
    ],
)
def test_units_default_from_the_region_and_the_persons_choice_wins(region, units, shown):
    source = "{{ c|temperature }} / {{ mm|precipitation }} / {{ kg|weight }}"
    assert render(source, "en", region, units, c=21.5, mm=1, kg=75) == " / ".join(shown)


def test_units_use_the_locales_decimal_comma():
    assert render("{{ c|temperature }}", "de", c=21.5) == "21,5 °C"
    assert render("{{ c|temperature }}", "es", "US", c=21.5) == "70,7 °F"


@pytest.mark.django_db
def test_a_new_person_has_no_units_chosen_and_the_browser_decides(owner):
    assert owner.units == ""
    en_us = l10n.conventions_for(owner, "en-US,en;q=0.9")
    assert en_us.system == l10n.US
    assert l10n.conventions_for(owner, "es-ES").system == l10n.METRIC
    assert l10n.conventions_for(owner, "de").system == l10n.METRIC  # no region, UTC: metric
    owner.time_zone = "America/Denver"
    assert l10n.conventions_for(owner, "en").system == l10n.US  # no region in the browser: the time zone
    owner.units = "metric"
    assert l10n.conventions_for(owner, "en-US").system == l10n.METRIC


@pytest.mark.django_db
def test_the_history_calendar_starts_on_sunday_in_the_us_and_monday_elsewhere(owner, owner_client):
    from fibrotrack.lib.dates import diary_day
    from fibrotrack.lib.testing.factories import make_checkin

    make_checkin(owner, diary_day(owner), pain=4)
    url = reverse("diary:history")
    us = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    gb = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    de = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="de-DE").content.decode()
    assert '<thead><tr><th scope="col" abbr="Sunday">S</th><th scope="col" abbr="Monday">M</th>' in us
    assert '<thead><tr><th scope="col" abbr="Monday">M</th><th scope="col" abbr="Tuesday">T</th>' in gb
    assert '<thead><tr><th scope="col" abbr="Montag">M</th><th scope="col" abbr="Dienstag">D</th>' in de


@pytest.mark.django_db
def test_a_lab_heat_threshold_is_shown_in_fahrenheit_in_the_us_and_stays_celsius_stored(owner):
    from fibrotrack.trials.models import Assessment

    a = Assessment(kind=Assessment.Kind.HEAT, value=Decimal("44.50"), measured_on=DAY)
    with translation.override("en"), l10n.override(Conventions(region="US")):
        assert a.display_value == "112.1 °F"
    with translation.override("de"), l10n.override(Conventions(region="DE")):
        assert a.display_value == "44,5 °C"
    assert a.value == Decimal("44.50")


# Python's strftime (f"{day:%-d %b %Y}") writes English month and day names whatever the language:
# shown text uses lib.l10n.format_date(day, "j M Y") instead; a new file that does it fails. These write
# English on purpose, where no person reads it in the app:
_DEMO = (
    "the summary line `fibrotrack demo` prints on the operator's console (commands speak English), not shown in the app"
)
ENGLISH_ON_PURPOSE = {
    "fibrotrack/reports/accesslog_words.py": (
        "the access log stores the period in English and parses it back (strptime) to show it translated"
    ),
    "fibrotrack/diary/demo.py": _DEMO,
    "fibrotrack/treatments/demo.py": _DEMO,
    "fibrotrack/trials/demo.py": _DEMO,
}
ENGLISH_NAMES = re.compile(r"""(?:\{[^{}"']*:|strftime\(\s*["'])[^}"']*%-?[aAbB]\b""")


def _english_dates() -> set[str]:
    root = Path(settings.BASE_DIR)
    found = set()
    for path in (root / "fibrotrack").rglob("*.py"):
        relative = str(path.relative_to(root))
        if "/tests/" in relative or "/migrations/" in relative or relative == "fibrotrack/lib/l10n.py":
            continue
        if ENGLISH_NAMES.search(path.read_text(encoding="utf-8")):
            found.add(relative)
    return found


def test_the_check_finds_english_only_dates():
    assert ENGLISH_NAMES.search('f"Stopped on {day:%-d %B %Y}."') and ENGLISH_NAMES.search('d.strftime("%b %Y")')
    assert not ENGLISH_NAMES.search('f"{day:%Y-%m-%d}"') and not ENGLISH_NAMES.search("format_date(day, 'j M Y')")


def test_no_file_writes_dates_people_see_in_english_only():
    found = _english_dates()
    assert found - set(ENGLISH_ON_PURPOSE) == set(), "use fibrotrack.lib.l10n.format_date(day, 'j M Y') instead"
    gone = set(ENGLISH_ON_PURPOSE) - found
    assert gone == set(), f"no English date left, remove from ENGLISH_ON_PURPOSE: {sorted(gone)}"


@pytest.mark.django_db
def test_outside_a_request_a_person_gets_their_language_and_their_time_zones_conventions(owner):
    owner.language, owner.time_zone = "de", "America/Chicago"
    with l10n.override_for(owner):
        assert translation.get_language() == "de"
        assert l10n.current().system == l10n.US and l10n.first_weekday() == 6
        assert l10n.format_date(DAY, "j M Y") == "5. Dez. 2026"
    owner.language, owner.time_zone = "", "Europe/Madrid"
    with translation.override("es"), l10n.override_for(owner):
        assert translation.get_language() == "es" and l10n.current().system == l10n.METRIC


@pytest.mark.parametrize("language", ["en", "es", "de"])
def test_a_date_picker_gets_an_iso_value_in_every_language(language):
    from django import forms

    class Pick(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    with translation.override(language):
        html = str(Pick(initial={"day": DAY})["day"])
        assert 'value="2026-12-05"' in html
        assert Pick({"day": "2026-12-05"}).is_valid()
