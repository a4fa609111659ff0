"""Treatment forms. Each error is a plain sentence shown next to its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fibrotrack.accounts.models import User
from fibrotrack.treatments import access, catalogue, safety, titration
from fibrotrack.treatments.actions import RegimenData
from fibrotrack.treatments.models import DoseChange, Regimen, SideEffect, Treatment
from fibrotrack.treatments.schedule import KIND_LABELS, WEEKDAYS, Kind, parse_times

EARLIEST = dt.date(1990, 1, 1)
MAX_AHEAD = dt.timedelta(days=365)
UNIT_LIST = ", ".join(catalogue.UNIT_CODES[:-1]) + " or " + catalogue.UNIT_CODES[-1]
UNIT_ERRORS = {"invalid_choice": f"“%(value)s” is not a unit we know. Choose {UNIT_LIST}."}
POSITIVE = _("The dose must be more than 0.")
AMOUNT_ERRORS = {
    "invalid": _("Enter the dose as a number, like 4.5."),
    "max_digits": _("That dose is too large. Check the number and the unit."),
    "max_decimal_places": _("Use at most 3 decimal places, like 0.125."),
    "max_whole_digits": _("That dose is too large. Check the number and the unit."),
}
DATE_ERRORS = {"invalid": "Enter a date, like 2026-03-14."}
FLAG_CHOICES = [
    ("opioid", "It is an opioid painkiller (like codeine or tramadol)"),
    ("opioid_antagonist", "It blocks opioids (like naltrexone)"),
    ("serotonergic", "It raises serotonin (like antidepressants or 5-HTP)"),
    ("sedative", "It makes you drowsy (like sleeping tablets or benzodiazepines)"),
]


def amount_field(label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=9,
        decimal_places=3,
        help_text=help_text,
        error_messages={**AMOUNT_ERRORS, "required": _("Enter the dose, for example 300.")},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
    )


def check_positive(value: Decimal | None) -> Decimal | None:
    if value is not None and value <= 0:
        raise ValidationError(POSITIVE)
    return value


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={**DATE_ERRORS, "required": "Enter a date."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def check_date(day: dt.date | None, today: dt.date) -> dt.date | None:
    if day is None:
        return None
    if day < EARLIEST:
        raise ValidationError(f"Pick a date after {EARLIEST:%-d %B %Y}.")
    if day > today + MAX_AHEAD:
        raise ValidationError("Pick a date within the next year.")
    return day


def treatment_choices(treatments: Sequence[Treatment]) -> list[Any]:
    """Grouped by category, the person's own first, for a <select> with <optgroup>s."""
    groups: list[Any] = [("", "Choose a treatment…")]
    own = [(str(t.pk), t.label) for t in treatments if t.is_custom]
    if own:
        groups.append(("Your own", own))
    for code, title in catalogue.CATEGORIES:
        items = [(str(t.pk), t.label) for t in treatments if not t.is_custom and t.category == code]
        if items:
            groups.append((title, items))
    return groups


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        label="Dose or pause", choices=[("dose", "Dose"), ("pause", "Pause")], initial="dose", required=False
    )
    amount = amount_field("Dose", required=False)
    days = forms.IntegerField(
        label="For how many days",
        required=False,
        min_value=1,
        max_value=730,
        error_messages={
            "invalid": "Enter a whole number of days.",
            "min_value": "A step lasts at least 1 day.",
            "max_value": "A step can last up to 730 days.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1"}),
    )

    def is_blank(self) -> bool:
        cd = getattr(self, "cleaned_data", {})
        return cd.get("amount") is None and cd.get("days") is None and cd.get("kind") != "pause"

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        if self.errors or self.is_blank():
            return cd
        if cd.get("days") is None:
            self.add_error("days", "This step has no duration. Enter the number of days.")
        if cd.get("kind") == "pause":
            if cd.get("amount") is not None:
                self.add_error("amount", "A pause has no dose. Clear the dose, or choose “Dose”.")
        elif cd.get("amount") is None:
            self.add_error("amount", "Enter this step’s dose, or choose “Pause”.")
        elif cd["amount"] <= 0:
            self.add_error("amount", POSITIVE)
        return cd

    def step(self) -> titration.Step:
        cd = self.cleaned_data
        return titration.Step(None if cd["kind"] == "pause" else cd["amount"], cd["days"])


StepFormSet = forms.formset_factory(StepForm, extra=8, max_num=12, absolute_max=12)


class RegimenForm(forms.Form):
    treatment = forms.ChoiceField(
        label="Treatment",
        error_messages={
            "required": "Choose a treatment from the list, or add your own.",
            "invalid_choice": "Choose a treatment from the list, or add your own.",
        },
    )
    amount = amount_field(
        "Dose each time", required=False, help_text="For example 300. With a titration plan, leave it empty."
    )
    unit = forms.ChoiceField(label="Unit", choices=catalogue.UNITS, error_messages=UNIT_ERRORS)
    form = forms.ChoiceField(label="Form (optional)", choices=[("", "—"), *catalogue.FORMS], required=False)
    schedule = forms.ChoiceField(
        label="How often",
        choices=list(KIND_LABELS.items()),
        initial=Kind.DAILY,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often.", "invalid_choice": "Choose one of the options."},
    )
    times = forms.CharField(
        label="At what times?",
        required=False,
        max_length=80,
        help_text="For “Daily, at set times”: for example 08:00 or 08:00, 20:00.",
    )
    doses_per_day = forms.IntegerField(
        label="How many times a day?",
        required=False,
        min_value=2,
        max_value=12,
        help_text="For “Several times a day”.",
        error_messages={
            "min_value": "Several means at least 2. For once a day, choose “Daily”.",
            "max_value": "Up to 12 times a day.",
            "invalid": "Enter a whole number, like 3.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "2", "max": "12"}),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="On which days?",
        required=False,
        coerce=int,
        choices=[(str(i), name) for i, name in enumerate(WEEKDAYS)],
        widget=forms.CheckboxSelectMultiple,
        help_text="For “Weekly sessions”.",
    )
    started_on = date_field("Start date")
    stopped_on = date_field(
        "Stop date (optional)", required=False, help_text="Only for something you no longer take: the last day."
    )
    stop_reason = forms.ChoiceField(
        label="Why did you stop? (optional)", choices=[("", "—"), *Regimen.StopReason.choices], required=False
    )
    plan = forms.ChoiceField(
        label="Titration plan",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", "No plan: the same dose every time"),
            *((t.key, f"{t.name}: {t.description}") for t in titration.TEMPLATES.values()),
            (titration.CUSTOM, "Custom plan: my own list of steps"),
        ],
        error_messages={"invalid_choice": "Choose one of the plans."},
    )
    prescriber = forms.CharField(label="Prescriber (optional)", required=False, max_length=100)
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea({"rows": 2}))
    acknowledge = forms.BooleanField(required=False, label="I have read this warning and I will talk to my prescriber.")

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        user: User,
        today: dt.date,
        treatments: Sequence[Treatment],
        others: Sequence[Regimen],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial={"started_on": today, "schedule": Kind.DAILY, **(initial or {})})
        self.user, self.today = user, today
        self.treatments = {str(t.pk): t for t in treatments}
        self.others = list(others)
        self.fields["treatment"].choices = treatment_choices(treatments)  # type: ignore[attr-defined]
        wants_custom = data is not None and data.get("plan") == titration.CUSTOM
        self.steps = StepFormSet(data if wants_custom else None, prefix="step")
        self.findings: list[safety.Finding] = []

    @property
    def blocking_findings(self) -> list[safety.Finding]:
        return [f for f in self.findings if f.blocking]

    def clean_treatment(self) -> Treatment:
        return self.treatments[self.cleaned_data["treatment"]]

    def clean_amount(self) -> Decimal | None:
        return check_positive(self.cleaned_data.get("amount"))

    def clean_started_on(self) -> dt.date | None:
        return check_date(self.cleaned_data.get("started_on"), self.today)

    def clean_stopped_on(self) -> dt.date | None:
        return check_date(self.cleaned_data.get("stopped_on"), self.today)

    def clean_times(self) -> list[str]:
        try:
            return parse_times(self.cleaned_data.get("times") or "")
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        treatment: Treatment | None = cd.get("treatment")
        kind = cd.get("schedule")
        plan = cd.get("plan") or ""

        if kind == Kind.DAILY and "times" in cd and not cd["times"]:
            self.add_error("times", "Add at least one time, like 08:00.")
        if kind == Kind.SEVERAL and cd.get("doses_per_day") is None and "doses_per_day" not in self.errors:
            self.add_error("doses_per_day", "Enter how many times a day, like 3.")
        if kind == Kind.WEEKLY and not cd.get("weekdays"):
            self.add_error("weekdays", "Pick at least one day of the week.")

        start, stop = cd.get("started_on"), cd.get("stopped_on")
        if start and stop and stop < start:
            self.add_error(
                "stopped_on", f"The stop date can’t be before the start date ({start:%-d %B %Y}). Check both dates."
            )
        if stop and not cd.get("stop_reason"):
            self.add_error("stop_reason", "Choose why you stopped (or “Other”).")

        self._clean_plan(cd, treatment, plan, kind)
        if not plan and "amount" in cd and cd["amount"] is None and "amount" not in self.errors:
            self.add_error("amount", "Enter the dose, for example 300. (Or choose a titration plan below.)")

        if treatment and start and not self.has_error("stopped_on"):
            try:
                access.check_no_duplicate(self.user, treatment, start, stop)
            except ValidationError as error:
                self.add_error("treatment", error)
        if treatment and start:
            new = safety.Course(treatment.name, treatment.flags, start, stop)
            self.findings = safety.check_new(new, [r.course() for r in self.others])
            if self.blocking_findings and not cd.get("acknowledge"):
                self.add_error(
                    "acknowledge",
                    "Please read the safety warning above and tick the box to confirm, or choose another treatment.",
                )
        return cd

    def _clean_plan(self, cd: dict[str, Any], treatment: Treatment | None, plan: str, kind: str | None) -> None:
        cd["plan_steps"] = ()
        if not plan:
            return
        if kind == Kind.AS_NEEDED:
            self.add_error("plan", "A titration plan needs a regular schedule. Choose “Daily” or “Nightly”.")
            return
        template = titration.TEMPLATES.get(plan)
        if template is not None:
            if treatment is not None and template.antagonist_only and not treatment.is_opioid_antagonist:
                self.add_error(
                    "plan", f"The {template.name} plan is for naltrexone. For {treatment.name}, use a custom plan."
                )
            if cd.get("unit") and cd["unit"] != template.unit:
                self.add_error("unit", f"The {template.name} plan is in {template.unit}. Choose {template.unit}.")
            cd["plan_steps"] = template.steps
            return
        if not self.steps.is_valid():
            self.add_error("plan", "Some steps of your plan need another look. They are marked below.")
            return
        steps = [f.step() for f in self.steps.forms if f.has_changed() and not f.is_blank()]
        if not steps:
            self.add_error("plan", "Add at least one step to your custom plan: a dose and for how many days.")
        elif steps[-1].is_pause:
            self.add_error("plan", "The last step must be a dose, not a pause: after the plan ends, it carries on.")
        cd["plan_steps"] = tuple(steps)

    def to_data(self) -> RegimenData:
        cd = self.cleaned_data
        kind = cd["schedule"]
        return RegimenData(
            treatment=cd["treatment"],
            unit=cd["unit"],
            started_on=cd["started_on"],
            schedule=kind,
            amount=cd.get("amount") if not cd.get("plan") else None,
            form=cd.get("form") or "",
            times=cd["times"] if kind == Kind.DAILY else [],
            doses_per_day=cd.get("doses_per_day") or 1 if kind == Kind.SEVERAL else 1,
            weekdays=list(cd.get("weekdays") or []) if kind == Kind.WEEKLY else [],
            stopped_on=cd.get("stopped_on"),
            stop_reason=cd.get("stop_reason") or "",
            prescriber=cd.get("prescriber") or "",
            note=cd.get("note") or "",
            plan_template=cd.get("plan") or "",
            plan_steps=cd.get("plan_steps") or (),
        )


class DoseChangeForm(forms.Form):
    effective_on = date_field("From which day?")
    amount = amount_field("New dose")
    unit = forms.ChoiceField(label="Unit", choices=catalogue.UNITS, error_messages=UNIT_ERRORS)
    reason = forms.ChoiceField(
        label="Why?",
        choices=[c for c in DoseChange.Reason.choices if c[0] != DoseChange.Reason.STARTED],
        initial=DoseChange.Reason.PRESCRIBER,
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args: Any, regimen: Regimen, today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"effective_on": today, "unit": regimen.unit})
        super().__init__(*args, **kwargs)
        self.regimen, self.today = regimen, today

    def clean_amount(self) -> Decimal | None:
        return check_positive(self.cleaned_data.get("amount"))

    def clean_effective_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["effective_on"]
        check_date(day, self.today)
        if day < self.regimen.started_on:
            raise ValidationError(
                f"The regimen started on {self.regimen.started_on:%-d %B %Y}. Pick that day or later."
            )
        if self.regimen.stopped_on and day > self.regimen.stopped_on:
            raise ValidationError(f"The regimen stopped on {self.regimen.stopped_on:%-d %B %Y}. Pick a day before.")
        return day


class StopForm(forms.Form):
    stopped_on = date_field("Last day you took it")
    reason = forms.ChoiceField(
        label="Why did you stop?",
        choices=[("", "—"), *Regimen.StopReason.choices],
        error_messages={"required": "Choose why you stopped (or “Other”)."},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args: Any, regimen: Regimen, today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"stopped_on": today})
        super().__init__(*args, **kwargs)
        self.regimen, self.today = regimen, today

    def clean_stopped_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["stopped_on"]
        check_date(day, self.today)
        if day < self.regimen.started_on:
            raise ValidationError(
                f"The stop date can’t be before the start date ({self.regimen.started_on:%-d %B %Y})."
            )
        return day


class RegimenEditForm(forms.ModelForm[Regimen]):
    class Meta:
        model = Regimen
        fields = ("form", "prescriber", "note")
        labels = {"form": "Form (optional)", "prescriber": "Prescriber (optional)", "note": "Note (optional)"}
        widgets = {"note": forms.Textarea({"rows": 3})}


class CustomTreatmentForm(forms.Form):
    name = forms.CharField(label="Name", max_length=80)
    category = forms.ChoiceField(label="Kind of treatment", choices=catalogue.CATEGORIES, widget=forms.RadioSelect)
    unit = forms.ChoiceField(label="Usual unit", choices=catalogue.UNITS, error_messages=UNIT_ERRORS)
    flags = forms.MultipleChoiceField(
        label="Does any of these apply? (used for safety warnings)",
        choices=FLAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="If you are not sure, ask your pharmacist.",
    )

    def __init__(self, *args: Any, treatments: Sequence[Treatment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.treatments = list(treatments)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Give the treatment a name.")
        wanted = name.casefold()
        for t in self.treatments:
            names = [t.name, *t.aliases]
            if any(n.casefold() == wanted for n in names):
                if t.is_custom:
                    raise ValidationError(f"You already added “{t.name}”. Choose it from the list.")
                raise ValidationError(
                    f"“{name}” is already in the list, as {t.name}. Choose it there, so that the safety checks work."
                )
        return name


class SideEffectForm(forms.Form):
    name = forms.CharField(
        label="What is it?",
        max_length=80,
        widget=forms.TextInput(attrs={"list": "side-effect-names", "autocomplete": "off"}),
        error_messages={"required": "Say what the side effect is, for example “Headache”."},
    )
    severity = forms.ChoiceField(
        label="How bad?",
        choices=SideEffect.Severity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how bad it is."},
    )
    onset_on = date_field("When did it start?")
    is_ongoing = forms.TypedChoiceField(
        label="Is it still going on?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": "Say whether it is still going on."},
    )
    ended_on = date_field("If not, when did it stop?", required=False)
    regimen = forms.TypedChoiceField(label="Which treatment do you suspect? (optional)", required=False, coerce=int)
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args: Any, regimens: Sequence[Regimen], today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"onset_on": today})
        super().__init__(*args, **kwargs)
        self.today = today
        self.regimens = {r.pk: r for r in regimens}
        self.fields["regimen"].choices = [  # type: ignore[attr-defined]
            ("", "Not sure"),
            *((str(r.pk), f"{r.treatment.name} (from {r.started_on:%-d %b %Y})") for r in regimens),
        ]

    def clean_onset_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["onset_on"]
        if day > self.today:
            raise ValidationError("That day hasn’t happened yet.")
        check_date(day, self.today)
        return day

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        onset, ended = cd.get("onset_on"), cd.get("ended_on")
        if cd.get("is_ongoing") is False:
            if ended is None and "ended_on" not in self.errors:
                self.add_error("ended_on", "Enter the day it stopped.")
            elif ended and onset and ended < onset:
                self.add_error("ended_on", f"It can’t stop before it started ({onset:%-d %B %Y}).")
            elif ended and ended > self.today:
                self.add_error("ended_on", "That day hasn’t happened yet.")
        cd["regimen"] = self.regimens.get(cd["regimen"]) if cd.get("regimen") else None
        return cd

    def values(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "name": cd["name"].strip(),
            "severity": cd["severity"],
            "onset_on": cd["onset_on"],
            "is_ongoing": cd["is_ongoing"],
            "ended_on": None if cd["is_ongoing"] else cd.get("ended_on"),
            "regimen": cd.get("regimen"),
            "note": cd.get("note") or "",
        }
