"""Progress cards: the only way anything from the diary reaches the community.

A card source turns the person's own data into a picture (SVG from
``fibrotrack.lib.charts``) and a title, at the moment they ask for it. The
result is stored frozen, shown to them exactly as it will be published, and
attached to a post only when they choose. Later apps add sources (a trial
result, say) with ``register(source)`` in their ``AppConfig.ready()``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


@dataclass(frozen=True)
class Snapshot:
    title: str
    svg: str


@dataclass(frozen=True)
class CardSource:
    key: str
    label: StrOrPromise
    form_class: Callable[..., forms.Form]
    build: Callable[[Any, dict[str, Any]], Snapshot]


_SOURCES: dict[str, CardSource] = {}


def register(source: CardSource) -> None:
    _SOURCES[source.key] = source


def sources() -> list[CardSource]:
    return list(_SOURCES.values())


def get_source(key: str) -> CardSource | None:
    return _SOURCES.get(key)


# --- The built-in source: a chart of chosen symptoms over a chosen period ----------------

PERIODS = [("30", _("The last 4 weeks")), ("90", _("The last 3 months")), ("365", _("The last year"))]


class ChartCardForm(forms.Form):
    symptoms = forms.MultipleChoiceField(
        label=_("Which symptoms to show"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what you tick is shown: no notes, tags or other symptoms."),
    )
    days = forms.ChoiceField(label=_("Period"), choices=PERIODS, initial="90", widget=forms.RadioSelect)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from fibrotrack.diary.access import symptoms_for_user

        self.symptom_objects = list(symptoms_for_user(user, active_only=True))
        self.fields["symptoms"].choices = [(s.key, s.label) for s in self.symptom_objects]  # type: ignore[attr-defined]

    def clean_symptoms(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["symptoms"]
        if len(chosen) > 3:
            raise forms.ValidationError(gettext("Choose up to three symptoms, so the chart stays readable."))
        return chosen


def build_chart(user: User, data: dict[str, Any]) -> Snapshot:
    from fibrotrack.diary.access import symptoms_for_user
    from fibrotrack.diary.defaults import symptom_label
    from fibrotrack.diary.history import timeline
    from fibrotrack.lib import charts
    from fibrotrack.lib.dates import diary_day

    days = int(data["days"])
    wanted: Sequence[str] = data["symptoms"]
    symptoms = [s for s in symptoms_for_user(user, active_only=True) if s.key in wanted]
    end = diary_day(user) - dt.timedelta(days=1)
    start = end - dt.timedelta(days=days - 1)
    # The card is frozen in its maker's language (the page's), like the words they write around it.
    series, _days = timeline(user, symptoms, start, end)
    series = [dataclasses.replace(line, name=symptom_label(line.name)) for line in series]
    names = ", ".join(s.label for s in symptoms)
    period = str(dict(PERIODS)[str(days)])
    title = gettext("%(symptoms)s: %(period)s") % {"symptoms": names, "period": period.lower()}
    # One small chart per symptom (never several lines crossing on one chart), each named above it.
    panels = charts.small_multiples(
        series,
        start,
        end,
        title_for=lambda s: (
            gettext("%(symptom)s, daily values and 7-day mean, %(period)s")
            % {"symptom": s.name, "period": period.lower()}
        ),
        height=150,
    )
    figures = "".join(
        f"<figure><figcaption><strong>{escape(p.name)}</strong></figcaption>{p.svg}</figure>" for p in panels
    )
    note = gettext("Thin light lines are daily values; thick lines are 7-day means. Gaps are days without an entry.")
    return Snapshot(title=title, svg=f'{figures}<p class="subtle">{note}</p>')


register(CardSource(key="chart", label=_("A chart from your diary"), form_class=ChartCardForm, build=build_chart))
