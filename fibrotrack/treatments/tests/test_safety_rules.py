"""Every safety rule, driven by the catalogue's flags."""

import datetime as dt

import pytest

from fibrotrack.treatments import catalogue
from fibrotrack.treatments.safety import (
    DISCLAIMER,
    RULES,
    Course,
    check_active,
    check_new,
    check_stopped,
    questions,
    rule,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 1)
ENTRIES = {e.key: e for e in catalogue.ENTRIES}


def course(key, start=DAY, stop=None, ref=None):
    entry = ENTRIES[key]
    return Course(entry.name, frozenset(entry.flags), start, stop, ref)


def keys(findings):
    return sorted(f.key for f in findings)


# --- Naltrexone while an opioid is active: blocking, in either order ---------------


@pytest.mark.parametrize(
    "opioid", ["tramadol", "codeine", "hydrocodone", "oxycodone", "morphine", "methadone", "buprenorphine", "fentanyl"]
)
def test_adding_an_opioid_while_on_naltrexone_is_blocked(opioid):
    findings = check_new(course(opioid, DAY + dt.timedelta(days=30)), [course("naltrexone", ref=1)])
    blocking = [f for f in findings if f.key == "naltrexone_with_opioid"]
    assert len(blocking) == 1 and blocking[0].blocking
    assert blocking[0].first == "Naltrexone (LDN)" and blocking[0].second == ENTRIES[opioid].name


def test_adding_naltrexone_while_on_an_opioid_is_blocked_too():
    findings = check_new(course("naltrexone", DAY + dt.timedelta(days=3)), [course("tramadol", ref=1)])
    assert keys(findings) == ["naltrexone_with_opioid"]
    message = findings[0].message
    assert "blocks opioid" in message
    assert "withdrawal" in message
    assert "7 to 10 days" in message
    assert "prescriber" in message


def test_no_warning_when_the_dates_do_not_overlap():
    finished = course("tramadol", DAY, DAY + dt.timedelta(days=5), ref=1)
    later = course("naltrexone", DAY + dt.timedelta(days=20))
    assert "naltrexone_with_opioid" not in keys(check_new(later, [finished]))
    # A naltrexone course planned to start while the opioid is still going overlaps.
    still_going = course("tramadol", DAY, DAY + dt.timedelta(days=30), ref=1)
    assert "naltrexone_with_opioid" in keys(check_new(later, [still_going]))


def test_an_active_combination_is_shown_once():
    regimens = [course("naltrexone", ref=1), course("tramadol", ref=2), course("magnesium", ref=3)]
    day = DAY + dt.timedelta(days=1)
    assert keys(check_active(regimens, day)) == ["naltrexone_with_opioid"]
    assert keys(check_active(list(reversed(regimens)), day)) == ["naltrexone_with_opioid"]
    assert check_active(regimens, DAY - dt.timedelta(days=1)) == []


# --- After naltrexone is stopped ------------------------------------------------------


def test_stopping_naltrexone_warns_that_opioid_tolerance_may_be_lower():
    stopped = course("naltrexone", DAY, DAY + dt.timedelta(days=60))
    found = check_stopped(stopped, DAY + dt.timedelta(days=61))
    assert keys(found) == ["opioid_tolerance_after_naltrexone"]
    assert "tolerance may be lower" in found[0].message
    assert check_stopped(stopped, DAY + dt.timedelta(days=60 + 31)) == []  # outside the 30-day window
    assert check_stopped(course("magnesium", DAY, DAY + dt.timedelta(days=5)), DAY + dt.timedelta(days=6)) == []


def test_starting_an_opioid_soon_after_naltrexone_repeats_it():
    stopped = course("naltrexone", DAY, DAY + dt.timedelta(days=60), ref=1)
    soon = course("oxycodone", DAY + dt.timedelta(days=70))
    assert keys(check_new(soon, [stopped])) == ["opioid_tolerance_after_naltrexone"]
    much_later = course("oxycodone", DAY + dt.timedelta(days=200))
    assert check_new(much_later, [stopped]) == []


# --- The check-in question while naltrexone is active ------------------------------------


def test_the_opioid_question_is_asked_only_while_naltrexone_is_active():
    ldn = course("naltrexone", DAY, DAY + dt.timedelta(days=10))
    asked = questions([ldn], DAY + dt.timedelta(days=2))
    assert keys(asked) == ["opioid_while_on_naltrexone"]
    assert asked[0].rule.question == "Did you take any opioid today (including cough or anti-diarrhoea medicines)?"
    assert asked[0].blocking
    assert questions([ldn], DAY + dt.timedelta(days=11)) == []
    assert questions([course("magnesium")], DAY) == []


# --- Serotonergic combinations -----------------------------------------------------------


@pytest.mark.parametrize("other", ["duloxetine", "milnacipran", "5_htp", "amitriptyline", "cyclobenzaprine"])
def test_tramadol_with_a_serotonergic_treatment_brings_a_caution(other):
    found = [f for f in check_new(course("tramadol"), [course(other, ref=1)]) if f.key == "serotonergic_combination"]
    assert len(found) == 1 and not found[0].blocking
    assert "serotonin syndrome" in found[0].message


def test_no_serotonin_caution_for_unrelated_treatments():
    assert check_new(course("duloxetine"), [course("ibuprofen", ref=1), course("magnesium", ref=2)]) == []


# --- Opioids with sedatives ---------------------------------------------------------------


@pytest.mark.parametrize("sedative", ["pregabalin", "gabapentin", "diazepam", "zolpidem", "sodium_oxybate"])
def test_an_opioid_with_a_sedative_brings_a_caution(sedative):
    found = check_new(course("codeine"), [course(sedative, ref=1)])
    assert keys(found) == ["opioid_with_sedative"]
    assert not found[0].blocking


# --- Every rule ----------------------------------------------------------------------------


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.key)
def test_every_rule_is_honest_and_sourced(r):
    assert r.title and r.message
    assert r.citations and all(c.text for c in r.citations)
    assert "information, not medical advice" in DISCLAIMER
    assert "prescriber" in DISCLAIMER
    if r.blocking:
        assert r.acknowledgement


def test_every_finding_carries_the_disclaimer():
    found = check_new(course("naltrexone"), [course("tramadol", ref=1)])
    assert all(f.disclaimer == DISCLAIMER for f in found)
    assert rule("naltrexone_with_opioid").blocking


def test_the_catalogue_flags_the_medicines_the_rules_need():
    opioids = {e.key for e in catalogue.ENTRIES if "opioid" in e.flags}
    assert {
        "tramadol",
        "codeine",
        "hydrocodone",
        "oxycodone",
        "morphine",
        "methadone",
        "buprenorphine",
        "fentanyl",
    } <= (opioids)
    assert [e.key for e in catalogue.ENTRIES if "opioid_antagonist" in e.flags] == ["naltrexone"]
    serotonergic = {e.key for e in catalogue.ENTRIES if "serotonergic" in e.flags}
    assert {"tramadol", "duloxetine", "milnacipran", "5_htp"} <= serotonergic
