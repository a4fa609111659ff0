"""Staff edit articles here; every save keeps the article as it was before as a revision (shown inline)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from fibrotrack.knowledge import articles
from fibrotrack.knowledge.models import Article, ArticleRevision, Delivery, Edition


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
