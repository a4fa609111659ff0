"""Invitation codes and links: made, listed (with their state), withdrawn by the enrolling team."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.studies import access, codes, roles
from fibrotrack.studies.actions import enrolment
from fibrotrack.studies.forms import CodeForm
from fibrotrack.studies.views.manage import error_text


def join_link(code: str) -> str:
    return settings.SITE_ROOT.rstrip("/") + reverse("studies:join_code", args=[code])


@login_required
def code_list(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=roles.ENROLS)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            row, code = enrolment.do_create_code(
                view, max_uses=form.uses(), days_valid=cd["days_valid"], label=cd["label"], site=cd["site"]
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("New code: %(code)s") % {"code": code})
            return redirect(f"{reverse('studies:codes', args=[view.study.uuid])}#code-{row.pk}")
    now = timezone.now()
    rows = []
    for row in view.study.invite_codes.order_by("-created_at"):
        code = codes.code_for(row.nonce)
        rows.append({"row": row, "code": code, "link": join_link(code), "state": enrolment.code_state(row, now)})
    return render(
        request,
        "studies/codes.html",
        {"view": view, "study": view.study, "form": form, "rows": rows},
        status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
def code_revoke(request: AuthenticatedHttpRequest, study: uuid.UUID, pk: int) -> HttpResponse:
    view = access.get_staff_view(request.user, study, allowed=roles.ENROLS)
    enrolment.do_revoke_code(view, access.get_code_for_staff(view, pk))
    messages.success(request, _("The code was withdrawn: nobody can join with it any more."))
    return redirect("studies:codes", study=view.study.uuid)
