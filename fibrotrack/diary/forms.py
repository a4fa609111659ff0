"""Diary forms. Each error is a plain sentence shown next to its field."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fibrotrack.diary import regions
from fibrotrack.diary.actions import CheckInData
from fibrotrack.diary.defaults import DEFAULT_SYMPTOMS, hint
from fibrotrack.diary.models import Tag, TrackedSymptom

EARLIEST_DAY = dt.date(1990, 1, 1)


@functools.cache
def scale_choices(low: int, high: int) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(v)) for v in range(low, high + 1))


REGION_CHOICES = tuple(regions.MAP_CHOICES)
_SYMPTOM_FIELD = re.compile(r"^s_(\d+)$")


def check_diary_day(day: dt.date, today: dt.date) -> None:
    """Raise ValidationError for a day that cannot hold a check-in."""
    if day > today:
        raise ValidationError(gettext("That day hasn’t happened yet. You can fill in today or any earlier day."))
    if day < EARLIEST_DAY:
        raise ValidationError(gettext("Pick a day after %(day)s.") % {"day": date_format(EARLIEST_DAY, "j F Y")})


class GoToDayForm(forms.Form):
    day = forms.DateField(label=_("Open another day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["day"].widget.attrs["max"] = today.isoformat()

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        check_diary_day(day, self.today)
        return day


REGION_ERRORS = {"invalid_choice": _("“%(value)s” is not one of the 19 body areas on the map.")}


def _anchor_words(symptom: TrackedSymptom) -> str:
    """Anchor words for a custom symptom's numeric rating scale, in its own direction."""
    ends = {"low": symptom.scale_min, "high": symptom.scale_max}
    if symptom.lower_is_better:
        return gettext("%(low)s = none, %(high)s = worst imaginable") % ends
    return gettext("%(low)s = worst imaginable, %(high)s = best") % ends


class CheckInForm(forms.Form):
    """One field per tracked symptom (``s_<id>``), plus sleep, body map, tags, note."""

    hours_slept = forms.DecimalField(
        label=_("Hours slept"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(24),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal", "min": "0", "max": "24"}),
    )
    pain_regions = forms.MultipleChoiceField(
        label=_("Where does it hurt?"),
        choices=REGION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=REGION_ERRORS,
    )
    # Validated against the person's tags, which the view has already loaded:
    # a ModelMultipleChoiceField would query them again on every save.
    tags = forms.TypedMultipleChoiceField(
        label=_("What happened?"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("“%(value)s” is not one of your tags.")},
    )
    # The version of the day this form was loaded with (conflicts.version_of);
    # the save compares it with the stored day so that a stale form never
    # silently overwrites a newer save. Empty: not checked (a form from before).
    version = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    # What the form showed when loaded (conflicts.sign_loaded), so that a
    # conflict can tell the person's own changes from the other save's.
    loaded = forms.CharField(required=False, widget=forms.HiddenInput)
    # The idempotency key of this save (actions.do_save_checkin): new with each
    # page load, or made by the offline outbox, so that a save sent twice is one save.
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    new_tag = forms.CharField(
        label=pgettext_lazy("a tag", "Add your own"),
        required=False,
        max_length=40,
        help_text=_("For example “long drive” or “cold weather”."),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        symptoms: Sequence[TrackedSymptom],
        tags: Sequence[Tag],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.symptoms = list(symptoms)
        self.tag_list = list(tags)
        self.fields["tags"].choices = [(t.pk, t.label) for t in self.tag_list]  # type: ignore[attr-defined]
        note_limit = settings.FIBROTRACK_NOTE_MAX_CHARS
        self.fields["note"] = forms.CharField(
            label=gettext("Note"),
            required=False,
            max_length=note_limit,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=gettext("Up to %(limit)s characters.")
            % {"limit": number_format(note_limit, force_grouping=True)},
            error_messages={
                "max_length": gettext("Notes can be up to %(limit)s characters. Shorten it a little.")
                % {"limit": number_format(note_limit, force_grouping=True)}
            },
        )
        for symptom in self.symptoms:
            self.fields[f"s_{symptom.pk}"] = forms.TypedChoiceField(
                label=symptom.label,
                choices=scale_choices(symptom.scale_min, symptom.scale_max),
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                help_text=hint(symptom.key) or _anchor_words(symptom),
                error_messages={
                    "invalid_choice": gettext("%(name)s must be a whole number from %(low)s to %(high)s.")
                    % {"name": symptom.label, "low": symptom.scale_min, "high": symptom.scale_max}
                },
            )

    def symptom_fields(self) -> list[tuple[TrackedSymptom, forms.BoundField]]:
        return [(s, self[f"s_{s.pk}"]) for s in self.symptoms]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.data:
            known = {f"s_{s.pk}" for s in self.symptoms}
            unknown = [k for k in self.data if _SYMPTOM_FIELD.match(k) and k not in known]
            if unknown:
                raise ValidationError(
                    gettext("This form mentions a symptom you don’t track. Reload the page and try again.")
                )
        return cleaned

    def to_data(self, symptom_names: Mapping[int, str] | None = None) -> CheckInData:
        """The validated check-in. ``symptom_names`` may name more symptoms than the form asks
        (archived ones), so that the revision log needs no query for a day that has their scores."""
        cd = self.cleaned_data
        return CheckInData(
            scores={s.pk: cd.get(f"s_{s.pk}") for s in self.symptoms},
            hours_slept=cd.get("hours_slept"),
            pain_regions=list(cd.get("pain_regions") or []),
            tag_ids=list(cd.get("tags") or []),
            note=(cd.get("note") or "").strip(),
            new_tag=(cd.get("new_tag") or "").strip(),
            symptom_names={**(symptom_names or {}), **{s.pk: s.name for s in self.symptoms}},
            tag_names={t.pk: t.name for t in self.tag_list},
        )


class SymptomChoiceForm(forms.Form):
    """Onboarding and settings: which default symptoms to track."""

    defaults = forms.MultipleChoiceField(
        label=_("What do you want to track?"),
        choices=[(s.key, _(s.name)) for s in DEFAULT_SYMPTOMS],  # the names are marked in defaults.py
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


SCALE_CHOICES = [("10", _("0 to 10")), ("5", _("0 to 5")), ("3", _("0 to 3"))]
DIRECTION_CHOICES = [("lower", _("Lower is better (like pain)")), ("higher", _("Higher is better (like energy)"))]


class SymptomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    direction = forms.ChoiceField(label=_("Which way is better?"), choices=DIRECTION_CHOICES, initial="lower")
    scale = forms.TypedChoiceField(label=_("Scale"), choices=SCALE_CHOICES, coerce=int, initial="10")

    def __init__(self, *args: Any, existing_names: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing_names = {n.casefold() for n in existing_names}

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(gettext("Give the symptom a name."))
        if name.casefold() in self.existing_names:
            raise ValidationError(gettext("You already track a symptom with this name."))
        return name


class SymptomEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    direction = forms.ChoiceField(label=_("Which way is better?"), choices=DIRECTION_CHOICES)
    is_active = forms.BooleanField(label=_("Show it in my check-in"), required=False)


class AcrForm(forms.Form):
    SEVERITY = [
        ("0", _("0 — no problem")),
        ("1", _("1 — slight or mild, generally mild or intermittent")),
        ("2", _("2 — moderate, considerable problems, often present")),
        ("3", _("3 — severe, pervasive, continuous, life-disturbing")),
    ]
    regions = forms.MultipleChoiceField(
        label=_("In the past week, where have you had pain or tenderness?"),
        choices=REGION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=REGION_ERRORS,
    )
    fatigue = forms.TypedChoiceField(label=_("Fatigue"), choices=SEVERITY, coerce=int, widget=forms.RadioSelect)
    unrefreshed = forms.TypedChoiceField(
        label=_("Waking unrefreshed"), choices=SEVERITY, coerce=int, widget=forms.RadioSelect
    )
    cognitive = forms.TypedChoiceField(
        label=_("Cognitive symptoms (trouble thinking or remembering)"),
        choices=SEVERITY,
        coerce=int,
        widget=forms.RadioSelect,
    )
    headache = forms.BooleanField(label=_("Headaches"), required=False)
    abdominal = forms.BooleanField(label=_("Pain or cramps in the lower abdomen"), required=False)
    depression = forms.BooleanField(label=_("Depression"), required=False)
    three_months = forms.TypedChoiceField(
        label=_("Have these symptoms been at a similar level for at least 3 months?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
