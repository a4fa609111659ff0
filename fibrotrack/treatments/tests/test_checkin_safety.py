"""Issue 14, items 1-3: the check-in says truthfully what it saved, an opioid dose on naltrexone
is a yes to the opioid question, and the LDN side-effect checklist is complete, with serious
side effects sent straight to a doctor."""

import datetime as dt

import pytest
from django.urls import reverse

from fibrotrack.treatments import catalogue
from fibrotrack.treatments.models import DoseLog, OpioidAnswer, SafetyAcknowledgement, SideEffect
from fibrotrack.treatments.tests.helpers import start

pytestmark = pytest.mark.django_db
TODAY = reverse("diary:today")
URGENT = "Contact your doctor or emergency services now"


def _said(response):
    """The messages shown after a save (the redirect followed, so each post's messages are its own)."""
    assert response.redirect_chain, "the save was refused"
    return [str(m) for m in response.context["messages"]]


def _post(client, data):
    return client.post(TODAY, data, follow=True)


# --- 1. The message reflects every section ---------------------------------------------------


def test_changing_only_a_dose_is_reported_as_saved(owner, owner_client):
    regimen = start(owner, "magnesium", amount="300")
    dose = f"tx-dose_{regimen.pk}_0"
    assert _said(_post(owner_client, {dose: "taken"})) == ["Saved today. Well done for checking in."]
    response = _post(owner_client, {dose: "skipped"})
    assert _said(response) == ["Saved today. Well done for checking in."]
    assert DoseLog.objects.get(regimen=regimen).status == "skipped"


def test_changing_only_a_side_effect_is_reported_as_saved(owner, owner_client):
    regimen = start(owner, "magnesium", amount="300")
    dose = f"tx-dose_{regimen.pk}_0"
    _post(owner_client, {dose: "taken"})
    response = _post(owner_client, {dose: "taken", "tx-se_nausea": "mild"})
    assert _said(response) == ["Saved today. Well done for checking in."]
    assert SideEffect.objects.get(user=owner).key == "nausea"


def test_resubmitting_the_same_answers_says_nothing_changed(owner, owner_client):
    regimen = start(owner, "magnesium", amount="300")
    answers = {f"tx-dose_{regimen.pk}_0": "taken", "tx-se_nausea": "mild"}
    _post(owner_client, answers)
    assert _said(_post(owner_client, answers)) == ["Nothing had changed, so there was nothing new to save."]


# --- 2. An opioid dose is a yes to the opioid question -----------------------------------------


def _ldn_and_tramadol(owner, today):
    ldn = start(owner, "naltrexone", on=today - dt.timedelta(days=20), plan="ldn_standard")
    tramadol = start(owner, "tramadol", on=today - dt.timedelta(days=3), amount="50", schedule="as_needed")
    return ldn, tramadol


def test_a_tramadol_dose_on_ldn_needs_the_naltrexone_acknowledgement(owner, owner_client, today):
    ldn, tramadol = _ldn_and_tramadol(owner, today)
    answers = {f"tx-dose_{ldn.pk}_0": "taken", f"tx-dose_{tramadol.pk}_0": "taken", "tx-opioid": "no"}
    response = _post(owner_client, answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert "You marked Tramadol as taken, and it is an opioid." in html
    assert "data-opioid-warning hidden" not in html  # the warning shows, as for a "Yes"
    assert not DoseLog.objects.exists() and not OpioidAnswer.objects.exists()


def test_the_acknowledged_tramadol_dose_is_stored_as_a_yes(owner, owner_client, today):
    ldn, tramadol = _ldn_and_tramadol(owner, today)
    answers = {f"tx-dose_{ldn.pk}_0": "taken", f"tx-dose_{tramadol.pk}_0": "taken", "tx-opioid_ack": "on"}
    assert _post(owner_client, answers).redirect_chain
    assert OpioidAnswer.objects.get(user=owner, day=today).took_opioid is True
    assert SafetyAcknowledgement.objects.get(user=owner, day=today).rule == "opioid_while_on_naltrexone"


def test_tramadol_not_needed_leaves_the_question_alone(owner, owner_client, today):
    ldn, tramadol = _ldn_and_tramadol(owner, today)
    answers = {f"tx-dose_{ldn.pk}_0": "taken", f"tx-dose_{tramadol.pk}_0": "none", "tx-opioid": "no"}
    assert _post(owner_client, answers).redirect_chain
    assert OpioidAnswer.objects.get(user=owner, day=today).took_opioid is False


# --- 3. The full LDN checklist, and serious side effects -----------------------------------------

# The naltrexone monograph's common side effects, and vivid dreams from the LDN pilot study.
LISTED = (
    "Nausea",
    "Vomiting",
    "Stomach pain",
    "Stomach cramps",
    "Diarrhoea",
    "Constipation",
    "Less appetite",
    "Headache",
    "Dizziness",
    "Anxiety",
    "Nervousness",
    "Irritability",
    "Tearfulness",
    "Trouble sleeping",
    "Changes in energy",
    "Drowsiness",
    "Muscle or joint pain",
    "Rash",
    "Vivid dreams",
)
SERIOUS = ("Confusion", "Hallucinations", "Blurred vision", "Severe vomiting or diarrhoea")


def test_the_ldn_checklist_offers_every_listed_side_effect(owner, owner_client):
    start(owner, "naltrexone", plan="ldn_standard")
    html = owner_client.get(TODAY).content.decode()
    for name in LISTED + SERIOUS:
        assert f"<legend>{name}" in html, name
    serious_part = html[html.index("Serious side effects: contact a doctor") :]
    for name in SERIOUS:
        assert f"<legend>{name}" in serious_part, name


def test_blurred_vision_is_serious_on_naltrexone_but_not_on_pregabalin():
    assert catalogue.is_serious("blurred_vision", "naltrexone")
    assert not catalogue.is_serious("blurred_vision", "pregabalin")
    assert catalogue.is_serious("hallucinations", None)


def test_a_serious_side_effect_says_contact_a_doctor_now(owner, owner_client):
    start(owner, "naltrexone", plan="ldn_standard")
    response = _post(owner_client, {"tx-se_confusion": "mild"})
    said = _said(response)
    assert said[0].startswith(URGENT) and "confusion" in said[0], said  # first, before the "well done"
    page = owner_client.get(TODAY).content.decode()
    warning = page[page.index("data-serious-warning") - 80 :]
    assert "hidden" not in warning[: warning.index(">")]  # shown at once on the page too


def test_a_mild_common_side_effect_is_not_urgent(owner, owner_client):
    start(owner, "naltrexone", plan="ldn_standard")
    response = _post(owner_client, {"tx-se_headache": "mild"})
    assert not any(URGENT in m for m in _said(response))


def test_a_serious_side_effect_tops_the_doctors_report(owner, owner_client, today):
    start(owner, "naltrexone", on=today - dt.timedelta(days=5), plan="ldn_standard")
    _post(owner_client, {"tx-se_hallucinations": "moderate", "tx-se_headache": "mild"})
    html = owner_client.get(reverse("reports:report_view"), {"period": "28"}).content.decode()
    urgent = html.index(URGENT)
    assert urgent < html.index('id="section-treatments"')
    assert "Hallucinations (seeing or hearing things that are not there)" in html[urgent : urgent + 800]
    assert "suspected of Naltrexone (LDN)" in html[urgent : urgent + 800]
