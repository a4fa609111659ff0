"""A participant's own study pages: status and schedule, re-consent, the screener, withdrawal.

Nothing here reads the allocation: the schedule is in blinded words and is
the same for every sequence (``plain.participant_schedule``), so the page
tells nobody, the participant included, what is in which bottle.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.lib.dates import diary_day
from fibrotrack.studies import access, markdown, plain, screener
from fibrotrack.studies.actions import consent, enrolment
from fibrotrack.studies.designs import Protocol
from fibrotrack.studies.forms import ScreenerForm, SignForm, WithdrawForm
from fibrotrack.studies.models import Participant
from fibrotrack.studies.views.manage import error_text


@require_safe
@login_required
def me(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    participant = access.get_participation_for_user(request.user, study)
    current = consent.current_consent(participant.study)
    if consent.needs_reconsent(participant, current):
        return redirect("studies:me_consent", study=study)
    proto = Protocol.from_json(participant.study.protocol)
    steps, merged = plain.participant_schedule(proto)
    today_day = participant.study_day(diary_day(request.user))
    total = max((s.last for s in steps), default=0)
    signed = consent.latest_signature(participant)
    return render(
        request,
        "studies/me.html",
        {
            "participant": participant,
            "study": participant.study,
            "steps": steps,
            "merged": merged,
            "study_day": today_day if today_day is not None and today_day <= total else None,
            "total_days": total,
            "signed": signed,
            "shares": consent.share_labels(signed.shares) if signed else [],
            "citation": proto.citation,
            "reasons": [screener.reason_text(r) for r in participant.screen_fail_reasons],
            "still_in": participant.status in consent.STILL_IN,
        },
    )


@login_required
def me_consent(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    participant = access.get_participation_for_user(request.user, study)
    current = consent.current_consent(participant.study)
    needed = consent.needs_reconsent(participant, current)
    form = SignForm(request.POST or None, version=current) if needed and current is not None else None
    if request.method == "POST" and form is None:
        messages.info(request, _("You have already signed the current consent form."))
        return redirect("studies:me", study=study)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            consent.do_reconsent(
                participant, typed_name=form.cleaned_data["typed_name"], shares=form.cleaned_data["shares"]
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request, _("Thank you: you signed version %(n)s.") % {"n": current.version if current else ""}
            )
            return redirect("studies:me", study=study)
    signed = consent.latest_signature(participant)
    shown = current if needed or signed is None else signed.version
    return render(
        request,
        "studies/me_consent.html",
        {
            "participant": participant,
            "study": participant.study,
            "version": shown,
            "consent_html": markdown.render(shown.text) if shown else "",
            "form": form,
            "signed": signed,
            "shares": consent.share_labels(signed.shares) if signed else [],
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
def me_screen(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    participant = access.get_participation_for_user(request.user, study)
    if consent.needs_reconsent(participant, consent.current_consent(participant.study)):
        return redirect("studies:me_consent", study=study)
    proto = Protocol.from_json(participant.study.protocol)
    form = None
    if participant.status == Participant.Status.SCREENING:
        form = ScreenerForm(request.POST or None, protocol=proto)
        if request.method == "POST" and form.is_valid():
            answers, raw = form.answers()
            try:
                decision = enrolment.do_screen(participant, answers, raw)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                if decision.eligible:
                    messages.success(
                        request, _("You can take part. The study team will be in touch about the next step.")
                    )
                return redirect("studies:me_screen", study=study)
    elif request.method == "POST":
        messages.info(request, _("You have already answered the screening questions."))
        return redirect("studies:me", study=study)
    return render(
        request,
        "studies/me_screen.html",
        {
            "participant": participant,
            "study": participant.study,
            "form": form,
            "reasons": [screener.reason_text(r) for r in participant.screen_fail_reasons],
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
def me_withdraw(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    participant = access.get_participation_for_user(request.user, study)
    if participant.status == Participant.Status.WITHDRAWN:
        if request.method == "POST":
            messages.info(request, _("You have already withdrawn from this study."))
        return redirect("studies:me", study=study)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        keep = form.cleaned_data["keep"] == WithdrawForm.KEEP
        try:
            enrolment.do_withdraw(participant, by=request.user, keep_data=keep, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("You have withdrawn. The study reads nothing more from your diary; your diary stays yours.")
                if keep
                else _("You have withdrawn, and your answers and measures were removed from the study."),
            )
            return redirect("studies:me", study=study)
    return render(
        request,
        "studies/me_withdraw.html",
        {"participant": participant, "study": participant.study, "form": form},
        status=400 if form.is_bound else 200,
    )
