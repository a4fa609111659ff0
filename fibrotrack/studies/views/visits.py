"""Visits: the list with windows and what is missed, the blinded assessor's measures, and a missed visit.

Visits show dates only, never the condition a visit falls in (that is the
allocation); so the same page serves the blinded assessor and the coordinator.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.lib.dates import diary_day
from fibrotrack.studies import access, designs, display, roles
from fibrotrack.studies.actions import visits as actions
from fibrotrack.studies.forms_visits import MeasuresForm, MissedForm
from fibrotrack.studies.models import StudyVisit

#: Read the visit list: who enters the measures, and those who monitor the study.
SEES_VISITS = roles.ENTERS_MEASURES | roles.SEES_MONITORING

STATUS_TEXT = {
    actions.DONE: gettext_lazy("Measured"),
    actions.MISSED: gettext_lazy("Missed"),
    actions.WINDOW_PASSED: gettext_lazy("Missed: the window passed with no measures"),
    actions.OPEN: gettext_lazy("Due now"),
    actions.UPCOMING: gettext_lazy("Upcoming"),
    actions.NOT_DUE: gettext_lazy("Not due (withdrawn)"),
}


def _row(visit: StudyVisit, today: object) -> dict[str, object]:
    status = actions.visit_status(visit, today, measured=getattr(visit, "n_measures", 0) > 0)  # type: ignore[arg-type]
    return {
        "visit": visit,
        "label": display.visit_label(visit.label),
        "status": status,
        "status_text": STATUS_TEXT[status],
    }


@require_safe
@login_required
def visit_list(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=SEES_VISITS)
    today = diary_day(request.user)
    visits = (
        StudyVisit.objects.filter(participant__study=view.study)
        .select_related("participant")
        .annotate(n_measures=Count("measures"))
        .order_by("window_start", "participant__code", "number")
    )
    show = request.GET.get("show", "attention")
    rows = [_row(v, today) for v in visits]
    attention = [r for r in rows if r["status"] in (actions.OPEN, actions.WINDOW_PASSED)]
    return render(
        request,
        "studies/visits.html",
        {
            "view": view,
            "study": view.study,
            "rows": rows if show == "all" else attention,
            "show": show,
            "counts": [(text, sum(1 for r in rows if r["status"] == s)) for s, text in STATUS_TEXT.items()],
            "today": today,
            "enters": view.has(roles.ENTERS_MEASURES),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def visit_detail(request: AuthenticatedHttpRequest, study: uuid.UUID, visit: int) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=SEES_VISITS)
    found = access.get_visit_for_staff(view, visit)
    if request.method == "POST":
        access.check_role(view, roles.ENTERS_MEASURES, _("enter lab measures"))
    protocol = designs.Protocol.from_json(view.study.protocol)
    planned = next((v for v in protocol.visits if v.key == found.key), None)
    today = diary_day(request.user)
    measures = list(found.measures.all())
    initial = {"measured_on": min(today, found.window_end) if today >= found.window_start else today}
    initial.update({m.kind: m.value for m in measures})
    form = MeasuresForm(
        request.POST or None,
        initial=initial,
        measures=planned.measures if planned else designs.LAB,
        cap_s=protocol.cold_pressor_cap_s,
    )
    if request.method == "POST" and form.is_valid():
        data = actions.MeasuresData(
            form.cleaned_data["measured_on"], form.values(), bool(form.cleaned_data.get("at_cap"))
        )
        try:
            actions.do_record_measures(view, found, data, today)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The measures are saved."))
            return redirect("studies:visits", study=view.study.uuid)
    status = actions.visit_status(found, today, measured=bool(measures))
    return render(
        request,
        "studies/visit.html",
        {
            "view": view,
            "study": view.study,
            "visit": found,
            "label": display.visit_label(found.label),
            "measures": [(designs.MEASURES.get(m.kind, m.kind), m, actions.UNITS.get(m.kind, "")) for m in measures],
            "form": form,
            "status": status,
            "status_text": STATUS_TEXT[status],
            "enters": view.has(roles.ENTERS_MEASURES),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def visit_missed(request: AuthenticatedHttpRequest, study: uuid.UUID, visit: int) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=roles.ENTERS_MEASURES)
    found = access.get_visit_for_staff(view, visit)
    form = MissedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_mark_missed(view, found, form.cleaned_data["reason"], diary_day(request.user))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The visit is marked as missed."))
            return redirect("studies:visits", study=view.study.uuid)
    return render(
        request,
        "studies/visit_missed.html",
        {"view": view, "study": view.study, "visit": found, "label": display.visit_label(found.label), "form": form},
        status=400 if request.method == "POST" else 200,
    )
