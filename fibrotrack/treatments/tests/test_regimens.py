"""Adding, changing and stopping regimens through the pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from fibrotrack.treatments.models import DoseChange, Regimen, SafetyAcknowledgement, TitrationPlan, Treatment
from fibrotrack.treatments.tests.helpers import catalogue, start

pytestmark = pytest.mark.django_db
ADD = reverse("treatments:add")


def _post(treatment, today, **overrides):
    data = {
        "treatment": str(catalogue(treatment).pk),
        "amount": "75",
        "unit": "mg",
        "form": "capsule",
        "schedule": "daily",
        "times": "8:00, 20:00",
        "started_on": today.isoformat(),
        "plan": "",
        "prescriber": "Dr Okafor",
        "note": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_it_adds_a_regimen_with_its_first_dose(owner, owner_client, today):
    response = owner_client.post(ADD, _post("pregabalin", today))
    regimen = Regimen.objects.get(user=owner)
    assert response.status_code == 302 and response["Location"] == reverse("treatments:detail", args=[regimen.pk])
    assert (regimen.treatment.key, regimen.schedule, regimen.times, regimen.prescriber) == (
        "pregabalin",
        "daily",
        ["08:00", "20:00"],
        "Dr Okafor",
    )
    change = DoseChange.objects.get(regimen=regimen)
    assert (change.amount, change.unit, change.effective_on, change.reason) == (Decimal(75), "mg", today, "started")


def test_it_adds_ldn_with_the_standard_plan(owner, owner_client, today):
    response = owner_client.post(
        ADD, _post("naltrexone", today, amount="", schedule="nightly", times="", plan="ldn_standard", form="")
    )
    assert response.status_code == 302
    plan = TitrationPlan.objects.get(regimen__user=owner)
    assert plan.template == "ldn_standard" and plan.start_date == today
    assert [s["amount"] for s in plan.steps] == ["1", "2", "3", "4", "4.5"]
    assert not DoseChange.objects.filter(regimen__user=owner).exists()
    page = owner_client.get(response["Location"]).content.decode()
    assert "1 mg" in page and "Plan step 1 of 5" in page


def test_a_custom_plan_with_a_pause(owner, owner_client, today):
    steps = {
        "step-TOTAL_FORMS": "8",
        "step-INITIAL_FORMS": "0",
        "step-0-kind": "dose",
        "step-0-amount": "25",
        "step-0-days": "3",
        "step-1-kind": "pause",
        "step-1-days": "2",
        "step-2-kind": "dose",
        "step-2-amount": "50",
        "step-2-days": "7",
    }
    response = owner_client.post(ADD, {**_post("amitriptyline", today, amount="", plan="custom"), **steps})
    assert response.status_code == 302, response.content.decode()
    plan = TitrationPlan.objects.get(regimen__user=owner)
    assert plan.template == "custom"
    assert plan.steps == [{"amount": "25", "days": 3}, {"amount": None, "days": 2}, {"amount": "50", "days": 7}]


STEP_WITHOUT_DURATION = {
    "plan": "custom",
    "amount": "",
    "step-TOTAL_FORMS": "8",
    "step-INITIAL_FORMS": "0",
    "step-0-kind": "dose",
    "step-0-amount": "1",
    "step-0-days": "",
}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "0"}, "amount", "The dose must be more than 0."),
        ({"amount": "-5"}, "amount", "The dose must be more than 0."),
        ({"amount": ""}, "amount", "Enter the dose, for example 300."),
        ({"unit": "spoonfuls"}, "unit", "“spoonfuls” is not a unit we know."),
        ({"stopped_on": "2020-01-01", "stop_reason": "cost"}, "stopped_on", "can’t be before the start date"),
        (STEP_WITHOUT_DURATION, "step-0-days", "This step has no duration."),
        ({"schedule": "daily", "times": "noon"}, "times", "“noon” is not a time."),
        ({"schedule": "weekly", "times": ""}, "weekdays", "Pick at least one day of the week."),
        ({"plan": "ldn_standard", "amount": ""}, "plan", "The LDN standard plan is for naltrexone."),
        ({"treatment": "999999"}, "treatment", "Choose a treatment from the list"),
    ],
)
def test_bad_input_is_explained_next_to_its_field_and_nothing_is_saved(
    owner, owner_client, today, overrides, field, message
):
    response = owner_client.post(ADD, {**_post("pregabalin", today), **overrides})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    # The message sits in the error paragraph tied to the field.
    assert f'id="id_{field}_error"' in html
    assert not Regimen.objects.filter(user=owner).exists()


def test_a_duplicate_active_regimen_is_refused(owner, owner_client, today):
    start(owner, "pregabalin", on=today - dt.timedelta(days=10), amount="75", schedule="daily", times=("08:00",))
    response = owner_client.post(ADD, _post("pregabalin", today))
    assert response.status_code == 400
    html = response.content.decode()
    assert "You already have Pregabalin from" in html and 'id="id_treatment_error"' in html
    assert Regimen.objects.filter(user=owner).count() == 1


def test_the_same_treatment_again_after_stopping_is_fine(owner, owner_client, today):
    start(owner, "pregabalin", on=today - dt.timedelta(days=60), stop=today - dt.timedelta(days=30))
    assert owner_client.post(ADD, _post("pregabalin", today)).status_code == 302
    assert Regimen.objects.filter(user=owner).count() == 2


def test_a_past_treatment_can_be_added_with_its_stop_date(owner, owner_client, today):
    data = _post("pregabalin", today - dt.timedelta(days=100), stopped_on=(today - dt.timedelta(days=50)).isoformat())
    response = owner_client.post(ADD, data)
    assert response.status_code == 400 and "Choose why you stopped" in response.content.decode()
    data["stop_reason"] = "side_effects"
    assert owner_client.post(ADD, data).status_code == 302
    regimen = Regimen.objects.get(user=owner)
    assert (regimen.stopped_on, regimen.stop_reason) == (today - dt.timedelta(days=50), "side_effects")


# --- Safety at the point of saving ------------------------------------------------------


def test_adding_tramadol_on_ldn_needs_the_warning_acknowledged(owner, owner_client, today):
    start(owner, "naltrexone", on=today - dt.timedelta(days=14), plan="ldn_standard")
    data = _post("tramadol", today, amount="50", schedule="as_needed", times="")
    response = owner_client.post(ADD, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Naltrexone blocks opioid painkillers" in html
    assert "7 to 10 days" in html and "withdrawal" in html
    assert "This is information, not medical advice." in html
    assert "tick the box to confirm" in html
    assert not Regimen.objects.filter(user=owner, treatment__key="tramadol").exists()

    response = owner_client.post(ADD, {**data, "acknowledge": "on"})
    assert response.status_code == 302
    assert Regimen.objects.filter(user=owner, treatment__key="tramadol").exists()
    ack = SafetyAcknowledgement.objects.get(user=owner)
    assert ack.rule == "naltrexone_with_opioid" and "blocks opioid" in ack.message


def test_adding_ldn_on_an_opioid_needs_it_too(owner, owner_client, today):
    start(owner, "oxycodone", on=today - dt.timedelta(days=5), amount="5", schedule="several", doses_per_day=2)
    data = _post("naltrexone", today, amount="", schedule="nightly", times="", plan="ldn_standard")
    assert owner_client.post(ADD, data).status_code == 400
    assert owner_client.post(ADD, {**data, "acknowledge": "on"}).status_code == 302


def test_a_serotonin_caution_does_not_block(owner, owner_client, today):
    start(owner, "duloxetine", on=today - dt.timedelta(days=30), amount="60", schedule="daily", times=("08:00",))
    response = owner_client.post(ADD, _post("tramadol", today, amount="50", schedule="as_needed", times=""))
    assert response.status_code == 302
    page = owner_client.get(response["Location"]).content.decode()
    assert "serotonin syndrome" in page


# --- Changing, stopping, editing ---------------------------------------------------------


def test_a_dose_change_is_added_to_the_history(owner, owner_client, today):
    regimen = start(owner, "pregabalin", on=today - dt.timedelta(days=20), amount="75")
    url = reverse("treatments:change_dose", args=[regimen.pk])
    response = owner_client.post(
        url, {"effective_on": today.isoformat(), "amount": "150", "unit": "mg", "reason": "prescriber", "note": "Up"}
    )
    assert response.status_code == 302
    amounts = list(regimen.dose_changes.order_by("effective_on").values_list("amount", flat=True))
    assert amounts == [Decimal(75), Decimal(150)]
    page = owner_client.get(reverse("treatments:detail", args=[regimen.pk])).content.decode()
    assert "75 mg" in page and "150 mg" in page and "My prescriber changed it: Up" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "0"}, "The dose must be more than 0."),
        ({"unit": "pints"}, "is not a unit we know"),
        ({"effective_on": "2001-01-01"}, "Pick that day or later."),
    ],
)
def test_a_bad_dose_change_is_refused(owner, owner_client, today, data, message):
    regimen = start(owner, "pregabalin", on=today - dt.timedelta(days=20), amount="75")
    url = reverse("treatments:change_dose", args=[regimen.pk])
    base = {"effective_on": today.isoformat(), "amount": "150", "unit": "mg", "reason": "prescriber"}
    response = owner_client.post(url, {**base, **data})
    assert response.status_code == 400 and message in response.content.decode()
    assert regimen.dose_changes.count() == 1


def test_stopping_asks_for_a_date_not_before_the_start(owner, owner_client, today):
    regimen = start(owner, "pregabalin", on=today - dt.timedelta(days=20))
    url = reverse("treatments:stop", args=[regimen.pk])
    bad = owner_client.post(url, {"stopped_on": (today - dt.timedelta(days=30)).isoformat(), "reason": "cost"})
    assert bad.status_code == 400 and "can’t be before the start date" in bad.content.decode()
    assert owner_client.post(url, {"stopped_on": today.isoformat(), "reason": "side_effects"}).status_code == 302
    regimen.refresh_from_db()
    assert (regimen.stopped_on, regimen.stop_reason) == (today, "side_effects")


def test_stopping_naltrexone_warns_about_opioid_tolerance(owner, owner_client, today):
    regimen = start(owner, "naltrexone", on=today - dt.timedelta(days=40), plan="ldn_standard")
    response = owner_client.post(
        reverse("treatments:stop", args=[regimen.pk]),
        {"stopped_on": today.isoformat(), "reason": "did_not_help"},
        follow=True,
    )
    html = response.content.decode()
    assert "opioid tolerance may be lower" in html
    assert "information, not medical advice" in html


def test_details_can_be_edited_and_a_regimen_deleted(owner, owner_client, today):
    regimen = start(owner, "magnesium")
    url = reverse("treatments:edit", args=[regimen.pk])
    assert owner_client.post(url, {"form": "capsule", "prescriber": "Me", "note": "glycinate"}).status_code == 302
    regimen.refresh_from_db()
    assert (regimen.form, regimen.prescriber, regimen.note) == ("capsule", "Me", "glycinate")
    assert owner_client.post(reverse("treatments:delete", args=[regimen.pk])).status_code == 302
    assert not Regimen.objects.filter(pk=regimen.pk).exists()


# --- Own treatments are private --------------------------------------------------------


def test_own_treatments_are_private(owner, stranger, owner_client, stranger_client, today):
    response = owner_client.post(
        reverse("treatments:custom_new"),
        {"name": "Turmeric paste", "category": "supplement", "unit": "mg", "flags": []},
    )
    assert response.status_code == 302
    mine = Treatment.objects.get(user=owner, name="Turmeric paste")
    assert "Turmeric paste" in owner_client.get(ADD).content.decode()
    assert "Turmeric paste" not in stranger_client.get(ADD).content.decode()
    response = stranger_client.post(ADD, {**_post("pregabalin", today), "treatment": str(mine.pk)})
    assert response.status_code == 400 and "Choose a treatment from the list" in response.content.decode()


def test_a_catalogue_name_cannot_be_added_as_your_own(owner_client):
    response = owner_client.post(
        reverse("treatments:custom_new"), {"name": "ultram", "category": "medication", "unit": "mg"}
    )
    assert response.status_code == 400
    assert "already in the list, as Tramadol" in response.content.decode()


def test_own_treatment_flags_drive_the_safety_rules(owner, owner_client, today):
    owner_client.post(
        reverse("treatments:custom_new"),
        {"name": "Cough syrup with codeine", "category": "medication", "unit": "ml", "flags": ["opioid"]},
    )
    start(owner, "naltrexone", on=today - dt.timedelta(days=3), plan="ldn_standard")
    syrup = Treatment.objects.get(user=owner)
    data = {**_post("pregabalin", today, unit="ml", amount="5", schedule="as_needed"), "treatment": str(syrup.pk)}
    response = owner_client.post(ADD, data)
    assert response.status_code == 400 and "Naltrexone blocks opioid painkillers" in response.content.decode()


# --- Another person's regimen is invisible ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("treatments:detail", "get"),
        ("treatments:change_dose", "get"),
        ("treatments:change_dose", "post"),
        ("treatments:stop", "get"),
        ("treatments:stop", "post"),
        ("treatments:edit", "get"),
        ("treatments:edit", "post"),
        ("treatments:delete", "post"),
    ],
)
def test_another_person_gets_404(owner, stranger_client, name, method):
    regimen = start(owner, "magnesium")
    response = getattr(stranger_client, method)(reverse(name, args=[regimen.pk]), {})
    assert response.status_code == 404
    assert Regimen.objects.filter(pk=regimen.pk, stopped_on=None).exists()


def test_pages_need_a_login(client):
    for name in ("treatments:list", "treatments:add", "treatments:side_effects"):
        assert client.get(reverse(name)).status_code == 302
