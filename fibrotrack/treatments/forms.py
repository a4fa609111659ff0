"""Treatment forms. Each error is a plain sentence shown next to its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fibrotrack.accounts.models import User
from fibrotrack.treatments import access, catalogue, safety, titration
from fibrotrack.treatments.actions import RegimenData
from fibrotrack.treatments.models import DoseChange, Regimen, SideEffect, Treatment
from fibrotrack.treatments.schedule import KIND_LABELS, WEEKDAYS, Kind, parse_times

EARLIEST = dt.date(1990, 1, 1)
MAX_AHEAD = dt.timedelta(days=365)
UNIT_ERRORS = {"invalid_choice": _("“%(value)s” is not a unit we know. Choose one from the list.")}
POSITIVE = _("The dose must be more than 0.")
AMOUNT_ERRORS = {
    "invalid": _("Enter the dose as a number, like 4.5."),
    "max_digits": _("That dose is too large. Check the number and the unit."),
    "max_decimal_places": _("Use at most 3 decimal places, like 0.125."),
    "max_whole_digits": _("That dose is too large. Check the number and the unit."),
}
DATE_ERRORS = {"invalid": _("Enter a date, like 2026-03-14.")}
FLAG_CHOICES = [
    ("opioid", _("It is an opioid painkiller (like codeine or tramadol)")),
    ("opioid_antagonist", _("It blocks opioids (like naltrexone)")),
    ("serotonergic", _("It raises serotonin (like antidepressants or 5-HTP)")),
    ("sedative", _("It makes you drowsy (like sleeping tablets or benzodiazepines)")),
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


def long_date(day: dt.date) -> str:
    """ "14 March 2026" with the month's name in the active language."""
    return formats.date_format(day, "j F Y")


def short_date(day: dt.date) -> str:
    return formats.date_format(day, "j M Y")


def date_field(label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={**DATE_ERRORS, "required": _("Enter a date.")},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def check_date(day: dt.date | None, today: dt.date) -> dt.date | None:
    if day is None:
        return None
    if day < EARLIEST:
        raise ValidationError(gettext("Pick a date after %(day)s.") % {"day": long_date(EARLIEST)})
    if day > today + MAX_AHEAD:
        raise ValidationError(gettext("Pick a date within the next year."))
    return day


def treatment_choices(treatments: Sequence[Treatment]) -> list[Any]:
    """Grouped by category, the person's own first, for a <select> with <optgroup>s."""
    groups: list[Any] = [("", gettext("Choose a treatment…"))]
    own = [(str(t.pk), t.label) for t in treatments if t.is_custom]
    if own:
        groups.append((gettext("Your own"), own))
    for code, title in catalogue.CATEGORIES:
        # Sorted by the name people read, which in Spanish or German is not the English order.
        items = sorted(
            ((str(t.pk), t.label) for t in treatments if not t.is_custom and t.category == code),
            key=lambda item: item[1].casefold(),
        )
        if items:
            groups.append((title, items))
    return groups


def _plan_choice(template: titration.PlanTemplate) -> str:
    return gettext("%(name)s: %(description)s") % {"name": template.name_text, "description": template.description_text}


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Dose or pause"),
        choices=[
            ("dose", pgettext_lazy("a step of a plan", "Dose")),
            ("pause", pgettext_lazy("a step of a plan", "Pause")),
        ],
        initial="dose",
        required=False,
    )
    amount = amount_field(pgettext_lazy("amount of medicine", "Dose"), required=False)
    days = forms.IntegerField(
        label=_("For how many days"),
        required=False,
        min_value=1,
        max_value=730,
        error_messages={
            "invalid": _("Enter a whole number of days."),
            "min_value": _("A step lasts at least 1 day."),
            "max_value": _("A step can last up to 730 days."),
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
            self.add_error("days", gettext("This step has no duration. Enter the number of days."))
        if cd.get("kind") == "pause":
            if cd.get("amount") is not None:
                self.add_error("amount", gettext("A pause has no dose. Clear the dose, or choose “Dose”."))
        elif cd.get("amount") is None:
            self.add_error("amount", gettext("Enter this step’s dose, or choose “Pause”."))
        elif cd["amount"] <= 0:
            self.add_error("amount", POSITIVE)
        return cd

    def step(self) -> titration.Step:
        cd = self.cleaned_data
        return titration.Step(None if cd["kind"] == "pause" else cd["amount"], cd["days"])


StepFormSet = forms.formset_factory(StepForm, extra=8, max_num=12, absolute_max=12)


class RegimenForm(forms.Form):
    treatment = forms.ChoiceField(
        label=_("Treatment"),
        error_messages={
            "required": _("Choose a treatment from the list, or add your own."),
            "invalid_choice": _("Choose a treatment from the list, or add your own."),
        },
    )
    amount = amount_field(
        _("Dose each time"), required=False, help_text=_("For example 300. With a titration plan, leave it empty.")
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=catalogue.UNITS, error_messages=UNIT_ERRORS)
    form = forms.ChoiceField(label=_("Form (optional)"), choices=[("", "—"), *catalogue.FORMS], required=False)
    schedule = forms.ChoiceField(
        label=_("How often"),
        choices=list(KIND_LABELS.items()),
        initial=Kind.DAILY,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often."), "invalid_choice": _("Choose one of the options.")},
    )
    times = forms.CharField(
        label=_("At what times?"),
        required=False,
        max_length=80,
        help_text=_("For “Daily, at set times”: for example 08:00 or 08:00, 20:00."),
    )
    doses_per_day = forms.IntegerField(
        label=_("How many times a day?"),
        required=False,
        min_value=2,
        max_value=12,
        help_text=_("For “Several times a day”."),
        error_messages={
            "min_value": _("Several means at least 2. For once a day, choose “Daily”."),
            "max_value": _("Up to 12 times a day."),
            "invalid": _("Enter a whole number, like 3."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "2", "max": "12"}),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On which days?"),
        required=False,
        coerce=int,
        choices=[(str(i), name) for i, name in enumerate(WEEKDAYS)],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For “Weekly sessions”."),
    )
    started_on = date_field(_("Start date"))
    stopped_on = date_field(
        _("Stop date (optional)"), required=False, help_text=_("Only for something you no longer take: the last day.")
    )
    stop_reason = forms.ChoiceField(
        label=_("Why did you stop? (optional)"), choices=[("", "—"), *Regimen.StopReason.choices], required=False
    )
    plan = forms.ChoiceField(
        label=_("Titration plan"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", _("No plan: the same dose every time")),
            *((t.key, lazy(_plan_choice, str)(t)) for t in titration.TEMPLATES.values()),
            (titration.CUSTOM, _("Custom plan: my own list of steps")),
        ],
        error_messages={"invalid_choice": _("Choose one of the plans.")},
    )
    prescriber = forms.CharField(label=_("Prescriber (optional)"), required=False, max_length=100)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )
    acknowledge = forms.BooleanField(
        required=False, label=_("I have read this warning and I will talk to my prescriber.")
    )

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
            self.add_error("times", gettext("Add at least one time, like 08:00."))
        if kind == Kind.SEVERAL and cd.get("doses_per_day") is None and "doses_per_day" not in self.errors:
            self.add_error("doses_per_day", gettext("Enter how many times a day, like 3."))
        if kind == Kind.WEEKLY and not cd.get("weekdays"):
            self.add_error("weekdays", gettext("Pick at least one day of the week."))

        start, stop = cd.get("started_on"), cd.get("stopped_on")
        if start and stop and stop < start:
            self.add_error(
                "stopped_on",
                gettext("The stop date can’t be before the start date (%(day)s). Check both dates.")
                % {"day": long_date(start)},
            )
        if stop and not cd.get("stop_reason"):
            self.add_error("stop_reason", gettext("Choose why you stopped (or “Other”)."))

        self._clean_plan(cd, treatment, plan, kind)
        if not plan and "amount" in cd and cd["amount"] is None and "amount" not in self.errors:
            self.add_error("amount", gettext("Enter the dose, for example 300. (Or choose a titration plan below.)"))

        if treatment and start and not self.has_error("stopped_on"):
            try:
                access.check_no_duplicate(self.user, treatment, start, stop)
            except ValidationError as error:
                self.add_error("treatment", error)
        if treatment and start:
            new = safety.Course(treatment.display_name, treatment.flags, start, stop)
            self.findings = safety.check_new(new, [r.course() for r in self.others])
            if self.blocking_findings and not cd.get("acknowledge"):
                self.add_error(
                    "acknowledge",
                    gettext(
                        "Please read the safety warning above and tick the box to confirm, or choose another treatment."
                    ),
                )
        return cd

    def _clean_plan(self, cd: dict[str, Any], treatment: Treatment | None, plan: str, kind: str | None) -> None:
        cd["plan_steps"] = ()
        if not plan:
            return
        if kind == Kind.AS_NEEDED:
            self.add_error("plan", gettext("A titration plan needs a regular schedule. Choose “Daily” or “Nightly”."))
            return
        template = titration.TEMPLATES.get(plan)
        if template is not None:
            if treatment is not None and template.antagonist_only and not treatment.is_opioid_antagonist:
                self.add_error(
                    "plan",
                    gettext("The %(plan)s plan is for naltrexone. For %(treatment)s, use a custom plan.")
                    % {"plan": template.name_text, "treatment": treatment.display_name},
                )
            if cd.get("unit") and cd["unit"] != template.unit:
                self.add_error(
                    "unit",
                    gettext("The %(plan)s plan is in %(unit)s. Choose %(unit)s.")
                    % {"plan": template.name_text, "unit": catalogue.unit_label(template.unit)},
                )
            cd["plan_steps"] = template.steps
            return
        if not self.steps.is_valid():
            self.add_error("plan", gettext("Some steps of your plan need another look. They are marked below."))
            return
        steps = [f.step() for f in self.steps.forms if f.has_changed() and not f.is_blank()]
        if not steps:
            self.add_error("plan", gettext("Add at least one step to your custom plan: a dose and for how many days."))
        elif steps[-1].is_pause:
            self.add_error(
                "plan", gettext("The last step must be a dose, not a pause: after the plan ends, it carries on.")
            )
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
    effective_on = date_field(_("From which day?"))
    amount = amount_field(_("New dose"))
    unit = forms.ChoiceField(label=_("Unit"), choices=catalogue.UNITS, error_messages=UNIT_ERRORS)
    reason = forms.ChoiceField(
        label=_("Why?"),
        choices=[c for c in DoseChange.Reason.choices if c[0] != DoseChange.Reason.STARTED],
        initial=DoseChange.Reason.PRESCRIBER,
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )

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
                gettext("The treatment started on %(day)s. Pick that day or later.")
                % {"day": long_date(self.regimen.started_on)}
            )
        if self.regimen.stopped_on and day > self.regimen.stopped_on:
            raise ValidationError(
                gettext("The treatment stopped on %(day)s. Pick a day before.")
                % {"day": long_date(self.regimen.stopped_on)}
            )
        return day


class StopForm(forms.Form):
    stopped_on = date_field(_("Last day you took it"))
    reason = forms.ChoiceField(
        label=_("Why did you stop?"),
        choices=[("", "—"), *Regimen.StopReason.choices],
        error_messages={"required": _("Choose why you stopped (or “Other”).")},
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, regimen: Regimen, today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"stopped_on": today})
        super().__init__(*args, **kwargs)
        self.regimen, self.today = regimen, today

    def clean_stopped_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["stopped_on"]
        check_date(day, self.today)
        if day < self.regimen.started_on:
            raise ValidationError(
                gettext("The stop date can’t be before the start date (%(day)s).")
                % {"day": long_date(self.regimen.started_on)}
            )
        return day


class RegimenEditForm(forms.ModelForm[Regimen]):
    class Meta:
        model = Regimen
        fields = ("form", "prescriber", "note")
        labels = {"form": _("Form (optional)"), "prescriber": _("Prescriber (optional)"), "note": _("Note (optional)")}
        widgets = {"note": forms.Textarea({"rows": 3})}


class CustomTreatmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    category = forms.ChoiceField(label=_("Kind of treatment"), choices=catalogue.CATEGORIES, widget=forms.RadioSelect)
    unit = forms.ChoiceField(label=_("Usual unit"), choices=catalogue.UNITS, error_messages=UNIT_ERRORS)
    flags = forms.MultipleChoiceField(
        label=_("Does any of these apply? (used for safety warnings)"),
        choices=FLAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("If you are not sure, ask your pharmacist."),
    )

    def __init__(self, *args: Any, treatments: Sequence[Treatment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.treatments = list(treatments)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(gettext("Give the treatment a name."))
        wanted = name.casefold()
        for t in self.treatments:
            names = [t.name, *t.aliases, t.display_name, *(catalogue.alias_label(a) for a in t.aliases)]
            if any(n.casefold() == wanted for n in names):
                if t.is_custom:
                    raise ValidationError(
                        gettext("You already added “%(name)s”. Choose it from the list.") % {"name": t.name}
                    )
                raise ValidationError(
                    gettext(
                        "“%(name)s” is already in the list, as %(listed)s. Choose it there, so that the safety checks work."
                    )
                    % {"name": name, "listed": t.display_name}
                )
        return name


class SideEffectForm(forms.Form):
    name = forms.CharField(
        label=_("What is it?"),
        max_length=80,
        widget=forms.TextInput(attrs={"list": "side-effect-names", "autocomplete": "off"}),
        error_messages={"required": _("Say what the side effect is, for example “Headache”.")},
    )
    severity = forms.ChoiceField(
        label=_("How bad?"),
        choices=SideEffect.Severity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how bad it is.")},
    )
    onset_on = date_field(_("When did it start?"))
    is_ongoing = forms.TypedChoiceField(
        label=_("Is it still going on?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": _("Say whether it is still going on.")},
    )
    ended_on = date_field(_("If not, when did it stop?"), required=False)
    regimen = forms.TypedChoiceField(label=_("Which treatment do you suspect? (optional)"), required=False, coerce=int)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, regimens: Sequence[Regimen], today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"onset_on": today})
        super().__init__(*args, **kwargs)
        self.today = today
        self.regimens = {r.pk: r for r in regimens}
        self.fields["regimen"].choices = [  # type: ignore[attr-defined]
            ("", gettext("Not sure")),
            *(
                (
                    str(r.pk),
                    gettext("%(name)s (from %(day)s)") % {"name": r.display_name, "day": short_date(r.started_on)},
                )
                for r in regimens
            ),
        ]

    def clean_onset_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["onset_on"]
        if day > self.today:
            raise ValidationError(gettext("That day hasn’t happened yet."))
        check_date(day, self.today)
        return day

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        onset, ended = cd.get("onset_on"), cd.get("ended_on")
        if cd.get("is_ongoing") is False:
            if ended is None and "ended_on" not in self.errors:
                self.add_error("ended_on", gettext("Enter the day it stopped."))
            elif ended and onset and ended < onset:
                self.add_error(
                    "ended_on", gettext("It can’t stop before it started (%(day)s).") % {"day": long_date(onset)}
                )
            elif ended and ended > self.today:
                self.add_error("ended_on", gettext("That day hasn’t happened yet."))
        cd["regimen"] = self.regimens.get(cd["regimen"]) if cd.get("regimen") else None
        return cd

    def values(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "name": catalogue.side_effect_name(cd["name"]),
            "severity": cd["severity"],
            "onset_on": cd["onset_on"],
            "is_ongoing": cd["is_ongoing"],
            "ended_on": None if cd["is_ongoing"] else cd.get("ended_on"),
            "regimen": cd.get("regimen"),
            "note": cd.get("note") or "",
        }
