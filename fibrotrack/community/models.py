"""The community: support groups, forums, messages, moderation and notifications.

Privacy rules that the schema enforces:

* Every row that holds someone's personal data reaches the user through a
  foreign key with ``on_delete=CASCADE``, so deleting an account deletes it.
  The one exception is a post whose author chose "keep my posts, anonymised":
  ``actions.deletion.do_prepare_account_deletion`` sets ``author`` to NULL first, and the
  post then has no link to anybody.
* Nothing from the diary is stored here except a ``ProgressCard``: a frozen
  snapshot that the person previewed and attached themselves.
* Audit-log rows point at moderators and targets with ``SET_NULL``: the record
  of what was done outlives the accounts involved, without their data.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Visibility(models.TextChoices):
    ONLY_ME = "only_me", _("Only me")
    MEMBERS = "members", _("Signed-in members")


class SupportGroup(models.Model):
    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public: anyone signed in can join")
        PRIVATE = "private", _("Private: joining takes an invite or a moderator's approval")

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(max_length=1000, blank=True)
    rules = models.TextField(max_length=5000, blank=True, help_text=_("Markdown."))
    rules_html = models.TextField(blank=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PUBLIC)
    is_listed = models.BooleanField(
        _("listed in the directory"),
        default=True,
        help_text=_(
            "A listed private group shows its name and description so that people can ask to join. "
            "An unlisted one is invisible to everyone but its members and the people invited."
        ),
    )
    position = models.PositiveSmallIntegerField(default=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["position", "name"]
        verbose_name = _("support group")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:forum", args=[self.slug])

    @property
    def is_private(self) -> bool:
        return self.kind == self.Kind.PRIVATE


class Forum(models.Model):
    """A place for threads: either a group's forum or a site-wide category."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(max_length=1000, blank=True)
    group = models.OneToOneField(SupportGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="forum")
    staff_only_threads = models.BooleanField(
        _("only moderators start threads"), default=False, help_text=_("For announcements.")
    )
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering: ClassVar = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:forum", args=[self.slug])

    @property
    def is_category(self) -> bool:
        return self.group_id is None


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MODERATOR = "moderator", _("Moderator")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Member")
        REQUESTED = "requested", _("Asked to join")
        INVITED = "invited", _("Invited")

    group = models.ForeignKey(SupportGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    invited_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("message to the moderators"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["group", "user"], name="community_one_membership")]
        indexes: ClassVar = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id} ({self.status}, {self.role})"


class Thread(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.CASCADE, related_name="community_threads")
    title = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    last_poster = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    post_count = models.PositiveIntegerField(default=0)
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    treatments = models.ManyToManyField(
        "treatments.Treatment",
        blank=True,
        related_name="community_threads",
        help_text=_("Catalogue treatments this thread is about."),
    )

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["forum", "-is_pinned", "-last_post_at"], name="community_thread_list"),
            models.Index(fields=["author", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:thread", args=[self.pk])


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.CASCADE, related_name="community_posts")
    position = models.PositiveIntegerField()
    body = models.TextField()
    html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    is_deleted = models.BooleanField(default=False)
    mentions_crisis = models.BooleanField(default=False)
    quote_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Maintained by a database trigger on PostgreSQL (see migration 0002); unused on SQLite, which has FTS5.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["thread", "position"], name="community_post_position")]
        indexes: ClassVar = [
            models.Index(fields=["author", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in thread {self.thread_id}"

    def get_absolute_url(self) -> str:
        return reverse("community:post", args=[self.pk])

    @property
    def is_first(self) -> bool:
        return self.position == 0


class PostRevision(models.Model):
    """An earlier version of a post, kept when its author edits it. Moderators can read these."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    title = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of post {self.post_id}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        SUPPORT = "support", _("Support")
        HELPFUL = "helpful", _("Helpful")
        HUG = "hug", _("Hug")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_reactions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="community_one_reaction_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id} on post {self.post_id}"


class ProgressCard(models.Model):
    """A frozen snapshot from someone's diary, which they chose to share on a post.

    The picture is rendered once, shown to its owner exactly as it will be
    published, and never recomputed: later diary changes do not leak into it.
    """

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_cards")
    post = models.OneToOneField(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="card")
    kind = models.CharField(max_length=40, default="chart")
    title = models.CharField(max_length=200)
    caption = models.CharField(max_length=300, blank=True)
    svg = models.TextField(help_text=_("Rendered by the server from the person's own data, then frozen."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ThreadFollow(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_thread_follows")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "thread"], name="community_unique_thread_follow")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows thread {self.thread_id}"


class UserFollow(models.Model):
    follower = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_following")
    followed = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_followers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["follower", "followed"], name="community_unique_user_follow")
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followed_id}"


class Block(models.Model):
    blocker = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_blocks")
    blocked = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_blocked_by")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["blocker", "blocked"], name="community_unique_block")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocked {self.blocked_id}"


class ThreadRead(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_reads")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "thread"], name="community_unique_thread_read")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read thread {self.thread_id}"


class Profile(models.Model):
    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="community_profile")
    bio = models.TextField(max_length=1000, blank=True)
    bio_visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS)
    diagnosis_year = models.PositiveSmallIntegerField(_("year of diagnosis"), null=True, blank=True)
    diagnosis_year_visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.ONLY_ME)
    treatments_tried = models.ManyToManyField("treatments.Treatment", blank=True, related_name="+")
    treatments_visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.ONLY_ME)
    # Threads whose last post is older than this count as read (Misago's "read cutoff").
    read_cutoff = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Profile of {self.user_id}"


class Conversation(models.Model):
    """Private one-to-one messages. ``user_a`` always has the lower id, so a pair has one conversation."""

    user_a = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    user_b = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    a_read_at = models.DateTimeField(null=True, blank=True)
    b_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user_a", "user_b"], name="community_one_conversation_per_pair"),
            models.CheckConstraint(condition=models.Q(user_a__lt=models.F("user_b")), name="community_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("community:conversation", args=[self.pk])

    def other(self, user_id: int) -> int:
        return self.user_b_id if user_id == self.user_a_id else self.user_a_id


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_messages")
    body = models.TextField()
    html = models.TextField()
    mentions_crisis = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["sender", "created_at"]), models.Index(fields=["conversation", "id"])]

    def __str__(self) -> str:
        return f"Message {self.pk} in conversation {self.conversation_id}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        HARASSMENT = "harassment", _("Harassment")
        MISINFORMATION = "misinformation", _("Medical misinformation")
        SELF_HARM = "self_harm", _("Self-harm concern")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Action taken")
        DISMISSED = "dismissed", _("No action needed")

    reporter = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.CASCADE, related_name="community_reports_made"
    )
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reported_user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.CASCADE, related_name="community_reports_against"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.get_reason_display()})"

    @property
    def is_automatic(self) -> bool:
        return self.reporter_id is None


class ModerationAction(models.Model):
    """The audit log: one row for every moderator action, kept when accounts go."""

    class Action(models.TextChoices):
        HIDE_POST = "hide_post", _("Hid a post")
        RESTORE_POST = "restore_post", _("Restored a post")
        DELETE_POST = "delete_post", _("Deleted a post")
        HIDE_THREAD = "hide_thread", _("Hid a thread")
        RESTORE_THREAD = "restore_thread", _("Restored a thread")
        DELETE_THREAD = "delete_thread", _("Deleted a thread")
        LOCK = "lock", _("Locked a thread")
        UNLOCK = "unlock", _("Unlocked a thread")
        PIN = "pin", _("Pinned a thread")
        UNPIN = "unpin", _("Unpinned a thread")
        MOVE = "move", _("Moved a thread")
        WARN = "warn", _("Warned a person")
        BAN = "ban", _("Banned a person")
        UNBAN = "unban", _("Lifted a ban")
        DISMISS_REPORT = "dismiss_report", _("Dismissed a report")
        RESOLVE_REPORT = "resolve_report", _("Resolved a report")
        APPROVE_MEMBER = "approve_member", _("Approved a member")
        DECLINE_MEMBER = "decline_member", _("Declined a request to join")
        INVITE = "invite", _("Invited a person")
        REMOVE_MEMBER = "remove_member", _("Removed a member")
        SET_ROLE = "set_role", _("Changed a member's role")
        APPOINT_MODERATOR = "appoint_moderator", _("Appointed a group moderator")
        REMOVE_MODERATOR = "remove_moderator", _("Removed a group moderator")
        CREATE_GROUP = "create_group", _("Created a group")
        EDIT_GROUP = "edit_group", _("Changed a group's settings")
        TAG_THREAD = "tag_thread", _("Changed a thread's treatments")

    moderator = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    group = models.ForeignKey(SupportGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(max_length=1000, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        permissions: ClassVar = [("moderate_all", _("Moderate every forum, message report and person"))]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class ModeratorWarning(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_warnings")
    moderator = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"Warning {self.pk} to {self.user_id}"


class Ban(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_bans")
    group = models.ForeignKey(
        SupportGroup,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bans",
        help_text=_("Empty: banned from the whole community."),
    )
    moderator = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty: for good."))
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [models.Index(fields=["user", "lifted_at"])]

    def __str__(self) -> str:
        return f"Ban {self.pk} of {self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("Replies to your threads and posts")
        MENTION = "mention", _("Mentions of you")
        REACTION = "reaction", _("Reactions to your posts")
        MESSAGE = "message", _("Private messages")
        MODERATION = "moderation", _("Moderation decisions")
        GROUP = "group", _("Group invitations and requests")

    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_notifications")
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=200)
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(SupportGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["emailed_at", "kind"]),
        ]

    def __str__(self) -> str:
        return self.text


class EmailChoice(models.TextChoices):
    OFF = "off", _("No e-mail")
    IMMEDIATE = "immediate", _("Straight away")
    DAILY = "daily", _("In a daily digest")


class EmailPreferences(models.Model):
    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="community_email")
    reply = models.CharField(max_length=10, choices=EmailChoice.choices, default=EmailChoice.DAILY)
    mention = models.CharField(max_length=10, choices=EmailChoice.choices, default=EmailChoice.IMMEDIATE)
    reaction = models.CharField(max_length=10, choices=EmailChoice.choices, default=EmailChoice.OFF)
    message = models.CharField(max_length=10, choices=EmailChoice.choices, default=EmailChoice.IMMEDIATE)
    moderation = models.CharField(max_length=10, choices=EmailChoice.choices, default=EmailChoice.IMMEDIATE)
    group = models.CharField(max_length=10, choices=EmailChoice.choices, default=EmailChoice.IMMEDIATE)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("e-mail preferences")

    def __str__(self) -> str:
        return f"E-mail preferences of {self.user_id}"

    def choice_for(self, kind: str) -> str:
        return str(getattr(self, kind, EmailChoice.OFF))


class NewsletterSubscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="community_newsletter")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Newsletter subscription of {self.user_id} ({self.status})"


class NewsletterIssue(models.Model):
    subject = models.CharField(max_length=150)
    body = models.TextField(help_text=_("Markdown. Announcements and new articles."))
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
