"""Admin: the outcome computations and their cells, and a button for staff to recompute now (in the background).

People's consents are not listed here: who shares is nobody else's business.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, path

from fibrotrack.knowledge.outcome_models import OutcomeRun, TreatmentOutcome


def queue_recompute(request: HttpRequest) -> None:
    from fibrotrack.knowledge.tasks import compute_outcomes
    from fibrotrack.lib.tasks import enqueue

    enqueue(compute_outcomes)
    messages.success(request, "Queued: the worker recomputes every treatment's figures in the background.")


@admin.register(OutcomeRun)
class OutcomeRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("finished_at", "started_at", "sharing_people", "cells")
    readonly_fields = ("started_at", "finished_at", "sharing_people", "cells")
    change_list_template = "admin/knowledge/outcomerun/change_list.html"
    actions = ("recompute_now",)

    @admin.action(description="Recompute what worked for others now (in the background)")
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
