"""Community forms: shape and length here; rules that need the database live in ``actions``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fibrotrack.community.models import EmailChoice, Forum, Notification, Report, SupportGroup, Visibility
from fibrotrack.community.templatetags.community_i18n import seeded

BODY_HELP = _(
    "Markdown works: **bold**, *italic*, > quote, - list, [link](https://…). "
    "Mention someone with @Name, or @[Name with spaces]."
)


def _max_chars() -> int:
    return int(getattr(settings, "COMMUNITY_POST_MAX_CHARS", 20_000))


class BodyField(forms.CharField):
    def __init__(self, *, label: Any = None, max_chars: int | None = None, **kwargs: Any) -> None:
        label = label or _("Your post")
        limit = max_chars or _max_chars()
        kwargs.setdefault("help_text", BODY_HELP)
        super().__init__(
            label=label,
            widget=forms.Textarea(attrs={"rows": 8, "data-maxlength": str(limit)}),
            strip=True,
            error_messages={
                "required": format_lazy(_("{label} is empty. Write something first."), label=label),
                "max_length": format_lazy(
                    _("{label} is too long: at most {limit} characters. Please shorten it or split it."),
                    label=label,
                    limit=f"{limit:,}",
                ),
            },
            max_length=limit,
            **kwargs,
        )
        # No maxlength attribute: the browser would cut text silently; the server explains instead.
        self.widget.attrs.pop("maxlength", None)


class CardChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class _CardMixin(forms.Form):
    def _setup_cards(self, cards: Any) -> None:
        if cards is not None and cards.exists():
            self.fields["card"] = CardChoiceField(
                queryset=cards,
                required=False,
                label=_("Attach a progress card (optional)"),
                empty_label=_("No card"),
                widget=forms.RadioSelect,
                help_text=_("Exactly what you see here is what others will see. You can remove it later."),
            )


class ThreadForm(_CardMixin):
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        error_messages={
            "required": _("The title is empty. A few words about what you want to talk about."),
            "max_length": _("The title is too long: at most 150 characters."),
        },
    )
    body = BodyField()

    def __init__(self, *args: Any, cards: Any = None, treatments: list[tuple[int, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["title"].widget.attrs.pop("maxlength", None)
        if treatments:
            self.fields["treatments"] = forms.TypedMultipleChoiceField(
                label=_("Treatments this thread is about (optional)"),
                choices=treatments,
                coerce=int,
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 6}),
                help_text=_("So that everyone looking for a treatment finds this thread. Up to 10."),
            )
        self._setup_cards(cards)


class ReplyForm(_CardMixin):
    body = BodyField(label=_("Your reply"))
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, cards: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._setup_cards(cards)


class EditPostForm(forms.Form):
    body = BodyField()

    def __init__(self, *args: Any, with_title: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if with_title:
            self.fields = {
                "title": forms.CharField(
                    label=_("Title"),
                    max_length=150,
                    error_messages={"required": _("The title is empty."), "max_length": _("At most 150 characters.")},
                ),
                **self.fields,
            }
            self.fields["title"].widget.attrs.pop("maxlength", None)


class MessageForm(forms.Form):
    body = BodyField(
        label=_("Your message"),
        max_chars=int(getattr(settings, "COMMUNITY_MESSAGE_MAX_CHARS", 5000)),
        help_text=_("Only the two of you can read this. Moderators see a message only if one of you reports it."),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    details = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the person will see it)"), required=False, max_length=300, widget=forms.TextInput
    )


class ForumChoiceField(forms.ModelChoiceField[Any]):
    """A forum by its name in the reader's language (the seeded groups' and categories' names)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(seeded(obj.name))


class MoveForm(forms.Form):
    forum = ForumChoiceField(queryset=Forum.objects.none(), label=_("Move to"), empty_label=None)
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)

    def __init__(self, *args: Any, forums: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["forum"].queryset = forums  # type: ignore[attr-defined]


BAN_LENGTHS = [
    ("1", _("1 day")),
    ("7", _("1 week")),
    ("30", _("30 days")),
    ("365", _("1 year")),
    ("forever", _("For good")),
]


class WarnForm(forms.Form):
    reason = forms.CharField(
        label=_("Warning (the person will read this)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the reason for the warning: the person will read it.")},
    )


class BanForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the person will read this)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the reason for the ban: the person will read it.")},
    )
    length = forms.ChoiceField(label=_("How long"), choices=BAN_LENGTHS, initial="7", widget=forms.RadioSelect)
    scope = forms.ChoiceField(label=_("Where"), choices=[("community", _("The whole community"))])

    def __init__(self, *args: Any, groups: list[tuple[str, str]], community: bool, **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = ([("community", gettext("The whole community"))] if community else []) + [
            (slug, gettext("The group %(name)s") % {"name": name}) for slug, name in groups
        ]
        self.fields["scope"].choices = choices  # type: ignore[attr-defined]

    @property
    def days(self) -> int | None:
        value = self.cleaned_data["length"]
        return None if value == "forever" else int(value)


class InviteForm(forms.Form):
    name = forms.CharField(
        label=_("Invite a person"),
        max_length=60,
        help_text=_("Their name as it shows in the community, or member-123."),
    )


class AppointModeratorForm(forms.Form):
    name = forms.CharField(
        label=_("Appoint a moderator"),
        max_length=60,
        help_text=_(
            "Their name as it shows in the community, or member-123. "
            "If they are not a member of the group yet, they become one."
        ),
        error_messages={"required": _("Type the person's name.")},
    )


YES_NO_LISTED = [
    ("yes", _("Listed: people can see its name and description, and ask to join")),
    ("no", _("Unlisted: only its members and the people invited know it exists")),
]
YES_NO_STAFF_ONLY = [
    ("no", _("Any member")),
    ("yes", _("Only moderators (for announcements)")),
]


class GroupForm(forms.Form):
    """A support group and its forum, as a site admin sets them up."""

    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        error_messages={
            "required": _("The group needs a name."),
            "max_length": _("The name can be up to 80 characters."),
        },
    )
    slug = forms.SlugField(
        label=_("Web address (optional)"),
        max_length=80,
        required=False,
        help_text=_(
            "Lower-case letters, numbers and hyphens, used in the group's links. "
            "Leave empty to make it from the name. Changing it later breaks old links."
        ),
        error_messages={"invalid": _("Use only lower-case letters, numbers and hyphens, like sleep-and-rest.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences: who the group is for. Shown in the directory."),
        error_messages={"max_length": _("The description can be up to 1,000 characters.")},
    )
    rules = forms.CharField(
        label=_("Rules"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown works: - for a list, **bold**. Shown on the group's About page."),
        error_messages={"max_length": _("The rules can be up to 5,000 characters.")},
    )
    kind = forms.ChoiceField(
        label=_("Who can join"),
        choices=SupportGroup.Kind.choices,
        initial=SupportGroup.Kind.PUBLIC,
        widget=forms.RadioSelect,
        help_text=_(
            "Making a private group public lets in everyone waiting for approval. "
            "Making a public group private keeps its members and hides it from everyone else."
        ),
        error_messages={"required": _("Choose public or private.")},
    )
    listed = forms.ChoiceField(
        label=_("For a private group: show it in the directory?"),
        choices=YES_NO_LISTED,
        initial="yes",
        widget=forms.RadioSelect,
        help_text=_("A public group is always listed."),
    )
    staff_only_threads = forms.ChoiceField(
        label=_("Who can start threads in its forum"),
        choices=YES_NO_STAFF_ONLY,
        initial="no",
        widget=forms.RadioSelect,
        help_text=_("Everyone who can see the forum can still reply."),
    )
    position = forms.IntegerField(
        label=_("Place in the directory"),
        min_value=0,
        max_value=32_000,
        initial=100,
        help_text=_("Lower numbers come first; groups with the same number are in alphabetical order."),
        error_messages={"required": _("Give a number, like 100.")},
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for name in ("name", "slug", "description", "rules"):
            # The server explains a too-long text instead of the browser cutting it silently.
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.fields["position"].widget.attrs["inputmode"] = "numeric"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("slug") and cleaned.get("name") and "slug" not in self.errors:
            cleaned["slug"] = slugify(cleaned["name"])[:80].strip("-")
            if not cleaned["slug"]:
                self.add_error(
                    "slug", gettext("Type a web address: the name has no letters or numbers to make one from.")
                )
        return cleaned

    @classmethod
    def initial_for(cls, settings: Any) -> dict[str, Any]:
        """Form values from ``actions.group_admin.GroupSettings``."""
        return {
            "name": settings.name,
            "slug": settings.slug,
            "description": settings.description,
            "rules": settings.rules,
            "kind": settings.kind,
            "listed": "yes" if settings.is_listed else "no",
            "staff_only_threads": "yes" if settings.staff_only_threads else "no",
            "position": settings.position,
        }

    def settings_values(self) -> dict[str, Any]:
        """Keyword arguments for ``actions.group_admin.GroupSettings``."""
        cd = self.cleaned_data
        return {
            "name": cd["name"],
            "slug": cd["slug"],
            "description": cd["description"],
            "rules": cd["rules"],
            "kind": cd["kind"],
            "is_listed": cd["kind"] == SupportGroup.Kind.PUBLIC or cd["listed"] == "yes",
            "staff_only_threads": cd["staff_only_threads"] == "yes",
            "position": cd["position"],
        }


class ThreadTagsForm(forms.Form):
    """The treatments a thread is about: one set of checkboxes per catalogue category."""

    def __init__(
        self, *args: Any, categories: list[tuple[str, str, list[tuple[int, str]]]], max_tags: int = 10, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.max_tags = max_tags
        chosen = {int(pk) for pk in (self.initial.get("treatments") or [])}
        for key, label, choices in categories:
            self.fields[f"tags_{key}"] = forms.TypedMultipleChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[pk for pk, _ in choices if pk in chosen],
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        picked = [pk for name, value in cleaned.items() if name.startswith("tags_") for pk in value or []]
        if len(picked) > self.max_tags:
            raise forms.ValidationError(
                gettext(
                    "You chose %(count)s treatments; the most is %(most)s. Keep the ones this thread is mostly about."
                )
                % {"count": len(picked), "most": self.max_tags}
            )
        cleaned["treatments"] = picked
        return cleaned


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name in the community"),
        max_length=40,
        required=False,
        help_text=_(
            "A nickname, not your real name. Always shown next to your posts. Leave empty to appear as member-<number>."
        ),
    )
    bio = forms.CharField(
        label=_("About you (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("About you can be up to 1,000 characters.")},
    )
    bio_visibility = forms.ChoiceField(label=_("Who can see “About you”"), choices=Visibility.choices)
    diagnosis_year = forms.TypedChoiceField(
        label=_("Year of diagnosis (optional)"), coerce=int, required=False, empty_value=None
    )
    diagnosis_year_visibility = forms.ChoiceField(
        label=_("Who can see your year of diagnosis"), choices=Visibility.choices
    )
    treatments_visibility = forms.ChoiceField(
        label=_("Who can see the treatments you tried"), choices=Visibility.choices
    )

    def __init__(self, *args: Any, treatments: list[tuple[int, str]] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        this_year = timezone.localdate().year
        self.fields["diagnosis_year"].choices = [("", gettext("Not saying"))] + [  # type: ignore[attr-defined]
            (year, str(year)) for year in range(this_year, 1949, -1)
        ]
        self.fields["bio"].widget.attrs.pop("maxlength", None)
        if treatments:
            self.fields["treatments_tried"] = forms.TypedMultipleChoiceField(
                label=_("Treatments you have tried (optional)"),
                choices=treatments,
                coerce=int,
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 8}),
                help_text=_(
                    "From the shared catalogue. Nothing from your own treatment list is shown unless you pick it."
                ),
            )
        # Keep the visibility choice next to its field.
        order = ["display_name", "bio", "bio_visibility", "diagnosis_year", "diagnosis_year_visibility"]
        if treatments:
            order.append("treatments_tried")
        order.append("treatments_visibility")
        self.order_fields(order)


class EmailPreferencesForm(forms.Form):
    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for kind, label in Notification.Kind.choices:
            self.fields[kind] = forms.ChoiceField(label=label, choices=EmailChoice.choices, widget=forms.RadioSelect)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the community"), max_length=200, required=False)


def parse_page(value: str | None) -> int:
    try:
        return max(1, min(int(value or "1"), 100_000))
    except ValueError:
        return 1
