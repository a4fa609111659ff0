"""Read-only admin: studies are changed through the app's actions, which keep their logs."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fibrotrack.studies.models import Membership, Participant, Study


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Study)
class StudyAdmin(ReadOnly):
    list_display = ("title", "short_code", "status", "target_enrolment", "created_at")
    search_fields = ("title", "short_code")


@admin.register(Membership)
class MembershipAdmin(ReadOnly):
    list_display = ("study", "user", "role", "created_at")


@admin.register(Participant)
class ParticipantAdmin(ReadOnly):
    # Codes and statuses only: no allocation and no health data in the admin.
    list_display = ("code", "study", "status", "created_at")
    list_filter = ("status",)
