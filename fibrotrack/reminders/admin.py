from django.contrib import admin

from fibrotrack.reminders.models import PushSubscription, Reminder, ReminderSend


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin[Reminder]):
    list_display = ("user", "kind", "regimen", "slot", "local_time", "enabled", "next_due_at")
    list_filter = ("kind", "enabled")
    raw_id_fields = ("user", "regimen")


@admin.register(ReminderSend)
class ReminderSendAdmin(admin.ModelAdmin[ReminderSend]):
    """The sent log, for answering "why did I (not) get a reminder?"."""

    list_display = ("reminder", "local_day", "channel", "status", "attempts", "updated_at")
    list_filter = ("channel", "status")
    raw_id_fields = ("reminder",)


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin[PushSubscription]):
    # The endpoint and keys are the device's secrets: not shown.
    list_display = ("user", "user_agent", "created_at")
    fields = ("user", "user_agent", "created_at")
    readonly_fields = fields
