"""The staff's study home and the participants list (by code; names and e-mail for PI and coordinator, logged)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.studies import access, plain, roles, screener
from fibrotrack.studies.actions import consent, enrolment
from fibrotrack.studies.actions.access_log import log_for_request
from fibrotrack.studies.designs import Protocol
from fibrotrack.studies.forms import WithdrawForm
from fibrotrack.studies.models import ConsentSignature, Participant
from fibrotrack.studies.views.manage import error_text


@require_safe
@login_required
def home(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study)
    s = view.study
    counts = dict(s.participants.values_list("status").annotate(n=Count("pk")).order_by())
    by_status = [(label, counts.get(value, 0)) for value, label in Participant.Status.choices]
    current = consent.current_consent(s)
    return render(
        request,
        "studies/home.html",
        {
            "view": view,
            "study": s,
            "p": plain.describe(Protocol.from_json(s.protocol)),
            "by_status": by_status,
            "enrolled": sum(counts.values()) - counts.get(Participant.Status.SCREEN_FAILED, 0),
            "consent": current,
            "draft": consent.draft_consent(s),
            "staff_count": s.memberships.count(),
            "codes_count": s.invite_codes.count(),
            "may_manage": view.has(roles.MANAGES),
            "may_enrol": view.has(roles.ENROLS),
        },
    )


def _participants(view: access.StaffView) -> list[Participant]:
    rows = view.study.participants.order_by("code").prefetch_related(
        Prefetch(
            "signatures", queryset=ConsentSignature.objects.select_related("version").order_by("-version__version")
        )
    )
    if view.sees_identity:
        rows = rows.select_related("user")
    return list(rows)


@require_safe
@login_required
def participant_list(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study)
    participants = _participants(view)
    if view.sees_identity:
        log_for_request(view, request, "participant list with identities")
    current = consent.current_consent(view.study)
    rows = []
    for p in participants:
        signatures = list(p.signatures.all())
        rows.append(
            {
                "p": p,
                "consent": signatures[0].version.version if signatures else None,
                "outdated": current is not None
                and p.status in consent.STILL_IN
                and (not signatures or signatures[0].version.version < current.version),
            }
        )
    return render(
        request,
        "studies/participants.html",
        {"view": view, "study": view.study, "rows": rows, "identity": view.sees_identity},
    )


@require_safe
@login_required
def participant_detail(request: AuthenticatedHttpRequest, study: uuid.UUID, pk: int) -> HttpResponse:
    view = access.get_staff_view(request.user, study)
    participant = access.get_participant_for_staff(view, pk)
    if view.sees_identity:
        log_for_request(view, request, "participant identity", participant)
    signatures = list(participant.signatures.select_related("version").order_by("version__version"))
    return render(
        request,
        "studies/participant.html",
        {
            "view": view,
            "study": view.study,
            "participant": participant,
            "identity": view.sees_identity,
            "group": screener.group_label(participant.group) if participant.group else "",
            "signatures": [(sig, consent.share_labels(sig.shares)) for sig in signatures],
            "reasons": [screener.reason_text(r) for r in participant.screen_fail_reasons],
            "form": WithdrawForm() if view.has(roles.ENROLS) else None,
        },
    )


@login_required
def participant_withdraw(request: AuthenticatedHttpRequest, study: uuid.UUID, pk: int) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=roles.ENROLS)
    participant = access.get_participant_for_staff(view, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment.do_withdraw_for(
                view,
                participant,
                keep_data=form.cleaned_data["keep"] == WithdrawForm.KEEP,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("The withdrawal of %(code)s is recorded.") % {"code": participant.code})
            return redirect("studies:participant", study=view.study.uuid, pk=participant.pk)
    return render(
        request,
        "studies/participant_withdraw.html",
        {"view": view, "study": view.study, "participant": participant, "form": form},
        status=400 if form.is_bound else 200,
    )
