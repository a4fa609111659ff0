"""Trial forms. Each error is a plain sentence shown next to its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fibrotrack.trials import protocols, words
from fibrotrack.trials.actions import MAX_SECONDARY
from fibrotrack.trials.models import Assessment, Phase, unit_label

DAYS_ERRORS = {
    "min_value": _("A phase needs at least 1 day. To leave it out, remove the phase instead."),
    "max_value": _("A phase can be at most 365 days."),
    "invalid": _("Enter the number of days, like 14."),
    "required": _("Enter the number of days, like 14."),
}
DATE_ERRORS = {"invalid": _("Enter a date, like 2026-03-14."), "required": _("Choose a date.")}


def days_field(label: Any = None, initial: int | None = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label or _("Days"),
        min_value=1,
        max_value=365,
        initial=initial,
        error_messages=DAYS_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1", "max": "365"}),
    )


class _SymptomChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        """A default symptom in the active language; the person's own as they wrote it."""
        return str(obj.label)


class _SymptomChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


def _symptom_field(symptoms: Sequence[Any], label: Any, help_text: Any = "") -> forms.ModelChoiceField[Any]:
    from fibrotrack.diary.models import TrackedSymptom

    field: forms.ModelChoiceField[Any] = _SymptomChoice(
        label=label,
        queryset=TrackedSymptom.objects.filter(pk__in=[s.pk for s in symptoms]),
        empty_label=None,
        help_text=help_text,
        error_messages={"invalid_choice": _("Choose one of the symptoms you track.")},
    )
    return field


def _secondary_field(symptoms: Sequence[Any]) -> forms.ModelMultipleChoiceField[Any]:
    from fibrotrack.diary.models import TrackedSymptom

    field: forms.ModelMultipleChoiceField[Any] = _SymptomChoices(
        label=gettext("Other outcomes (up to %(count)d)") % {"count": MAX_SECONDARY},
        queryset=TrackedSymptom.objects.filter(pk__in=[s.pk for s in symptoms]),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the symptoms you track.")},
    )
    return field


def _measures_field() -> forms.MultipleChoiceField:
    from fibrotrack.trials.device_outcomes import choices

    return forms.MultipleChoiceField(
        label=gettext_lazy("Measured by your watch or phone"),
        choices=choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Imported from a device’s export (Your data → Import). They are analysed like the other outcomes; "
            "devices estimate them, so treat them as a second opinion."
        ),
    )


def _day(day: dt.date) -> str:
    return words.format_date(day, "j M Y")


def _regimen_choices(regimens: Sequence[Any]) -> list[tuple[int, str]]:
    return [
        (
            r.pk,
            gettext("%(name)s, from %(start)s to %(stop)s")
            % {"name": r.treatment.name, "start": _day(r.started_on), "stop": _day(r.stopped_on)}
            if r.stopped_on
            else gettext("%(name)s, from %(start)s") % {"name": r.treatment.name, "start": _day(r.started_on)},
        )
        for r in regimens
    ]


class NewTrialForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Which design?"),
        choices=words.TEMPLATE_CHOICES,
        widget=forms.RadioSelect,
        initial=protocols.LDN_PILOT,
        error_messages={"required": _("Choose a design."), "invalid_choice": _("Choose one of the designs.")},
    )
    title = forms.CharField(
        label=_("Name of your trial"), max_length=100, required=False, help_text=_("For example “LDN for my pain”.")
    )
    treatment_name = forms.CharField(
        label=_("What are you testing?"),
        max_length=80,
        initial="LDN 4.5 mg",
        help_text=_("In your own words, as it should appear in the result."),
    )
    regimen = forms.TypedChoiceField(
        label=_("Its entry on your Treatments page"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Needed before the trial can start, so that adherence is counted. You can add it later."),
    )
    pairs = forms.IntegerField(
        label=_("Number of pairs"),
        min_value=2,
        max_value=10,
        initial=4,
        required=False,
        help_text=_("Randomized pairs only. 5 pairs are needed for the randomization test to reach p < 0.05."),
        error_messages={"min_value": _("Use at least 2 pairs."), "max_value": _("Use at most 10 pairs.")},
    )
    period_days = forms.IntegerField(
        label=_("Days in each period"),
        min_value=1,
        max_value=90,
        initial=14,
        required=False,
        help_text=_("Randomized pairs only."),
        error_messages={"min_value": DAYS_ERRORS["min_value"], "max_value": _("Use at most 90 days per period.")},
    )
    control = forms.ChoiceField(
        label=_("Compared with"),
        choices=[("placebo", pgettext_lazy("trial phase", "Placebo")), ("comparison", _("Another treatment"))],
        initial="placebo",
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, symptoms: Sequence[Any], regimens: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["primary_outcome"] = _symptom_field(
            symptoms,
            _("Main outcome"),
            _("What should the trial answer? Usually pain. You can add up to 3 more later."),
        )
        self.fields["regimen"].choices = [("", gettext("Not yet"))] + _regimen_choices(regimens)  # type: ignore[attr-defined]
        self.regimens = {r.pk: r for r in regimens}
        self.order_fields(["template", "title", "primary_outcome", "treatment_name", "regimen"])

    def clean_regimen(self) -> Any:
        pk = self.cleaned_data.get("regimen")
        if pk is None:
            return None
        if pk not in self.regimens:
            raise ValidationError(_("Choose one of your treatments."))
        return self.regimens[pk]

    def build_template(self) -> protocols.Template:
        cd = self.cleaned_data
        if cd["template"] == protocols.PAIRS:
            return protocols.pairs(
                k=cd.get("pairs") or 4, n=cd.get("period_days") or 14, control=cd.get("control") or "placebo"
            )
        return protocols.get(cd["template"])


def _too_many() -> str:
    return gettext("Choose at most %(count)d other outcomes, so the result stays readable.") % {"count": MAX_SECONDARY}


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Name of your trial"), max_length=100)
    treatment_name = forms.CharField(label=_("What are you testing?"), max_length=80)
    control_name = forms.CharField(
        label=_("Name of the comparison treatment"),
        max_length=80,
        required=False,
        help_text=_("Only for designs that compare two treatments."),
    )
    threshold_pct = forms.IntegerField(
        label=_("Worth it if it improves by at least (%)"),
        min_value=5,
        max_value=90,
        error_messages={
            "min_value": _("Use at least 5%."),
            "max_value": _("Use at most 90%."),
            "invalid": _("Enter a whole number, like 30."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    blinded = forms.BooleanField(
        label=_("Blinded: someone else (the custodian) knows which bottle holds the active treatment"), required=False
    )
    endpoint_last_days = forms.BooleanField(
        label=_("Use the mean of the final 3 days of each condition as the main result (for slow-acting treatments)"),
        required=False,
    )
    weather_covariate = forms.BooleanField(
        label=_("Allow for the weather: take each day's change in air pressure into account"),
        help_text=_(
            "So that a stormy fortnight is not mistaken for the treatment working or failing. "
            "Needs weather turned on in Settings. Decide now: it is part of the plan you register."
        ),
        required=False,
    )
    assessment_every_days = forms.IntegerField(
        label=_("Lab or clinic assessments every … days (0 = none)"),
        min_value=0,
        max_value=90,
        error_messages={"min_value": _("Use 0 for none."), "max_value": _("Use at most 90 days.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, symptoms: Sequence[Any], kinds: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["threshold_pct"].help_text = gettext(
            "%(pct)d%% is the usual threshold for a moderately important change in chronic pain (IMMPACT)."
        ) % {"pct": 30}
        self.fields["primary_outcome"] = _symptom_field(symptoms, _("Main outcome"))
        self.fields["secondary_outcomes"] = _secondary_field(symptoms)
        self.fields["secondary_measures"] = _measures_field()
        self.fields["comparisons"] = forms.MultipleChoiceField(
            label=_("Comparisons (the first one ticked is the main one)"),
            choices=[
                (
                    f"{r}:{t}",
                    gettext("%(treatment)s vs %(reference)s")
                    % {"treatment": words.kind_name(t), "reference": words.kind_in_sentence(r)},
                )
                for r, t in protocols.possible_comparisons(kinds)
            ],
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Choose at least one comparison."),
                "invalid_choice": _("Choose from the list."),
            },
        )
        self.order_fields(
            [
                "title",
                "treatment_name",
                "control_name",
                "primary_outcome",
                "secondary_outcomes",
                "secondary_measures",
                "comparisons",
                "threshold_pct",
            ]
        )

    def clean_secondary_outcomes(self) -> Any:
        chosen = self.cleaned_data["secondary_outcomes"]
        if len(chosen) > MAX_SECONDARY + 1:
            raise ValidationError(_too_many())
        return chosen

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        primary, secondary = cd.get("primary_outcome"), cd.get("secondary_outcomes")
        if primary is not None and secondary is not None:
            others = [s for s in secondary if s.pk != primary.pk]
            if len(others) > MAX_SECONDARY:
                self.add_error(
                    "secondary_outcomes",
                    _too_many(),
                )
            cd["secondary_outcomes"] = others
        return cd

    def comparison_pairs(self) -> list[tuple[str, str]]:
        chosen = self.cleaned_data.get("comparisons") or []
        order = [c for c, _ in self.fields["comparisons"].choices]  # type: ignore[attr-defined]
        pairs = [c.split(":", 1) for c in sorted(chosen, key=order.index)]
        return [(a, b) for a, b in pairs]


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=words.KIND_CHOICES)
    days = days_field()
    counts_in_analysis = forms.BooleanField(label=_("Counts in the analysis"), required=False)
    blinded = forms.BooleanField(label=_("Blinded (taken from a lettered bottle)"), required=False)

    def __init__(self, *args: Any, regimens: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regimen_map = {r.pk: r for r in regimens}
        self.fields["regimens"] = forms.TypedMultipleChoiceField(
            label=_("Treatment entries in force"),
            choices=_regimen_choices(regimens),
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _("Choose from your treatments.")},
        )

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        cd["regimens"] = [self.regimen_map[pk] for pk in cd.get("regimens") or [] if pk in self.regimen_map]
        return cd


def phase_forms(phases: Sequence[Phase], regimens: Sequence[Any], data: Any = None) -> list[tuple[Phase, PhaseForm]]:
    return [
        (
            p,
            PhaseForm(
                data,
                prefix=f"p{p.pk}",
                regimens=regimens,
                initial={
                    "kind": p.kind,
                    "days": p.days,
                    "counts_in_analysis": p.counts_in_analysis,
                    "blinded": p.blinded,
                    "regimens": [r.pk for r in p.regimens.all()],
                },
            ),
        )
        for p in phases
    ]


class AddPhaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of phase"), choices=words.KIND_CHOICES)
    days = days_field(initial=14)


class StartForm(forms.Form):
    start_date = forms.DateField(
        label=_("First day of the trial"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
        help_text=_("Day 1 is a diary day: it starts at your usual turnover hour."),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["start_date"].widget.attrs["min"] = today.isoformat()

    def clean_start_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["start_date"]
        if day < self.today:
            raise ValidationError("A trial cannot start in the past. Choose today or a later day.")
        if day > self.today + dt.timedelta(days=365):
            raise ValidationError(_("Choose a day within the next year."))
        return day


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Custodian’s e-mail address"),
        help_text=_("A pharmacist, clinician or someone you trust. They need their own FibroTrack account."),
        error_messages={
            "invalid": _("Enter an e-mail address, like name@example.org."),
            "required": _("Enter their e-mail address."),
        },
    )


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the plan changing?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Shown with the date in the result, next to the original plan."),
        error_messages={"required": _("Say why the plan is changing: it is shown with the result.")},
    )
    threshold_pct = forms.IntegerField(
        label=_("Worth it if it improves by at least (%)"),
        min_value=5,
        max_value=90,
        error_messages={"min_value": _("Use at least 5%."), "max_value": _("Use at most 90%.")},
    )

    def __init__(self, *args: Any, symptoms: Sequence[Any], phases: Sequence[Phase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["primary_outcome"] = _symptom_field(symptoms, _("Main outcome"))
        self.fields["secondary_outcomes"] = _secondary_field(symptoms)
        self.fields["secondary_measures"] = _measures_field()
        self.phases = list(phases)
        for p in self.phases:
            self.fields[f"days_{p.pk}"] = days_field(gettext("Phase %(number)d days") % {"number": p.position})

    def phase_fields(self) -> list[tuple[Phase, forms.BoundField]]:
        return [(p, self[f"days_{p.pk}"]) for p in self.phases]


class UnblindForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("Needed for an emergency unblinding; it is shown with the result."),
    )
    confirm = forms.BooleanField(
        label=_("I understand this reveals which bottle held what, and cannot be undone"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class StopForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you stopping?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={
            "required": _("Say why you are stopping: the result explains what the shorter trial can show.")
        },
    )
    confirm = forms.BooleanField(
        label=_("Stop the trial today. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class AssessmentForm(forms.Form):
    measured_on = forms.DateField(
        label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERRORS
    )
    kind = forms.ChoiceField(
        label=_("Test"),
        choices=Assessment.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the test.")},
    )
    value = forms.DecimalField(
        label=_("Result"),
        max_digits=7,
        decimal_places=2,
        help_text=_("Pressure in kPa, heat and cold thresholds in °C, cold-pressor time in seconds."),
        error_messages={"invalid": _("Enter a number, like 250 or 44.5."), "required": _("Enter the result.")},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    at_cap = forms.BooleanField(
        label=_("The test was stopped at its time limit (cold pressor only): the true tolerance is longer"),
        required=False,
    )
    cap = forms.DecimalField(
        label=_("Time limit (seconds)"),
        max_digits=7,
        decimal_places=2,
        required=False,
        help_text=_("Often 180 seconds. A result equal to the limit is stored as “at least” that long."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    site = forms.CharField(
        label=_("Body site (optional)"), max_length=60, required=False, help_text=_("For example “right trapezius”.")
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        kind, value, cap = cd.get("kind"), cd.get("value"), cd.get("cap")
        if cd.get("at_cap") and kind and kind != Assessment.Kind.COLD_PRESSOR:
            self.add_error("at_cap", _("Only the cold-pressor test has a time limit."))
        if kind and value is not None:
            low, high = Assessment.RANGES[kind]
            if not Decimal(low) <= value <= Decimal(high):
                self.add_error(
                    "value",
                    gettext("For this test the result should be between %(low)s and %(high)s %(unit)s.")
                    % {"low": low, "high": high, "unit": unit_label(kind)},
                )
        if cd.get("at_cap") and cap is not None and value is not None and value != cap:
            self.add_error(
                "cap", _("At the limit, the result is the limit itself: make them the same or leave the limit empty.")
            )
        elif kind == Assessment.Kind.COLD_PRESSOR and cap is not None and value is not None and value > cap:
            self.add_error("value", _("The time cannot be longer than the test’s limit."))
        return cd
