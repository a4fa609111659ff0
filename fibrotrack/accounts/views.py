from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fibrotrack.accounts import actions
from fibrotrack.accounts.forms import DeleteAccountForm, OnboardingForm, SettingsForm
from fibrotrack.diary.defaults import DEFAULT_SYMPTOMS


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("diary:today")
    return render(request, "home.html")


@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = OnboardingForm(
        request.POST or None,
        initial={
            "defaults": [s.key for s in DEFAULT_SYMPTOMS],
            "time_zone": user.time_zone,
            "day_starts_at_hour": user.day_starts_at_hour,
            "display_name": user.display_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        custom = []
        if (cd.get("custom_name") or "").strip():
            custom.append(
                (
                    cd["custom_name"].strip(),
                    cd.get("custom_direction", "lower") != "higher",
                    cd.get("custom_scale") or 10,
                )
            )
        actions.do_complete_onboarding(
            user,
            default_keys=cd["defaults"],
            custom=custom,
            time_zone=cd["time_zone"],
            day_starts_at_hour=cd["day_starts_at_hour"],
            display_name=cd.get("display_name") or "",
        )
        messages.success(request, "All set. Here is your first check-in: it takes under a minute.")
        return redirect("diary:today")
    return render(request, "accounts/onboarding.html", {"form": form}, status=400 if request.method == "POST" else 200)


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = SettingsForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form}, status=400 if request.method == "POST" else 200)


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        logout(request)
        actions.do_delete_account(user, keep_posts=form.cleaned_data["posts"] == "keep")
        messages.success(request, "Your account and all of its data have been deleted. Take care.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if request.method == "POST" else 200)
