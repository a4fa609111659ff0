"""The report section, the check-in section, the timeline bands, the invitation e-mail and the demo."""

import datetime as dt

from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from fibrotrack.diary.timeline import providers
from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.testing.factories import PASSWORD
from fibrotrack.trials import actions, protocols
from fibrotrack.trials.models import CustodianInvite, Trial
from fibrotrack.trials.report import build_report_context
from fibrotrack.trials.tests.helpers import ldn_regimen, new_trial, seed_diary, started, symptom, with_custodian


def test_the_report_lists_overlapping_trials_with_verdicts_only_once_unblinded(owner, clinician, today):
    start = today - dt.timedelta(days=100)
    trial = started(with_custodian(new_trial(owner, regimen=ldn_regimen(owner, start)), clinician), start)
    seed_diary(owner, start, today, lambda d: 5)
    ctx = build_report_context(owner, today - dt.timedelta(days=30), today)
    [item] = ctx["trials"]
    assert item["verdict"] is None and "still blinded" in item["note"]
    assert "Placebo 14 days (blinded)" in item["protocol"]
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    [item] = build_report_context(owner, today - dt.timedelta(days=30), today)["trials"]
    assert item["verdict"].startswith("Pain was")
    html = render_to_string("trials/_report_section.html", build_report_context(owner, start, today))
    assert "Personal treatment trials" in html and "Key numbers" in html and "discuss" in html.lower()
    assert build_report_context(owner, today + dt.timedelta(days=1), today + dt.timedelta(days=9))["trials"] == []


def test_the_checkin_asks_the_trials_primary_outcome_first_and_shows_the_trial_day(owner, owner_client, today):
    trial = new_trial(owner, protocols.before_after(), regimen=ldn_regimen(owner, today), outcome="fatigue")
    trial.secondary_outcomes.set([symptom(owner, "mood")])
    html = owner_client.get(reverse("diary:today")).content.decode()
    assert html.index('id="symptom-pain"') < html.index('id="symptom-fatigue"')  # no trial yet: usual order
    started(trial, today - dt.timedelta(days=3))
    html = owner_client.get(reverse("diary:today")).content.decode()
    assert "Your trial" in html and "day 4 of 56" in html
    assert html.index('id="symptom-fatigue"') < html.index('id="symptom-mood"') < html.index('id="symptom-pain"')
    # Saving the day still works with the trial section present.
    pain = symptom(owner, "pain")
    response = owner_client.post(reverse("diary:today"), {f"s_{pain.pk}": "4"})
    assert response.status_code == 302


def test_the_timeline_shades_trial_phases_and_keeps_blinded_ones_neutral(owner, clinician, today):
    start = today - dt.timedelta(days=40)
    trial = started(with_custodian(new_trial(owner, regimen=ldn_regimen(owner, start)), clinician), start)
    bands = [
        b
        for p in providers()
        for b in p(owner, today - dt.timedelta(days=89), today + dt.timedelta(days=90))
        if b.label.startswith("Trial:")
    ]
    assert [b.label for b in bands] == ["Trial: Baseline", "Trial: Blinded part", "Trial: Washout"]
    actions.do_unblind(trial, owner, "participant", emergency=True, reason="doctor asked", today=today)
    labels = [
        b.label for p in providers() for b in p(owner, today - dt.timedelta(days=89), today + dt.timedelta(days=90))
    ]
    assert "Trial: Placebo" in labels and "Trial: LDN 4.5 mg" in labels


def test_the_chart_page_shows_trial_bands(owner, owner_client, today):
    started(new_trial(owner, protocols.before_after(), regimen=ldn_regimen(owner, today)), today - dt.timedelta(days=5))
    assert "Trial: Baseline" in owner_client.get(reverse("diary:chart")).content.decode()


def test_the_custodian_is_invited_by_email_and_accepts_with_their_own_account(owner, owner_client, clinician, today):
    trial = new_trial(owner, regimen=ldn_regimen(owner, today))
    response = owner_client.post(reverse("trials:invite", args=[trial.pk]), {"email": "Clinician@Example.org"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["clinician@example.org"]
    assert "hold the blind" in message.subject
    link = next(line for line in message.body.splitlines() if "/trials/invite/" in line).strip()
    path = link.split("127.0.0.1:8000", 1)[-1] if "127.0.0.1" in link else "/" + link.split("/", 3)[3]
    invite = CustodianInvite.objects.get()
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in invite.token_hash and invite.nonce not in message.body  # only hashes are stored

    anonymous = Client()
    assert "/accounts/login/" in anonymous.get(path)["Location"]
    # The participant cannot hold their own blind (the invitation is not for their account either).
    assert owner_client.post(path).status_code == 403
    custodian = Client()
    custodian.force_login(clinician)
    assert custodian.post(path).status_code == 302
    trial.refresh_from_db()
    assert trial.custodian == clinician
    assert custodian.get(path).status_code == 404  # used up


def test_a_new_invitation_replaces_the_old_one(owner, today):
    trial = new_trial(owner, regimen=ldn_regimen(owner, today))
    first = actions.do_invite_custodian(trial, "a@example.org")
    actions.do_invite_custodian(trial, "b@example.org")
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert actions.find_invite("nonsense") is None


def test_the_demo_builds_a_finished_unblinded_ldn_pilot_and_can_be_rebuilt(db):
    user, summaries = build_demo("demo@example.org", PASSWORD)
    assert any(s.startswith("LDN pilot trial") and "unblinded" in s for s in summaries)
    trial = Trial.objects.get(user=user)
    assert trial.status == "finished" and trial.is_unblinded and trial.custodian is not None
    assert trial.assessments.filter(kind="cold_pressor_s").exists()
    user, _ = build_demo("demo@example.org", PASSWORD)
    assert Trial.objects.filter(user=user).count() == 1
    client = Client()
    client.force_login(user)
    response = client.get(reverse("trials:result", args=[Trial.objects.get(user=user).pk]))
    assert response.status_code == 200
    assert "stopped early" not in response.content.decode().lower()


def test_a_short_demo_leaves_the_trial_running_and_blinded(db):
    user, summaries = build_demo("short@example.org", PASSWORD, days=30)
    trial = Trial.objects.get(user=user)
    assert trial.is_running and trial.is_blind_now
