"""Text for posts, messages and bios: length, the word filter, mentions, rendering."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from fibrotrack.community import crisis, markup, wordfilter


def _max_post_chars() -> int:
    return int(getattr(settings, "COMMUNITY_POST_MAX_CHARS", 20_000))


YOUR_POST = gettext_lazy("Your post")


@dataclass
class PreparedText:
    body: str
    html: str
    mentioned: list[Any] = field(default_factory=list)
    crisis: bool = False
    external_links: int = 0


def check_text(text: str, *, what: StrOrPromise = YOUR_POST, max_chars: int | None = None) -> str:
    # NUL never belongs in text, and PostgreSQL refuses to store it; forms already
    # reject it, this covers imports and other callers of the actions layer.
    text = (text or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(
            format_lazy(gettext_lazy("{what} is empty. Write something first."), what=what), code="empty"
        )
    limit = max_chars or _max_post_chars()
    if len(text) > limit:
        raise ValidationError(
            format_lazy(
                gettext_lazy(
                    "{what} is {length} characters long; the most is {limit}. "
                    "Please shorten it or split it into two posts."
                ),
                what=what,
                length=f"{len(text):,}",
                limit=f"{limit:,}",
            ),
            code="too_long",
        )
    blocked = wordfilter.blocked_words_in(text)
    if blocked:
        raise ValidationError(
            format_lazy(
                gettext_lazy("{what} contains words this community does not allow: {words}. Please reword it."),
                what=what,
                words=", ".join(blocked),
            ),
            code="word_filter",
        )
    return text


def resolve_mentions(names: Sequence[str]) -> tuple[dict[str, markup.MentionTarget], list[str], dict[str, list[Any]]]:
    """Map case-folded names to people. Returns (found, unknown, ambiguous)."""
    from fibrotrack.accounts.models import User as UserModel

    found: dict[str, markup.MentionTarget] = {}
    unknown: list[str] = []
    ambiguous: dict[str, list[Any]] = {}
    if not names:
        return found, unknown, ambiguous
    names = list(dict.fromkeys(names))[:20]
    by_id: dict[str, int] = {}
    query = Q()
    for name in names:
        if name.startswith("member-") and name[7:].isdigit():
            by_id[name] = int(name[7:])
            query |= Q(pk=int(name[7:]))
        else:
            query |= Q(display_name__iexact=name)
    people = list(UserModel.objects.filter(query, is_active=True).only("pk", "display_name"))
    for name in names:
        if name in by_id:
            matches = [p for p in people if p.pk == by_id[name]]
        else:
            matches = [p for p in people if markup.mention_key(p.display_name) == name]
        if not matches:
            unknown.append(name)
        elif len(matches) > 1:
            ambiguous[name] = matches
        else:
            person = matches[0]
            found[name] = markup.MentionTarget(
                person.pk, reverse("community:profile", args=[person.pk]), person.public_name
            )
    return found, unknown, ambiguous


def prepare_text(text: str, *, what: StrOrPromise = YOUR_POST, max_chars: int | None = None) -> PreparedText:
    """Validate and render text for a post or message; raise ValidationError with every problem."""
    from fibrotrack.accounts.models import User as UserModel

    body = check_text(text, what=what, max_chars=max_chars)
    names = markup.mention_names(body)
    found, unknown, ambiguous = resolve_mentions(names)
    problems = []
    if unknown:
        listed = ", ".join(f"@{n}" for n in unknown)
        problems.append(
            ValidationError(
                format_lazy(
                    gettext_lazy(
                        "Nobody here is called {names}. Check the spelling, or remove the @ if you did not mean to "
                        "mention someone. For a name with spaces, write @[Their Name]."
                    ),
                    names=listed,
                ),
                code="unknown_mention",
            )
        )
    for name, people in ambiguous.items():
        options = gettext_lazy(" or ").join(f"@member-{p.pk}" for p in people)
        problems.append(
            ValidationError(
                format_lazy(
                    gettext_lazy("More than one person is called @{name}. Write {options} to say which one you mean."),
                    name=name,
                    options=options,
                ),
                code="ambiguous_mention",
            )
        )
    if problems:
        raise ValidationError(problems)
    rendered = markup.render(body, found)
    mentioned = list(UserModel.objects.filter(pk__in=[t.user_id for t in found.values()]))
    return PreparedText(
        body=body,
        html=rendered.html,
        mentioned=mentioned,
        crisis=crisis.mentions_crisis(body),
        external_links=markup.count_links(rendered.html),
    )


def check_title(title: str) -> str:
    title = " ".join((title or "").replace("\x00", "").split())
    if not title:
        raise ValidationError(
            gettext_lazy("The title is empty. A few words about what you want to talk about."), code="empty"
        )
    if len(title) > 150:
        raise ValidationError(
            format_lazy(gettext_lazy("The title is {length} characters long; the most is 150."), length=len(title)),
            code="too_long",
        )
    blocked = wordfilter.blocked_words_in(title)
    if blocked:
        raise ValidationError(
            format_lazy(
                gettext_lazy("The title contains words this community does not allow: {words}."),
                words=", ".join(blocked),
            ),
            code="word_filter",
        )
    return title
