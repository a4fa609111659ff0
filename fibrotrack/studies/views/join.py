"""Joining a study: enter a code (or follow a link), read the consent form and sign it.

A link carries its code in the address (``/studies/join/<code>/``); a typed
code is checked and leads to the same page. Every refusal says plainly why:
a code unknown, withdrawn, expired or used up, or a study not taking
participants. The study's title is shown only once the code is good.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.studies import codes, markdown
from fibrotrack.studies.actions import consent, enrolment
from fibrotrack.studies.forms import CodeEntryForm, SignForm
from fibrotrack.studies.models import Participant
from fibrotrack.studies.views.manage import error_text


@login_required
def join(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CodeEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment.check_code(form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", error_text(exc))
        else:
            return redirect("studies:join_code", code=codes.normalise(form.cleaned_data["code"]))
    return render(request, "studies/join.html", {"form": form}, status=400 if form.is_bound else 200)


@login_required
def join_code(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    try:
        invite = enrolment.check_code(code)
    except ValidationError as exc:
        return render(request, "studies/join_refused.html", {"message": error_text(exc)}, status=400)
    study = invite.study
    mine = Participant.objects.filter(study=study, user=request.user).first()
    if mine is not None:
        return render(request, "studies/join_already.html", {"study": study, "participant": mine})
    try:
        enrolment.check_may_join(request.user, study)  # staff: 403 with the reason
    except ValidationError as exc:
        return render(request, "studies/join_refused.html", {"message": error_text(exc)}, status=400)
    version = consent.current_consent(study)
    if version is None:
        return render(
            request,
            "studies/join_refused.html",
            {"message": _("This study has no consent form yet, so nobody can join.")},
            status=400,
        )
    form = SignForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            posted_version = int(request.POST.get("version", "0"))
        except ValueError:
            posted_version = 0
        try:
            participant = enrolment.do_join(
                request.user,
                code,
                consent_version=posted_version,
                typed_name=form.cleaned_data["typed_name"],
                shares=form.cleaned_data["shares"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("Thank you: you signed the consent form. Your study code is %(code)s.") % {"code": participant.code},
            )
            return redirect("studies:me_screen", study=study.uuid)
    return render(
        request,
        "studies/join_consent.html",
        {
            "study": study,
            "version": version,
            "consent_html": markdown.render(version.text),
            "form": form,
            "code": code,
        },
        status=400 if form.is_bound else 200,
    )
