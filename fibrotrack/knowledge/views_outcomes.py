""" "What worked for others": the precomputed cells (read only) and the person's sharing setting.

Pages never compute anything: they read the rows the background job wrote.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.knowledge import outcomes_access as access
from fibrotrack.knowledge.outcome_cells import K
from fibrotrack.knowledge.outcomes_actions import do_consent, do_withdraw


def evidence_url(key: str) -> str:
    """The evidence section of the treatment's article (the articles may live at another URL name later)."""
    try:
        return reverse("knowledge:article", args=[key]) + "#evidence"
    except NoReverseMatch:
        return f"/knowledge/{key}/#evidence"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    rows = access.all_outcomes()
    for row in rows:
        row.evidence_url = evidence_url(row.treatment.key)  # type: ignore[attr-defined]
    return render(request, "knowledge/outcomes/index.html", {"rows": rows, "run": access.latest_run(), "k": K})


@login_required
def detail(request: HttpRequest, key: str) -> HttpResponse:
    treatment = access.get_catalogue_treatment(key)
    ctx = {
        "treatment": treatment,
        "outcome": access.outcome_for(treatment),
        "run": access.latest_run(),
        "k": K,
        "evidence_url": evidence_url(key),
    }
    return render(request, "knowledge/outcomes/detail.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def share(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        if request.POST.get("action") == "on":
            do_consent(user)
            messages.success(request, _("Thank you. You are counted from the next computation (every night)."))
        elif do_withdraw(user):
            messages.success(request, _("You no longer share. The next computation (every night) leaves you out."))
        return redirect("knowledge:outcomes_share")
    consent = access.get_consent_for_user(user)
    run = access.latest_run()
    ctx = {
        "consent": consent,
        "run": run,
        "k": K,
        "counted": access.counted_treatments(user, consent, run),
        "in_last_run": bool(consent and run and consent.was_sharing_at(run.started_at)),
    }
    return render(request, "knowledge/outcomes/share.html", ctx)
