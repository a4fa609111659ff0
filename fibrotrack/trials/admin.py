from django.contrib import admin

from fibrotrack.trials.models import Trial


# Health data and allocations are deliberately not browsable in the admin:
# an operator reading the allocation would break the blind. Structure only.
@admin.register(Trial)
class TrialAdmin(admin.ModelAdmin[Trial]):
    list_display = ("id", "user", "template", "status", "start_date")
    list_filter = ("status", "template")
    raw_id_fields = ("user", "custodian")
    fields = ("user", "template", "status", "start_date", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
