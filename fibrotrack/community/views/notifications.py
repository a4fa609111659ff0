"""Notifications, e-mail choices, the newsletter and one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.community import emails
from fibrotrack.community.access.people import get_notification_for_user, notifications_for_user
from fibrotrack.community.actions.newsletter import (
    do_confirm_newsletter,
    do_request_newsletter,
    do_unsubscribe_newsletter,
)
from fibrotrack.community.actions.notifications import (
    do_mark_notifications_read,
    do_set_email_preferences,
    do_unsubscribe,
)
from fibrotrack.community.forms import EmailPreferencesForm, parse_page
from fibrotrack.community.models import NewsletterSubscription, Notification
from fibrotrack.community.notifications import email_preferences
from fibrotrack.community.views.base import community_view, paginate, render_page


@community_view
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    page = paginate(notifications_for_user(user).select_related("actor"), parse_page(request.GET.get("page")), 30)
    return render_page(request, "community/notifications.html", {"page": page})


@community_view
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    notification = get_notification_for_user(user, pk)
    do_mark_notifications_read(user, [notification.pk])
    return redirect(notification.url if notification.url.startswith("/") else "community:notifications")


@community_view
@require_POST
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    count = do_mark_notifications_read(user)
    messages.success(
        request,
        ngettext("Marked %(count)s notification as read.", "Marked %(count)s notifications as read.", count)
        % {"count": count},
    )
    return redirect("community:notifications")


@community_view
def email_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    prefs = email_preferences(user)
    form = EmailPreferencesForm(
        request.POST or None, initial={kind: prefs.choice_for(kind) for kind in Notification.Kind.values}
    )
    if request.method == "POST" and form.is_valid():
        do_set_email_preferences(user, form.cleaned_data)
        messages.success(request, gettext("Your e-mail choices are saved."))
        return redirect("community:email_settings")
    subscription = NewsletterSubscription.objects.filter(user=user).first()
    return render_page(
        request,
        "community/email_settings.html",
        {"form": form, "subscription": subscription, "statuses": NewsletterSubscription.Status},
        status=400 if request.method == "POST" else 200,
    )


@community_view
@require_POST
def newsletter(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.POST.get("subscribe") == "1":
        subscription = do_request_newsletter(user)
        if subscription.status == NewsletterSubscription.Status.CONFIRMED:
            messages.info(request, gettext("You are already subscribed."))
        else:
            messages.success(
                request,
                gettext("Almost done: we sent a link to %(email)s. Open it to confirm your subscription.")
                % {"email": user.email},
            )
    else:
        do_unsubscribe_newsletter(user)
        messages.success(request, gettext("You are unsubscribed from the newsletter."))
    return redirect("community:email_settings")


def newsletter_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the double opt-in e-mail: GET shows a button (link scanners must not subscribe anyone)."""
    from fibrotrack.accounts.models import User

    user_id = emails.read_newsletter_token(token)
    person = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if person is None:
        return render(request, "community/newsletter_confirm.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        done = do_confirm_newsletter(person)
        if not done:
            return render(request, "community/newsletter_confirm.html", {"invalid": True}, status=400)
    response = render(request, "community/newsletter_confirm.html", {"done": done})
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (RFC 8058): a POST from the mail client, or the button on this page.

    No sign-in and no CSRF token: the signed token in the URL is the authority,
    and all it can do is switch one kind of e-mail off.
    """
    from fibrotrack.accounts.models import User

    parsed = emails.read_unsubscribe_token(token)
    person = User.objects.filter(pk=parsed[0]).first() if parsed else None
    if parsed is None or person is None:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    kind = parsed[1]
    if request.method == "POST":
        sentence = do_unsubscribe(person, kind)
        return render(request, "community/unsubscribe.html", {"done": sentence})
    labels = dict(Notification.Kind.choices)
    label = labels.get(kind) or {"digest": gettext("The daily digest"), "newsletter": gettext("The newsletter")}[kind]
    return render(request, "community/unsubscribe.html", {"label": label})
