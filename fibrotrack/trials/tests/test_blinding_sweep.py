"""The blinding sweep: swap the sealed allocation and every output the participant can reach stays byte-identical.

A running, blinded trial of LDN against placebo in randomized pairs, with a
custodian. As the participant, fetch every page the resolver lists (with the
participant's own objects as arguments), the doctor's report as HTML and PDF,
every export (JSON, CSV, FHIR, and the ZIP, unpacked), the share link's pages
and the community's cards. Then rewrite the sealed allocation, through the
models, as if the draw had gone the other way: the contents of the bottles
swapped *and* every randomized pair in the other order, so that the bottle
letter of each day is the same and only what is in the bottle differs. The
seal and the registration's hash chain are recomputed, so the rewritten
trial is a consistent one (its seal verifies). Fetch everything again.

Only what legitimately differs is normalised: the CSRF tokens, the check-in's
client ids (a new random one per load), and the seal
and chain hashes themselves (they are commitments to the allocation, random
by design). Time is frozen, so nothing else may move. Any other difference
is a leak of the allocation, and the test names the URL. The custodian's page
must change (the sanity check that the swap is real), and a new URL pattern
must be added either to ``ARGS`` or to ``SKIP`` with a reason.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from fibrotrack.api.actions import do_create_token
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import Forum
from fibrotrack.diary.actions import do_record_acr_assessment
from fibrotrack.lib.testing.factories import UserFactory, make_checkin
from fibrotrack.lib.testing.urlwalk import all_routes
from fibrotrack.reminders import sending, sync, tokens
from fibrotrack.reminders.actions import do_new_calendar_link
from fibrotrack.reminders.models import Reminder, ReminderSend
from fibrotrack.reports.actions import do_create_share_link
from fibrotrack.reports.models import AccessLogEntry
from fibrotrack.treatments.actions import do_log_side_effect
from fibrotrack.trials import actions, protocols
from fibrotrack.trials.models import Allocation, PreRegistrationEntry, Trial
from fibrotrack.trials.result_warnings import allocation_matches_seal
from fibrotrack.trials.sealing import allocation_digest, entry_hash, verify_chain
from fibrotrack.trials.tests.helpers import ldn_regimen, log_doses, new_trial, seed_diary, started, with_custodian

NOW = dt.datetime(2026, 5, 10, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 5, 10)
START = TODAY - dt.timedelta(days=20)  # day 21 of 2 pairs of 14 days: the second period of the first pair

# The draw, and the same draw gone the other way: pairs reversed *and* bottles swapped, so that
# bottle A is taken on the same days in both and only its contents differ.
DRAWN = {
    "version": 1,
    "salt": "s" * 32,
    "order": {"1": [1, 2], "2": [3, 4]},
    "containers": {"placebo": "B", "treatment": "A"},
}
SWAPPED = {"order": {"1": [2, 1], "2": [4, 3]}, "containers": {"placebo": "A", "treatment": "B"}}

Ids = dict[str, Any]
Kwargs = Callable[[Ids], list[dict[str, Any]]]


def one(**keys: str) -> Kwargs:
    return lambda i: [{name: i[key] for name, key in keys.items()}]


# The participant's own objects for each pattern that takes arguments; a query string after "?".
ARGS: dict[str, Kwargs] = {
    "diary:day": lambda i: [{"day": i["today"]}, {"day": i["yesterday"]}],
    "diary:delete": one(day="yesterday"),
    "diary:revisions": lambda i: [{"day": i["today"]}, {"day": i["yesterday"]}],
    "diary:symptom_edit": one(pk="symptom"),
    "diary:symptom_move": one(pk="symptom"),
    "diary:acr_detail": one(pk="acr"),
    "diary:acr_delete": one(pk="acr"),
    "treatments:detail": one(pk="regimen"),
    "treatments:change_dose": one(pk="regimen"),
    "treatments:stop": one(pk="regimen"),
    "treatments:edit": one(pk="regimen"),
    "treatments:delete": one(pk="regimen"),
    "treatments:side_effect_edit": one(pk="side_effect"),
    "treatments:side_effect_delete": one(pk="side_effect"),
    **{
        f"trials:{name}": one(pk="trial")
        for name in (
            "detail",
            "plan",
            "start",
            "delete",
            "invite",
            "remove_custodian",
            "custodian",
            "registration",
            "amend",
            "stop",
            "unblind",
            "finish",
            "result",
            "assessment_new",
        )
    },
    "trials:phase_remove": one(pk="trial", phase_pk="phase"),
    "trials:phase_move": one(pk="trial", phase_pk="phase"),
    "reports:link_revoke": one(pk="link"),
    "reports:shared": one(token="link_token"),
    "reports:shared_report": one(token="link_token"),
    "reports:shared_pdf": one(token="link_token"),
    "data:export": lambda i: [{"kind": kind} for kind in ("json", "csv", "fhir", "zip")],
    "community:treatment": lambda i: [{"key": "naltrexone"}],
    "community:forum": one(slug="forum"),
    "community:thread_new": one(slug="forum"),
    "community:thread": one(pk="thread"),
    "community:post": one(pk="post"),
    "community:post_history": one(pk="post"),
    "community:post_edit": one(pk="post"),
    "community:profile": one(pk="participant"),
    "community:card_new": lambda i: [{"source": "chart"}, {"source": "trial"}],
    "knowledge:article": lambda i: [{"key": "naltrexone"}],
    # What worked for others: precomputed aggregates; a trial counts only once unblinded.
    "knowledge:outcome_detail": lambda i: [{"key": "naltrexone"}],
    # The JSON API, fetched with the participant's token (``_fetch``).
    "api:checkin": lambda i: [{"day": i["today"]}, {"day": i["yesterday"]}],
    "api:regimen": one(regimen_id="regimen"),
    "api:side_effect": one(effect_id="side_effect"),
    "api:trial": one(trial_id="trial"),
    "reminders:calendar": one(token="calendar_token"),
    "reminders:unsubscribe": one(token="unsubscribe_token"),
}
QUERIES = {
    "reports:report_view": "period=91",
    "reports:report_pdf": "period=91",
    "reports:shared_report": "",
    "community:search": "q=LDN",
}
_OTHERS = "another person's object or token: the participant's own outputs are swept, not other people's"
SKIP: dict[str, str] = {
    "trials:accept_invite": _OTHERS,
    "reports:grant_end": "no clinician grant in this world; the clinician's pages are the report's, swept via the link",
    "reports:grant_resend": "as reports:grant_end",
    "reports:invite_accept": _OTHERS,
    "reports:patient_dashboard": "the clinician's view: the same dashboard and report as the share link's, swept",
    "reports:patient_report": "as reports:patient_dashboard",
    "reports:patient_report_view": "as reports:patient_dashboard",
    "reports:patient_report_pdf": "as reports:patient_dashboard",
    "data:preview": "an import's pages hold the upload, not the trial",
    "data:confirm": "as data:preview",
    "data:status": "as data:preview",
    "data:cancel": "as data:preview",
    "community:newsletter_confirm": _OTHERS,
    "community:unsubscribe": _OTHERS,
    "community:notification_open": "a redirect to a notification's target; the notifications page is swept",
    "community:card_detail": "no card made in this world; the card forms (chart and trial) are swept",
    "community:card_delete": "as community:card_detail",
    "community:conversation": "no messages in this world; the inbox is swept",
    "community:message_new": _OTHERS,
    "community:message_report": _OTHERS,
    "api:checkin_save": "a write (PUT) to the URL of api:checkin, which is swept",
    "api:checkin_delete": "a write (DELETE) to the URL of api:checkin, which is swept",
    "api:regimen_dose_change": "a write (POST only); it answers api:regimen, which is swept",
    "api:regimen_stop": "a write (POST only); it answers api:regimen, which is swept",
    "api:dose_save": "a write (PUT only); its doses are in api:doses, which is swept",
    "api_tokens:revoke": "a write; the tokens page is swept",
    "knowledge:comment": "a write (POST) from the article page, which is swept",
    "knowledge:newsletter_issue": "no issue sent in this world; the archive is swept",
}
_COMMUNITY_OTHERS = (
    "thread_reply thread_follow thread_moderate thread_move thread_tags post_delete post_react post_report "
    "post_moderate post_card_remove group_about group_members group_join group_leave group_decline group_manage "
    "group_invite group_request group_member profile_follow profile_block profile_report mod_report mod_person "
    "ban_lift admin_group_edit admin_group_moderator_add admin_group_moderator_remove"
)
SKIP.update(
    {
        f"community:{name}": "an action on a thread, post, group or person, or a moderator's tool: no trial data"
        for name in _COMMUNITY_OTHERS.split()
    }
)
# Django's admin and allauth: no trial data (the authz matrix probes them). Research studies hold no personal
# trial data either, and swap their own allocation in fibrotrack/studies/tests/test_role_sweep.py.
PREFIXES = ("admin/", "accounts/", "studies/")


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db: None, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, Any]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    make: Any = UserFactory  # factory_boy is untyped
    person = make(email="participant@example.org", display_name="Participant")
    custodian = make(email="custodian@example.org", display_name="Custodian")
    regimen = ldn_regimen(person, START)
    trial = with_custodian(
        new_trial(person, protocols.pairs(k=2, n=14), regimen=regimen, title="Is LDN helping?"), custodian
    )
    monkeypatch.setattr(actions, "draw_allocation", lambda phases, rng: {**DRAWN})
    trial = started(trial, START)
    seed_diary(person, START, TODAY - dt.timedelta(days=2), lambda d: 6, seed=7)
    make_checkin(person, TODAY - dt.timedelta(days=1), pain=5, note="A little better, I think")
    log_doses(regimen, START, TODAY - dt.timedelta(days=1))
    effect = do_log_side_effect(
        person, name="Vivid dreams", severity="mild", onset_on=START, is_ongoing=True, regimen=regimen
    )
    acr = do_record_acr_assessment(
        person,
        TODAY - dt.timedelta(days=3),
        regions=["neck"],
        fatigue=1,
        unrefreshed=1,
        cognitive=1,
        headache=False,
        abdominal=False,
        depression=False,
        three_months=True,
    )
    _, link_token = do_create_share_link(
        person,
        start=START,
        end=TODAY,
        include=["symptoms", "treatments", "trials", "notes"],
        expires_in_days=30,
        label="GP",
    )
    sync.sync_doses(person, regimen, enabled=True)  # the trial's dose reminder, by e-mail and push
    forum = Forum.objects.get(slug="introductions")
    thread = do_start_thread(person, forum, "Trying LDN", "Starting a blinded trial with my GP.")
    ids = {
        "today": TODAY.isoformat(),
        "yesterday": (TODAY - dt.timedelta(days=1)).isoformat(),
        "symptom": person.symptoms.get(key="pain").pk,
        "acr": acr.pk,
        "regimen": regimen.pk,
        "side_effect": effect.pk,
        "trial": trial.pk,
        "phase": trial.phases.order_by("position")[0].pk,
        "link": person.share_links.get().pk,
        "link_token": link_token,
        "forum": forum.slug,
        "thread": thread.pk,
        "post": thread.posts.get().pk,
        "participant": person.pk,
        "calendar_token": do_new_calendar_link(person),
        "unsubscribe_token": tokens.unsubscribe_token(person.pk),
    }
    _, api_token = do_create_token(person, name="Sweep", scope="read", days=30)
    return {"person": person, "custodian": custodian, "trial": trial, "ids": ids, "api_token": api_token}


def _urls(ids: Ids) -> list[str]:
    urls = []
    for route in all_routes():
        if route.route.startswith(PREFIXES) or route.key in SKIP:
            continue
        assert route.name is not None, route.route
        if "<" in route.route:
            urls += [reverse(route.name, kwargs=kwargs) for kwargs in ARGS[route.key](ids)]
        else:
            urls.append(reverse(route.name))
        query = QUERIES.get(route.key)
        if query:
            urls[-1] += "?" + query
    return urls


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = []
            for name in sorted(archive.namelist()):
                data = archive.read(name)
                text = _pdf_text(data) if name.endswith(".pdf") else data.decode("utf-8", errors="replace")
                parts.append(f"--- {name}\n{text}")
            return "\n".join(parts)
    if kind.startswith("application/pdf"):
        return _pdf_text(content)
    return content.decode("utf-8", errors="replace")


def _fetch(client: Client, urls: list[str], secrets: list[str], token: str) -> dict[str, tuple[int, str, str]]:
    # The sweep's own visits through the share link are logged, and the sharing pages list them:
    # every pass starts from the same (empty) log, so that only the allocation differs between passes.
    AccessLogEntry.objects.all().delete()
    out = {}
    for url in urls:
        # The API takes the participant's bearer token, never the session.
        headers = {"Authorization": f"Bearer {token}"} if url.startswith("/api/") else {}
        response = client.get(url, headers=headers)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        body = _body(response)
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value="CSRF"', body)
        # Each load of the check-in gets a new random idempotency key (diary/actions.py do_save_checkin).
        body = re.sub(r'name="client_id" value="[^"]*"', 'name="client_id" value="ID"', body)
        for n, secret in enumerate(secrets):  # the seal and the chain hashes: random commitments by design
            for length in (64, 16, 12, 8):
                body = body.replace(secret[:length], f"SEAL{n}")
        out[url] = (response.status_code, response.get("Location", ""), body)
    return out


def _reminders(person: Any) -> dict[str, tuple[int, str, str]]:
    """What the dose reminder says today: the e-mail and the push notification (not pages, so not swept above)."""
    reminder = Reminder.objects.select_related("regimen__treatment", "user").get(user=person, kind="dose")
    message = sending.message_for(reminder, TODAY)
    send = ReminderSend(reminder=reminder, local_day=TODAY, channel="email")
    email = sending.email_for(send, message)
    payload = sending.push_payload(reminder, TODAY, message)
    payload["taken"].pop("token")  # signed with a random nonce by design
    text = f"{email.subject}\n{email.body}\n{sorted(payload.items())}"
    return {"reminder (e-mail and push)": (200, "", text)}


def _commitments(trial: Trial) -> list[str]:
    allocation = Allocation.objects.get(trial=trial)
    hashes = list(PreRegistrationEntry.objects.filter(trial=trial).order_by("seq").values_list("hash", flat=True))
    return [allocation.digest, *hashes]


def _swap(trial: Trial) -> None:
    """Rewrite the allocation as if the draw had gone the other way, seal and hash chain included.

    The models refuse to change a sealed record through ``save()``; an update on the query set is
    what "the draw went the other way" needs, and the recomputed seal and chain make the result
    indistinguishable from a trial that was drawn like this from the start.
    """
    allocation = Allocation.objects.get(trial=trial)
    payload = {**allocation.payload, **SWAPPED}
    seal = allocation_digest(payload)
    Allocation.objects.filter(pk=allocation.pk).update(payload=payload, digest=seal)
    prev = "0" * 64
    for entry in PreRegistrationEntry.objects.filter(trial=trial).order_by("seq"):
        entry_payload = dict(entry.payload)
        if "allocation_seal" in entry_payload and entry_payload["allocation_seal"] is not None:
            entry_payload["allocation_seal"] = seal
        digest = entry_hash(prev, entry.seq, entry.kind, entry.created_at.isoformat(), entry.reason, entry_payload)
        PreRegistrationEntry.objects.filter(pk=entry.pk).update(payload=entry_payload, prev_hash=prev, hash=digest)
        prev = digest
    cache.clear()  # the per-person memo was built from the other draw


def _assert_same(before: dict[str, tuple[int, str, str]], after: dict[str, tuple[int, str, str]]) -> None:
    leaks = []
    for url, (status, location, body) in before.items():
        if (status, location, body) != after[url]:
            a, b, _ = after[url]
            diff = "\n".join(difflib.unified_diff(body.splitlines(), after[url][2].splitlines(), lineterm="", n=1))
            leaks.append(f"{url} ({status} {location!r} -> {a} {b!r}):\n{diff[:3000]}")
    assert not leaks, f"{len(leaks)} outputs depend on the allocation:\n\n" + "\n\n".join(leaks)


def test_every_url_is_swept_or_skipped_with_a_reason() -> None:
    routes = [r for r in all_routes() if not r.route.startswith(PREFIXES)]
    missing = [r.key for r in routes if "<" in r.route and r.key not in ARGS and r.key not in SKIP]
    assert not missing, f"add these patterns to ARGS (the participant's own object) or to SKIP: {missing}"
    stale = sorted((set(ARGS) | set(SKIP)) - {r.key for r in routes})
    assert not stale, f"ARGS or SKIP rows for patterns that no longer exist: {stale}"


def test_nothing_the_participant_can_reach_depends_on_the_allocation(world: dict[str, Any]) -> None:
    trial, person = world["trial"], world["person"]
    client = Client()
    client.force_login(person)
    custodian = Client()
    custodian.force_login(world["custodian"])
    custodian_page = reverse("trials:custodian", args=[trial.pk])
    urls = _urls(world["ids"])
    assert len(urls) > 80
    old = _commitments(trial)
    token = world["api_token"]
    _fetch(client, urls, old, token)  # a first pass, so that what a visit records (read marks, logs) is in place
    before = _fetch(client, urls, old, token) | _reminders(person)
    custodian_before = custodian.get(custodian_page).content.decode()

    _swap(trial)
    trial = Trial.objects.get(pk=trial.pk)
    entries = list(trial.prereg_entries.all())
    assert verify_chain([e.as_record() for e in entries]) is None
    assert allocation_matches_seal(trial, entries) is True
    new = _commitments(trial)
    assert set(new).isdisjoint(old)
    after = _fetch(client, urls, new, token) | _reminders(person)

    # The swap is real: the custodian, who holds the blind, sees the other contents.
    custodian_after = custodian.get(custodian_page).content.decode()
    assert custodian_before != custodian_after
    assert "Bottle A</strong>: LDN" in custodian_before and "Bottle A</strong>: placebo" in custodian_after
    # And the participant's page did load their trial: day 21 is in the second period, bottle B.
    assert "bottle B" in before[reverse("trials:detail", args=[trial.pk])][2]
    # The API answered the participant too (the token worked), with the same bottle letter.
    api_trial = before[reverse("api:trial", kwargs={"trial_id": trial.pk})]
    assert api_trial[0] == 200 and '"container":"B"' in api_trial[2].replace(" ", "")
    # The dose reminder names the bottle and nothing of what is in it.
    reminder = before["reminder (e-mail and push)"][2]
    assert "Trial capsule, bottle B" in reminder
    assert not any(word in reminder.lower() for word in ("naltrexone", "ldn", "placebo", "4.5"))
    feed = before[reverse("reminders:calendar", args=[world["ids"]["calendar_token"]])][2]
    assert "Trial capsule" in feed and "Naltrexone" not in feed
    _assert_same(before, after)
