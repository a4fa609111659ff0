"""Demo community: two demo members, a few threads and replies in the seed groups.

The demo members and their threads are shared by every demo account and
created once. Everything that involves the demo account itself (its thread,
its replies, reactions to it, its notifications, its progress card) hangs off
that account, so deleting it leaves the shared rows exactly as they were.
Rows are written directly, without e-mail: nobody should get mail from a demo.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Max
from django.utils import timezone

from fibrotrack.accounts.models import User
from fibrotrack.community import markup
from fibrotrack.community.actions.posts import refresh_thread
from fibrotrack.community.actions.text import resolve_mentions
from fibrotrack.community.models import (
    EmailChoice,
    EmailPreferences,
    Forum,
    Membership,
    Notification,
    Post,
    Profile,
    ProgressCard,
    Reaction,
    SupportGroup,
    Thread,
    ThreadFollow,
)
from fibrotrack.treatments.models import Treatment

MEMBERS = (
    ("demo-wren@example.invalid", "WrenWalks", "Diagnosed in 2015. Gentle walker, tea drinker, cat person."),
    ("demo-harbour@example.invalid", "QuietHarbour", "Caring for my partner and learning as I go."),
)

SHARED = (
    (
        "sleep",
        "What actually helped your sleep?",
        [
            (0, "I have tried everything from magnesium to blackout blinds. **What made a real difference for you?**"),
            (1, "A fixed wake-up time, even after a bad night. It took three weeks, but it helped more than any pill."),
        ],
    ),
    (
        "newly-diagnosed",
        "Things I wish I had known in the first year",
        [
            (
                0,
                "1. Pacing is a skill, not a weakness.\n2. Keep a diary: patterns show up after a few weeks.\n3. Bring notes to appointments.",
            ),
            (1, "Number 3 changed my appointments completely. A one-page summary gets read."),
        ],
    ),
)

# The demo's own story (treatments and trials demos): a blinded LDN pilot-design trial, 4.5 mg a night.
USER_THREAD_TITLE = "My blinded LDN trial: my notes"
USER_THREAD_BODY = (
    "With my GP and the pharmacist I ran a blinded trial of low-dose naltrexone, the same design as the pilot "
    "study: two weeks of diary first, then a capsule every night for ten weeks (placebo for the first two, "
    "which I only found out at the end, then LDN 4.5 mg), then two weeks off.\n\n"
    "- Vivid dreams in the first weeks of LDN, mild most nights\n"
    "- I could not tell the placebo weeks from the LDN weeks while it ran\n"
    "- The result is in my diary now; I am going through it with Dr Okafor\n\n"
    "Has anyone else tried a blinded trial like this?"
)


def _member(email: str, name: str, bio: str) -> User:
    member, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    if created:
        member.set_unusable_password()
        member.save()
        Profile.objects.get_or_create(user=member, defaults={"bio": bio})
        EmailPreferences.objects.update_or_create(
            user=member, defaults=dict.fromkeys(Notification.Kind.values, EmailChoice.OFF)
        )
    return member


def _post(thread: Thread, author: User | None, body: str, when: dt.datetime) -> Post:
    found, _, _ = resolve_mentions(markup.mention_names(body))
    last = Post.objects.filter(thread=thread).aggregate(m=Max("position"))["m"]
    position = 0 if last is None else last + 1
    return Post.objects.create(
        thread=thread,
        author=author,
        position=position,
        body=body,
        html=markup.render(body, found).html,
        created_at=when,
    )


def _thread(forum: Forum, author: User, title: str, when: dt.datetime) -> Thread:
    return Thread.objects.create(forum=forum, author=author, title=title, created_at=when, last_post_at=when)


def _card(user: User) -> ProgressCard | None:
    from fibrotrack.community.cards import build_chart
    from fibrotrack.diary.access import symptoms_for_user

    keys = [s.key for s in symptoms_for_user(user, active_only=True) if s.key in {"pain", "fatigue"}]
    if not keys:
        return None
    snapshot = build_chart(user, {"symptoms": keys, "days": "90"})
    return ProgressCard.objects.create(
        owner=user,
        kind="chart",
        title=snapshot.title,
        svg=snapshot.svg,
        caption="Pain and fatigue over the last 90 days, through my LDN trial.",
    )


def build(user: User, start: dt.date, end: dt.date, rng: random.Random) -> str:
    members = [_member(*spec) for spec in MEMBERS]
    groups = {
        g.slug: g for g in SupportGroup.objects.filter(slug__in=["sleep", "newly-diagnosed", "low-dose-naltrexone"])
    }
    if len(groups) < 3:
        return "community: seed groups missing (run load_reference_data first)"
    for group in groups.values():
        for person in [*members, user]:
            Membership.objects.get_or_create(group=group, user=person, defaults={"status": Membership.Status.ACTIVE})
    now = timezone.now()

    # Replace this account's own demo data.
    touched = set(Post.objects.filter(author=user).values_list("thread_id", flat=True))
    Thread.objects.filter(author=user).delete()
    Post.objects.filter(author=user).delete()
    ProgressCard.objects.filter(owner=user).delete()
    Notification.objects.filter(recipient=user).delete()

    shared_threads = []
    for slug, title, posts in SHARED:
        forum = groups[slug].forum
        existing = Thread.objects.filter(forum=forum, title=title, author=members[posts[0][0]]).first()
        if existing is None:
            existing = _thread(forum, members[posts[0][0]], title, now - dt.timedelta(days=20))
            for offset, (who, body) in enumerate(posts):
                _post(existing, members[who], body, now - dt.timedelta(days=20 - offset * 2))
        shared_threads.append(existing)

    # The demo account's own thread, with replies, a mention, reactions and a progress card.
    ldn = groups["low-dose-naltrexone"].forum
    opened = now - dt.timedelta(days=6, hours=rng.randint(0, 5))
    thread = _thread(ldn, user, USER_THREAD_TITLE, opened)
    thread.treatments.set(Treatment.objects.filter(user=None, key="naltrexone"))
    first = _post(thread, user, USER_THREAD_BODY, opened)
    card = _card(user)
    if card is not None:
        ProgressCard.objects.filter(pk=card.pk).update(post=first)
    reply = _post(
        thread,
        members[0],
        f"Good for you, @[{user.public_name}]: I wish I had done mine blinded. Keep notes, it helps.",
        opened + dt.timedelta(days=1),
    )
    _post(
        thread,
        members[1],
        "My partner had the vivid dreams too. Taking it in the morning helped.",
        opened + dt.timedelta(days=2),
    )
    for member, kind in ((members[0], Reaction.Kind.SUPPORT), (members[1], Reaction.Kind.HUG)):
        Reaction.objects.create(post=first, user=member, kind=kind)
    ThreadFollow.objects.get_or_create(user=user, thread=thread)
    Notification.objects.create(
        recipient=user,
        actor=members[0],
        kind=Notification.Kind.MENTION,
        text=f"{members[0].public_name} mentioned you in “{thread.title}”",
        url=reply.get_absolute_url(),
        thread=thread,
        post=reply,
        created_at=reply.created_at,
    )
    # A reply from the demo account in a shared thread.
    _post(
        shared_threads[0],
        user,
        "Cutting screens an hour before bed, and a warm shower. Small things add up.",
        now - dt.timedelta(days=3),
    )
    for thread_id in {thread.pk, *touched, *(t.pk for t in shared_threads)}:
        if Thread.objects.filter(pk=thread_id).exists():
            refresh_thread(thread_id)
    return f"community: {Post.objects.filter(author=user).count()} posts by you and replies from {len(members)} demo members"
