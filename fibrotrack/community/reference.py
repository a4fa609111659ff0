"""Seed support groups and site-wide categories, loaded idempotently.

Existing rows keep any changes an admin made to their wording; only missing
groups and categories are created (and every group gets its forum).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

from fibrotrack.community.actions.groups import do_ensure_group_forum
from fibrotrack.community.models import Forum, SupportGroup

COMMON_RULES = _(
    """\
- Be kind. Everyone here is dealing with a lot.
- Share your experience, not medical orders: what helps one person can harm another. Talk to your doctor before changing treatment.
- No selling, no miracle cures, no links to shops.
- Keep other people's stories in the group.
- If you are worried about someone's safety, report the post: a moderator will see it."""
)

SEED_GROUPS: tuple[tuple[str, str, str], ...] = (
    (
        "newly-diagnosed",
        _("Newly diagnosed"),
        _("Just diagnosed, or still waiting? Ask anything: there are no silly questions."),
    ),
    (
        "low-dose-naltrexone",
        _("Low-dose naltrexone"),
        _(
            "Experiences with LDN: starting doses, titration, side effects, and how to talk to your prescriber about it."
        ),
    ),
    (
        "medications",
        _("Medications"),
        _("Prescribed medicines: what helped, what did not, side effects and dosing questions."),
    ),
    ("sleep", _("Sleep"), _("Unrefreshing sleep, insomnia, painsomnia, and what people have tried.")),
    (
        "movement-and-exercise",
        _("Movement and exercise"),
        _("Gentle movement, pacing, graded activity, water exercise, and avoiding the boom-and-bust cycle."),
    ),
    (
        "pain-coping-and-mental-health",
        _("Pain coping and mental health"),
        _("Coping with pain, low mood, anxiety and grief for the life before. Peer support, not therapy."),
    ),
    (
        "caregivers-and-family",
        _("Caregivers and family"),
        _(
            "For partners, parents, children and friends of people with fibromyalgia, and for people explaining it to them."
        ),
    ),
    (
        "off-topic",
        _("Off-topic"),
        _("Everything else: hobbies, pets, small wins, and the weather (which we all feel)."),
    ),
)

SEED_CATEGORIES: tuple[tuple[str, str, str, bool], ...] = (
    ("announcements", _("Announcements"), _("News about this site, from the team."), True),
    ("introductions", _("Introductions"), _("Say hello, if you like. Share as much or as little as you want."), False),
    ("research-and-news", _("Research and news"), _("New studies and news about fibromyalgia, with sources."), False),
    (
        "site-help",
        _("Site help and feedback"),
        _("Questions about using this site, and ideas to make it better."),
        False,
    ),
)


# fibrotrack/knowledge/comments.py seeds the forum of the articles' comments with this wording.
ARTICLE_FORUM = (_("Treatment articles"), _("Comments on the treatment articles. Each article has one thread."))

# The English wording as seeded: shown translated while an admin has not changed it (templatetags/community_i18n).
SEEDED_TEXTS = frozenset(
    [text for seed in (*SEED_GROUPS, *SEED_CATEGORIES) for text in seed[1:3] if isinstance(text, str)]
    + [*ARTICLE_FORUM]
)


def load() -> int:
    for position, (slug, name, description) in enumerate(SEED_GROUPS):
        group, created = SupportGroup.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "rules": COMMON_RULES, "position": position * 10},
        )
        do_ensure_group_forum(group)
    for position, (slug, name, description, staff_only) in enumerate(SEED_CATEGORIES):
        Forum.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "staff_only_threads": staff_only,
                "position": 200 + position * 10,
            },
        )
    return len(SEED_GROUPS) + len(SEED_CATEGORIES)
