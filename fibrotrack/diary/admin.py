from django.contrib import admin

from fibrotrack.diary.models import Acr2016Assessment, CheckIn, CheckInRevision, Tag, TrackedSymptom


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    list_display = ("name", "key", "user", "is_trigger")
    list_filter = ("is_trigger",)
    search_fields = ("name", "key")
    raw_id_fields = ("user",)


# Health data is deliberately not browsable in the admin: operators have no
# business reading diaries. Only counts and structure are exposed.
@admin.register(TrackedSymptom)
class TrackedSymptomAdmin(admin.ModelAdmin[TrackedSymptom]):
    list_display = ("name", "user", "is_active", "is_custom")
    raw_id_fields = ("user",)


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin[CheckIn]):
    list_display = ("user", "day", "updated_at")
    date_hierarchy = "day"
    raw_id_fields = ("user",)
    fields = ("user", "day", "created_at", "updated_at")
    readonly_fields = ("user", "day", "created_at", "updated_at")

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(CheckInRevision)
class CheckInRevisionAdmin(admin.ModelAdmin[CheckInRevision]):
    list_display = ("user", "day", "action", "created_at")
    fields = ("user", "day", "action", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Acr2016Assessment)
class Acr2016AssessmentAdmin(admin.ModelAdmin[Acr2016Assessment]):
    list_display = ("user", "day")
    fields = ("user", "day")
    readonly_fields = fields
