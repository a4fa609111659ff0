"""E-mail: immediate or daily per kind, one-click unsubscribe, double opt-in newsletter, tasks."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fibrotrack.community import emails
from fibrotrack.community.actions.messages import do_send_message
from fibrotrack.community.actions.newsletter import do_send_newsletter
from fibrotrack.community.actions.notifications import do_mark_notifications_read
from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.actions.reactions import do_react
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import (
    EmailPreferences,
    Forum,
    NewsletterIssue,
    NewsletterSubscription,
    Notification,
)

from .conftest import join

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(owner, friend, sleep_group):
    join(owner, sleep_group)
    join(friend, sleep_group)
    return do_start_thread(owner, Forum.objects.get(slug="sleep"), "Digest me", "Start")


def _unsubscribe_path(message):
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_an_immediate_email_has_one_click_unsubscribe_headers(owner, friend):
    do_send_message(friend, owner, "hello")
    message = mail.outbox[-1]
    assert message.to == [owner.email]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "New private message from Friend" in message.subject
    # A mail client POSTs to the URL with no cookie and no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(_unsubscribe_path(message), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert EmailPreferences.objects.get(user=owner).message == "off"
    mail.outbox.clear()
    do_send_message(friend, owner, "hello again")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=owner).count() == 2  # still in the app


def test_the_unsubscribe_page_asks_before_acting_and_rejects_forged_tokens(owner):
    token = emails.unsubscribe_token(owner.pk, "mention")
    client = Client()
    page = client.get(reverse("community:unsubscribe", args=[token]))
    assert "Mentions of you" in page.content.decode()
    assert EmailPreferences.objects.filter(user=owner).count() == 0
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert client.post(reverse("community:unsubscribe", args=[forged])).status_code == 400


def test_replies_come_in_a_daily_digest(thread, owner, friend):
    do_reply(friend, thread, "first reply")
    do_react(friend, thread.posts.get(position=0), "hug")  # reactions: off by default
    assert not [m for m in mail.outbox if owner.email in m.to]
    call_command("send_digests")
    digests = [m for m in mail.outbox if owner.email in m.to]
    assert len(digests) == 1
    digest = digests[0]
    assert "daily community digest: 1 new" in digest.subject
    assert "Friend replied in “Digest me”" in digest.body and "first reply" not in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail.outbox.clear()
    call_command("send_digests")
    assert not [m for m in mail.outbox if owner.email in m.to]  # nothing twice


def test_read_notifications_are_left_out_of_the_digest(thread, owner, friend):
    do_reply(friend, thread, "seen already")
    do_mark_notifications_read(owner)
    call_command("send_digests")
    assert not [m for m in mail.outbox if owner.email in m.to]


def test_choices_per_kind_are_saved(owner_client, owner):
    data = {
        "reply": "immediate",
        "mention": "daily",
        "reaction": "daily",
        "message": "off",
        "moderation": "immediate",
        "group": "off",
    }
    assert owner_client.post(reverse("community:email_settings"), data).status_code == 302
    prefs = EmailPreferences.objects.get(user=owner)
    assert (prefs.reply, prefs.mention, prefs.message) == ("immediate", "daily", "off")


def test_newsletter_needs_double_opt_in(owner, owner_client):
    owner_client.post(reverse("community:newsletter"), {"subscribe": "1"})
    subscription = NewsletterSubscription.objects.get(user=owner)
    assert subscription.status == "pending"
    confirmation = mail.outbox[-1]
    assert "confirm" in confirmation.subject.lower()
    assert "List-Unsubscribe" not in confirmation.extra_headers
    link = next(line for line in confirmation.body.splitlines() if "/newsletter/confirm/" in line).strip()
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    anonymous = Client()
    assert "Yes, subscribe me" in anonymous.get(path).content.decode()  # link scanners do not subscribe anyone
    subscription.refresh_from_db()
    assert subscription.status == "pending"
    anonymous.post(path)
    subscription.refresh_from_db()
    assert subscription.status == "confirmed"
    assert anonymous.post("/community/newsletter/confirm/not-a-token/").status_code == 400


def test_a_newsletter_goes_only_to_confirmed_subscribers_once(owner, friend, stranger):
    NewsletterSubscription.objects.create(user=owner, status="confirmed")
    NewsletterSubscription.objects.create(user=friend, status="pending")
    NewsletterSubscription.objects.create(user=stranger, status="unsubscribed")
    issue = NewsletterIssue.objects.create(subject="Spring news", body="A new article on **pacing**.")
    do_send_newsletter(issue)
    sent = [m for m in mail.outbox if m.subject.endswith("Spring news")]
    assert [m.to for m in sent] == [[owner.email]]
    assert sent[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    issue.refresh_from_db()
    assert issue.sent_at is not None and issue.recipient_count == 1
    Client().post(_unsubscribe_path(sent[0]))
    assert NewsletterSubscription.objects.get(user=owner).status == "unsubscribed"


def test_by_default_sending_is_queued_in_the_database_not_done_in_the_request(settings, owner, friend):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    do_send_message(friend, owner, "queued")
    assert mail.outbox == []
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("send_notification_email")
    # What the worker (`fibrotrack db_worker`) does with the row:
    task.task.call(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])
    assert mail.outbox[-1].to == [owner.email]


def test_redis_settings_choose_the_rq_backend(monkeypatch):
    import importlib

    import config.settings as project_settings

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
        assert "django_rq" in reloaded.INSTALLED_APPS
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(project_settings)
    # Without REDIS_URL, the database queue is the default.
    assert project_settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_rq" not in project_settings.INSTALLED_APPS


def test_a_queue_outside_the_database_is_handed_tasks_only_after_commit(django_capture_on_commit_callbacks):
    """A Redis worker must never look for a notification row that is not committed yet."""
    from fibrotrack.lib.tasks import enqueue

    class RQBackend:
        pass

    enqueued = []

    class Task:
        def get_backend(self):
            return RQBackend()

        def enqueue(self, *args):
            enqueued.append(args)

    with django_capture_on_commit_callbacks(execute=True):
        enqueue(Task(), 7)
        assert enqueued == []
    assert enqueued == [(7,)]


def test_the_digest_leaves_out_notifications_older_than_a_week(thread, owner, friend):
    import datetime as dt
    from io import StringIO

    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() - dt.timedelta(days=8)):
        do_reply(friend, thread, "an old reply")
    output = StringIO()
    call_command("send_digests", stdout=output)
    assert "Queued digests for 0 people" in output.getvalue()
    assert not [m for m in mail.outbox if owner.email in m.to]
    do_reply(friend, thread, "a new reply")
    call_command("send_digests", stdout=output)
    assert "Queued digests for 1 people" in output.getvalue()
    digest = next(m for m in mail.outbox if owner.email in m.to)
    assert "1 new" in digest.subject
