"""Reminder settings, this device's push subscription, the calendar feed, unsubscribe and "Taken"."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.accounts.models import User
from fibrotrack.lib.i18n import person_language
from fibrotrack.reminders import access, actions, calendar, push, tokens
from fibrotrack.reminders.forms import ReminderSettingsForm
from fibrotrack.treatments.models import Regimen

logger = logging.getLogger(__name__)


@login_required
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    prefs = access.settings_for_user(user)
    regimens = access.remindable_regimens(user)
    enabled = set(
        access.dose_reminders_for_user(user).filter(enabled=True).values_list("regimen_id", flat=True).distinct()
    )
    initial = {
        "reminder_time": user.reminder_time,
        "time_zone": user.time_zone,
        "by_email": prefs.by_email,
        "paused_until": prefs.paused_until,
    }
    form = ReminderSettingsForm(
        request.POST or None, initial=initial, user=user, regimens=regimens, enabled={e for e in enabled if e}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_save_reminder_settings(
            user,
            reminder_time=data["reminder_time"],
            time_zone=data["time_zone"],
            by_email=data["by_email"],
            paused_until=data["paused_until"],
            dose_reminders=form.dose_choices(),
        )
        messages.success(request, _("Reminder settings saved."))
        return redirect("reminders:settings")
    feed = tokens.absolute(reverse("reminders:calendar", args=[prefs.calendar_token])) if prefs.calendar_token else None
    try:
        vapid_public_key = push.public_key()
    except (OSError, ValueError):  # no key configured and var/ not writable, or a bad VAPID_PRIVATE_KEY
        logger.exception("Web Push is off: no usable VAPID key")
        vapid_public_key = ""
    context = {
        "form": form,
        "feed_url": feed,
        "vapid_public_key": vapid_public_key,
        "push_subscribe_url": reverse("reminders:push_subscribe"),
        "push_unsubscribe_url": reverse("reminders:push_unsubscribe"),
    }
    return render(request, "reminders/settings.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def calendar_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions.do_new_calendar_link(request.user)
    messages.success(request, _("Here is your new calendar link. The old one no longer works."))
    return redirect(reverse("reminders:settings") + "#calendar")


@login_required
@require_POST
def calendar_stop(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions.do_stop_calendar_link(request.user)
    messages.success(request, _("The calendar link no longer works."))
    return redirect(reverse("reminders:settings") + "#calendar")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret link is the authority (calendar apps cannot sign in); unknown or revoked: 404."""
    user = access.get_user_for_calendar(token)
    response = HttpResponse(calendar.feed(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _json(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@login_required
@require_POST
def push_subscribe(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = _json(request)
    keys = data.get("keys")
    keys = keys if isinstance(keys, dict) else {}
    endpoint, p256dh, auth = data.get("endpoint"), keys.get("p256dh"), keys.get("auth")
    if not (
        isinstance(endpoint, str)
        and isinstance(p256dh, str)
        and isinstance(auth, str)
        and all(0 < len(v) <= 1000 for v in (endpoint, p256dh, auth))
        and endpoint.startswith("https://")
    ):
        return JsonResponse({"error": _("This browser sent a subscription we cannot use.")}, status=400)
    actions.do_subscribe_push(
        request.user, endpoint=endpoint, p256dh=p256dh, auth=auth, user_agent=request.headers.get("User-Agent", "")
    )
    return JsonResponse({"ok": True}, status=201)


@login_required
@require_POST
def push_unsubscribe(request: AuthenticatedHttpRequest) -> HttpResponse:
    endpoint = _json(request).get("endpoint")
    subscription = access.get_subscription_for_user(request.user, endpoint if isinstance(endpoint, str) else "")
    actions.do_unsubscribe_push(subscription)
    return JsonResponse({"ok": True})


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (RFC 8058): the mail client's POST, or the button on this page.

    No sign-in and no CSRF token: the signed token in the URL is the authority,
    and all it can do is switch reminder e-mails off.
    """
    user_id = tokens.read_unsubscribe_token(token)
    person = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if person is None:
        return render(request, "reminders/unsubscribe.html", {"invalid": True}, status=400)
    # In the language the e-mail was written in, when the person chose one (the mail client may be anyone's).
    with translation.override(person_language(person) if person.language else translation.get_language()):
        if request.method == "POST":
            actions.do_unsubscribe_email(person)
            return render(request, "reminders/unsubscribe.html", {"done": True})
        return render(request, "reminders/unsubscribe.html", {})


@csrf_exempt
@require_POST
def taken(request: HttpRequest) -> HttpResponse:
    """A notification's "Taken" button. No session: the signed, single-use, short-lived token is the authority."""
    raw = _json(request).get("token") or request.POST.get("token")
    parsed = tokens.read_taken_token(raw) if isinstance(raw, str) else None
    if parsed is None:
        return JsonResponse({"error": "invalid token"}, status=400)
    try:
        recorded = actions.do_record_taken(parsed)
    except actions.TokenSpent:
        return JsonResponse({"error": "token already used"}, status=409)
    except Regimen.DoesNotExist:
        return JsonResponse({"error": "not found"}, status=404)
    return JsonResponse({"ok": True, "recorded": recorded})
