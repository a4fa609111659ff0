"""Admin: import jobs are shown for support ("why did my import fail?"), never added or edited.

The token exists only as a hash, and ``result`` lists rows of the person's
diary that were left out, so neither is shown.
"""

from django.contrib import admin

from fibrotrack.portability.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "user", "format", "status", "rows", "created_at", "finished_at")
    list_filter = ("status", "format")
    exclude = ("token_hash", "result")
    list_select_related = ("user",)

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
