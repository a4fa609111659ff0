"""The treatments part of the daily check-in: today's doses, the opioid question, side effects.

Registered with ``fibrotrack.diary.checkin_sections`` in ``TreatmentsConfig.ready()``.
The diary view validates this form with its own and calls ``save`` inside
the check-in transaction, so nothing is saved unless everything is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fibrotrack.treatments import access, actions, catalogue, safety
from fibrotrack.treatments.forms import POSITIVE, amount_field
from fibrotrack.treatments.models import SEVERITY_RANK, DoseLog, OpioidAnswer, Regimen, SideEffect, SideEffectReport
from fibrotrack.treatments.queries import DueDose, due_doses

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User
    from fibrotrack.diary.models import CheckIn

DOSE_CHOICES = [("taken", _("Taken")), ("skipped", _("Skipped")), ("different", _("Different dose"))]
AS_NEEDED_CHOICES = [("taken", _("Took it")), ("none", _("Didn’t need it"))]
SEVERITY_CHOICES = [
    ("none", pgettext_lazy("no side effect", "No")),
    ("mild", _("Mild")),
    ("moderate", _("Moderate")),
    ("severe", _("Severe")),
]
TOOK = ("taken", "different")  # dose answers that mean the person took something


@dataclass
class ChecklistItem:
    key: str
    name: str
    suspect: Regimen | None
    ongoing: bool = False
    serious: bool = False  # needs a doctor at once (see catalogue.is_serious)

    @property
    def field_name(self) -> str:
        return f"se_{self.key}"

    @property
    def label(self) -> str:
        """The name in the active language (catalogue names are stored in English)."""
        return catalogue.side_effect_label(self.name)


class TreatmentCheckInForm(forms.Form):
    """Fields: ``dose_<regimen>_<slot>`` + ``amount_<regimen>_<slot>``, ``se_<key>``, ``opioid``, ``opioid_ack``."""

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        due: Sequence[DueDose],
        checklist: Sequence[ChecklistItem],
        question: safety.Finding | None,
        initial: dict[str, Any],
    ) -> None:
        super().__init__(data, initial=initial, prefix="tx")
        self.due, self.checklist, self.question = list(due), list(checklist), question
        for item in self.due:
            label = f"{item.regimen.display_name} {item.dose_text}".strip()
            self.fields[f"dose_{item.key}"] = forms.ChoiceField(
                label=label if item.as_needed else f"{label}, {item.slot.label}",  # names: the person's data
                choices=AS_NEEDED_CHOICES if item.as_needed else DOSE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the options.")},
            )
            unit = item.regimen.unit
            self.fields[f"amount_{item.key}"] = amount_field(
                _("How much did you take?") if item.as_needed else _("Dose you took instead"),
                required=False,
                help_text=(
                    gettext("In %(unit)s.") % {"unit": unit}
                    if item.as_needed
                    else gettext("In %(unit)s. Only for “Different dose”.") % {"unit": unit}
                ),
            )
        for entry in self.checklist:
            self.fields[entry.field_name] = forms.ChoiceField(
                label=entry.label,
                choices=SEVERITY_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose No, Mild, Moderate or Severe.")},
            )
        if self.checklist or self.due:
            self.fields["other_name"] = forms.CharField(
                label=_("Something else? What is it?"), required=False, max_length=80
            )
            self.fields["other_severity"] = forms.ChoiceField(
                label=_("How bad?"), choices=SEVERITY_CHOICES[1:], required=False, widget=forms.RadioSelect
            )
        if question is not None:
            self.fields["opioid"] = forms.ChoiceField(
                label=question.question,
                choices=[("no", _("No")), ("yes", _("Yes"))],
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields["opioid_ack"] = forms.BooleanField(label=question.acknowledgement, required=False)

    # Template helpers -------------------------------------------------------------

    @property
    def scheduled_doses(self) -> list[DueDose]:
        """Doses due at a set time (not "as needed"): what "All doses taken" answers."""
        return [d for d in self.due if not d.as_needed]

    def dose_rows(self) -> list[tuple[DueDose, forms.BoundField, forms.BoundField]]:
        return [(d, self[f"dose_{d.key}"], self[f"amount_{d.key}"]) for d in self.due]

    def checklist_rows(self) -> list[tuple[ChecklistItem, forms.BoundField]]:
        return [(c, self[c.field_name]) for c in self.checklist if not c.serious]

    def serious_rows(self) -> list[tuple[ChecklistItem, forms.BoundField]]:
        return [(c, self[c.field_name]) for c in self.checklist if c.serious]

    def _answer(self, name: str) -> Any:
        return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else self[name].value()

    @property
    def opioid_doses_taken(self) -> list[DueDose]:
        """Opioid doses answered as taken: each is itself a yes to the naltrexone question."""
        return [d for d in self.due if d.regimen.treatment.is_opioid and self._answer(f"dose_{d.key}") in TOOK]

    @property
    def said_yes(self) -> bool:
        if "opioid" not in self.fields:
            return False
        return self["opioid"].value() == "yes" or bool(self.opioid_doses_taken)

    @property
    def serious_answers(self) -> list[str]:
        """Names of the serious side effects answered as present today."""
        names = [c.name for c in self.checklist if c.serious and self._answer(c.field_name) in SEVERITY_RANK]
        other = catalogue.side_effect_name(self._answer("other_name") or "") if "other_name" in self.fields else ""
        if other and self._answer("other_severity") in SEVERITY_RANK and catalogue.is_serious(_key_for(other)):
            names.append(other)
        return names

    @property
    def serious_message(self) -> str:
        return safety.serious_side_effect_message([catalogue.side_effect_label(n) for n in self.serious_answers])

    @property
    def has_side_effect_answers(self) -> bool:
        return any(self[c.field_name].value() for c in self.checklist) or bool(self.errors.get("other_name"))

    # Validation ---------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        for item in self.due:
            status, amount_name = cd.get(f"dose_{item.key}"), f"amount_{item.key}"
            amount: Decimal | None = cd.get(amount_name)
            if amount is not None and amount <= 0:
                self.add_error(amount_name, POSITIVE)
            elif status == "different" and amount is None and amount_name not in self.errors:
                self.add_error(amount_name, gettext("Enter the dose you took, or choose “Taken” or “Skipped”."))
        name, severity = catalogue.side_effect_name(cd.get("other_name") or ""), cd.get("other_severity")
        if name and not severity:
            self.add_error("other_severity", gettext("Choose how bad it is."))
        elif severity and not name:
            self.add_error("other_name", gettext("Say what it is, for example “Headache”."))
        if self.question is not None:
            opioids = list(dict.fromkeys(d.regimen.treatment.name for d in self.opioid_doses_taken))
            if opioids:
                # Taking an opioid dose is itself a yes, whatever the question says.
                cd["opioid"] = "yes"
            if cd.get("opioid") == "yes" and not cd.get("opioid_ack"):
                if opioids:
                    self.add_error(
                        "opioid_ack",
                        ngettext(
                            "You marked %(names)s as taken, and it is an opioid. "
                            "Please read the warning and tick the box to confirm.",
                            "You marked %(names)s as taken, and they are opioids. "
                            "Please read the warning and tick the box to confirm.",
                            len(opioids),
                        )
                        % {"names": get_text_list(opioids, gettext("and"))},
                    )
                else:
                    self.add_error(
                        "opioid_ack",
                        gettext("Please read the warning and tick the box to confirm, or change your answer to “No”."),
                    )
        return cd

    # Saving -------------------------------------------------------------------------

    def save(self, user: User, day: dt.date) -> bool:
        """Store today's answers; returns whether anything changed."""
        cd = self.cleaned_data
        entries = []
        for item in self.due:
            status = cd.get(f"dose_{item.key}") or ""
            amount = cd.get(f"amount_{item.key}")
            if not status:
                continue
            if item.as_needed:
                if status == "none":
                    status = ""
                planned = item.dose.amount if item.dose is not None else None
                amount = amount or planned
                if status and amount is None:
                    status = DoseLog.Status.TAKEN
            elif status == DoseLog.Status.TAKEN:
                amount = item.dose.amount if item.dose is not None else None
            elif status == DoseLog.Status.SKIPPED:
                amount = None
            entries.append(actions.DoseEntry(item.regimen, item.slot.index, status, amount, item.regimen.unit))
        changed = actions.do_log_doses(user, day, entries) > 0

        answers = [
            actions.SideEffectAnswer(c.key, c.name, cd[c.field_name], c.suspect)
            for c in self.checklist
            if cd.get(c.field_name)
        ]
        name = catalogue.side_effect_name(cd.get("other_name") or "")
        if name and cd.get("other_severity"):
            answers.append(actions.SideEffectAnswer(_key_for(name), name, cd["other_severity"], None))
        changed |= actions.do_record_side_effects(user, day, answers)

        if self.question is not None and cd.get("opioid"):
            changed |= actions.do_record_opioid_answer(user, day, cd["opioid"] == "yes", self.question)
        return changed


def _key_for(name: str) -> str:
    """The catalogue key of a side effect typed in, or a slug of it."""
    return next(
        (k for k, label in catalogue.SIDE_EFFECTS.items() if label.casefold() == name.casefold()),
        actions._slug(name),
    )


def checklist_for(regimens: Sequence[Regimen], episodes: Sequence[SideEffect]) -> list[ChecklistItem]:
    """Side effects to ask about: those of the active treatments, then any other episode still going on."""
    suspects = actions.suspects_for(regimens)
    items: dict[str, ChecklistItem] = {}
    for regimen in sorted(regimens, key=lambda r: r.started_on, reverse=True):
        treatment = regimen.treatment
        serious = catalogue.serious_side_effects(treatment.key if treatment.user_id is None else None)
        for key in [*treatment.side_effects, *sorted(serious, key=list(catalogue.SIDE_EFFECTS).index)]:
            if key not in items and key in catalogue.SIDE_EFFECTS:
                items[key] = ChecklistItem(key, catalogue.SIDE_EFFECTS[key], suspects.get(key) or regimen)
            if key in serious and key in items:
                items[key].serious = True
    for episode in episodes:
        if episode.key in items:
            items[episode.key].ongoing = True
        else:
            suspect = episode.regimen.treatment if episode.regimen else None
            catalogue_key = suspect.key if suspect is not None and suspect.user_id is None else None
            items[episode.key] = ChecklistItem(
                episode.key,
                episode.name,
                episode.regimen,
                ongoing=True,
                serious=catalogue.is_serious(episode.key, catalogue_key),
            )
    for item in items.values():
        item.serious = item.serious or item.key in catalogue.ALWAYS_SERIOUS
    return list(items.values())


class TreatmentSection:
    key = "treatments"
    order = 10
    template_name = "treatments/_checkin_section.html"

    def get_form(self, user: User, day: dt.date, data: Mapping[str, Any] | None) -> TreatmentCheckInForm | None:
        # Cheap probes first: most check-ins have no treatment to ask about, and
        # the full queries (joins, prefetches) cost more than the diary's own save.
        if not access.has_treatment_on(user, day):
            return None
        regimens = list(access.active_regimens_on(user, day))
        episodes = list(access.side_effects_on(user, day).select_related("regimen"))
        if not regimens and not episodes:
            return None
        due = due_doses(regimens, day)
        checklist = checklist_for(regimens, episodes)
        questions = safety.questions([r.course() for r in regimens], day)
        question = questions[0] if questions else None

        initial: dict[str, Any] = {}
        for item in due:
            if item.status:
                initial[f"dose_{item.key}"] = item.status
                if item.status == DoseLog.Status.DIFFERENT or item.as_needed:
                    initial[f"amount_{item.key}"] = item.amount
        if checklist:
            reports = SideEffectReport.objects.filter(side_effect__user=user, day=day).select_related("side_effect")
            for report in reports:
                initial[f"se_{report.side_effect.key}"] = report.severity
        if question is not None:
            answer = OpioidAnswer.objects.filter(user=user, day=day).first()
            if answer is not None:
                initial["opioid"] = "yes" if answer.took_opioid else "no"
                initial["opioid_ack"] = answer.took_opioid
        return TreatmentCheckInForm(data, due=due, checklist=checklist, question=question, initial=initial)

    def save(self, user: User, day: dt.date, checkin: CheckIn, form: forms.Form) -> bool:
        assert isinstance(form, TreatmentCheckInForm)  # noqa: S101
        return form.save(user, day)

    def urgent_messages(self, form: forms.Form) -> list[str]:
        """Said at once after the save: a serious side effect needs a doctor now."""
        assert isinstance(form, TreatmentCheckInForm)  # noqa: S101
        return [form.serious_message] if form.serious_answers else []


SECTION = TreatmentSection()
