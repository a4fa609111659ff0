"""The newsletter: composing from changed articles, sending once to confirmed subscribers, the archive."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fibrotrack.community.emails import read_unsubscribe_token
from fibrotrack.community.models import NewsletterIssue, NewsletterSubscription
from fibrotrack.knowledge import newsletter
from fibrotrack.knowledge.models import Article, Delivery

from .conftest import client_for, person

pytestmark = pytest.mark.django_db

COMPOSE = reverse("knowledge:newsletter_compose")
ARCHIVE = reverse("knowledge:newsletter_archive")


@pytest.fixture
def subscribers(db):
    def make(email, status):
        user = person(email=email)
        NewsletterSubscription.objects.create(user=user, status=status, confirmed_at=timezone.now())
        return user

    S = NewsletterSubscription.Status
    return {
        "confirmed": make("yes@example.org", S.CONFIRMED),
        "confirmed2": make("yes2@example.org", S.CONFIRMED),
        "pending": make("pending@example.org", S.PENDING),
        "gone": make("gone@example.org", S.UNSUBSCRIBED),
    }


def test_only_confirmed_subscribers_get_one_email_each_with_unsubscribe_headers(articles, staff, subscribers):
    issue = newsletter.do_compose_issue(staff, "New articles", "Hello.", [articles["tai_chi"]])
    newsletter.do_send_issue(issue)
    assert sorted(m.to[0] for m in mail.outbox) == ["yes2@example.org", "yes@example.org"]
    message = mail.outbox[0]
    assert message.subject.endswith("New articles")
    assert "Tai chi" in message.body and "/knowledge/tai_chi/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    user_id, kind = read_unsubscribe_token(link.rstrip("/").rsplit("/", 1)[1])
    assert kind == "newsletter" and user_id in {subscribers["confirmed"].pk, subscribers["confirmed2"].pk}
    issue.refresh_from_db()
    assert issue.sent_at is not None and issue.recipient_count == 2


def test_sending_again_never_sends_twice(articles, staff, subscribers):
    issue = newsletter.do_compose_issue(staff, "Once", "", [articles["tai_chi"]])
    newsletter.do_send_issue(issue)
    newsletter.do_send_issue(issue)
    newsletter.send_issue_to.call(issue.pk, subscribers["confirmed"].pk)  # a retried task
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(issue=issue).count() == 2
    # Someone who confirms later gets it on the next send; the others do not get it again.
    late = subscribers["pending"]
    NewsletterSubscription.objects.filter(user=late).update(status=NewsletterSubscription.Status.CONFIRMED)
    newsletter.do_send_issue(issue)
    assert [m.to[0] for m in mail.outbox[2:]] == [late.email]


def test_a_failed_send_is_not_logged_so_a_resend_reaches_that_person(articles, staff, subscribers, monkeypatch):
    issue = newsletter.do_compose_issue(staff, "Retry", "", [articles["tai_chi"]])

    def broken(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with pytest.raises(OSError):
        newsletter.send_issue_to.call(issue.pk, subscribers["confirmed"].pk)
    assert not Delivery.objects.exists()
    monkeypatch.undo()
    assert newsletter.send_issue_to.call(issue.pk, subscribers["confirmed"].pk) is True


def test_an_unsubscribed_person_is_skipped_even_if_queued(articles, staff, subscribers):
    issue = newsletter.do_compose_issue(staff, "Late", "", [articles["tai_chi"]])
    assert newsletter.send_issue_to.call(issue.pk, subscribers["gone"].pk) is False
    assert newsletter.send_issue_to.call(issue.pk, subscribers["pending"].pk) is False
    assert mail.outbox == []


def test_compose_ticks_articles_changed_since_the_last_issue(articles, staff):
    client = client_for(staff)
    assert set(client.get(COMPOSE).context["form"].initial["articles"]) == {a.pk for a in articles.values()}
    newsletter.do_compose_issue(staff, "First", "", list(articles.values()))
    Article.objects.filter(key="tai_chi").update(updated_at=timezone.now())
    initial = client.get(COMPOSE).context["form"].initial["articles"]
    assert initial == [articles["tai_chi"].pk]


def test_staff_preview_then_send_from_the_page(articles, staff, subscribers):
    client = client_for(staff)
    data = {"subject": "December", "intro": "New this month.", "articles": [articles["naltrexone"].pk]}
    preview = client.post(COMPOSE, {**data, "preview": "1"})
    assert preview.status_code == 200 and "Low-dose naltrexone" in preview.context["preview"]
    assert not NewsletterIssue.objects.exists() and mail.outbox == []
    response = client.post(COMPOSE, {**data, "send": "1"})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    archive = client_for(subscribers["pending"]).get(ARCHIVE).content.decode()
    issue = NewsletterIssue.objects.get()
    assert "December" in archive
    page = client_for(subscribers["pending"]).get(reverse("knowledge:newsletter_issue", args=[issue.pk]))
    assert "New this month." in page.content.decode()


def test_compose_refuses_no_articles(articles, staff):
    response = client_for(staff).post(COMPOSE, {"subject": "Empty", "send": "1"})
    assert response.status_code == 400 and not NewsletterIssue.objects.exists()


def test_only_staff_may_compose(client, articles, member):
    response = client.get(COMPOSE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(member).get(COMPOSE).status_code == 403
    client_for(member).post(COMPOSE, {"subject": "x", "articles": [articles["tai_chi"].pk], "send": "1"})
    assert not NewsletterIssue.objects.exists()


def test_the_archive_lists_only_sent_issues_to_anyone(client, articles, staff, django_assert_num_queries):
    unsent = NewsletterIssue.objects.create(subject="Draft issue", body="x")
    for i in range(3):
        NewsletterIssue.objects.create(subject=f"Sent {i}", body="x", sent_at=timezone.now())
    with django_assert_num_queries(2):
        page = client.get(ARCHIVE).content.decode()
    assert "Sent 2" in page and "Draft issue" not in page
    assert client.get(reverse("knowledge:newsletter_issue", args=[unsent.pk])).status_code == 404
    for i in range(30):
        NewsletterIssue.objects.create(subject=f"More {i}", body="x", sent_at=timezone.now())
    with django_assert_num_queries(2):
        client.get(ARCHIVE)
