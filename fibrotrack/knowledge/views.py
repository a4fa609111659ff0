"""Article list and search, the article page with its comments, "how we grade", and the newsletter pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.community import crisis, markup
from fibrotrack.community.access.permissions import get_permissions
from fibrotrack.community.models import NewsletterIssue
from fibrotrack.community.views.base import community_view
from fibrotrack.community.views.posts import after_post_message
from fibrotrack.knowledge import comments, newsletter
from fibrotrack.knowledge.access import get_article
from fibrotrack.knowledge.display import GRADE_EXPLANATIONS, safety_titles, trial_url
from fibrotrack.knowledge.forms import CommentForm, ComposeForm, FilterForm
from fibrotrack.knowledge.models import Article, Category, Grade, Symptom
from fibrotrack.knowledge.search import find_articles

PER_PAGE = 30


def article_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = form.filters() if request.GET else {"query": "", "categories": [], "grades": [], "symptoms": []}
    page = Paginator(find_articles(**filters), PER_PAGE).get_page(request.GET.get("page"))
    base = {k: v for k, v in request.GET.lists() if k != "page"}
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "articles": list(page.object_list),
        "filters": filters,
        "searching": any(filters.values()),
        "page_query": urlencode(base, doseq=True),
        "grade_labels": dict(Grade.choices),
        "category_labels": dict(Category.choices),
        "quick_categories": Category.choices,
    }
    return render(request, "knowledge/list.html", context)


def _comment_context(request: HttpRequest, article: Article) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {"comments_for_members": True}
    perms = get_permissions(request)  # type: ignore[arg-type]
    posts = comments.visible_comments(perms, article)
    refusal = comments.comment_refusal(perms, article)
    return {
        "comments": posts,
        # The thread's first post is the site's "Comments on ..." line, not a comment.
        "comments_total": article.thread.post_count - 1 if article.thread is not None else 0,
        "comment_form": CommentForm() if refusal is None else None,
        "comment_refusal": refusal,
        "show_crisis": any(p.mentions_crisis for p in posts),
        "crisis_resources": crisis.resources_html(),
    }


def _article_context(request: HttpRequest, the_article: Article) -> dict[str, Any]:
    return {
        "article": the_article,
        "grade_label": the_article.get_grade_display(),
        "grade_explanation": GRADE_EXPLANATIONS[the_article.grade],
        "symptom_labels": [label for value, label in Symptom.choices if value in the_article.symptoms],
        "safety": safety_titles(the_article.treatment),
        "trial_url": trial_url(the_article),
        **_comment_context(request, the_article),
    }


def article(request: HttpRequest, key: str) -> HttpResponse:
    the_article = get_article(key)
    return render(request, "knowledge/article.html", _article_context(request, the_article))


@community_view
@require_POST
def comment(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    the_article = get_article(key)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            post = comments.do_comment(
                request.user, the_article, form.cleaned_data["body"], permissions=get_permissions(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            after_post_message(request, post)
            return redirect(f"{the_article.get_absolute_url()}#post-{post.pk}")
    context = {**_article_context(request, the_article), "comment_form": form}
    return render(request, "knowledge/article.html", context, status=400)


def how_we_grade(request: HttpRequest) -> HttpResponse:
    grades = [(value, label, GRADE_EXPLANATIONS[value]) for value, label in Grade.choices]
    return render(request, "knowledge/how_we_grade.html", {"grades": grades})


def newsletter_archive(request: HttpRequest) -> HttpResponse:
    issues = NewsletterIssue.objects.exclude(sent_at=None).only("pk", "subject", "sent_at").order_by("-sent_at")
    page = Paginator(issues, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "knowledge/newsletter_archive.html", {"page": page, "issues": list(page.object_list)})


def newsletter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(NewsletterIssue.objects.exclude(sent_at=None), pk=pk)
    return render(request, "knowledge/newsletter_issue.html", {"issue": issue, "html": markup.render(issue.body).html})


@login_required
def newsletter_compose(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied(_("Only the site's staff compose the newsletter."))
    changed = list(newsletter.changed_since_last_issue().values_list("pk", flat=True))
    form = ComposeForm(request.POST or None, initial={"articles": changed})
    preview = None
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        articles = list(cd["articles"])
        if "send" in request.POST:
            issue = newsletter.do_compose_issue(request.user, cd["subject"], cd["intro"], articles)
            newsletter.do_send_issue(issue)
            messages.success(request, _("The issue is being sent to every confirmed subscriber."))
            return redirect(reverse("knowledge:newsletter_archive"))
        preview = markup.render(newsletter.issue_body(cd["intro"], articles)).html
    return render(
        request,
        "knowledge/newsletter_compose.html",
        {"form": form, "preview": preview, "changed_count": len(changed)},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
