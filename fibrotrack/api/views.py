"""The settings page for API tokens: make one (shown once), see them all, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.api import access, actions
from fibrotrack.api.forms import TokenForm


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        _, secret = actions.do_create_token(
            user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"], days=form.cleaned_data["days"]
        )
        form = TokenForm()
    now = timezone.now()
    tokens = [(t, t.status(now)) for t in access.tokens_for_user(user)]
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "secret": secret},
        status=400 if request.method == "POST" and not secret else 200,
    )
    # The page may hold a new token: never cached, by the browser or anyone between.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = access.get_token_for_user(request.user, pk)
    actions.do_revoke_token(token)
    messages.success(request, gettext("Revoked “%(name)s”. It no longer works.") % {"name": token.name})
    return redirect("api_tokens:index")
