"""Admin: articles (staff edit them; every save keeps the previous text as a revision, shown inline), the
newsletter's editions, and the outcome computations with a button to recompute now (in the background).

People's consents are not listed here: who shares is nobody else's business.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from fibrotrack.knowledge import articles
from fibrotrack.knowledge.models import Article, ArticleRevision, Delivery, Edition
from fibrotrack.knowledge.outcome_models import OutcomeRun, TreatmentOutcome


class RevisionInline(admin.TabularInline[ArticleRevision, Article]):
    model = ArticleRevision
    extra = 0
    can_delete = False
    fields = ("created_at", "source", "changed_by", "note", "front_matter", "body")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    list_display = ("title", "key", "category", "grade", "last_reviewed", "updated_at", "loaded_at")
    list_filter = ("category", "grade")
    search_fields = ("title", "key")
    readonly_fields = ("key", "treatment", "thread", "source_hash", "loaded_at", "created_at", "updated_at")
    inlines = (RevisionInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # articles come from their files; staff edit them here

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        if change and form.changed_data:
            before = Article.objects.get(pk=obj.pk)
            articles.record_revision(before, source="staff", user=request.user, note=", ".join(form.changed_data))
            obj.html = articles.render(obj.body, [s.get("id", "") for s in obj.sources if isinstance(s, dict)])
            obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin[ArticleRevision]):
    list_display = ("article", "source", "changed_by", "note", "created_at")
    list_filter = ("source",)
    readonly_fields = ("article", "changed_by", "source", "note", "front_matter", "body", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin[Edition]):
    list_display = ("issue", "created_by")
    filter_horizontal = ("articles",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ("issue", "user", "sent_at")
    readonly_fields = ("issue", "user", "sent_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


def queue_recompute(request: HttpRequest) -> None:
    from fibrotrack.knowledge.tasks import compute_outcomes
    from fibrotrack.lib.tasks import enqueue

    enqueue(compute_outcomes)
    messages.success(request, gettext("Queued: the worker recomputes every treatment's figures in the background."))


@admin.register(OutcomeRun)
class OutcomeRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("finished_at", "started_at", "sharing_people", "cells")
    readonly_fields = ("started_at", "finished_at", "sharing_people", "cells")
    change_list_template = "admin/knowledge/outcomerun/change_list.html"
    actions = ("recompute_now",)

    @admin.action(description=gettext_lazy("Recompute what worked for others now (in the background)"))
    def recompute_now(self, request: HttpRequest, queryset: Any) -> None:
        queue_recompute(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path("recompute/", self.admin_site.admin_view(self.recompute_view), name="knowledge_outcomes_recompute")
        ]
        return extra + super().get_urls()

    def recompute_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            return HttpResponse(status=403)
        queue_recompute(request)
        return redirect("admin:knowledge_outcomerun_changelist")


@admin.register(TreatmentOutcome)
class TreatmentOutcomeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("treatment", "people", "estimated_people", "improvement_median", "improved_share", "computed_at")
    list_select_related = ("treatment",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
