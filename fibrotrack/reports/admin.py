"""Admin: sharing records are shown for support, never edited (tokens exist only as hashes)."""

from django.contrib import admin

from fibrotrack.reports.models import AccessLogEntry, ClinicianGrant, ShareLink


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnly):
    list_display = ("id", "user", "label", "start", "end", "created_at", "expires_at", "revoked_at")
    exclude = ("token_hash",)
    list_select_related = ("user",)


@admin.register(ClinicianGrant)
class ClinicianGrantAdmin(ReadOnly):
    list_display = ("id", "patient", "email", "clinician", "status", "created_at", "accepted_at", "ended_at")
    list_filter = ("status",)
    exclude = ("token_hash",)
    list_select_related = ("patient", "clinician")


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnly):
    list_display = ("at", "patient", "via", "who", "what")
    list_filter = ("via",)
    list_select_related = ("patient",)
