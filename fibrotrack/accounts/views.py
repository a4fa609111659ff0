from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from fibrotrack.accounts import actions, onboarding_steps
from fibrotrack.accounts.forms import DeleteAccountForm, OnboardingForm, SettingsForm
from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.lib.i18n import is_offered


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("diary:today")
    return render(request, "home.html")


@login_required
def onboarding(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    data = request.POST if request.method == "POST" else None
    form = OnboardingForm(
        data,
        initial={
            "time_zone": user.time_zone,
            "day_starts_at_hour": user.day_starts_at_hour,
            "display_name": user.display_name,
        },
    )
    steps = [(step, step.get_form(user, data)) for step in onboarding_steps.registered()]
    # A list, not a generator, so that every form is validated and shows its errors.
    if data is not None and all([form.is_valid(), *(f.is_valid() for _, f in steps)]):
        cd = form.cleaned_data
        actions.do_complete_onboarding(
            user,
            steps=steps,
            time_zone=cd["time_zone"],
            day_starts_at_hour=cd["day_starts_at_hour"],
            display_name=cd.get("display_name") or "",
        )
        messages.success(request, gettext("All set. Here is your first check-in: it takes under a minute."))
        return redirect("diary:today")
    context = {"form": form, "steps": steps}
    return render(request, "accounts/onboarding.html", context, status=400 if request.method == "POST" else 200)


@login_required
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Settings saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form}, status=400 if request.method == "POST" else 200)


@login_required
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        logout(request)
        actions.do_delete_account(user, keep_posts=form.cleaned_data["posts"] == "keep")
        messages.success(request, gettext("Your account and all of its data have been deleted. Take care."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if request.method == "POST" else 200)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (the cookie, then back to the page), which also keeps a signed-in person's
    choice in their settings. Only languages on offer; anything else changes nothing."""
    code = request.POST.get("language", "")
    if not is_offered(code):
        # Django's view then only redirects back (to a safe "next"), setting nothing.
        post = request.POST.copy()
        post.pop("language", None)
        request.POST = post  # type: ignore[assignment]
        return django_set_language(request)
    if request.user.is_authenticated:
        actions.do_set_language(request.user, code)
    return django_set_language(request)
