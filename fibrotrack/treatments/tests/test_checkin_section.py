"""Today's doses, the opioid question and side effects in the daily check-in."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from fibrotrack.diary.models import CheckIn
from fibrotrack.treatments.models import DoseLog, OpioidAnswer, SafetyAcknowledgement, SideEffect, SideEffectReport
from fibrotrack.treatments.tests.helpers import start

pytestmark = pytest.mark.django_db
TODAY = reverse("diary:today")


def _tag(html, element_id):
    """The opening tag of the element with ``element_id``."""
    at = html.index(f'id="{element_id}"')
    return html[html.rindex("<", 0, at) : html.index(">", at) + 1]


def test_no_section_without_treatments(owner_client):
    assert 'id="treatments"' not in owner_client.get(TODAY).content.decode()


def test_todays_expected_dose_is_offered(owner, owner_client, today):
    regimen = start(owner, "naltrexone", on=today, plan="ldn_standard")
    html = owner_client.get(TODAY).content.decode()
    assert "Naltrexone (LDN) 1 mg, at night" in html
    for choice in ("Taken", "Skipped", "Different dose"):
        assert f"<span>{choice}</span>" in html
    assert f'name="tx-dose_{regimen.pk}_0"' in html
    assert f'name="tx-amount_{regimen.pk}_0"' in html  # present without JavaScript


def test_the_dose_shown_is_the_one_in_force_that_day(owner, owner_client, today):
    start(owner, "naltrexone", on=today - dt.timedelta(days=8), plan="ldn_standard")
    assert "Naltrexone (LDN) 2 mg, at night" in owner_client.get(TODAY).content.decode()
    a_week_ago = today - dt.timedelta(days=7)
    past = owner_client.get(reverse("diary:day", args=[a_week_ago.isoformat()])).content.decode()
    assert "Naltrexone (LDN) 1 mg, at night" in past


def test_marking_a_dose_taken_in_one_tap(owner, owner_client, today):
    regimen = start(owner, "naltrexone", on=today, plan="ldn_standard")
    response = owner_client.post(TODAY, {f"tx-dose_{regimen.pk}_0": "taken", "tx-opioid": "no"})
    assert response.status_code == 302
    log = DoseLog.objects.get(regimen=regimen)
    assert (log.day, log.slot, log.status, log.amount, log.unit) == (today, 0, "taken", Decimal(1), "mg")
    assert OpioidAnswer.objects.get(user=owner).took_opioid is False
    again = owner_client.get(TODAY).content.decode()
    assert "checked" in _tag(again, f"id_tx-dose_{regimen.pk}_0_0")  # "Taken" shows as chosen
    assert "checked" not in _tag(again, f"id_tx-dose_{regimen.pk}_0_1")


def test_resubmitting_never_duplicates_a_dose(owner, owner_client, today):
    regimen = start(owner, "magnesium", amount="300")
    for status in ("taken", "skipped", "taken"):
        owner_client.post(TODAY, {f"tx-dose_{regimen.pk}_0": status})
    assert DoseLog.objects.filter(regimen=regimen).count() == 1
    assert DoseLog.objects.get(regimen=regimen).status == "taken"


def test_each_slot_of_a_twice_daily_dose_is_separate(owner, owner_client, today):
    regimen = start(owner, "pregabalin", amount="75", schedule="daily", times=("08:00", "20:00"))
    html = owner_client.get(TODAY).content.decode()
    assert "Pregabalin 75 mg, at 08:00" in html and "Pregabalin 75 mg, at 20:00" in html
    owner_client.post(TODAY, {f"tx-dose_{regimen.pk}_0": "taken", f"tx-dose_{regimen.pk}_1": "skipped"})
    assert dict(DoseLog.objects.filter(regimen=regimen).values_list("slot", "status")) == {0: "taken", 1: "skipped"}


def test_a_different_dose_needs_its_amount(owner, owner_client, today):
    regimen = start(owner, "magnesium", amount="300")
    response = owner_client.post(TODAY, {f"tx-dose_{regimen.pk}_0": "different"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the dose you took" in html and f'id="id_tx-amount_{regimen.pk}_0_error"' in html
    assert not CheckIn.objects.exists() and not DoseLog.objects.exists()
    response = owner_client.post(TODAY, {f"tx-dose_{regimen.pk}_0": "different", f"tx-amount_{regimen.pk}_0": "0"})
    assert response.status_code == 400 and "The dose must be more than 0." in response.content.decode()
    owner_client.post(TODAY, {f"tx-dose_{regimen.pk}_0": "different", f"tx-amount_{regimen.pk}_0": "150"})
    log = DoseLog.objects.get(regimen=regimen)
    assert (log.status, log.amount) == ("different", Decimal(150))


def test_as_needed_treatments_are_asked_about_without_a_target(owner, owner_client, today):
    regimen = start(owner, "ibuprofen", amount="400", schedule="as_needed")
    html = owner_client.get(TODAY).content.decode()
    assert "Took it" in html and "Didn’t need it" in html
    owner_client.post(TODAY, {f"tx-dose_{regimen.pk}_0": "taken", f"tx-amount_{regimen.pk}_0": "200"})
    log = DoseLog.objects.get(regimen=regimen)
    assert (log.status, log.amount) == ("taken", Decimal(200))
    owner_client.post(TODAY, {f"tx-dose_{regimen.pk}_0": "none"})
    assert not DoseLog.objects.filter(regimen=regimen).exists()


def test_paused_and_days_off_expect_nothing(owner, owner_client, today):
    # The published case schedule pauses on days 18 to 31.
    regimen = start(owner, "naltrexone", on=today - dt.timedelta(days=20), plan="ldn_case")
    html = owner_client.get(TODAY).content.decode()
    assert 'id="treatments"' in html  # the opioid question and side effects still apply
    assert f'name="tx-dose_{regimen.pk}_0"' not in html
    four_days_in = today - dt.timedelta(days=16)
    past = owner_client.get(reverse("diary:day", args=[four_days_in.isoformat()])).content.decode()
    assert "Naltrexone (LDN) 4.5 mg, at night" in past


def test_a_session_on_its_weekday_only(owner, owner_client, today):
    regimen = start(
        owner, "physical_therapy", amount="45", unit="minutes", schedule="weekly", weekdays=(today.weekday(),)
    )
    assert "Physical therapy 45 minutes, session" in owner_client.get(TODAY).content.decode()
    other_day = today - dt.timedelta(days=1)
    regimen.started_on = other_day - dt.timedelta(days=7)
    regimen.save()
    html = owner_client.get(reverse("diary:day", args=[other_day.isoformat()])).content.decode()
    assert "Physical therapy 45 minutes" not in html


# --- The opioid question while on naltrexone ---------------------------------------------


def test_the_opioid_question_appears_only_with_naltrexone(owner, owner_client, today):
    start(owner, "magnesium")
    assert "Did you take any opioid today" not in owner_client.get(TODAY).content.decode()
    start(owner, "naltrexone", plan="ldn_standard")
    assert "Did you take any opioid today (including cough or anti-diarrhoea medicines)?" in (
        owner_client.get(TODAY).content.decode()
    )


def test_yes_shows_the_warning_and_needs_acknowledging(owner, owner_client, today):
    regimen = start(owner, "naltrexone", plan="ldn_standard")
    data = {f"tx-dose_{regimen.pk}_0": "taken", "tx-opioid": "yes"}
    response = owner_client.post(TODAY, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Naltrexone blocks opioid medicines" in html and "withdrawal" in html
    assert "information, not medical advice" in html
    assert "tick the box to confirm" in html
    warning = html.split("data-opioid-warning")[1].split(">")[0]
    assert "hidden" not in warning  # shown without JavaScript, too
    assert not CheckIn.objects.exists() and not DoseLog.objects.exists()

    assert owner_client.post(TODAY, {**data, "tx-opioid_ack": "on"}).status_code == 302
    assert OpioidAnswer.objects.get(user=owner).took_opioid is True
    assert SafetyAcknowledgement.objects.get(user=owner).rule == "opioid_while_on_naltrexone"


def test_the_warning_is_hidden_until_yes(owner, owner_client, today):
    start(owner, "naltrexone", plan="ldn_standard")
    html = owner_client.get(TODAY).content.decode()
    assert "data-opioid-warning hidden" in html


# --- Side effects ---------------------------------------------------------------------------


def test_the_checklist_follows_the_active_treatments(owner, owner_client, today):
    start(owner, "naltrexone", plan="ldn_standard")
    html = owner_client.get(TODAY).content.decode()
    for name in (
        "Vivid dreams",
        "Trouble sleeping",
        "Headache",
        "Nausea",
        "Vomiting",
        "Dizziness",
        "Stomach pain",
    ):
        assert f"<legend>{name}" in html
    assert "<legend>Weight gain" not in html  # a pregabalin side effect


def test_logging_vivid_dreams_starts_an_episode_linked_to_ldn(owner, owner_client, today):
    regimen = start(owner, "naltrexone", on=today - dt.timedelta(days=1), plan="ldn_standard")
    owner_client.post(TODAY, {"tx-se_vivid_dreams": "moderate", "tx-se_headache": "none"})
    effect = SideEffect.objects.get(user=owner)
    assert (effect.name, effect.severity, effect.onset_on, effect.is_ongoing, effect.regimen) == (
        "Vivid dreams",
        "moderate",
        today,
        True,
        regimen,
    )
    assert SideEffectReport.objects.get(side_effect=effect).severity == "moderate"


def test_a_side_effect_runs_over_days_and_ends(owner, owner_client, today):
    start(owner, "naltrexone", on=today - dt.timedelta(days=5), plan="ldn_standard")
    for offset, answer in ((3, "mild"), (2, "severe"), (1, "none")):
        day = today - dt.timedelta(days=offset)
        owner_client.post(reverse("diary:day", args=[day.isoformat()]), {"tx-se_vivid_dreams": answer})
    effect = SideEffect.objects.get(user=owner)
    assert effect.onset_on == today - dt.timedelta(days=3)
    assert effect.severity == "severe"  # the worst day
    assert (effect.is_ongoing, effect.ended_on) == (False, today - dt.timedelta(days=2))
    assert effect.reports.count() == 2
    # Back again today: the episode that ended yesterday does not go on; today's is new.
    owner_client.post(TODAY, {"tx-se_vivid_dreams": "mild"})
    assert SideEffect.objects.filter(user=owner, key="vivid_dreams").count() == 2


def test_changing_an_answer_to_no_on_its_first_day_removes_it(owner, owner_client, today):
    start(owner, "naltrexone", plan="ldn_standard")
    owner_client.post(TODAY, {"tx-se_nausea": "mild"})
    assert SideEffect.objects.filter(user=owner).exists()
    owner_client.post(TODAY, {"tx-se_nausea": "none"})
    assert not SideEffect.objects.filter(user=owner).exists()


def test_something_else_can_be_logged_from_the_checkin(owner, owner_client, today):
    start(owner, "magnesium")
    bad = owner_client.post(TODAY, {"tx-other_name": "Tinnitus"})
    assert bad.status_code == 400 and "Choose how bad it is." in bad.content.decode()
    owner_client.post(TODAY, {"tx-other_name": "Tinnitus", "tx-other_severity": "mild"})
    effect = SideEffect.objects.get(user=owner)
    assert (effect.name, effect.regimen) == ("Tinnitus", None)
    # Still going on, so tomorrow's check-in asks about it.
    assert "<legend>Tinnitus" in owner_client.get(TODAY).content.decode()


# --- Time ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "instant",
    [
        # 01:30 London time on the night the clocks go forward: still the diary day of 28 March.
        dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),
        # 01:30 BST on the night the clocks go back (the first 01:30): still 24 October.
        dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),
    ],
)
def test_a_dose_after_midnight_on_a_dst_night_belongs_to_the_diary_day(owner, owner_client, instant):
    with time_machine.travel(instant, tick=False):
        day = (instant - dt.timedelta(hours=6)).date()
        regimen = start(owner, "naltrexone", on=day - dt.timedelta(days=6), plan="ldn_standard")
        assert "Naltrexone (LDN) 1 mg, at night" in owner_client.get(TODAY).content.decode()
        owner_client.post(TODAY, {f"tx-dose_{regimen.pk}_0": "taken", "tx-opioid": "no"})
    log = DoseLog.objects.get(regimen=regimen)
    assert (log.day, log.amount) == (day, Decimal(1))
    # The next diary day is the first day of week two.
    with time_machine.travel(instant + dt.timedelta(days=1), tick=False):
        assert "Naltrexone (LDN) 2 mg, at night" in owner_client.get(TODAY).content.decode()
