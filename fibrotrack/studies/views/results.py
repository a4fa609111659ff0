"""Dataset lock, the pooled analysis, the results page and its downloads (PDF and CSV for the paper).

Decisions: the results page answers every role in ``roles.SEES_RESULTS``; before
the lock it shows only a notice (and, to the principal investigator, the way to
lock). Between lock and unblinding it shows the locked dataset and the flow of
participants; the principal investigator also sees the masked run (labels A/B).
The real result, the PDF and the CSV exist only once the study is unblinded
and analysed: before that the downloads are 404, as for anyone else.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fibrotrack.studies import access, results, roles
from fibrotrack.studies.actions.analysis import check_can_lock, do_lock_dataset, do_run_analysis
from fibrotrack.studies.models import UnblindingEvent
from fibrotrack.studies.pdf import render_results_pdf


def _context(request: HttpRequest, study: uuid.UUID) -> dict[str, object]:
    view = access.get_staff_view(request.user, study, roles.SEES_RESULTS)
    res = results.build_results(view)
    return {
        "view": view,
        "study": view.study,
        "res": res,
        "methods": results.methods(res) if res.run else [],
        "can_manage": view.has(roles.MANAGES),
        "can_export": view.has(roles.EXPORTS_DATA) and view.study.is_unblinded and res.lock is not None,
        # Reported with the result: a participant unblinded early may have rated later days knowing.
        "emergencies": list(
            UnblindingEvent.objects.filter(study=view.study, kind=UnblindingEvent.Kind.EMERGENCY)
            .select_related("participant")
            .order_by("created_at")
        ),
    }


@require_safe
@login_required
def page(request: HttpRequest, study: uuid.UUID) -> HttpResponse:
    return render(request, "studies/results.html", _context(request, study))


@require_http_methods(["GET", "POST"])
@login_required
def lock(request: HttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study, roles.MANAGES)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = _("Tick the box to confirm: once locked, the dataset cannot change.")
        else:
            try:
                lock = do_lock_dataset(view.study, request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("The dataset is locked (SHA-256 %(digest)s).") % {"digest": lock.digest})
                return redirect("studies:results", study=view.study.uuid)
    blocked = ""
    try:
        check_can_lock(view.study)
    except ValidationError as exc:
        blocked = " ".join(exc.messages)
    return render(
        request,
        "studies/lock.html",
        {"view": view, "study": view.study, "error": error, "blocked": blocked},
    )


@require_POST
@login_required
def analyse(request: HttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study, roles.MANAGES)
    try:
        run = do_run_analysis(view.study, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if run.masked:
            messages.success(request, _("The analysis ran with the conditions masked as A and B."))
        else:
            messages.success(request, _("The analysis ran on the locked dataset."))
    return redirect("studies:results", study=view.study.uuid)


def _published(request: HttpRequest, study: uuid.UUID) -> dict[str, object]:
    context = _context(request, study)
    res = context["res"]
    if not isinstance(res, results.Results) or res.run is None or res.masked or not res.study.is_unblinded:
        raise Http404
    return context


@require_safe
@login_required
def results_pdf(request: HttpRequest, study: uuid.UUID) -> HttpResponse:
    context = _published(request, study)
    pdf = render_results_pdf(context)
    response = HttpResponse(pdf, content_type="application/pdf")
    code = context["study"].short_code  # type: ignore[attr-defined]
    response["Content-Disposition"] = f'attachment; filename="{code}-results.pdf"'
    return response


@require_safe
@login_required
def results_csv(request: HttpRequest, study: uuid.UUID) -> HttpResponse:
    context = _published(request, study)
    response = HttpResponse(results.results_csv(context["res"]), content_type="text/csv; charset=utf-8")  # type: ignore[arg-type]
    code = context["study"].short_code  # type: ignore[attr-defined]
    response["Content-Disposition"] = f'attachment; filename="{code}-results.csv"'
    return response
