"""Allocation secrecy: before unblinding, nothing the participant can reach depends on the allocation.

The strongest form of "the page does not show it" is indistinguishability:
two participants whose trials differ *only* in the sealed allocation must
get byte-identical pages, JSON and exports (after masking ids, tokens and
the seal, which differ anyway). Any leak of which bottle holds what, or of
the drawn order, would make them differ.
"""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.trials import actions, protocols
from fibrotrack.trials.portability import export_trials
from fibrotrack.trials.report import build_report_context
from fibrotrack.trials.tests.helpers import ldn_regimen, log_doses, new_trial, seed_diary, started, with_custodian

NOW = dt.datetime(2026, 5, 10, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 5, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _world(monkeypatch, template, start, payload, email):
    person = UserFactory(email=email, display_name="Participant")
    custodian = UserFactory(email="c-" + email, display_name="Custodian")
    regimen = ldn_regimen(person, start)
    trial = with_custodian(new_trial(person, template, regimen=regimen, title="Is LDN helping?"), custodian)
    monkeypatch.setattr(actions, "draw_allocation", lambda phases, rng: json.loads(json.dumps(payload)))
    trial = started(trial, start)
    seed_diary(person, start, TODAY - dt.timedelta(days=1), lambda d: 6, seed=7)
    log_doses(regimen, start, TODAY - dt.timedelta(days=1))
    client = Client()
    client.force_login(person)
    return person, trial, client


def _mask(text):
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value="CSRF"', text)
    # A new idempotency key with every page load (diary.actions.do_save_checkin).
    text = re.sub(r'name="client_id" value="[^"]*"', 'name="client_id" value="ID"', text)
    text = re.sub(r'(\w[\w-]*)="([^"]*)"', lambda m: f'{m.group(1)}="{re.sub(r"[0-9]+", "N", m.group(2))}"', text)
    text = re.sub(r"[0-9a-f]{64}", "HASH", text)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID", text)


def _pages(client, trial):
    urls = [
        reverse("trials:list"),
        reverse("trials:detail", args=[trial.pk]),
        reverse("trials:plan", args=[trial.pk]),
        reverse("trials:registration", args=[trial.pk]),
        reverse("trials:amend", args=[trial.pk]),
        reverse("trials:stop", args=[trial.pk]),
        reverse("trials:unblind", args=[trial.pk]),
        reverse("trials:result", args=[trial.pk]),
        reverse("trials:assessment_new", args=[trial.pk]),
        reverse("diary:today"),
        reverse("diary:chart"),
    ]
    out = {}
    for url in urls:
        response = client.get(url)
        body = response.content.decode()
        out[re.sub(r"[0-9]+", "N", url)] = (
            response.status_code,
            re.sub(r"[0-9]+", "N", response.get("Location", "")),
            _mask(body),
        )
        assert "salt" not in body
    return out


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for url in a:
        if a[url] != b[url]:
            import difflib

            diff = "\n".join(difflib.unified_diff(a[url][2].splitlines(), b[url][2].splitlines(), lineterm="", n=0))
            raise AssertionError(f"{url} differs between two allocations:\n{diff}")


def _exports(person):
    records = export_trials(person)
    for r in records:
        assert r["allocation"] is None
    return _mask(json.dumps(records, sort_keys=True))


def _report(person):
    return _mask(
        json.dumps(build_report_context(person, TODAY - dt.timedelta(days=90), TODAY), default=str, sort_keys=True)
    )


def test_pilot_pages_exports_and_reports_do_not_depend_on_which_bottle_is_active(db, monkeypatch):
    start = TODAY - dt.timedelta(days=10)  # in the open baseline: no bottle today
    one = {"version": 1, "salt": "s" * 32, "order": {}, "containers": {"placebo": "A", "treatment": "B"}}
    two = {"version": 1, "salt": "t" * 32, "order": {}, "containers": {"placebo": "B", "treatment": "A"}}
    p1, t1, c1 = _world(monkeypatch, protocols.ldn_pilot(), start, one, "one@example.org")
    p2, t2, c2 = _world(monkeypatch, protocols.ldn_pilot(), start, two, "two@example.org")
    _assert_same(_pages(c1, t1), _pages(c2, t2))
    assert _exports(p1) == _exports(p2)
    assert _report(p1) == _report(p2)


def test_randomized_order_and_contents_stay_hidden_while_todays_bottle_is_shown(db, monkeypatch):
    """Today is in the first period: bottle A for both, but active for one and placebo for the other."""
    start = TODAY - dt.timedelta(days=3)
    active_first = {
        "version": 1,
        "salt": "s" * 32,
        "order": {"1": [1, 2], "2": [3, 4]},
        "containers": {"placebo": "B", "treatment": "A"},
    }
    placebo_first = {
        "version": 1,
        "salt": "t" * 32,
        "order": {"1": [2, 1], "2": [3, 4]},
        "containers": {"placebo": "A", "treatment": "B"},
    }
    p1, t1, c1 = _world(monkeypatch, protocols.pairs(k=2, n=7), start, active_first, "one@example.org")
    p2, t2, c2 = _world(monkeypatch, protocols.pairs(k=2, n=7), start, placebo_first, "two@example.org")
    pages = _pages(c1, t1)
    assert "bottle A" in pages["/trials/N/"][2]
    _assert_same(pages, _pages(c2, t2))
    assert _exports(p1) == _exports(p2)
    assert _report(p1) == _report(p2)


def test_the_custodian_sees_the_allocation_and_the_participant_gets_404_on_the_custodian_page(db, monkeypatch):
    payload = {"version": 1, "salt": "s" * 32, "order": {}, "containers": {"placebo": "A", "treatment": "B"}}
    person, trial, client = _world(
        monkeypatch, protocols.ldn_pilot(), TODAY - dt.timedelta(days=20), payload, "p@example.org"
    )
    assert client.get(reverse("trials:custodian", args=[trial.pk])).status_code == 404
    custodian = Client()
    custodian.force_login(trial.custodian)
    html = custodian.get(reverse("trials:custodian", args=[trial.pk])).content.decode()
    assert "Bottle A</strong>: placebo" in html and "Bottle B</strong>: LDN 4.5 mg" in html
    # The custodian does not see the participant's diary or result.
    assert custodian.get(reverse("trials:result", args=[trial.pk])).status_code == 404
    assert custodian.get(reverse("trials:detail", args=[trial.pk])).status_code == 404


def test_unblinding_reveals_the_allocation_to_the_participant_and_in_the_export(db, monkeypatch):
    payload = {"version": 1, "salt": "s" * 32, "order": {}, "containers": {"placebo": "A", "treatment": "B"}}
    person, trial, client = _world(
        monkeypatch, protocols.ldn_pilot(), TODAY - dt.timedelta(days=20), payload, "p@example.org"
    )
    response = client.post(
        reverse("trials:unblind", args=[trial.pk]), {"reason": "Severe nausea, my GP needs to know", "confirm": "on"}
    )
    assert response.status_code == 302
    html = client.get(reverse("trials:detail", args=[trial.pk])).content.decode()
    assert "Bottle A" in html and "Placebo" in html
    record = export_trials(person)[0]
    assert record["allocation"]["payload"]["containers"] == {"placebo": "A", "treatment": "B"}
    assert record["unblinding"][0]["kind"] == "emergency"


def test_refusing_to_change_a_randomized_period_does_not_reveal_where_it_fell(db, monkeypatch):
    """Day 10 of 2 pairs of 7 days: the first-planned period either ended on day 7 or is under way."""
    start = TODAY - dt.timedelta(days=9)
    messages = []
    for n, order in enumerate(([1, 2], [2, 1])):
        payload = {
            "version": 1,
            "salt": "s" * 32,
            "order": {"1": order, "2": [3, 4]},
            "containers": {"placebo": "A", "treatment": "B"},
        }
        person, trial, client = _world(monkeypatch, protocols.pairs(k=2, n=7), start, payload, f"{n}@example.org")
        first = trial.phases.get(position=1)
        data = {
            "reason": "I want longer periods",
            "threshold_pct": "30",
            "primary_outcome": trial.primary_outcome_id,
            **{f"days_{p.pk}": str(10 if p.pk == first.pk else p.days) for p in trial.phases.all()},
        }
        response = client.post(reverse("trials:amend", args=[trial.pk]), data)
        assert response.status_code == 400
        messages.append(_mask(response.content.decode()))
    assert "order is sealed" in messages[0]
    _assert_same({"amend": (0, "", messages[0])}, {"amend": (0, "", messages[1])})
