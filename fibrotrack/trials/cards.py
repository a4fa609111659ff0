"""A finished trial's result as a community progress card.

Registered with ``fibrotrack.community.cards`` in ``TrialsConfig.ready()``. Only
trials that have ended and whose allocation the participant may see are
offered: a running trial's interim numbers could sway the remaining days, and
a blinded one would give the allocation away. The card holds the headline,
the verdict with its uncertainty, the primary outcome's chart and the
"discuss with your doctor" line: no notes, tags, doses or other symptoms.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fibrotrack.community.cards import CardSource, Snapshot
from fibrotrack.lib.dates import diary_day
from fibrotrack.trials import access, result, words
from fibrotrack.trials.models import Trial


def shareable_trials(user: Any) -> list[Trial]:
    today = diary_day(user)
    trials = access.trials_for_user(user).exclude(status=Trial.Status.DRAFT).select_related("primary_outcome")
    return [t for t in trials if t.has_ended(today) and access.may_see_allocation(t, "participant")]


class TrialCardForm(forms.Form):
    trial = forms.TypedChoiceField(
        label=_("Which trial"),
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "Only trials that have ended, and are unblinded, can be shared. The card shows the result for the "
            "main outcome and its chart: nothing else from your diary."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (
                t.pk,
                gettext("%(title)s (%(first)s to %(last)s)")
                % {"title": t.display_title, "first": _day(t.start_date), "last": _day(t.last_day)},
            )
            for t in shareable_trials(user)
        ]
        self.fields["trial"].choices = choices  # type: ignore[attr-defined]
        if not choices:
            self.fields["trial"].help_text = gettext(
                "You have no finished, unblinded trial yet. A trial can be shared once it has ended."
            )


def build_trial_card(user: Any, data: dict[str, Any]) -> Snapshot:
    # The form only offers shareable trials; the scoped getter re-checks ownership anyway.
    trial = access.get_trial_for_user(user, int(data["trial"]))
    res = result.compute(trial, diary_day(user))
    design = words.template_name(trial.template)
    chart = str(res.chart_svg) if res.chart_svg is not None else ""
    about = gettext(
        "A personal (N-of-1) trial, %(design)s design, %(first)s to %(last)s. One person's result is not "
        "evidence for anyone else."
    ) % {"design": design, "first": _day(trial.start_date), "last": _day(trial.last_day)}
    body = (
        f"<p><strong>{escape(res.headline)}</strong></p>"
        f"<p>{escape(res.verdict)}</p>"
        f"{chart}"
        f'<p class="subtle">{escape(about)} {escape(res.discuss)}</p>'
    )
    return Snapshot(title=gettext("%(title)s: my trial result") % {"title": trial.display_title}, svg=body)


def _day(day: Any) -> str:
    return words.format_date(day, "d M Y")


SOURCE = CardSource(
    key="trial",
    label=cast(str, _("A result from your personal trial")),
    form_class=TrialCardForm,
    build=build_trial_card,
)
