"""Starting a study, its protocol (in plain words, edited while a draft, amended after), opening enrolment."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.studies import access, plain, roles
from fibrotrack.studies.actions import enrolment, protocol
from fibrotrack.studies.designs import Protocol
from fibrotrack.studies.forms import NewStudyForm, ProtocolForm


def error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@login_required
def new_study(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewStudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            study = protocol.do_create_study(
                request.user, template=cd["template"], title=cd["title"], short_code=cd["short_code"]
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request, _("Your study is set up as a draft. Check its protocol, then write the consent form.")
            )
            return redirect("studies:home", study=study.uuid)
    status = 400 if form.is_bound else 200
    return render(request, "studies/new.html", {"form": form}, status=status)


@require_safe
@login_required
def protocol_page(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study)
    versions = list(view.study.protocol_versions.select_related("created_by"))
    entries = []
    for i, v in enumerate(versions):
        before = versions[i - 1].payload if i else None
        entries.append({"version": v, "changes": protocol.changes(before, v.payload) if before else []})
    return render(
        request,
        "studies/protocol.html",
        {
            "view": view,
            "study": view.study,
            "p": plain.describe(Protocol.from_json(view.study.protocol)),
            "entries": entries,
            "broken": protocol.verify(versions),
            "may_edit": view.has(roles.MANAGES),
        },
    )


@login_required
def protocol_edit(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=roles.MANAGES)
    study_obj = view.study
    amend = study_obj.is_frozen
    current = Protocol.from_json(study_obj.protocol)
    form = ProtocolForm(
        request.POST or None, protocol=current, amend=amend, initial={"target_enrolment": study_obj.target_enrolment}
    )
    if request.method == "POST" and form.is_valid():
        try:
            if amend:
                v = protocol.do_amend_protocol(
                    view,
                    form.build(),
                    reason=form.cleaned_data["reason"],
                    target_enrolment=form.cleaned_data["target_enrolment"],
                )
                messages.success(request, _("Amendment registered as version %(n)s.") % {"n": v.version})
            else:
                protocol.do_update_protocol(view, form.build(), target_enrolment=form.cleaned_data["target_enrolment"])
                messages.success(request, _("Protocol saved. It is registered when the first participant enrols."))
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("studies:protocol", study=study_obj.uuid)
    return render(
        request,
        "studies/protocol_edit.html",
        {"view": view, "study": study_obj, "form": form, "amend": amend, "p": plain.describe(current)},
        status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
def enrolment_switch(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study)
    access.check_role(view, roles.MANAGES, "open or close enrolment")
    action = request.POST.get("action")
    try:
        if action == "open":
            enrolment.do_open_enrolment(view)
            messages.success(request, _("The study is open: people with a code can now consent and be screened."))
        elif action == "close":
            enrolment.do_close_enrolment(view)
            messages.success(request, _("Enrolment is closed: no new consents are accepted."))
        else:
            return HttpResponse(status=400)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("studies:home", study=view.study.uuid)
