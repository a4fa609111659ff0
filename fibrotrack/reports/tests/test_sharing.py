"""Sharing: share links, clinician accounts and the access log."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fibrotrack.diary.models import CheckIn, SymptomScore
from fibrotrack.lib.testing.factories import UserFactory, make_checkin
from fibrotrack.reports import actions
from fibrotrack.reports.access import token_hash
from fibrotrack.reports.models import AccessLogEntry, ClinicianGrant, ShareLink


def make_link(user: Any, today: dt.date, **kwargs: Any) -> tuple[ShareLink, str]:
    kwargs.setdefault("include", ["symptoms", "treatments", "side_effects", "acr", "daily"])
    kwargs.setdefault("expires_in_days", 30)
    return actions.do_create_share_link(
        user, start=today - dt.timedelta(days=90), end=today, label="Dr Patel", **kwargs
    )


def make_grant(patient: Any, clinician: Any) -> ClinicianGrant:
    grant = actions.do_invite_clinician(patient, clinician.email, "Sam Patient")
    return actions.do_accept_invite(grant, clinician)


def shared_urls(token: str) -> list[str]:
    return [
        reverse("reports:shared", args=[token]),
        reverse("reports:shared_report", args=[token]),
        reverse("reports:shared_pdf", args=[token]),
    ]


def patient_urls(pk: int) -> list[str]:
    return [
        reverse("reports:patient_dashboard", args=[pk]),
        reverse("reports:patient_report", args=[pk]),
        reverse("reports:patient_report_view", args=[pk]) + "?period=28",
        reverse("reports:patient_report_pdf", args=[pk]) + "?period=28",
    ]


# --- Share links -------------------------------------------------------------------------


def test_creating_a_link_shows_it_once_and_stores_only_its_hash(owner, owner_client, today):
    response = owner_client.post(
        reverse("reports:link_new"),
        {"label": "Dr Patel", "period": "91", "include": ["symptoms", "treatments"], "expires_in_days": "7"},
    )
    assert response.status_code == 302
    link = ShareLink.objects.get(user=owner)
    assert link.include == ["symptoms", "treatments"]
    assert link.start == today - dt.timedelta(days=90) and link.end == today
    assert dt.timedelta(days=6, hours=23) < link.expires_at - timezone.now() <= dt.timedelta(days=7)
    html = owner_client.get(reverse("reports:sharing")).content.decode()
    url = re.search(r'value="(http[^"]+/reports/s/([^/"]+)/)"', html)
    assert url, "the new link is shown"
    token = url.group(2)
    assert len(token) >= 40
    assert link.token_hash == token_hash(token) and token not in link.token_hash
    # Shown only once.
    assert token not in owner_client.get(reverse("reports:sharing")).content.decode()
    # And it works.
    assert Client().get(reverse("reports:shared", args=[token])).status_code == 200


def test_a_link_needs_something_to_show(owner_client):
    response = owner_client.post(reverse("reports:link_new"), {"period": "91", "expires_in_days": "7"})
    assert response.status_code == 200
    assert not ShareLink.objects.exists()


def test_a_link_only_expires_in_7_30_or_90_days(owner_client):
    owner_client.post(reverse("reports:link_new"), {"period": "91", "include": ["symptoms"], "expires_in_days": "365"})
    assert not ShareLink.objects.exists()


def test_a_live_link_opens_without_an_account_and_is_logged(owner, today, anonymous, year_of_data):
    link, token = make_link(owner, today)
    for url in shared_urls(token):
        response = anonymous.get(url)
        assert response.status_code == 200, url
    entries = list(AccessLogEntry.objects.filter(patient=owner).order_by("at", "id"))
    assert [e.via for e in entries] == ["link"] * 3
    assert [e.what.split(",")[0] for e in entries] == [
        "Dashboard",
        "Doctor's report (web page)",
        "Doctor's report (PDF)",
    ]
    assert entries[0].who == "Share link “Dr Patel”"
    assert entries[0].share_link == link


def test_share_link_pages_are_never_cached_indexed_or_leaked_by_referrer(owner, today, anonymous):
    make_checkin(owner, today, pain=4)
    _, token = make_link(owner, today)
    for url in shared_urls(token):
        response = anonymous.get(url)
        assert response["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response["X-Robots-Tag"]
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_link_shows_only_its_period_and_parts(owner, today, anonymous, year_of_data):
    _, token = make_link(owner, today, include=["symptoms"])
    html = anonymous.get(reverse("reports:shared", args=[token]), {"period": "365"}).content.decode()
    start = today - dt.timedelta(days=90)
    assert f"{start:%-d %b %Y} to {today:%-d %b %Y}" in html
    assert "Symptoms over time" in html
    assert 'id="side-effects"' not in html and 'id="acr"' not in html
    assert "Duloxetine" not in html  # treatments were not shared
    report = anonymous.get(reverse("reports:shared_report", args=[token])).content.decode()
    assert "Symptom trends" in report and "Treatments, doses and adherence" not in report
    # No link into the owner's own diary.
    assert "/diary/day/" not in html


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown"])
def test_a_revoked_expired_or_unknown_link_is_404(owner, today, anonymous, state):
    link, token = make_link(owner, today)
    if state == "revoked":
        actions.do_revoke_share_link(link)
    elif state == "expired":
        ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    else:
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for url in shared_urls(token):
        assert anonymous.get(url).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_revoking_a_link_takes_effect_at_once(owner, owner_client, today, anonymous):
    link, token = make_link(owner, today)
    assert anonymous.get(reverse("reports:shared", args=[token])).status_code == 200
    response = owner_client.post(reverse("reports:link_revoke", args=[link.pk]))
    assert response.status_code == 302
    assert anonymous.get(reverse("reports:shared", args=[token])).status_code == 404
    assert "Revoked on" in owner_client.get(reverse("reports:sharing")).content.decode()


def test_a_deactivated_account_shares_nothing(owner, today, anonymous):
    _, token = make_link(owner, today)
    owner.is_active = False
    owner.save()
    assert anonymous.get(reverse("reports:shared", args=[token])).status_code == 404


# --- Clinician accounts ------------------------------------------------------------------


def test_the_invite_accept_view_journey(owner, owner_client, clinician, clinician_client, year_of_data):
    response = owner_client.post(
        reverse("reports:invite"), {"email": "Clinician@Example.org", "patient_name": "Sam Patient"}
    )
    assert response.status_code == 302
    grant = ClinicianGrant.objects.get(patient=owner)
    assert grant.status == "pending" and grant.email == "clinician@example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["clinician@example.org"]
    assert "Sam Patient" not in message.subject  # the sender's words only in the body, quoted
    assert "    Sam Patient\n" in message.body
    accept = re.search(r"https?://\S+/reports/invitations/(\S+)/", message.body)
    assert accept
    token = accept.group(1)
    grant.refresh_from_db()
    assert grant.token_hash == token_hash(token)

    url = reverse("reports:invite_accept", args=[token])
    assert "Sam Patient invites you" in clinician_client.get(url).content.decode()
    response = clinician_client.post(url, {"decision": "accept"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == "active" and grant.clinician == clinician
    # The e-mailed link is spent.
    assert clinician_client.get(url).status_code == 404

    patients = clinician_client.get(reverse("reports:patients")).content.decode()
    assert "Sam Patient" in patients
    for page in patient_urls(grant.pk):
        assert clinician_client.get(page).status_code == 200, page
    log = list(AccessLogEntry.objects.filter(patient=owner))
    assert len(log) == 3  # dashboard, report page and PDF; the options page shows no data
    assert all(e.via == "clinician" and "clinician@example.org" in e.who for e in log)
    assert "clinician@example.org (clinician)" in owner_client.get(reverse("reports:access_log")).content.decode()


def test_an_invitation_needs_the_invited_address(owner, stranger, stranger_client):
    grant = actions.do_invite_clinician(owner, "clinician@example.org")
    token = re.search(r"/reports/invitations/(\S+)/", mail.outbox[0].body).group(1)
    url = reverse("reports:invite_accept", args=[token])
    html = stranger_client.get(url).content.decode()
    assert "This invitation was sent to clinician@example.org" in html
    assert stranger_client.post(url, {"decision": "accept"}).status_code == 403
    grant.refresh_from_db()
    assert grant.status == "pending" and grant.clinician is None


def test_a_patient_cannot_accept_their_own_invitation(owner, owner_client):
    actions.do_invite_clinician(owner, "clinician@example.org")
    token = re.search(r"/reports/invitations/(\S+)/", mail.outbox[0].body).group(1)
    owner.email = "clinician@example.org"  # even with the same address
    response = owner_client.post(reverse("reports:invite_accept", args=[token]), {"decision": "accept"})
    assert response.status_code == 403


def test_an_expired_or_cancelled_invitation_is_404(owner, owner_client, clinician_client):
    grant = actions.do_invite_clinician(owner, "clinician@example.org")
    token = re.search(r"/reports/invitations/(\S+)/", mail.outbox[0].body).group(1)
    ClinicianGrant.objects.filter(pk=grant.pk).update(invite_expires_at=timezone.now())
    assert clinician_client.get(reverse("reports:invite_accept", args=[token])).status_code == 404
    ClinicianGrant.objects.filter(pk=grant.pk).update(invite_expires_at=timezone.now() + dt.timedelta(days=1))
    owner_client.post(reverse("reports:grant_end", args=[grant.pk]))
    assert clinician_client.get(reverse("reports:invite_accept", args=[token])).status_code == 404


def test_sending_again_retires_the_earlier_link(owner, owner_client, clinician_client):
    grant = actions.do_invite_clinician(owner, "clinician@example.org")
    first = re.search(r"/reports/invitations/(\S+)/", mail.outbox[0].body).group(1)
    # Sending again is allowed once a day (test_invitation_flood.py).
    ClinicianGrant.objects.filter(pk=grant.pk).update(invite_expires_at=grant.invite_expires_at - dt.timedelta(days=2))
    owner_client.post(reverse("reports:grant_resend", args=[grant.pk]))
    second = re.search(r"/reports/invitations/(\S+)/", mail.outbox[1].body).group(1)
    assert first != second
    assert clinician_client.get(reverse("reports:invite_accept", args=[first])).status_code == 404
    assert clinician_client.get(reverse("reports:invite_accept", args=[second])).status_code == 200


def test_declining_an_invitation(owner, clinician_client):
    grant = actions.do_invite_clinician(owner, "clinician@example.org")
    token = re.search(r"/reports/invitations/(\S+)/", mail.outbox[0].body).group(1)
    clinician_client.post(reverse("reports:invite_accept", args=[token]), {"decision": "decline"})
    grant.refresh_from_db()
    assert grant.status == "declined" and grant.clinician is None


def test_you_cannot_invite_yourself(owner, owner_client):
    response = owner_client.post(reverse("reports:invite"), {"email": owner.email})
    assert response.status_code == 200
    assert "That is your own address" in response.content.decode()
    assert not ClinicianGrant.objects.exists()


def test_a_clinician_without_a_grant_gets_404(owner, clinician, clinician_client, stranger):
    grant = make_grant(owner, UserFactory(email="other-doc@example.org"))
    for url in patient_urls(grant.pk):
        assert clinician_client.get(url).status_code == 404, url
    assert not AccessLogEntry.objects.exists()


def test_ending_access_takes_effect_at_once(owner, owner_client, clinician, clinician_client):
    make_checkin(owner, owner.date_joined.date(), pain=3)
    grant = make_grant(owner, clinician)
    assert clinician_client.get(patient_urls(grant.pk)[0]).status_code == 200
    owner_client.post(reverse("reports:grant_end", args=[grant.pk]))
    for url in patient_urls(grant.pk):
        assert clinician_client.get(url).status_code == 404, url
    assert "Sam Patient" not in clinician_client.get(reverse("reports:patients")).content.decode()


def test_a_clinician_can_never_write(owner, owner_client, clinician, clinician_client, today):
    make_checkin(owner, today, pain=3, note="mine")
    grant = make_grant(owner, clinician)
    link, token = make_link(owner, today)
    # Every page a clinician reaches through a grant refuses writes.
    for url in patient_urls(grant.pk):
        assert clinician_client.post(url, {"pain": 9}).status_code == 405, url
        assert clinician_client.put(url).status_code == 405, url
        assert clinician_client.delete(url).status_code == 405, url
    for url in shared_urls(token):
        assert clinician_client.post(url).status_code == 405, url
        assert Client().post(url).status_code == 405, url
    # Every write view is scoped to the signed-in person: the patient's objects are 404.
    for url in (
        reverse("reports:link_revoke", args=[link.pk]),
        reverse("reports:grant_end", args=[grant.pk]),
        reverse("reports:grant_resend", args=[grant.pk]),
    ):
        assert clinician_client.post(url).status_code == 404, url
    link.refresh_from_db()
    grant.refresh_from_db()
    assert link.revoked_at is None and grant.status == "active"
    checkin = CheckIn.objects.get(user=owner, day=today)
    assert checkin.note == "mine" and checkin.score_map
    # And nothing the clinician does in their own account reaches the patient.
    clinician_client.post(
        reverse("reports:link_new"), {"period": "91", "include": ["symptoms"], "expires_in_days": "7"}
    )
    assert ShareLink.objects.filter(user=owner).count() == 1


UNSAFE = ("post", "put", "patch", "delete")


def every_route() -> list[tuple[str, list[str]]]:
    """Every URL of this app, with the names of its arguments ("Your data" is walked in portability's tests)."""
    from fibrotrack.reports import urls

    return [(f"reports:{pattern.name}", sorted(pattern.pattern.converters)) for pattern in urls.urlpatterns]


def patient_state(patient: Any) -> tuple[Any, ...]:
    return (
        list(CheckIn.objects.filter(user=patient).order_by("day").values_list("day", "note", "updated_at")),
        sorted(SymptomScore.objects.filter(checkin__user=patient).values_list("id", "value")),
        list(ShareLink.objects.filter(user=patient).order_by("pk").values_list("pk", "revoked_at", "expires_at")),
        list(ClinicianGrant.objects.filter(patient=patient).order_by("pk").values_list("pk", "status", "clinician")),
        AccessLogEntry.objects.filter(patient=patient).count(),
    )


def test_no_url_lets_a_clinician_or_a_link_holder_write(owner, clinician, clinician_client, anonymous, today):
    """Walks every URL of the app rather than a list, so a new page cannot forget ``require_safe``."""
    make_checkin(owner, today, pain=3, note="mine")
    grant = make_grant(owner, clinician)
    link, token = make_link(owner, today)
    pending = actions.do_invite_clinician(owner, "someone-else@example.org")
    invite_token = re.search(r"/reports/invitations/(\S+)/", mail.outbox[-1].body).group(1)
    values = {
        "pk": [grant.pk, link.pk, pending.pk],
        "token": [token, invite_token],
    }
    routes = every_route()
    assert len(routes) >= 20 and any(name == "reports:patient_report_pdf" for name, _ in routes)
    reads = 0
    for who in (clinician_client, anonymous):
        for name, params in routes:
            if not params:
                continue  # pages about the visitor's own account
            assert set(params) <= set(values), f"{name}: add its arguments to this test"
            for value in (v for p in params for v in values[p]):
                url = reverse(name, args=[value])
                if name == "reports:invite_accept":
                    # Someone else's invitation: shown, never accepted.
                    if who is clinician_client and value == invite_token:
                        assert who.post(url, {"decision": "accept"}).status_code == 403
                    continue
                before = patient_state(owner)
                if who.get(url).status_code in (200, 400):  # it shows something
                    reads += 1
                    before = patient_state(owner)  # reading may add to the access log
                    for method in UNSAFE:
                        status = getattr(who, method)(url, {"pain": 9}).status_code
                        assert status == 405, f"{method.upper()} {name} {value}: {status}"
                else:
                    for method in UNSAFE:
                        assert getattr(who, method)(url).status_code in (302, 404, 405), (method, name, value)
                assert patient_state(owner) == before, f"{name} {value}"
    assert reads >= 4 + 3  # the clinician's dashboard and reports, and the link's dashboard, report and PDF
    pending.refresh_from_db()
    assert pending.status == "pending" and pending.clinician is None


def test_a_stranger_gets_404_everywhere(owner, stranger_client, clinician, today):
    grant = make_grant(owner, clinician)
    link, _ = make_link(owner, today)
    pending = actions.do_invite_clinician(owner, "someone@example.org")
    for url in patient_urls(grant.pk):
        assert stranger_client.get(url).status_code == 404, url
    for url in shared_urls("not-a-real-token"):
        assert stranger_client.get(url).status_code == 404, url
    assert stranger_client.get(reverse("reports:invite_accept", args=["nope"])).status_code == 404
    for url in (
        reverse("reports:link_revoke", args=[link.pk]),
        reverse("reports:grant_end", args=[grant.pk]),
        reverse("reports:grant_resend", args=[pending.pk]),
    ):
        assert stranger_client.post(url).status_code == 404, url
    sharing = stranger_client.get(reverse("reports:sharing")).content.decode()
    assert "Dr Patel" not in sharing and "clinician@example.org" not in sharing
    assert stranger_client.get(reverse("reports:patients")).content.decode().count("card") == 0


def test_the_access_log_belongs_to_the_patient(owner, owner_client, stranger_client, today, anonymous):
    _, token = make_link(owner, today)
    anonymous.get(reverse("reports:shared", args=[token]))
    assert "Dr Patel" in owner_client.get(reverse("reports:access_log")).content.decode()
    assert "Dr Patel" not in stranger_client.get(reverse("reports:access_log")).content.decode()


def test_deleting_accounts_removes_sharing(owner, clinician, today, anonymous):
    grant = make_grant(owner, clinician)
    _, token = make_link(owner, today)
    anonymous.get(reverse("reports:shared", args=[token]))
    clinician.delete()
    assert not ClinicianGrant.objects.filter(pk=grant.pk).exists()
    assert AccessLogEntry.objects.filter(patient=owner).count() == 1  # the patient keeps their log
    owner.delete()
    assert not ShareLink.objects.exists() and not AccessLogEntry.objects.exists()


# --- Query counts on list pages ---------------------------------------------------------


def _count(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_use_a_constant_number_of_queries(owner, owner_client, clinician, clinician_client, today, settings):
    settings.FIBROTRACK_INVITES_PER_HOUR = 100

    def add_more(n, start):
        for i in range(start, start + n):
            link, token = make_link(owner, today)
            Client().get(reverse("reports:shared", args=[token]))
            doc = UserFactory(email=f"doc{i}@example.org")
            make_grant(owner, doc)
            patient = UserFactory(email=f"patient{i}@example.org")
            make_grant(patient, clinician)
            actions.do_invite_clinician(owner, f"pending{i}@example.org")

    add_more(1, 0)
    urls = [reverse("reports:sharing"), reverse("reports:access_log")]
    before = [_count(owner_client, u) for u in urls] + [_count(clinician_client, reverse("reports:patients"))]
    add_more(4, 1)
    after = [_count(owner_client, u) for u in urls] + [_count(clinician_client, reverse("reports:patients"))]
    assert before == after
