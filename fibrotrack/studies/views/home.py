"""The Studies page: the studies a person staffs and those they take part in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from fibrotrack.studies import access


@require_safe
@login_required
def study_list(request: HttpRequest) -> HttpResponse:
    staffed = access.studies_for_staff(request.user).prefetch_related("memberships")
    memberships = {m.study_id: m for s in staffed for m in s.memberships.all() if m.user_id == request.user.pk}
    return render(
        request,
        "studies/list.html",
        {
            "staffed": [(study, memberships[study.pk]) for study in staffed],
            "participations": access.participations_for_user(request.user),
        },
    )
