"""The pharmacist's pages (the allocation list, bottle labels, the dispensing log) and randomisation.

Only ``roles.SEES_ALLOCATION`` reaches the allocation pages (everyone else
gets 404, as for a page that does not exist), and every view of them is
written to the access log. Randomising is the coordinator's (``roles.ENROLS``):
their page shows the kit and the start date, never the arm.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.lib.dates import diary_day
from fibrotrack.studies import access, bottles, display, labels, roles
from fibrotrack.studies.actions.access_log import log_for_request
from fibrotrack.studies.actions.allocation import do_generate_allocation, do_randomise, protocol_of
from fibrotrack.studies.actions.dispensing import do_record_dispensing
from fibrotrack.studies.forms_blinding import DispensingForm, RandomiseForm
from fibrotrack.studies.models import AllocationSlot, Dispensing, Participant


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def allocation(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=roles.SEES_ALLOCATION)
    if request.method == "POST":
        drawn = do_generate_allocation(view.study)
        log_for_request(view, request, "drew the allocation list")
        if drawn:
            messages.success(request, _("The allocation list was drawn: %(count)d places.") % {"count": drawn})
        else:
            messages.info(request, _("Every stratum already has its list: nothing was drawn."))
        return redirect("studies:allocation", study=view.study.uuid)
    log_for_request(view, request, "viewed the allocation list")
    protocol = protocol_of(view.study)
    slots = list(
        AllocationSlot.objects.filter(study=view.study).select_related("participant").order_by("stratum", "seq")
    )
    dispensed = dict(
        Dispensing.objects.filter(study=view.study).values_list("kit").annotate(n=Count("id")).values_list("kit", "n")
    )
    strata: dict[str, list[dict[str, Any]]] = defaultdict(list)
    balance: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(protocol.sequences, 0))
    for slot in slots:
        strata[slot.stratum].append(
            {
                "slot": slot,
                "sequence": display.sequence_text(protocol, slot.arm),
                "dispensed": dispensed.get(slot.kit, 0),
            }
        )
        if slot.participant_id and slot.arm in balance[slot.stratum]:
            balance[slot.stratum][slot.arm] += 1
    return render(
        request,
        "studies/allocation.html",
        {
            "view": view,
            "study": view.study,
            "strata": [(s, rows, balance[s]) for s, rows in strata.items()],
            "assigned": sum(1 for s in slots if s.participant_id),
            "total": len(slots),
            "bottle_count": bottles.bottle_count(protocol),
        },
    )


def _label_kits(view: access.StaffView, request: AuthenticatedHttpRequest) -> list[labels.Label]:
    protocol = protocol_of(view.study)
    slots = AllocationSlot.objects.filter(study=view.study).select_related("participant").order_by("stratum", "seq")
    kit = request.GET.get("kit", "").strip()
    if kit:
        slots = slots.filter(kit=kit)
    elif request.GET.get("assigned") == "1":
        slots = slots.filter(participant__isnull=False)
    out: list[labels.Label] = []
    for slot in slots:
        code = slot.participant.code if slot.participant else ""
        out += labels.bottle_labels(protocol, view.study.short_code, slot.kit, code)
    return out


@require_safe
@login_required
def bottle_labels(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=roles.SEES_ALLOCATION)
    log_for_request(view, request, "printed bottle labels")
    return render(
        request,
        "studies/labels.html",
        {"view": view, "study": view.study, "labels": _label_kits(view, request), "query": request.GET.urlencode()},
    )


@require_safe
@login_required
def bottle_labels_pdf(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    from fibrotrack.studies.labels_pdf import render_labels_pdf

    view = access.get_staff_view(request.user, study, allowed=roles.SEES_ALLOCATION)
    log_for_request(view, request, "printed bottle labels (PDF)")
    html = render_to_string("studies/labels_document.html", {"study": view.study, "labels": _label_kits(view, request)})
    response = HttpResponse(render_labels_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{view.study.short_code}-bottle-labels.pdf"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def dispensing(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=roles.SEES_ALLOCATION)
    today = diary_day(request.user)
    randomised = Participant.objects.filter(study=view.study, allocation__isnull=False).order_by("code")
    count = bottles.bottle_count(protocol_of(view.study))
    form = DispensingForm(
        request.POST or None,
        participants=randomised,
        bottle_count=count,
        initial={"dispensed_on": today},
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            entry = do_record_dispensing(
                view,
                cd["participant"],
                bottle=cd["bottle"],
                dispensed_on=cd["dispensed_on"],
                today=today,
                capsules=cd["capsules"],
                note=cd["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            log_for_request(view, request, "recorded a dispensing", participant=entry.participant)
            messages.success(
                request,
                _("Recorded: kit %(kit)s, bottle %(bottle)d, for %(code)s.")
                % {"kit": entry.kit, "bottle": entry.bottle, "code": entry.participant.code},
            )
            return redirect("studies:dispensing", study=view.study.uuid)
    log_for_request(view, request, "viewed the dispensing log")
    entries = Dispensing.objects.filter(study=view.study).select_related("participant", "dispensed_by")[:500]
    return render(
        request,
        "studies/dispensing.html",
        {"view": view, "study": view.study, "form": form, "entries": entries},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def randomise(request: AuthenticatedHttpRequest, study: uuid.UUID, participant: int) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=roles.ENROLS)
    person = access.get_participant_for_staff(view, participant)
    today = diary_day(request.user)
    form = RandomiseForm(request.POST or None, today=today)
    can = person.status == Participant.Status.ELIGIBLE
    if request.method == "POST" and can and form.is_valid():
        try:
            slot = do_randomise(person, request.user, start_date=form.cleaned_data["start_date"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            person.refresh_from_db()
            messages.success(
                request,
                _("%(code)s is randomised: kit %(kit)s, first study day %(day)s.")
                % {"code": person.code, "kit": slot.kit, "day": person.start_date},
            )
            return redirect("studies:randomise", study=view.study.uuid, participant=person.pk)
    elif request.method == "POST" and not can:
        form.add_error(None, _("Only an eligible participant can be randomised."))
    kit = AllocationSlot.objects.filter(participant=person).values_list("kit", flat=True).first()
    return render(
        request,
        "studies/randomise.html",
        {"view": view, "study": view.study, "participant": person, "form": form, "can": can, "kit": kit},
        status=400 if request.method == "POST" else 200,
    )
