"""A lived-in world for the authorization probes: one owner with one of everything, and the people around them.

Everything is made through the apps' own actions (``do_*``) where one exists,
so the probes see the same rows a real person would have. Secrets are planted
as marker strings in data that only some people may see; the probes check
that nobody else's response ever contains them.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth.models import Permission
from django.utils import timezone

from fibrotrack.accounts.models import User
from fibrotrack.community.actions.bans import do_ban
from fibrotrack.community.actions.cards import do_create_card
from fibrotrack.community.actions.groups import do_ensure_group_forum
from fibrotrack.community.actions.messages import do_send_message
from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.actions.reports import do_report
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.emails import newsletter_token, unsubscribe_token
from fibrotrack.community.models import Forum, Membership, SupportGroup
from fibrotrack.diary.actions import do_add_symptom, do_record_acr_assessment
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import UserFactory, make_checkin
from fibrotrack.portability.access import token_hash as import_token_hash
from fibrotrack.portability.models import ImportJob
from fibrotrack.reports.actions import (
    do_accept_invite as do_accept_clinician_invite,
)
from fibrotrack.reports.actions import (
    do_create_share_link,
    do_end_grant,
    do_invite_clinician,
    do_revoke_share_link,
)
from fibrotrack.treatments.actions import do_log_side_effect, do_update_regimen
from fibrotrack.trials import actions as trial_actions
from fibrotrack.trials import protocols
from fibrotrack.trials.models import Trial

ROLES = ("owner", "stranger", "clinician", "ex_clinician", "custodian", "group_mod", "site_mod", "anonymous")


@dataclass
class World:
    owner: User
    users: dict[str, User | None]
    markers: dict[str, str]  # scope ("owner", "group", "dm") -> the planted string
    ids: dict[str, Any] = field(default_factory=dict)


def _person(email: str, name: str) -> User:
    # A month-old account, so only the everyone-limits of the community apply.
    user = UserFactory(  # type: ignore[no-untyped-call]
        email=email, display_name=name, date_joined=timezone.now() - dt.timedelta(days=30)
    )
    return cast(User, user)


def build_world() -> World:
    """Build the world; call inside a transaction that the caller rolls back."""
    tag = uuid.uuid4().hex[:12]
    markers = {"owner": f"OWNER-SECRET-{tag}", "group": f"GROUP-SECRET-{tag}", "dm": f"DM-SECRET-{tag}"}
    owner = _person("owner@probe.example", "ProbeOwner")
    stranger = _person("stranger@probe.example", "ProbeStranger")
    clinician = _person("clinician@probe.example", "ProbeClinician")
    ex_clinician = _person("ex-clinician@probe.example", "ProbeExClinician")
    custodian = _person("custodian@probe.example", "ProbeCustodian")
    group_mod = _person("groupmod@probe.example", "ProbeGroupMod")
    site_mod = _person("sitemod@probe.example", "ProbeSiteMod")
    users: dict[str, User | None] = {
        "owner": owner,
        "stranger": stranger,
        "clinician": clinician,
        "ex_clinician": ex_clinician,
        "custodian": custodian,
        "group_mod": group_mod,
        "site_mod": site_mod,
        "anonymous": None,
    }
    friend = _person("friend@probe.example", "ProbeFriend")
    site_mod.user_permissions.add(Permission.objects.get(codename="moderate_all"))
    ids: dict[str, Any] = {}
    today = diary_day(owner)
    ids["today"] = today

    # Diary: check-ins with a secret note, a symptom of one's own, an ACR questionnaire.
    start = today - dt.timedelta(days=30)
    for n in range(30):
        day = start + dt.timedelta(days=n)
        make_checkin(owner, day, pain=3 + n % 5, fatigue=4, note=f"{markers['owner']} day {n}")
    ids["day"] = (today - dt.timedelta(days=1)).isoformat()
    ids["symptom"] = do_add_symptom(owner, f"Jaw ache {markers['owner']}").pk
    ids["acr"] = do_record_acr_assessment(
        owner,
        today - dt.timedelta(days=2),
        regions=["neck"],
        fatigue=1,
        unrefreshed=1,
        cognitive=1,
        headache=False,
        abdominal=False,
        depression=False,
        three_months=True,
    ).pk

    # Treatments: LDN (the trial's), a side effect with a secret note.
    from fibrotrack.treatments.tests.helpers import start as start_regimen

    regimen = start_regimen(owner, "naltrexone", on=start, amount="4.5")
    do_update_regimen(regimen, form="tablet", prescriber="Dr Probe", note=markers["owner"])
    ids["regimen"] = regimen.pk
    ids["side_effect"] = do_log_side_effect(
        owner, name="Vivid dreams", severity="mild", onset_on=start, is_ongoing=True, note=markers["owner"]
    ).pk

    # A blinded trial, running, with a custodian; and a draft one for the planning pages.
    trial = trial_actions.do_create_trial(
        owner,
        template=protocols.ldn_pilot(),
        title="Probe trial",
        primary_outcome=owner.symptoms.get(key="pain"),
        treatment_name="LDN 4.5 mg",
        regimens=[regimen],
    )
    invite = trial_actions.do_invite_custodian(trial, custodian.email)
    trial_actions.do_accept_invite(custodian, invite)
    trial_actions.do_start_trial(trial, today, today=today)
    trial = Trial.objects.get(pk=trial.pk)
    ids["trial"] = trial.pk
    ids["phase"] = trial.phases.order_by("position").first().pk  # type: ignore[union-attr]
    draft = trial_actions.do_create_trial(
        owner,
        template=protocols.before_after(),
        title="Probe draft",
        primary_outcome=owner.symptoms.get(key="pain"),
        treatment_name="Magnesium",
        regimens=[],
    )
    ids["draft"] = draft.pk
    ids["draft_phase"] = draft.phases.order_by("position").first().pk  # type: ignore[union-attr]
    ids["custodian_invite_token"] = "no-such-invitation"  # noqa: S105  (a wrong token: nothing to accept)

    # Sharing: a live link, a revoked link, an active clinician, an ended grant.
    live, ids["link_token"] = do_create_share_link(
        owner, start=start, end=today, include=["notes", "treatments"], expires_in_days=30, label="GP"
    )
    ids["link"] = live.pk
    revoked, ids["revoked_link_token"] = do_create_share_link(
        owner, start=start, end=today, include=["notes"], expires_in_days=30, label="Old"
    )
    do_revoke_share_link(revoked)
    grant = do_invite_clinician(owner, clinician.email, patient_name="Probe patient")
    do_accept_clinician_invite(grant, clinician)
    ids["grant"] = grant.pk
    old_grant = do_invite_clinician(owner, ex_clinician.email, patient_name="Probe patient")
    do_accept_clinician_invite(old_grant, ex_clinician)
    do_end_grant(old_grant)
    ids["old_grant"] = old_grant.pk
    ids["clinician_invite_token"] = "no-such-invitation"  # noqa: S105

    # API: a token of the owner's (the settings page lists it; others cannot revoke it).
    from fibrotrack.api.actions import do_create_token

    ids["api_token"] = do_create_token(owner, name=f"Probe {markers['owner']}", scope="read", days=30)[0].pk

    # Portability: a queued import job (the page is found by owner and token).
    token = secrets.token_urlsafe(24)
    ImportJob.objects.create(
        user=owner, token_hash=import_token_hash(token), format="fibrotrack", name="probe.json", sha256="0" * 64
    )
    ids["import_token"] = token

    # Community: a private group (owner a member, group_mod its moderator) with a secret thread,
    # a public thread by the owner, a message to a friend, a card, a report, a ban.
    group = SupportGroup.objects.create(
        name="Probe owls", slug="probe-owls", description="Private.", kind=SupportGroup.Kind.PRIVATE, is_listed=False
    )
    do_ensure_group_forum(group)
    Membership.objects.create(group=group, user=group_mod, role=Membership.Role.MODERATOR)
    ids["membership"] = Membership.objects.create(group=group, user=owner).pk
    ids["group_mod_membership"] = Membership.objects.get(group=group, user=group_mod).pk
    ids["group"] = group.slug
    private_thread = do_start_thread(owner, Forum.objects.get(slug=group.slug), "Night", f"{markers['group']} hello")
    ids["private_thread"] = private_thread.pk
    ids["private_post"] = private_thread.posts.order_by("pk").first().pk  # type: ignore[union-attr]
    public_forum = Forum.objects.get(slug="introductions")
    ids["forum"] = public_forum.slug
    public_thread = do_start_thread(owner, public_forum, "Hello all", "Glad to be here.")
    ids["thread"] = public_thread.pk
    ids["post"] = do_reply(friend, public_thread, "Welcome!").pk
    ids["own_post"] = public_thread.posts.order_by("pk").first().pk  # type: ignore[union-attr]
    message = do_send_message(owner, friend, f"{markers['dm']} between us")
    ids["conversation"] = message.conversation_id
    ids["message"] = do_send_message(friend, owner, f"{markers['dm']} reply").pk  # one the owner may report
    ids["card"] = do_create_card(owner, kind="chart", title="My month", svg="<svg></svg>").pk
    ids["report"] = do_report(friend, reason="spam", post=public_thread.posts.order_by("pk").first()).pk
    banned = _person("banned@probe.example", "ProbeBanned")
    ids["ban"] = do_ban(site_mod, banned, "probe", days=3).pk
    ids["owner_pk"] = owner.pk
    ids["unsubscribe_token"] = unsubscribe_token(owner.pk, "reply")
    ids["newsletter_token"] = newsletter_token(owner.pk)
    ids["notification"] = None
    from fibrotrack.community.models import Notification

    note = Notification.objects.filter(recipient=owner).first() or Notification.objects.create(
        recipient=owner, kind=Notification.Kind.REPLY, text="Reply", url="/community/"
    )
    ids["notification"] = note.pk
    json.dumps({k: str(v) for k, v in ids.items()})  # every id is plain data
    return World(owner=owner, users=users, markers=markers, ids=ids)
