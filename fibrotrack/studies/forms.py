"""Study forms. Labels in plain words; each error is a sentence shown next to its field.

Topics add theirs here or in a module of their own when this grows.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fibrotrack.diary import regions
from fibrotrack.studies import designs, plain, screener
from fibrotrack.studies.actions.protocol import with_fields
from fibrotrack.studies.actions.staff import INVITABLE
from fibrotrack.studies.designs import Eligibility, Protocol
from fibrotrack.studies.models import AdverseEvent, ConsentVersion

YES_NO = [("1", _("Yes")), ("0", _("No"))]
# The ACR 2016 severity scale, worded as in the diary's weekly questionnaire (``diary.forms.AcrForm``).
SEVERITY = [
    ("0", _("0 — no problem")),
    ("1", _("1 — slight or mild, generally mild or intermittent")),
    ("2", _("2 — moderate, considerable problems, often present")),
    ("3", _("3 — severe, pervasive, continuous, life-disturbing")),
]


def _yes_no(label: Any, help_text: Any = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, help_text=help_text, choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect
    )


TEMPLATE_CHOICES = [
    (designs.CROSSOVER_2013, _("Randomised double-blind crossover of LDN and placebo (Younger et al. 2013)")),
    (designs.PILOT_2009, _("Single-blind pilot: baseline, placebo, LDN, washout (Younger & Mackey 2009)")),
    (designs.SINGLE_DOSE_2009, _("Single dose of naltrexone against placebo, with healthy controls (2009)")),
    (designs.NOF1_SERIES, _("A series of N-of-1 trials, pooled")),
    (designs.CUSTOM, _("A custom two-period crossover to adapt")),
]


class NewStudyForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Design to start from"),
        choices=TEMPLATE_CHOICES,
        widget=forms.RadioSelect,
        initial=designs.CROSSOVER_2013,
    )
    title = forms.CharField(label=_("Title of the study"), max_length=200, required=False)
    short_code = forms.SlugField(
        label=_("Short code"),
        max_length=12,
        help_text=_("Letters and digits, printed on bottle labels and in participant codes (e.g. LDNX)."),
    )


class ProtocolForm(forms.Form):
    """The parts of a protocol a research team changes; the design's contrasts stay as the template set them."""

    primary_outcome = forms.ChoiceField(label=_("Main outcome (from the daily diary)"))
    secondary_outcomes = forms.MultipleChoiceField(
        label=_("Other outcomes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    responder_threshold_pct = forms.IntegerField(
        label=_("A responder improves by at least (%)"), min_value=5, max_value=90
    )
    blinding = forms.ChoiceField(label=_("Blinding"), choices=list(designs.BLINDING.items()))
    stratify_by = forms.ChoiceField(label=_("Randomise within"), choices=list(designs.STRATA.items()), required=False)
    block_sizes = forms.CharField(
        label=_("Block sizes"), max_length=40, help_text=_("Separated by commas, e.g. 2, 4. Drawn at random.")
    )
    min_age = forms.IntegerField(label=_("Youngest age"), min_value=0, max_value=120)
    max_age = forms.IntegerField(
        label=_("Oldest age (leave empty for no limit)"), min_value=0, max_value=120, required=False
    )
    women_only = forms.BooleanField(label=_("Women only"), required=False)
    requires_acr_2016 = forms.BooleanField(label=_("Must meet the 2016 ACR fibromyalgia criteria"), required=False)
    excludes_opioids = forms.BooleanField(
        label=_("Current opioid use excludes (naltrexone blocks opioid painkillers)"), required=False
    )
    exclusion_questions = forms.CharField(
        label=_("Further exclusion questions"),
        help_text=_("One yes/no question a line; answering yes excludes. E.g. Are you pregnant or breastfeeding?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    target_enrolment = forms.IntegerField(label=_("Target enrolment"), min_value=1, max_value=100_000)

    def __init__(self, *args: Any, protocol: Protocol, amend: bool = False, **kwargs: Any) -> None:
        rules = protocol.eligibility
        initial = {
            "primary_outcome": protocol.primary_outcome,
            "secondary_outcomes": list(protocol.secondary_outcomes),
            "responder_threshold_pct": protocol.responder_threshold_pct,
            "blinding": protocol.blinding,
            "stratify_by": protocol.stratify_by,
            "block_sizes": ", ".join(str(b) for b in protocol.block_sizes),
            "min_age": rules.min_age,
            "max_age": rules.max_age,
            "women_only": rules.women_only,
            "requires_acr_2016": rules.requires_acr_2016,
            "excludes_opioids": rules.excludes_opioids,
            "exclusion_questions": "\n".join(rules.exclusion_questions),
            **{f"days_{c.key}": c.days for c in protocol.conditions},
            **kwargs.pop("initial", {}),
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.protocol = protocol
        outcomes = [(key, plain.outcome_label(key)) for key in plain.OUTCOME_KEYS]
        self.fields["primary_outcome"].choices = outcomes  # type: ignore[attr-defined]
        self.fields["secondary_outcomes"].choices = outcomes  # type: ignore[attr-defined]
        self.condition_fields = []
        for c in protocol.conditions:
            name = f"days_{c.key}"
            self.fields[name] = forms.IntegerField(
                label=_("%(condition)s: days") % {"condition": plain.label(c.label)}, min_value=1, max_value=365
            )
            self.condition_fields.append(name)
        if amend:
            self.fields["reason"] = forms.CharField(
                label=_("Why does the protocol change?"),
                help_text=_("Registered with the amendment and shown with the results."),
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=2000,
            )

    def clean_block_sizes(self) -> tuple[int, ...]:
        text = self.cleaned_data["block_sizes"]
        try:
            sizes = tuple(int(part) for part in text.replace(";", ",").split(",") if part.strip())
        except ValueError:
            raise ValidationError(_("Write whole numbers separated by commas, e.g. 2, 4.")) from None
        if not sizes or any(not 1 <= s <= 48 for s in sizes):
            raise ValidationError(_("Each block size is between 1 and 48."))
        return sizes

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        low, high = cd.get("min_age"), cd.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", _("The oldest age is below the youngest."))
        return cd

    def build(self) -> Protocol:
        cd = self.cleaned_data
        conditions = tuple(dataclasses.replace(c, days=cd[f"days_{c.key}"]) for c in self.protocol.conditions)
        questions = tuple(line.strip() for line in cd["exclusion_questions"].splitlines() if line.strip())
        return with_fields(
            self.protocol,
            conditions=conditions,
            primary_outcome=cd["primary_outcome"],
            secondary_outcomes=tuple(k for k in cd["secondary_outcomes"] if k != cd["primary_outcome"]),
            responder_threshold_pct=cd["responder_threshold_pct"],
            blinding=cd["blinding"],
            stratify_by=cd.get("stratify_by") or "",
            block_sizes=cd["block_sizes"],
            eligibility=Eligibility(
                min_age=cd["min_age"],
                max_age=cd.get("max_age"),
                women_only=cd["women_only"],
                requires_acr_2016=cd["requires_acr_2016"],
                excludes_opioids=cd["excludes_opioids"],
                exclusion_questions=questions,
            ),
        )


class ConsentDraftForm(forms.Form):
    text = forms.CharField(
        label=_("Consent text"),
        help_text=_("Markdown: **bold**, lists, headings and links. Shown to participants before they sign."),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=50_000,
    )
    shares = forms.MultipleChoiceField(
        label=_("What the study asks participants to share"),
        choices=ConsentVersion.SHARE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )


class SignForm(forms.Form):
    shares = forms.MultipleChoiceField(
        label=_("What I agree to share with the study"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what you tick is shared, only for the study's dates. You can withdraw at any time."),
    )
    agree = forms.BooleanField(label=_("I have read the information above and agree to take part."))
    typed_name = forms.CharField(label=_("Type your full name to sign"), max_length=200)

    def __init__(self, *args: Any, version: ConsentVersion, **kwargs: Any) -> None:
        # Nothing is ticked in advance: consent to share is given by ticking, never by not unticking.
        super().__init__(*args, **kwargs)
        self.fields["shares"].choices = [  # type: ignore[attr-defined]
            (key, label) for key, label in ConsentVersion.SHARE_CHOICES if key in version.shares
        ]

    def clean_typed_name(self) -> str:
        name: str = self.cleaned_data["typed_name"].strip()
        if len(name) < 2:
            raise ValidationError(_("Type your name to sign."))
        return name


class CodeEntryForm(forms.Form):
    code = forms.CharField(
        label=_("Your invitation code"),
        max_length=40,
        help_text=_("It looks like 7K3M-Q9TX-2HBD. Capital letters and dashes do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class CodeForm(forms.Form):
    PERSONAL, LINK = "personal", "link"
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(PERSONAL, _("A personal code, for one person")), (LINK, _("A link many people can use"))],
        widget=forms.RadioSelect,
        initial=PERSONAL,
    )
    max_uses = forms.IntegerField(
        label=_("How many people may use the link"), min_value=2, max_value=10_000, required=False, initial=20
    )
    days_valid = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=30)
    label = forms.CharField(label=_("Note for the team (where it was given out)"), max_length=100, required=False)
    site = forms.CharField(
        label=_("Site"), max_length=60, required=False, help_text=_("Used when the protocol randomises within sites.")
    )

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        if cd.get("kind") == self.LINK and not cd.get("max_uses"):
            self.add_error("max_uses", _("Say how many people may use the link."))
        return cd

    def uses(self) -> int:
        cd = self.cleaned_data
        return 1 if cd["kind"] == self.PERSONAL else int(cd["max_uses"])


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("Their e-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=[], widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from fibrotrack.studies import roles

        self.fields["role"].choices = [(k, v) for k, v in roles.CHOICES if k in INVITABLE]  # type: ignore[attr-defined]


class ScreenerForm(forms.Form):
    age = forms.IntegerField(label=_("How old are you?"), min_value=0, max_value=120)
    # The ACR 2016 questionnaire, as in the diary's weekly one; scored by ``diary.acr2016``.
    regions = forms.MultipleChoiceField(
        label=_("In the past week, where have you had pain or tenderness?"),
        choices=regions.MAP_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fatigue = forms.TypedChoiceField(
        label=_("Fatigue"), choices=SEVERITY, coerce=int, widget=forms.RadioSelect, required=False
    )
    unrefreshed = forms.TypedChoiceField(
        label=_("Waking unrefreshed"), choices=SEVERITY, coerce=int, widget=forms.RadioSelect, required=False
    )
    cognitive = forms.TypedChoiceField(
        label=_("Cognitive symptoms (trouble thinking or remembering)"),
        choices=SEVERITY,
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
    )
    headache = forms.BooleanField(label=_("Headaches"), required=False)
    abdominal = forms.BooleanField(label=_("Pain or cramps in the lower abdomen"), required=False)
    depression = forms.BooleanField(label=_("Depression"), required=False)
    three_months = forms.TypedChoiceField(
        label=_("Have these symptoms been at a similar level for at least 3 months?"),
        choices=YES_NO,
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        required=False,
    )
    ACR_FIELDS = (
        "regions",
        "fatigue",
        "unrefreshed",
        "cognitive",
        "headache",
        "abdominal",
        "depression",
        "three_months",
    )
    ACR_REQUIRED = ("fatigue", "unrefreshed", "cognitive", "three_months")

    def __init__(self, *args: Any, protocol: Protocol, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.protocol = protocol
        rules = protocol.eligibility
        if protocol.groups:
            self.fields["group"] = forms.ChoiceField(
                label=_("Which group are you joining?"),
                choices=[(g, screener.group_label(g)) for g in protocol.groups],
                widget=forms.RadioSelect,
            )
        if rules.women_only:
            self.fields["is_woman"] = _yes_no(
                _("Are you a woman?"), _("This study takes women only, as the published study it repeats did.")
            )
        if rules.excludes_opioids:
            self.fields["takes_opioids"] = _yes_no(
                _("Do you take an opioid painkiller now?"),
                _(
                    "For example codeine, tramadol, oxycodone, morphine or fentanyl patches. Naltrexone blocks "
                    "opioids, so they would stop working."
                ),
            )
        self.exclusion_fields = []
        for i, question in enumerate(rules.exclusion_questions):
            self.fields[f"exclusion_{i}"] = _yes_no(question)
            self.exclusion_fields.append(f"exclusion_{i}")
        self.asks_acr = rules.requires_acr_2016
        if not self.asks_acr:
            for name in self.ACR_FIELDS:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        if self.asks_acr and screener.needs_acr(self.protocol, cd.get("group", "")):
            for name in self.ACR_REQUIRED:
                if cd.get(name) in (None, ""):
                    self.add_error(name, _("Choose one answer."))
        return cd

    def answers(self) -> tuple[screener.Answers, dict[str, Any]]:
        """The decision's input and the raw answers to keep."""
        cd = self.cleaned_data
        group = cd.get("group", "")
        acr = None
        if self.asks_acr and screener.needs_acr(self.protocol, group):
            acr = {name: cd[name] for name in self.ACR_FIELDS}
        answers = screener.Answers(
            age=cd["age"],
            is_woman=cd.get("is_woman"),
            takes_opioids=cd.get("takes_opioids"),
            group=group,
            exclusions_yes=tuple(i for i, name in enumerate(self.exclusion_fields) if cd.get(name)),
            acr=acr,
        )
        raw = {k: v for k, v in cd.items() if v not in (None, "")}
        raw["regions"] = list(cd.get("regions", []))
        return answers, raw


class WithdrawForm(forms.Form):
    KEEP, REMOVE = "keep", "remove"
    keep = forms.ChoiceField(
        label=_("What should happen to what you have already given the study?"),
        choices=[
            (KEEP, _("Keep it for the analysis (nothing more is collected from today)")),
            (REMOVE, _("Remove it: delete my answers and measures from the study")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Would you like to tell us why? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AdverseEventForm(forms.Form):
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("In your own words. Please do not write your name or other people's names."),
    )
    onset_on = forms.DateField(label=_("When did it start?"), widget=forms.DateInput(attrs={"type": "date"}))
    severity = forms.ChoiceField(
        label=_("How bad is it?"),
        choices=AdverseEvent.Severity.choices,
        initial=AdverseEvent.Severity.MILD,
        widget=forms.RadioSelect,
    )
    criteria = forms.MultipleChoiceField(
        label=_("Was it serious? Tick any that apply"),
        choices=AdverseEvent.Criterion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("If you are unwell now, call your doctor or emergency services first."),
    )
