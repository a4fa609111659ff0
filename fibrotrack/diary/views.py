"""Diary views. Thin: forms validate, ``actions`` write, ``access`` reads."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.diary import access, acr2016, actions, checkin_sections, conflicts
from fibrotrack.diary.forms import (
    AcrForm,
    CheckInForm,
    GoToDayForm,
    SymptomEditForm,
    SymptomForm,
    check_diary_day,
)
from fibrotrack.diary.history import checkin_page, heatmap, revision_views, timeline, values_by_day
from fibrotrack.diary.measures import KINDS as MEASURE_KINDS
from fibrotrack.diary.measures import measure_charts, measure_rows
from fibrotrack.lib import charts
from fibrotrack.lib.dates import diary_day, parse_iso_date
from fibrotrack.weather.access import weather_pending_for_user

PERIODS = {"30": 30, "90": 90, "365": 365}
MAX_HISTORY_PAGES = 500  # 30 days a page: about 41 years


def _parse_day(value: str, today: dt.date) -> dt.date:
    day = parse_iso_date(value)
    if day is None:
        raise Http404("Not a date")
    return day


@login_required
def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.onboarded_at is None:
        return redirect("accounts:onboarding")
    if request.GET.get("day"):
        go = GoToDayForm(request.GET, today=diary_day(user))
        if go.is_valid():
            return redirect("diary:day", day=go.cleaned_data["day"].isoformat())
        return _checkin(request, diary_day(user), go_form=go)
    return _checkin(request, diary_day(user))


@login_required
def day(request: AuthenticatedHttpRequest, day: str) -> HttpResponse:
    user = request.user
    return _checkin(request, _parse_day(day, diary_day(user)))


def _checkin(request: AuthenticatedHttpRequest, day: dt.date, go_form: GoToDayForm | None = None) -> HttpResponse:
    user = request.user
    today_ = diary_day(user)
    try:
        check_diary_day(day, today_)
    except ValidationError as error:
        go_form = GoToDayForm({"day": day.isoformat()}, today=today_)
        go_form.is_valid()
        status = 400 if request.method == "POST" else 200
        return render(
            request, "diary/checkin.html", {"day": day, "go_form": go_form, "error": error.messages[0]}, status=status
        )

    data = request.POST if request.method == "POST" else None
    everything, tags = access.checkin_setup(user)
    symptoms = [s for s in everything if s.is_active]
    archived = [s for s in everything if not s.is_active]
    # The page shows the day as it stands; a save re-reads it under the write
    # lock anyway, so a POST looks it up only when it answers an archived
    # symptom (allowed only where this day already has a score for it).
    if data is None or any(f"s_{s.pk}" in data for s in archived):
        existing = access.find_checkin_for_user(user, day)
    else:
        existing = None
    if existing:
        # Keep showing archived symptoms that this day already has a score for.
        symptoms += [s for s in archived if s.pk in existing.score_map]
    leading = checkin_sections.leading_symptom_ids(user, day)
    symptoms.sort(key=lambda s: leading.index(s.pk) if s.pk in leading else len(leading))
    form = CheckInForm(data, symptoms=symptoms, tags=tags, initial=_initial(existing))
    section_forms = [(s, f) for s in checkin_sections.registered() if (f := s.get_form(user, day, data)) is not None]

    if request.method == "POST":
        resolve = request.POST.get("resolve", "")
        if resolve == "saved":
            # "Keep the saved version" on the conflict page: this form's answers are dropped.
            messages.info(request, gettext("Kept the saved version. Nothing from your form was saved."))
            return redirect("diary:day", day=day.isoformat())
        if form.is_valid() and all(f.is_valid() for _, f in section_forms):
            recorded = [(_Recorded(s), f) for s, f in section_forms]
            try:
                _, changed = actions.do_save_checkin(
                    user,
                    day,
                    form.to_data(symptom_names={s.pk: s.name for s in everything}),
                    recorded,
                    version=form.cleaned_data.get("version") or None,
                    keep_saved=conflicts.chosen_saved(
                        request.POST, request.POST.getlist("conflict"), request.POST.getlist("untouched"), resolve
                    ),
                    loaded=conflicts.read_loaded(form.cleaned_data.get("loaded") or ""),
                    client_id=form.cleaned_data.get("client_id"),
                )
            except conflicts.StaleCheckIn as stale:
                return _conflict_page(request, day, today_, stale)
            except actions.NothingToSave:
                # Save tapped before any answer: no empty day (it would count as checked in).
                messages.info(request, gettext("Nothing to save yet. Answer at least one question, then save."))
                return redirect("diary:day", day=day.isoformat())
            except actions.ClientIdUsed:
                # A replayed or altered outbox entry: refused whole (400), with the day as it is stored.
                messages.error(request, gettext("This save was already used for another day, so nothing was saved."))
                existing = access.find_checkin_for_user(user, day)
                form = CheckInForm(None, symptoms=symptoms, tags=tags, initial=_initial(existing))
                fresh = [
                    (s, f) for s in checkin_sections.registered() if (f := s.get_form(user, day, None)) is not None
                ]
                context = _context(day, today_, form, fresh, existing, go_form)
                return render(request, "diary/checkin.html", context, status=400)
            # What needs a doctor now comes first, before any word of praise.
            for section, section_form in section_forms:
                for text in checkin_sections.urgent_messages(section, section_form):
                    messages.error(request, text)
            # The message covers every part of the check-in: a changed dose or side effect is a save too.
            if changed or any(r.changed for r, _ in recorded):
                messages.success(
                    request, gettext("Saved %(day)s. Well done for checking in.") % {"day": _day_name(day, today_)}
                )
            else:
                messages.info(request, gettext("Nothing had changed, so there was nothing new to save."))
            return redirect("diary:day", day=day.isoformat())
        # Counted so the person knows how many to look for (a form-wide error counts as one).
        wrong = sum(len(f.errors) for f in (form, *(f for _, f in section_forms)))
        messages.error(
            request,
            ngettext(
                "One answer needs another look. It is marked below.",
                "%(count)d answers need another look. They are marked below.",
                wrong,
            )
            % {"count": wrong},
        )
        existing = existing or access.find_checkin_for_user(user, day)

    context = _context(day, today_, form, section_forms, existing, go_form)
    return render(request, "diary/checkin.html", context, status=400 if request.method == "POST" else 200)


def _context(
    day: dt.date,
    today_: dt.date,
    form: CheckInForm,
    section_forms: list[tuple[Any, Any]],
    existing: Any,
    go_form: GoToDayForm | None,
) -> dict[str, Any]:
    return {
        "day": day,
        "day_name": _day_name(day, today_),
        "is_today": day == today_,
        "is_yesterday": day == today_ - dt.timedelta(days=1),
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1) if day < today_ else None,
        "form": form,
        "section_forms": section_forms,
        "existing": existing,
        "go_form": go_form or GoToDayForm(initial={"day": day}, today=today_),
    }


def _conflict_page(
    request: AuthenticatedHttpRequest, day: dt.date, today_: dt.date, stale: conflicts.StaleCheckIn
) -> HttpResponse:
    """Both versions side by side; 409 because the form was loaded from an older version of the day."""
    context = {
        "day": day,
        "day_name": _day_name(day, today_),
        "conflicts": stale.conflicts,
        "version": stale.version,
        "carried": conflicts.carried(request.POST.lists()),
    }
    return render(request, "diary/checkin_conflict.html", context, status=409)


class _Recorded:
    """A check-in section whose ``save`` remembers whether it changed anything.

    A save that is retried (after a double tap) calls ``save`` again on the
    fresh day, so the last call's answer is the one that stands.
    """

    def __init__(self, section: checkin_sections.CheckInSection) -> None:
        self.section = section
        self.key, self.order, self.template_name = section.key, section.order, section.template_name
        self.changed = False

    def get_form(self, user: Any, day: dt.date, data: Any) -> Any:
        return self.section.get_form(user, day, data)

    def save(self, user: Any, day: dt.date, checkin: Any, form: Any) -> bool:
        self.changed = bool(self.section.save(user, day, checkin, form))
        return self.changed


def _initial(checkin: Any) -> dict[str, Any]:
    if checkin is None:
        return {"version": conflicts.NEW, "loaded": conflicts.sign_loaded(None), "client_id": uuid.uuid4()}
    initial: dict[str, Any] = {
        "version": conflicts.version_of(checkin),
        "loaded": conflicts.sign_loaded(checkin),
        "client_id": uuid.uuid4(),
    }
    initial |= {f"s_{sid}": str(v) for sid, v in checkin.score_map.items()}
    initial.update(
        hours_slept=checkin.hours_slept,
        pain_regions=checkin.pain_regions,
        tags=[t.pk for t in checkin.tags.all()],
        note=checkin.note,
    )
    return initial


def _day_name(day: dt.date, today_: dt.date) -> str:
    if day == today_:
        return gettext("today")
    if day == today_ - dt.timedelta(days=1):
        return gettext("yesterday")
    return date_format(day, "l j F Y")


@login_required
@require_POST
def delete_day(request: AuthenticatedHttpRequest, day: str) -> HttpResponse:
    user = request.user
    checkin = access.get_checkin_for_user(user, _parse_day(day, diary_day(user)))
    actions.do_delete_checkin(checkin)
    messages.success(
        request,
        gettext("Deleted the entry for {day}. Its history is kept.").format(day=date_format(checkin.day, "j F Y")),
    )
    return redirect("diary:history")


@login_required
def revisions(request: AuthenticatedHttpRequest, day: str) -> HttpResponse:
    user = request.user
    the_day = _parse_day(day, diary_day(user))
    revs = list(access.revisions_for_user(user, the_day))
    if not revs:
        raise Http404("No history for this day")
    return render(request, "diary/revisions.html", {"day": the_day, "revisions": revision_views(revs)})


# The heat map's column heads: one letter per weekday, Monday first (a calendar's convention in each language).
_WEEKDAY_LETTERS = (
    pgettext_lazy("Monday, one letter", "M"),
    pgettext_lazy("Tuesday, one letter", "T"),
    pgettext_lazy("Wednesday, one letter", "W"),
    pgettext_lazy("Thursday, one letter", "T"),
    pgettext_lazy("Friday, one letter", "F"),
    pgettext_lazy("Saturday, one letter", "S"),
    pgettext_lazy("Sunday, one letter", "S"),
)


def _weekday_letters() -> list[tuple[str, str]]:
    """(the day's full name, its letter), Monday first, in the active language."""
    monday = dt.date(2024, 1, 1)
    return [(date_format(monday + dt.timedelta(days=i), "l"), str(letter)) for i, letter in enumerate(_WEEKDAY_LETTERS)]


def _period_choices() -> list[tuple[str, str]]:
    return [("30", gettext("4 weeks")), ("90", gettext("3 months")), ("365", gettext("1 year"))]


def _period(request: AuthenticatedHttpRequest, default: str = "90") -> tuple[str, int]:
    key = request.GET.get("days", default)
    if key not in PERIODS:
        key = default
    return key, PERIODS[key]


@login_required
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    end = diary_day(user)
    period_key, period = _period(request)
    start = end - dt.timedelta(days=period - 1)
    symptoms = list(access.symptoms_for_user(user))
    chosen = next((s for s in symptoms if s.key == request.GET.get("symptom")), None) or next(
        (s for s in symptoms if s.is_active), None
    )
    months = []
    if chosen is not None:
        months = heatmap(chosen, values_by_day(user, [chosen], start, end)[chosen.pk], start, end)
    # The list is paged by 30 days of calendar, so each page is one bounded query.
    raw_page = request.GET.get("page", "1")
    # Bounded so that a silly page number cannot push the date out of range.
    page_number = min(max(int(raw_page) if raw_page.isdigit() and len(raw_page) < 6 else 1, 1), MAX_HISTORY_PAGES)
    page_end = end - dt.timedelta(days=30 * (page_number - 1))
    page_start = page_end - dt.timedelta(days=29)
    entries = checkin_page(user, page_start, page_end)
    oldest = access.checkins_for_user(user).order_by("day").values_list("day", flat=True).first()
    context = {
        "symptoms": symptoms,
        "chosen": chosen,
        "months": months,
        "weekday_letters": _weekday_letters(),
        "period_key": period_key,
        "periods": _period_choices(),
        "entries": entries,
        "page_number": page_number,
        "page_start": page_start,
        "page_end": page_end,
        "has_older": oldest is not None and oldest < page_start,
        "symptom_names": {s.pk: s.label for s in symptoms},
        "measures": measure_rows(user, page_start, page_end),
        "measure_kinds": list(MEASURE_KINDS.values()),
    }
    return render(request, "diary/history.html", context)


@login_required
def chart(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    end = diary_day(user)
    period_key, period = _period(request)
    start = end - dt.timedelta(days=period - 1)
    all_symptoms = list(access.symptoms_for_user(user))
    wanted = set(request.GET.getlist("s"))
    symptoms = [s for s in all_symptoms if s.key in wanted] or [s for s in all_symptoms if s.is_active]
    series, days_ = timeline(user, symptoms, start, end)
    extra = [b for provider in charts_providers() for b in provider(user, start, end)]
    bands = [b for b in extra if isinstance(b, charts.Band)]
    markers = [m for m in extra if isinstance(m, charts.Marker)]
    first = request.GET.get("first") or (symptoms[0].key if symptoms else None)
    span_text = gettext("{start} to {end}").format(start=date_format(start, "j M Y"), end=date_format(end, "j M Y"))
    # Small multiples: one chart per symptom, the first one ticked (or ?first=) at the top.
    panels = charts.small_multiples(
        series,
        start,
        end,
        title_for=lambda s: gettext("{symptom} from {span}: daily values and 7-day mean").format(
            symptom=s.name, span=span_text
        ),
        first=first,
        bands=bands,
        markers=markers,
        height=170,
    )
    table = [
        {"day": d, "cells": [(_fmt(s.values.get(d), 0), _fmt(s.smooth.get(d), 1)) for s in series]}
        for d in reversed(days_)
    ]
    context = {
        "panels": panels,
        "first": first,
        "series": series,
        "symptoms": all_symptoms,
        "chosen_keys": {s.key for s in symptoms},
        "period_key": period_key,
        "periods": _period_choices(),
        "table": table,
        "start": start,
        "end": end,
        "measures": measure_charts(user, start, end, bands=bands, markers=markers),
        "weather_bands": (weather_bands := [b for b in bands if b.kind == charts.CONTEXT]),
        "has_weather_band": bool(weather_bands),
        "weather_pending": weather_pending_for_user(user, start, end),
    }
    return render(request, "diary/chart.html", context)


def _fmt(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def charts_providers() -> list[Any]:
    """Other apps (treatments, trials) add bands and markers to the timeline."""
    from fibrotrack.diary.timeline import providers

    return providers()


@login_required
def symptoms(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    all_symptoms = list(access.symptoms_for_user(user))
    form = SymptomForm(request.POST or None, existing_names=[s.name for s in all_symptoms])
    if request.method == "POST" and form.is_valid():
        symptom = actions.do_add_symptom(
            user,
            form.cleaned_data["name"],
            lower_is_better=form.cleaned_data["direction"] == "lower",
            scale_max=form.cleaned_data["scale"],
        )
        messages.success(
            request, gettext("Added “{name}”. It is in your check-in from now on.").format(name=symptom.label)
        )
        return redirect("diary:symptoms")
    return render(
        request,
        "diary/symptoms.html",
        {"symptoms": all_symptoms, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def symptom_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    symptom = access.get_symptom_for_user(user, pk)
    form = SymptomEditForm(
        request.POST or None,
        initial={
            "name": symptom.label,
            "direction": "lower" if symptom.lower_is_better else "higher",
            "is_active": symptom.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        actions.do_update_symptom(
            symptom,
            # A default symptom's name is shown translated; unchanged, it keeps its stored (English) key name.
            name=symptom.name if form.cleaned_data["name"] == symptom.label else form.cleaned_data["name"],
            lower_is_better=form.cleaned_data["direction"] == "lower",
            is_active=form.cleaned_data["is_active"],
        )
        messages.success(request, gettext("Saved “{name}”. Its history is unchanged.").format(name=symptom.label))
        return redirect("diary:symptoms")
    return render(request, "diary/symptom_edit.html", {"symptom": symptom, "form": form})


@login_required
@require_POST
def symptom_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    symptom = access.get_symptom_for_user(request.user, pk)
    actions.do_move_symptom(symptom, -1 if request.POST.get("direction") == "up" else 1)
    return redirect(reverse("diary:symptoms") + f"#symptom-{symptom.pk}")


@login_required
def acr_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    assessments = list(access.assessments_for_user(request.user))
    return render(request, "diary/acr_list.html", {"assessments": assessments, **acr2016.notes()})


@login_required
def acr_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = AcrForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessment = actions.do_record_acr_assessment(user, diary_day(user), **form.cleaned_data)
        return redirect("diary:acr_detail", pk=assessment.pk)
    return render(
        request,
        "diary/acr_form.html",
        {"form": form, **acr2016.notes()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def acr_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    return render(
        request,
        "diary/acr_detail.html",
        {"a": assessment, "r": assessment.result, **acr2016.notes()},
    )


@login_required
@require_POST
def acr_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    actions.do_delete_acr_assessment(assessment)
    messages.success(request, gettext("Deleted that questionnaire."))
    return redirect("diary:acr_list")
