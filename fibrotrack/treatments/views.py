"""Treatment views. Thin: forms validate, ``actions`` write, ``access`` and ``overview`` read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.lib.dates import diary_day
from fibrotrack.treatments import access, actions, catalogue, overview, safety, titration
from fibrotrack.treatments.forms import (
    CustomTreatmentForm,
    DoseChangeForm,
    RegimenEditForm,
    RegimenForm,
    SideEffectForm,
    StopForm,
    long_date,
)


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


@login_required
def treatment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = diary_day(user)
    page = overview.list_page(user, today)
    return render(request, "treatments/list.html", {"page": page, "today": today, "disclaimer": _(safety.DISCLAIMER)})


@login_required
def regimen_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = diary_day(user)
    treatments = list(access.treatments_for_user(user))
    initial: dict[str, Any] = {}
    wanted = request.GET.get("treatment", "")
    chosen = next((t for t in treatments if str(t.pk) == wanted), None)
    if chosen is not None:
        initial = {"treatment": str(chosen.pk), "unit": chosen.default_unit}
    form = RegimenForm(
        request.POST if request.method == "POST" else None,
        user=user,
        today=today,
        treatments=treatments,
        others=list(access.regimens_with_treatment(user)),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        regimen = actions.do_start_regimen(user, form.to_data(), today=today, acknowledged=form.findings)
        for finding in form.findings:
            if not finding.blocking:
                messages.warning(request, f"{finding.title}: {finding.message} {finding.disclaimer}")
        messages.success(request, _("Added %(name)s.") % {"name": regimen.display_name})
        return redirect("treatments:detail", pk=regimen.pk)
    context = {
        "form": form,
        "templates": titration.TEMPLATES.values(),
        "describe": {t.key: titration.describe_steps(t.steps, t.unit) for t in titration.TEMPLATES.values()},
        "treatment_units": {str(t.pk): t.units for t in treatments},
    }
    return render(request, "treatments/regimen_form.html", context, status=_status(request))


@login_required
def regimen_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    regimen = access.get_regimen_for_user(user, pk)
    page = overview.detail_page(user, regimen, diary_day(user), all_weeks=request.GET.get("weeks") == "all")
    return render(request, "treatments/regimen_detail.html", {"page": page, "regimen": regimen})


@login_required
def change_dose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    regimen = access.get_regimen_for_user(user, pk)
    form = DoseChangeForm(request.POST or None, regimen=regimen, today=diary_day(user))
    if request.method == "POST" and form.is_valid():
        change = actions.do_change_dose(regimen, **form.cleaned_data)
        messages.success(
            request,
            _("From %(day)s, %(name)s is %(dose)s. The earlier doses are kept in its history.")
            % {
                "day": long_date(change.effective_on),
                "name": regimen.display_name,
                "dose": catalogue.dose_text(change.amount, change.unit),
            },
        )
        return redirect("treatments:detail", pk=regimen.pk)
    return render(
        request, "treatments/dose_change_form.html", {"form": form, "regimen": regimen}, status=_status(request)
    )


@login_required
def stop(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    today = diary_day(user)
    regimen = access.get_regimen_for_user(user, pk)
    form = StopForm(request.POST or None, regimen=regimen, today=today)
    if request.method == "POST" and form.is_valid():
        actions.do_stop_regimen(
            regimen,
            stopped_on=form.cleaned_data["stopped_on"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        assert regimen.stopped_on is not None  # noqa: S101  (narrowing: it has just stopped)
        messages.success(
            request,
            _("Stopped %(name)s on %(day)s.") % {"name": regimen.display_name, "day": long_date(regimen.stopped_on)},
        )
        for finding in safety.check_stopped(regimen.course(), today):
            messages.warning(request, f"{finding.title}: {finding.message} {finding.disclaimer}")
        return redirect("treatments:detail", pk=regimen.pk)
    return render(request, "treatments/stop_form.html", {"form": form, "regimen": regimen}, status=_status(request))


@login_required
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    regimen = access.get_regimen_for_user(request.user, pk)
    form = RegimenEditForm(request.POST or None, instance=regimen)
    if request.method == "POST" and form.is_valid():
        actions.do_update_regimen(regimen, **{k: form.cleaned_data[k] for k in ("form", "prescriber", "note")})
        messages.success(request, _("Saved."))
        return redirect("treatments:detail", pk=regimen.pk)
    return render(request, "treatments/regimen_edit.html", {"form": form, "regimen": regimen}, status=_status(request))


@login_required
@require_POST
def delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    regimen = access.get_regimen_for_user(request.user, pk)
    name = regimen.display_name
    actions.do_delete_regimen(regimen)
    messages.success(request, _("Deleted %(name)s and its dose log.") % {"name": name})
    return redirect("treatments:list")


@login_required
@require_POST
def mark_all_taken(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    count = actions.do_mark_all_taken(user, diary_day(user))
    if count:
        messages.success(
            request,
            ngettext("Marked %(count)d dose as taken today.", "Marked %(count)d doses as taken today.", count)
            % {"count": count},
        )
    else:
        messages.info(request, _("Nothing left to mark for today."))
    return redirect("treatments:list")


@login_required
def custom_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = CustomTreatmentForm(request.POST or None, treatments=list(access.treatments_for_user(user)))
    if request.method == "POST" and form.is_valid():
        treatment = actions.do_add_custom_treatment(user, **form.cleaned_data)
        messages.success(request, _("Added “%(name)s” to your list. Only you can see it.") % {"name": treatment.name})
        return redirect(f"{_add_url()}?treatment={treatment.pk}")
    return render(request, "treatments/custom_form.html", {"form": form}, status=_status(request))


def _known_names() -> list[str]:
    """The catalogue's side effects, as suggestions in the active language (a typed name is matched back)."""
    return sorted((catalogue.side_effect_label(n) for n in catalogue.SIDE_EFFECTS.values()), key=str.casefold)


def _add_url() -> str:
    from django.urls import reverse

    return reverse("treatments:add")


@login_required
def side_effects(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = diary_day(user)
    regimens = list(access.regimens_with_treatment(user))
    form = SideEffectForm(request.POST or None, regimens=regimens, today=today)
    if request.method == "POST" and form.is_valid():
        effect = actions.do_log_side_effect(user, **form.values())
        messages.success(request, _("Logged: %(name)s.") % {"name": catalogue.side_effect_label(effect.name)})
        return redirect("treatments:side_effects")
    effects = list(access.side_effects_for_user(user))
    context = {
        "form": form,
        "ongoing": [e for e in effects if e.is_ongoing],
        "past": [e for e in effects if not e.is_ongoing],
        "known_names": _known_names(),
    }
    return render(request, "treatments/side_effects.html", context, status=_status(request))


@login_required
def side_effect_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    effect = access.get_side_effect_for_user(user, pk)
    regimens = list(access.regimens_with_treatment(user))
    initial = {
        "name": effect.name,
        "severity": effect.severity,
        "onset_on": effect.onset_on,
        "is_ongoing": "yes" if effect.is_ongoing else "no",
        "ended_on": effect.ended_on,
        "regimen": str(effect.regimen_id or ""),
        "note": effect.note,
    }
    form = SideEffectForm(request.POST or None, regimens=regimens, today=diary_day(user), initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.do_update_side_effect(effect, **form.values())
        messages.success(request, _("Saved: %(name)s.") % {"name": catalogue.side_effect_label(effect.name)})
        return redirect("treatments:side_effects")
    return render(
        request,
        "treatments/side_effect_edit.html",
        {"form": form, "effect": effect, "known_names": _known_names()},
        status=_status(request),
    )


@login_required
@require_POST
def side_effect_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    effect = access.get_side_effect_for_user(request.user, pk)
    actions.do_delete_side_effect(effect)
    messages.success(request, _("Deleted: %(name)s.") % {"name": catalogue.side_effect_label(effect.name)})
    return redirect("treatments:side_effects")
