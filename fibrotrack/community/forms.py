"""Community forms: shape and length here; rules that need the database live in ``actions``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from fibrotrack.community.models import EmailChoice, Forum, Notification, Report, SupportGroup, Visibility

BODY_HELP = (
    "Markdown works: **bold**, *italic*, > quote, - list, [link](https://…). "
    "Mention someone with @Name, or @[Name with spaces]."
)


def _max_chars() -> int:
    return int(getattr(settings, "COMMUNITY_POST_MAX_CHARS", 20_000))


class BodyField(forms.CharField):
    def __init__(self, *, label: str = "Your post", max_chars: int | None = None, **kwargs: Any) -> None:
        limit = max_chars or _max_chars()
        kwargs.setdefault("help_text", BODY_HELP)
        super().__init__(
            label=label,
            widget=forms.Textarea(attrs={"rows": 8, "data-maxlength": str(limit)}),
            strip=True,
            error_messages={
                "required": f"{label} is empty. Write something first.",
                "max_length": f"{label} is too long: at most {limit:,} characters. Please shorten it or split it.",
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
                label="Attach a progress card (optional)",
                empty_label="No card",
                widget=forms.RadioSelect,
                help_text="Exactly what you see here is what others will see. You can remove it later.",
            )


class ThreadForm(_CardMixin):
    title = forms.CharField(
        label="Title",
        max_length=150,
        error_messages={
            "required": "The title is empty. A few words about what you want to talk about.",
            "max_length": "The title is too long: at most 150 characters.",
        },
    )
    body = BodyField()

    def __init__(self, *args: Any, cards: Any = None, treatments: list[tuple[int, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["title"].widget.attrs.pop("maxlength", None)
        if treatments:
            self.fields["treatments"] = forms.TypedMultipleChoiceField(
                label="Treatments this thread is about (optional)",
                choices=treatments,
                coerce=int,
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 6}),
                help_text="So that everyone looking for a treatment finds this thread. Up to 10.",
            )
        self._setup_cards(cards)


class ReplyForm(_CardMixin):
    body = BodyField(label="Your reply")
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
                    label="Title",
                    max_length=150,
                    error_messages={"required": "The title is empty.", "max_length": "At most 150 characters."},
                ),
                **self.fields,
            }
            self.fields["title"].widget.attrs.pop("maxlength", None)


class MessageForm(forms.Form):
    body = BodyField(
        label="Your message",
        max_chars=int(getattr(settings, "COMMUNITY_MESSAGE_MAX_CHARS", 5000)),
        help_text="Only the two of you can read this. Moderators see a message only if one of you reports it.",
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a reason."},
    )
    details = forms.CharField(
        label="Anything the moderators should know (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (the person will see it)", required=False, max_length=300, widget=forms.TextInput
    )


class MoveForm(forms.Form):
    forum: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Forum.objects.none(), label="Move to", empty_label=None
    )
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=300)

    def __init__(self, *args: Any, forums: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["forum"].queryset = forums  # type: ignore[attr-defined]


BAN_LENGTHS = [("1", "1 day"), ("7", "1 week"), ("30", "30 days"), ("365", "1 year"), ("forever", "For good")]


class WarnForm(forms.Form):
    reason = forms.CharField(
        label="Warning (the person will read this)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the reason for the warning: the person will read it."},
    )


class BanForm(forms.Form):
    reason = forms.CharField(
        label="Reason (the person will read this)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the reason for the ban: the person will read it."},
    )
    length = forms.ChoiceField(label="How long", choices=BAN_LENGTHS, initial="7", widget=forms.RadioSelect)
    scope = forms.ChoiceField(label="Where", choices=[("community", "The whole community")])

    def __init__(self, *args: Any, groups: list[tuple[str, str]], community: bool, **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = ([("community", "The whole community")] if community else []) + [
            (slug, f"The group {name}") for slug, name in groups
        ]
        self.fields["scope"].choices = choices  # type: ignore[attr-defined]

    @property
    def days(self) -> int | None:
        value = self.cleaned_data["length"]
        return None if value == "forever" else int(value)


class InviteForm(forms.Form):
    name = forms.CharField(
        label="Invite a person",
        max_length=60,
        help_text="Their name as it shows in the community, or member-123.",
    )


class AppointModeratorForm(forms.Form):
    name = forms.CharField(
        label="Appoint a moderator",
        max_length=60,
        help_text="Their name as it shows in the community, or member-123. "
        "If they are not a member of the group yet, they become one.",
        error_messages={"required": "Type the person's name."},
    )


YES_NO_LISTED = [
    ("yes", "Listed: people can see its name and description, and ask to join"),
    ("no", "Unlisted: only its members and the people invited know it exists"),
]
YES_NO_STAFF_ONLY = [
    ("no", "Any member"),
    ("yes", "Only moderators (for announcements)"),
]


class GroupForm(forms.Form):
    """A support group and its forum, as a site admin sets them up."""

    name = forms.CharField(
        label="Name",
        max_length=80,
        error_messages={"required": "The group needs a name.", "max_length": "The name can be up to 80 characters."},
    )
    slug = forms.SlugField(
        label="Web address (optional)",
        max_length=80,
        required=False,
        help_text="Lower-case letters, numbers and hyphens, used in the group's links. "
        "Leave empty to make it from the name. Changing it later breaks old links.",
        error_messages={"invalid": "Use only lower-case letters, numbers and hyphens, like sleep-and-rest."},
    )
    description = forms.CharField(
        label="Description",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences: who the group is for. Shown in the directory.",
        error_messages={"max_length": "The description can be up to 1,000 characters."},
    )
    rules = forms.CharField(
        label="Rules",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown works: - for a list, **bold**. Shown on the group's About page.",
        error_messages={"max_length": "The rules can be up to 5,000 characters."},
    )
    kind = forms.ChoiceField(
        label="Who can join",
        choices=SupportGroup.Kind.choices,
        initial=SupportGroup.Kind.PUBLIC,
        widget=forms.RadioSelect,
        help_text="Making a private group public lets in everyone waiting for approval. "
        "Making a public group private keeps its members and hides it from everyone else.",
        error_messages={"required": "Choose public or private."},
    )
    listed = forms.ChoiceField(
        label="For a private group: show it in the directory?",
        choices=YES_NO_LISTED,
        initial="yes",
        widget=forms.RadioSelect,
        help_text="A public group is always listed.",
    )
    staff_only_threads = forms.ChoiceField(
        label="Who can start threads in its forum",
        choices=YES_NO_STAFF_ONLY,
        initial="no",
        widget=forms.RadioSelect,
        help_text="Everyone who can see the forum can still reply.",
    )
    position = forms.IntegerField(
        label="Place in the directory",
        min_value=0,
        max_value=32_000,
        initial=100,
        help_text="Lower numbers come first; groups with the same number are in alphabetical order.",
        error_messages={"required": "Give a number, like 100."},
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
                self.add_error("slug", "Type a web address: the name has no letters or numbers to make one from.")
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
                f"You chose {len(picked)} treatments; the most is {self.max_tags}. "
                "Keep the ones this thread is mostly about."
            )
        cleaned["treatments"] = picked
        return cleaned


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Your name in the community",
        max_length=40,
        required=False,
        help_text="A nickname, not your real name. Always shown next to your posts. "
        "Leave empty to appear as member-<number>.",
    )
    bio = forms.CharField(
        label="About you (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "About you can be up to 1,000 characters."},
    )
    bio_visibility = forms.ChoiceField(label="Who can see “About you”", choices=Visibility.choices)
    diagnosis_year = forms.TypedChoiceField(
        label="Year of diagnosis (optional)", coerce=int, required=False, empty_value=None
    )
    diagnosis_year_visibility = forms.ChoiceField(
        label="Who can see your year of diagnosis", choices=Visibility.choices
    )
    treatments_visibility = forms.ChoiceField(label="Who can see the treatments you tried", choices=Visibility.choices)

    def __init__(self, *args: Any, treatments: list[tuple[int, str]] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        this_year = timezone.localdate().year
        self.fields["diagnosis_year"].choices = [("", "Not saying")] + [  # type: ignore[attr-defined]
            (year, str(year)) for year in range(this_year, 1949, -1)
        ]
        self.fields["bio"].widget.attrs.pop("maxlength", None)
        if treatments:
            self.fields["treatments_tried"] = forms.TypedMultipleChoiceField(
                label="Treatments you have tried (optional)",
                choices=treatments,
                coerce=int,
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 8}),
                help_text="From the shared catalogue. Nothing from your own treatment list is shown unless you pick it.",
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
    q = forms.CharField(label="Search the community", max_length=200, required=False)


def parse_page(value: str | None) -> int:
    try:
        return max(1, min(int(value or "1"), 100_000))
    except ValueError:
        return 1
