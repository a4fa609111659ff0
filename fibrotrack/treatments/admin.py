from django.contrib import admin

from fibrotrack.treatments.models import Regimen, SideEffect, Treatment


@admin.register(Treatment)
class TreatmentAdmin(admin.ModelAdmin[Treatment]):
    """The catalogue is reference data; people's own entries show only their name and owner."""

    list_display = ("name", "category", "key", "user", "is_opioid", "is_opioid_antagonist", "is_serotonergic")
    list_filter = ("category", "is_opioid", "is_opioid_antagonist", "is_serotonergic", "is_sedative")
    search_fields = ("name", "key")
    raw_id_fields = ("user",)


# Health data is deliberately not browsable in the admin: operators have no
# business reading what people take. Only structure is exposed, read-only.
@admin.register(Regimen)
class RegimenAdmin(admin.ModelAdmin[Regimen]):
    list_display = ("user", "started_on", "stopped_on")
    fields = ("user", "started_on", "stopped_on", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(SideEffect)
class SideEffectAdmin(admin.ModelAdmin[SideEffect]):
    list_display = ("user", "onset_on")
    fields = ("user", "onset_on", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False
