"""People and their preferences.

The login is the e-mail address. ``display_name`` is a pseudonym: the only
name the community ever shows, so that nobody's health is tied to their
real identity by accident.
"""

from __future__ import annotations

import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            gettext("“%(zone)s” is not a time zone we know. Pick one from the list.") % {"zone": value}
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Units(models.TextChoices):
        # Automatic: the usual units where the person is (lib/l10n.py): US units in the US, metric elsewhere.
        AUTOMATIC = "", _("Automatic: the usual units where you are")
        METRIC = "metric", _("Metric (kg, °C)")
        US = "us", _("US (lb, °F)")

    class PaperSize(models.TextChoices):
        AUTOMATIC = "", _("Automatic: US Letter in the US and Canada, else A4")
        A4 = "a4", _("A4")
        LETTER = "letter", _("US Letter")

    class Theme(models.TextChoices):
        AUTO = "auto", _("Automatic: the same as this device")
        LIGHT = "light", _("Light")
        DARK = "dark", _("Dark")

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("A pseudonym. It is the only name other people see in the community."),
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    day_starts_at_hour = models.PositiveSmallIntegerField(
        _("a new diary day starts at"),
        default=4,
        validators=[MinValueValidator(0), MaxValueValidator(12)],
        help_text=_("Entries before this hour count for the day before, so 1 a.m. is still “last night”."),
    )
    reminder_time = models.TimeField(_("daily reminder"), null=True, blank=True)
    # Stored values stay SI whatever this says: it changes only what is shown.
    units = models.CharField(max_length=8, choices=Units.choices, default=Units.AUTOMATIC, blank=True)
    # The doctor's report's PDF; automatic follows the time zone (``accounts.paper``).
    paper_size = models.CharField(
        _("paper size"), max_length=8, choices=PaperSize.choices, default=PaperSize.AUTOMATIC, blank=True
    )
    # Rendered as <html data-theme> by base.html, so the page never flashes the other theme.
    theme = models.CharField(
        _("light or dark"),
        max_length=5,
        choices=Theme.choices,
        default=Theme.AUTO,
        help_text=_("Dark is easier on the eyes at night or with light sensitivity."),
    )
    # Blank: follow the browser (Accept-Language). Set by the settings page and the footer's switcher.
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        default="",
        help_text=_("Leave it on automatic to follow your browser."),
    )
    onboarded_at = models.DateTimeField(null=True, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped (by UPDATE only) whenever something that every check-in reads changes:
    # tracked symptoms, tags, regimens, side effects, trials. It keys the
    # per-person memo in ``fibrotrack.lib.usercache``; see that module.
    cache_version = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A full save of an instance loaded before a bump must not roll the
        # version back, or a stale memo would become current again.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "cache_version"
            ]
        super().save(*args, **kwargs)

    @property
    def public_name(self) -> str:
        return self.display_name or f"member-{self.pk}"
