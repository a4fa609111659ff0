"""Emergency unblinding of one participant, the unblinding log, and unblinding the whole study after the lock."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.studies import access, display, roles
from fibrotrack.studies.actions.access_log import log_for_request
from fibrotrack.studies.actions.allocation import protocol_of
from fibrotrack.studies.actions.unblinding import (
    UNBLINDS_ONE,
    UNBLINDS_STUDY,
    do_emergency_unblind,
    do_unblind_study,
    sees_revealed,
)
from fibrotrack.studies.forms_blinding import StudyUnblindForm, UnblindForm
from fibrotrack.studies.models import AllocationSlot, UnblindingEvent

#: See that unblindings happened (who, when, why), never what they revealed.
SEES_UNBLINDINGS = UNBLINDS_ONE | roles.ALERTED


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def unblind_participant(request: AuthenticatedHttpRequest, study: uuid.UUID, participant: int) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=UNBLINDS_ONE)
    person = access.get_participant_for_staff(view, participant)
    form = UnblindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = do_emergency_unblind(view, person, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.warning(
                request,
                _("The blind is broken for %(code)s. The PI and the monitor are being told.") % {"code": person.code},
            )
            return redirect("studies:unblinding", study=view.study.uuid, event=event.pk)
    randomised = AllocationSlot.objects.filter(participant=person).exists()
    return render(
        request,
        "studies/unblind.html",
        {"view": view, "study": view.study, "participant": person, "form": form, "randomised": randomised},
        status=400 if request.method == "POST" else 200,
    )


@require_safe
@login_required
def unblindings(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=SEES_UNBLINDINGS)
    events = UnblindingEvent.objects.filter(study=view.study).select_related("participant")
    return render(
        request,
        "studies/unblindings.html",
        {
            "view": view,
            "study": view.study,
            "events": events,
            "can_open": sees_revealed(view),
            "can_unblind_study": view.has(UNBLINDS_STUDY) and not view.study.is_unblinded,
        },
    )


@require_safe
@login_required
def unblinding(request: AuthenticatedHttpRequest, study: uuid.UUID, event: int) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=UNBLINDS_ONE | roles.SEES_ALLOCATION)
    found = access.get_unblinding_for_staff(view, event)
    if found.participant is None or not sees_revealed(view):
        raise Http404
    log_for_request(view, request, "read an emergency unblinding", participant=found.participant)
    protocol = protocol_of(view.study)
    slot = AllocationSlot.objects.filter(participant=found.participant).first()
    steps = []
    if slot is not None and slot.arm in protocol.sequences:
        start = found.participant.start_date
        for first, last, condition in protocol.schedule(slot.arm):
            steps.append(
                {
                    "label": display.condition_label(condition),
                    "first": first,
                    "last": last,
                    "from": start and start + dt.timedelta(days=first - 1),
                    "to": start and start + dt.timedelta(days=last - 1),
                    "blinded": condition.blinded,
                }
            )
    return render(
        request,
        "studies/unblinding.html",
        {"view": view, "study": view.study, "event": found, "slot": slot, "steps": steps},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def unblind_study(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=UNBLINDS_STUDY)
    form = StudyUnblindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_unblind_study(view)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The study is unblinded. Everyone on the staff can now see the allocation."))
            return redirect("studies:unblindings", study=view.study.uuid)
    return render(
        request,
        "studies/unblind_study.html",
        {"view": view, "study": view.study, "form": form},
        status=400 if request.method == "POST" else 200,
    )
