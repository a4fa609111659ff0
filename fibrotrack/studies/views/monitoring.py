"""The monitoring dashboard and adverse-event reports."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from fibrotrack.lib.dates import diary_day
from fibrotrack.studies import access, roles
from fibrotrack.studies.actions.safety import do_report_adverse_event
from fibrotrack.studies.forms import AdverseEventForm
from fibrotrack.studies.models import Participant
from fibrotrack.studies.monitoring import build_dashboard

ROWS_PER_PAGE = 50


@require_safe
@login_required
def dashboard(request: HttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study, roles.SEES_MONITORING)
    board = build_dashboard(view.study, timezone.localdate())
    # Flagged people come first; a big study's table is read a page at a time on a phone.
    page = Paginator(board.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "studies/monitoring.html", {"view": view, "study": view.study, "board": board, "page": page})


def _report(request: HttpRequest, participant: Participant, role: str, back: str) -> HttpResponse:
    form = AdverseEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = do_report_adverse_event(
                participant,
                by=request.user,
                role=role,
                today=diary_day(request.user),  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if event.is_serious:
                messages.warning(
                    request,
                    _(
                        "Thank you. The study team has been alerted. If you need help now, call your doctor or emergency services."
                    ),
                )
            else:
                messages.success(request, _("Thank you. The study team will see it."))
            return redirect(back)
    return render(
        request,
        "studies/adverse_event_form.html",
        {"form": form, "participant": participant, "study": participant.study, "role": role, "back": back},
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_own_event(request: HttpRequest, study: uuid.UUID) -> HttpResponse:
    participant = access.get_participation_for_user(request.user, study)
    return _report(request, participant, "participant", reverse("studies:me", args=[participant.study.uuid]))


@require_http_methods(["GET", "POST"])
@login_required
def report_event(request: HttpRequest, study: uuid.UUID, participant: int) -> HttpResponse:
    # The monitor only reads; the PI and the coordinator record events on a participant's behalf.
    view = access.get_staff_view(request.user, study, roles.ENROLS)
    found = access.get_participant_for_staff(view, participant)
    return _report(request, found, view.role, reverse("studies:monitoring", args=[view.study.uuid]))
