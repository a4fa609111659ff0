"""Django admin for site admins: groups, forums, moderators, bans, reports, the log, the newsletter.

Writes that have side effects go through ``actions`` here too: creating a
group creates its forum; groups, memberships (moderators appointed or removed,
requests approved) and bans changed here are written to the moderation log
and the people concerned are told, as with the in-app tools; sending a
newsletter is a task.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from fibrotrack.community.actions.audit import (
    do_record_admin_ban,
    do_record_admin_group_change,
    do_record_admin_membership_changes,
    membership_states,
)
from fibrotrack.community.actions.group_admin import GroupSettings
from fibrotrack.community.actions.groups import do_ensure_group_forum
from fibrotrack.community.actions.newsletter import do_send_newsletter
from fibrotrack.community.models import (
    Ban,
    Forum,
    Membership,
    ModerationAction,
    ModeratorWarning,
    NewsletterIssue,
    NewsletterSubscription,
    Report,
    SupportGroup,
)


class MembershipInline(admin.TabularInline[Membership, SupportGroup]):
    model = Membership
    extra = 1
    fields = ("user", "role", "status", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)


@admin.register(SupportGroup)
class SupportGroupAdmin(admin.ModelAdmin[SupportGroup]):
    list_display = ("name", "kind", "is_listed", "position")
    list_filter = ("kind", "is_listed")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)
    inlines = (MembershipInline,)
    exclude = ("rules_html",)

    def save_model(self, request: HttpRequest, obj: SupportGroup, form: Any, change: bool) -> None:
        fields = GroupSettings.GROUP_FIELDS
        before = SupportGroup.objects.filter(pk=obj.pk).values(*fields).first() if change else None
        super().save_model(request, obj, form, change)
        do_ensure_group_forum(obj)
        changed = [name for name in fields if before is not None and before[name] != getattr(obj, name)]
        do_record_admin_group_change(request.user, obj, created=not change, changed=changed)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        group = form.instance
        before = membership_states(group)
        super().save_formset(request, form, formset, change)
        do_record_admin_membership_changes(request.user, group, before, membership_states(group))


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin[Forum]):
    list_display = ("name", "slug", "group", "staff_only_threads", "position")
    list_filter = ("staff_only_threads",)
    search_fields = ("name",)

    def get_readonly_fields(self, request: HttpRequest, obj: Forum | None = None) -> tuple[str, ...]:
        return ("group",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "group", "role", "status", "created_at")
    list_filter = ("role", "status", "group")
    autocomplete_fields = ("user",)
    search_fields = ("user__email", "user__display_name", "group__name")

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        old = Membership.objects.filter(pk=obj.pk).values_list("group_id", "user_id").first() if change else None
        before = {}
        if old is not None:  # the row may have moved to another person or group: that one loses it
            old_group = SupportGroup.objects.get(pk=old[0])
            before = membership_states(old_group, [old[1]])
        super().save_model(request, obj, form, change)
        if old is not None and (old[0], old[1]) != (obj.group_id, obj.user_id):
            do_record_admin_membership_changes(request.user, old_group, before, {})
            before = {}
        after = membership_states(obj.group, [obj.user_id])
        do_record_admin_membership_changes(request.user, obj.group, before, after)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        before = membership_states(obj.group, [obj.user_id])
        super().delete_model(request, obj)
        do_record_admin_membership_changes(request.user, obj.group, before, {})

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("group"):
            self.delete_model(request, membership)


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin[Ban]):
    list_display = ("user", "group", "reason", "created_at", "expires_at", "lifted_at")
    list_filter = ("group",)
    autocomplete_fields = ("user",)
    search_fields = ("user__email", "user__display_name", "reason")
    readonly_fields = ("moderator", "created_at")

    def save_model(self, request: HttpRequest, obj: Ban, form: Any, change: bool) -> None:
        was_lifted = False
        if change:
            was_lifted = Ban.objects.filter(pk=obj.pk).exclude(lifted_at=None).exists()
        else:
            obj.moderator = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        do_record_admin_ban(request.user, obj, created=not change, was_lifted=was_lifted)


@admin.register(ModeratorWarning)
class ModeratorWarningAdmin(admin.ModelAdmin[ModeratorWarning]):
    list_display = ("user", "reason", "moderator", "created_at")
    readonly_fields = ("user", "moderator", "post", "reason", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    list_display = ("__str__", "status", "reporter", "created_at")
    list_filter = ("status", "reason")
    readonly_fields = ("reporter", "post", "message", "reported_user", "reason", "details", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin[ModerationAction]):
    """The audit log is append-only, here as everywhere."""

    list_display = ("created_at", "action", "moderator", "target_user", "group", "reason")
    list_filter = ("action", "group")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NewsletterSubscription)
class NewsletterSubscriptionAdmin(admin.ModelAdmin[NewsletterSubscription]):
    list_display = ("user", "status", "requested_at", "confirmed_at")
    list_filter = ("status",)
    readonly_fields = ("user", "status", "requested_at", "confirmed_at", "unsubscribed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # strictly opt-in: only the person subscribes, by double opt-in


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin[NewsletterIssue]):
    list_display = ("subject", "created_at", "sent_at", "recipient_count")
    readonly_fields = ("sent_at", "recipient_count")
    actions = ("send_issue",)

    @admin.action(description=gettext_lazy("Send to confirmed subscribers"))
    def send_issue(self, request: HttpRequest, queryset: QuerySet[NewsletterIssue]) -> None:
        for issue in queryset:
            if issue.sent_at is not None:
                self.message_user(
                    request, gettext("“%(issue)s” was already sent.") % {"issue": issue}, messages.WARNING
                )
                continue
            do_send_newsletter(issue)
            self.message_user(request, gettext("“%(issue)s” is queued for sending.") % {"issue": issue})
