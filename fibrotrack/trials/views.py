"""Trial views. Thin: forms validate, ``actions`` write, ``access`` reads, ``display`` decides what is shown."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.diary import access as diary_access
from fibrotrack.lib.dates import diary_day
from fibrotrack.treatments import access as tx_access
from fibrotrack.treatments import catalogue
from fibrotrack.trials import (
    access,
    actions,
    display,
    planning,
    protocols,
    registration_view,
    result,
    result_tables,
    result_warnings,
    words,
)
from fibrotrack.trials.conflicts import regimen_conflicts
from fibrotrack.trials.forms import (
    AddPhaseForm,
    AmendForm,
    AssessmentForm,
    InviteForm,
    NewTrialForm,
    PlanForm,
    StartForm,
    StopForm,
    UnblindForm,
    phase_forms,
)
from fibrotrack.trials.models import Trial


def _templates() -> list[dict[str, Any]]:
    return [words.template_view(t) for t in protocols.all_templates()]


def _status(request: HttpRequest, ok: bool = True) -> int:
    return 400 if request.method == "POST" and not ok else 200


@login_required
def trial_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = diary_day(user)
    own = list(access.trials_for_user(user))
    custodian = list(access.trials_for_custodian(user))
    rows = [
        {"trial": t, "today": display.today_view(t, today, reveal=not t.is_blind_now) if t.is_running else None}
        for t in own
    ]
    return render(
        request,
        "trials/list.html",
        {"rows": rows, "custodian_trials": custodian, "today": today, "templates": _templates()},
    )


@login_required
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    symptoms = list(diary_access.symptoms_for_user(user, active_only=True))
    regimens = list(tx_access.regimens_for_user(user))
    if not symptoms:
        messages.info(request, _("Choose what to track first: a trial measures one of your diary symptoms."))
        return redirect("diary:symptoms")
    initial: dict[str, Any] = {"template": request.GET.get("template", protocols.LDN_PILOT)}
    pain = next((s for s in symptoms if s.key == "pain"), symptoms[0])
    initial["primary_outcome"] = pain.pk
    # ?treatment=<catalogue key> (from a knowledge article) names what is tested and picks its regimen.
    wanted = request.GET.get("treatment", "naltrexone")
    named = next((r for r in regimens if r.treatment.key == wanted and r.stopped_on is None), None)
    if named:
        initial["regimen"] = named.pk
    if wanted != "naltrexone":
        catalogue_name = next((e.name for e in catalogue.ENTRIES if e.key == wanted), "")
        if catalogue_name:
            initial["treatment_name"] = catalogue_name
    form = NewTrialForm(request.POST or None, symptoms=symptoms, regimens=regimens, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        template = form.build_template()
        trial = actions.do_create_trial(
            user,
            template=template,
            title=cd["title"] or words.default_title(template, cd["treatment_name"]),
            primary_outcome=cd["primary_outcome"],
            treatment_name=cd["treatment_name"],
            regimens=[cd["regimen"]] if cd.get("regimen") else [],
            control_name=words.DEFAULT_CONTROL
            if (cd.get("control") or "placebo") == "placebo"
            else words.DEFAULT_COMPARISON,
        )
        messages.success(request, _("Your plan is ready to check. Nothing is fixed until you start the trial."))
        return redirect("trials:plan", pk=trial.pk)
    return render(
        request,
        "trials/new.html",
        {"form": form, "templates": _templates()},
        status=_status(request, form.is_bound and form.is_valid()),
    )


def _plan_context(request: AuthenticatedHttpRequest, trial: Trial, **overrides: Any) -> dict[str, Any]:
    user = request.user
    today = diary_day(user)
    symptoms = list(diary_access.symptoms_for_user(user, active_only=True))
    regimens = list(tx_access.regimens_for_user(user))
    phases = list(trial.phases.all())
    kinds = {p.kind for p in phases} | {k for pair in trial.comparisons for k in pair}
    plan_form = overrides.pop("plan_form", None) or PlanForm(
        symptoms=symptoms,
        kinds=kinds,
        initial={
            # Shown in the page's language; an unchanged default is stored in English again (see plan()).
            "title": trial.display_title,
            "treatment_name": trial.display_treatment_name,
            "control_name": words.person_name(trial.control_name),
            "primary_outcome": trial.primary_outcome_id,
            "secondary_outcomes": [s.pk for s in trial.secondary_outcomes.all()],
            "secondary_measures": list(trial.secondary_measures),
            "comparisons": [f"{r}:{t}" for r, t in trial.comparisons],
            "threshold_pct": trial.threshold_pct,
            "blinded": trial.blinded,
            "endpoint_last_days": trial.endpoint_last_days,
            "assessment_every_days": trial.assessment_every_days,
            "weather_covariate": trial.weather_covariate,
        },
    )
    context = {
        "trial": trial,
        "template_info": words.template_view(protocols.get(trial.template))
        if trial.template != protocols.PAIRS
        else None,
        "plan_form": plan_form,
        "phase_forms": overrides.pop("phase_forms", None) or phase_forms(phases, regimens),
        "add_form": overrides.pop("add_form", None) or AddPhaseForm(),
        "start_form": overrides.pop("start_form", None) or StartForm(today=today, initial={"start_date": today}),
        "invite_form": overrides.pop("invite_form", None) or InviteForm(),
        "open_invite": next((i for i in trial.invites.all() if i.is_open), None),
        "problems": access.check_ready_to_start(trial),
        "conflicts": regimen_conflicts(trial, today),
        "helper": planning.plan(trial, today),
        "summary": display.summary_line(trial),
        "has_comparison": protocols.COMPARISON in kinds,
        "outcome_in_sentence": words.in_sentence(trial.primary_outcome.label),
        "total_days": trial.total_days,
        "has_regimens": bool(regimens),
        "today": today,
        "before_after_caveat": words.before_after_caveat() if trial.template == protocols.BEFORE_AFTER else "",
        "weather_available": settings.WEATHER_ENABLED,
    }
    context.update(overrides)
    return context


@login_required
def plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trial = access.get_trial_for_user(user, pk)
    if not trial.is_draft:
        return redirect("trials:detail", pk=trial.pk)
    if request.method != "POST":
        return render(request, "trials/plan.html", _plan_context(request, trial))
    what = request.POST.get("save")
    symptoms = list(diary_access.symptoms_for_user(user, active_only=True))
    regimens = list(tx_access.regimens_for_user(user))
    try:
        if what == "settings":
            kinds = {p.kind for p in trial.phases.all()} | {k for pair in trial.comparisons for k in pair}
            form = PlanForm(request.POST, symptoms=symptoms, kinds=kinds)
            if not form.is_valid():
                return render(request, "trials/plan.html", _plan_context(request, trial, plan_form=form), status=400)
            cd = form.cleaned_data
            actions.do_update_plan(
                trial,
                actions.PlanSettings(
                    # A default left as shown stays the stored, language-neutral one: it is registered.
                    title=trial.title if cd["title"] == trial.display_title else cd["title"],
                    treatment_name=trial.treatment_name
                    if cd["treatment_name"] == trial.display_treatment_name
                    else cd["treatment_name"],
                    control_name=trial.control_name
                    if cd.get("control_name") == words.person_name(trial.control_name)
                    else cd.get("control_name") or "",
                    primary_outcome=cd["primary_outcome"],
                    secondary_outcomes=cd["secondary_outcomes"],
                    comparisons=form.comparison_pairs(),
                    threshold_pct=cd["threshold_pct"],
                    blinded=cd["blinded"],
                    endpoint_last_days=cd["endpoint_last_days"],
                    assessment_every_days=cd["assessment_every_days"],
                    weather_covariate=cd["weather_covariate"],
                    secondary_measures=cd["secondary_measures"],
                ),
            )
            messages.success(request, _("Saved the plan."))
        elif what == "phases":
            forms_ = phase_forms(list(trial.phases.all()), regimens, request.POST)
            if not all(f.is_valid() for _, f in forms_):
                messages.error(request, _("Some phases need another look. They are marked below."))
                return render(
                    request, "trials/plan.html", _plan_context(request, trial, phase_forms=forms_), status=400
                )
            for phase, f in forms_:
                cd = f.cleaned_data
                actions.do_update_phase(
                    trial,
                    phase,
                    actions.PhaseData(cd["kind"], cd["days"], cd["counts_in_analysis"], cd["blinded"], cd["regimens"]),
                )
            messages.success(request, _("Saved the phases."))
        elif what == "add":
            add = AddPhaseForm(request.POST)
            if not add.is_valid():
                return render(request, "trials/plan.html", _plan_context(request, trial, add_form=add), status=400)
            actions.do_add_phase(trial, add.cleaned_data["kind"], add.cleaned_data["days"])
            messages.success(request, _("Added a phase at the end."))
        else:
            raise Http404("Unknown action")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("trials:plan", pk=trial.pk)


@login_required
@require_POST
def phase_remove(request: AuthenticatedHttpRequest, pk: int, phase_pk: int) -> HttpResponse:
    trial = access.get_trial_for_user(request.user, pk)
    phase = next((p for p in trial.phases.all() if p.pk == phase_pk), None)
    if phase is None:
        raise Http404("No such phase")
    try:
        actions.do_remove_phase(trial, phase)
        messages.success(request, _("Removed phase %(number)d.") % {"number": phase.position})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("trials:plan", pk=trial.pk)


@login_required
@require_POST
def phase_move(request: AuthenticatedHttpRequest, pk: int, phase_pk: int) -> HttpResponse:
    trial = access.get_trial_for_user(request.user, pk)
    phase = next((p for p in trial.phases.all() if p.pk == phase_pk), None)
    if phase is None:
        raise Http404("No such phase")
    try:
        actions.do_move_phase(trial, phase, -1 if request.POST.get("direction") == "up" else 1)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("trials:plan", pk=trial.pk)


@login_required
@require_POST
def start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trial = access.get_trial_for_user(user, pk)
    today = diary_day(user)
    form = StartForm(request.POST, today=today)
    if form.is_valid():
        # A trial on a treatment already being taken: its baseline would not be one. Explained, not started.
        clashes = regimen_conflicts(trial, form.cleaned_data["start_date"])
        if clashes:
            for message in clashes:
                messages.error(request, message)
            return render(request, "trials/plan.html", _plan_context(request, trial, start_form=form), status=400)
        try:
            actions.do_start_trial(trial, form.cleaned_data["start_date"], today)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return render(request, "trials/plan.html", _plan_context(request, trial, start_form=form), status=400)
        messages.success(request, _("Your trial is registered and running. The plan is now frozen; good luck."))
        return redirect("trials:detail", pk=trial.pk)
    return render(request, "trials/plan.html", _plan_context(request, trial, start_form=form), status=400)


@login_required
@require_POST
def delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    trial = access.get_trial_for_user(request.user, pk)
    try:
        actions.do_delete_draft(trial)
        messages.success(request, _("Deleted the draft."))
        return redirect("trials:list")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("trials:detail", pk=trial.pk)


@login_required
@require_POST
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    trial = access.get_trial_for_user(request.user, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            actions.do_invite_custodian(trial, form.cleaned_data["email"])
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("trials:plan", pk=trial.pk)
    return render(request, "trials/plan.html", _plan_context(request, trial, invite_form=form), status=400)


@login_required
@require_POST
def remove_custodian(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    trial = access.get_trial_for_user(request.user, pk)
    try:
        actions.do_remove_custodian(trial)
        messages.success(request, _("Removed the custodian."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("trials:plan", pk=trial.pk)


@login_required
def accept_invite(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    found = actions.find_invite(token)
    if found is None:
        return render(request, "trials/accept.html", {"invalid": True}, status=404)
    if not access.invited_account_matches(request.user, found.email):
        # Nothing about the trial for an account the invitation was not sent to.
        return render(request, "trials/accept.html", {"wrong_account": True}, status=403)
    if request.method == "POST":
        try:
            trial = actions.do_accept_invite(request.user, found)
        except ValidationError as error:
            return render(request, "trials/accept.html", {"invite": found, "error": error.messages[0]}, status=400)
        messages.success(request, _("Thank you. You are now the custodian of this trial."))
        return redirect("trials:custodian", pk=trial.pk)
    return render(request, "trials/accept.html", {"invite": found})


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trial = access.get_trial_for_user(user, pk)
    if trial.is_draft:
        return redirect("trials:plan", pk=trial.pk)
    today = diary_day(user)
    reveal = access.may_see_allocation(trial, "participant")
    context = display.context_for(trial, today, "participant", reveal)
    context.update(
        progress=display.progress(trial, today),
        assessments=result_tables.assessment_rows(trial, trial.actual_schedule(), reveal=reveal),
        due=[d for d in actions.assessment_due_days(trial) if d >= today][:1],
        has_ended=trial.has_ended(today),
        today=today,
        registration=trial.prereg_entries.first(),
    )
    return render(request, "trials/detail.html", context)


@login_required
def registration(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    trial, role = access.get_trial_for_viewer(request.user, pk)
    entries = list(trial.prereg_entries.all())
    from fibrotrack.trials.sealing import verify_chain

    broken = verify_chain([e.as_record() for e in entries])
    allocation = trial.allocation_or_none()
    return render(
        request,
        "trials/registration.html",
        {
            "trial": trial,
            "role": role,
            "entries": entries,
            "broken": broken,
            "seal": allocation.digest if allocation else None,
            "seal_ok": result_warnings.allocation_matches_seal(trial, entries),
            "reveal": access.may_see_allocation(trial, role),
            "allocation": allocation if access.may_see_allocation(trial, role) else None,
            "bottles": registration_view.containers(trial, allocation.payload if allocation else None)
            if access.may_see_allocation(trial, role)
            else [],
            "views": [registration_view.entry_view(e) for e in entries],
        },
    )


@login_required
def amend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trial = access.get_trial_for_user(user, pk)
    if not trial.is_running:
        messages.info(request, _("Only a running trial’s plan can be changed."))
        return redirect("trials:detail", pk=trial.pk)
    today = diary_day(user)
    phases = list(trial.phases.all())
    symptoms = list(diary_access.symptoms_for_user(user, active_only=True))
    initial: dict[str, Any] = {
        "threshold_pct": trial.threshold_pct,
        "primary_outcome": trial.primary_outcome_id,
        "secondary_outcomes": [s.pk for s in trial.secondary_outcomes.all()],
        "secondary_measures": list(trial.secondary_measures),
        **{f"days_{p.pk}": p.days for p in phases},
    }
    form = AmendForm(request.POST or None, symptoms=symptoms, phases=phases, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            actions.do_amend_plan(
                trial,
                actions.Amendment(
                    reason=cd["reason"],
                    primary_outcome=cd["primary_outcome"],
                    secondary_outcomes=list(cd["secondary_outcomes"]),
                    secondary_measures=list(cd["secondary_measures"]),
                    threshold_pct=cd["threshold_pct"],
                    phase_days={p.pk: cd[f"days_{p.pk}"] for p in phases},
                ),
                today,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The change is recorded with today’s date and your reason."))
            return redirect("trials:registration", pk=trial.pk)
    reveal = access.may_see_allocation(trial, "participant")
    context = display.context_for(trial, today, "participant", reveal)
    context["form"] = form
    return render(request, "trials/amend.html", context, status=_status(request, not form.errors))


@login_required
def stop(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trial = access.get_trial_for_user(user, pk)
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_stop_early(trial, form.cleaned_data["reason"], diary_day(user))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The trial is stopped. Its result shows what the days so far can tell."))
            return redirect("trials:detail", pk=trial.pk)
    return render(request, "trials/stop.html", {"trial": trial, "form": form}, status=_status(request, not form.errors))


@login_required
def unblind(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trial, role = access.get_trial_for_viewer(user, pk)
    today = diary_day(trial.user)
    at_end = trial.has_ended(today)
    form = UnblindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_unblind(trial, user, role, emergency=not at_end, reason=form.cleaned_data["reason"], today=today)
        except ValidationError as error:
            form.add_error("reason" if not at_end else None, error)
        else:
            messages.success(request, _("Unblinded. The allocation is now shown."))
            if role == "custodian":
                return redirect("trials:custodian", pk=trial.pk)
            return redirect("trials:result" if at_end else "trials:detail", pk=trial.pk)
    return render(
        request,
        "trials/unblind.html",
        {"trial": trial, "form": form, "at_end": at_end, "role": role},
        status=_status(request, not form.errors),
    )


@login_required
@require_POST
def finish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trial = access.get_trial_for_user(user, pk)
    try:
        actions.do_finish(trial, diary_day(user))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("trials:detail", pk=trial.pk)
    return redirect("trials:result", pk=trial.pk)


@login_required
def result_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trial = access.get_trial_for_user(user, pk)
    today = diary_day(user)
    if not trial.has_ended(today) or trial.is_draft:
        messages.info(
            request, _("The result is shown once the trial has ended, so that it cannot sway the days still to come.")
        )
        return redirect("trials:detail", pk=trial.pk)
    if not access.may_see_allocation(trial, "participant"):
        messages.info(request, _("Unblind the trial first: the result needs to know which period was which."))
        return redirect("trials:unblind", pk=trial.pk)
    res = result.compute(trial, today)
    urgent, other = result_warnings.split_warnings(res.warnings)
    return render(
        request,
        "trials/result.html",
        {
            "r": res,
            "trial": trial,
            "assessment_groups": result.assessments_summary(trial),
            "urgent_warnings": urgent,
            "other_warnings": other,
            "unblindings": [
                {"event": u, "role": words.role_name(u.by_role), "kind": words.in_sentence(str(u.get_kind_display()))}
                for u in res.unblindings
            ],
        },
    )


@login_required
def custodian(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trial = access.get_trial_for_custodian(user, pk)
    today = diary_day(trial.user)
    context = display.context_for(trial, today, "custodian", True)
    context.update(
        today=today,
        assessments=result_tables.assessment_rows(trial, trial.actual_schedule(), reveal=True),
        allocation=trial.allocation_or_none(),
        bottles=registration_view.containers(trial, getattr(trial.allocation_or_none(), "payload", None)),
        due=[d for d in actions.assessment_due_days(trial) if d >= today][:3],
    )
    return render(request, "trials/custodian.html", context)


@login_required
def assessment_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trial, role = access.get_trial_for_viewer(user, pk)
    today = diary_day(trial.user)
    form = AssessmentForm(request.POST or None, initial={"measured_on": today})
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            actions.do_record_assessment(
                trial,
                user,
                role,
                actions.AssessmentData(
                    measured_on=cd["measured_on"],
                    kind=cd["kind"],
                    value=cd["value"],
                    at_cap=cd["at_cap"],
                    cap=cd.get("cap"),
                    site=cd.get("site") or "",
                    note=cd.get("note") or "",
                ),
                today,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved the assessment."))
            return redirect("trials:custodian" if role == "custodian" else "trials:detail", pk=trial.pk)
    return render(
        request,
        "trials/assessment_form.html",
        {"trial": trial, "form": form, "role": role},
        status=_status(request, not form.errors),
    )
