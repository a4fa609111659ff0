from __future__ import annotations

import zoneinfo
from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.flows.signup import complete_signup
from allauth.account.utils import filter_users_by_email
from allauth.core.exceptions import ImmediateHttpResponse
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fibrotrack.accounts.models import User
from fibrotrack.lib.i18n import offered_languages


def language_choices() -> list[tuple[str, StrOrPromise]]:
    return [("", _("Automatic")), *offered_languages()]


class LanguageSelect(forms.Select):
    """Each language's name is in that language ("Deutsch"): say so, for screen readers and the eye."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = str(value)
        return option


HOURS = [(h, f"{h}:00" if h else _("midnight")) for h in range(13)]


def time_zone_choices() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in sorted(zoneinfo.available_timezones()) if "/" in z or z == "UTC"]


class SettingsForm(forms.ModelForm[User]):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    day_starts_at_hour = forms.TypedChoiceField(
        label=_("A new diary day starts at"),
        choices=HOURS,
        coerce=int,
        help_text=_("Entries before this hour count for the day before, so 1 a.m. is still “last night”."),
    )
    # Optional in the form: a post without it (an older page) keeps the setting.
    theme = forms.ChoiceField(
        label=_("Light or dark"),
        choices=User.Theme.choices,
        required=False,
        help_text=_("Dark is easier on the eyes at night or with light sensitivity."),
    )

    # Optional in the form too: only the languages on offer (lib/i18n.py), blank = follow the browser.
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        widget=LanguageSelect,
        required=False,
        help_text=_("Automatic follows your browser."),
    )

    class Meta:
        model = User
        # The daily reminder's time is set on the reminders page, beside its channels and pause.
        fields = ("display_name", "time_zone", "day_starts_at_hour", "units", "paper_size", "theme", "language")
        # The model's fields have no translatable verbose names (adding them would need a migration).
        labels = {"display_name": _("Name in the community"), "units": _("Units")}
        help_texts = {
            "display_name": _("A pseudonym. It is the only name other people see in the community."),
            "paper_size": _("For the PDF of your doctor’s report. Automatic goes by your time zone."),
        }

    def clean_language(self) -> str:
        # A post from an older page (no such field) keeps the setting; "" in the post means automatic.
        if "language" not in self.data:
            return self.instance.language
        language: str = self.cleaned_data.get("language") or ""
        return language

    def clean_theme(self) -> str:
        theme: str = self.cleaned_data.get("theme") or self.instance.theme
        return theme


class OnboardingForm(forms.Form):
    """The person's own part of the welcome page; registered steps add theirs (``onboarding_steps``)."""

    time_zone = forms.ChoiceField(label=_("Your time zone"), choices=time_zone_choices, initial="UTC")
    day_starts_at_hour = forms.TypedChoiceField(
        label=_("A new diary day starts at"), choices=HOURS, coerce=int, initial=4
    )
    display_name = forms.CharField(
        label=_("Name to show in the community (optional)"),
        max_length=40,
        required=False,
        help_text=_("Use a nickname, not your real name."),
    )


class DeleteAccountForm(forms.Form):
    posts = forms.ChoiceField(
        label=_("Your community posts"),
        choices=[
            ("delete", _("Delete them too")),
            ("keep", _("Leave them up without my name, so replies still make sense")),
        ],
        initial="delete",
        widget=forms.RadioSelect,
    )
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"),
        help_text=_("This permanently erases your diary, treatments, trials and everything else in your account."),
    )
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm(self) -> str:
        value: str = self.cleaned_data["confirm"]
        if value.strip().upper() != "DELETE":
            raise ValidationError(gettext("Type the word DELETE to confirm."))
        return value

    def clean_password(self) -> str:
        value: str = self.cleaned_data["password"]
        if not self.user.check_password(value):
            raise ValidationError(gettext("That password is not right."))
        return value


class SignupForm(AllauthSignupForm):  # type: ignore[misc]  # allauth ships no types
    """Sign-up that answers the same whether or not the address already has an account.

    allauth can hide this only when every login needs a confirmed address; here
    existing accounts may sign in unconfirmed (ACCOUNT_EMAIL_VERIFICATION
    "optional"), so a sign-up confirms its address first instead: a new address
    gets the confirmation link, a known one an "you already have an account"
    e-mail, and the page says "check your e-mail" either way.
    """

    def validate_unique_email(self, value: str) -> str:
        self.account_already_exists = bool(filter_users_by_email(value))
        return value

    def try_save(self, request: HttpRequest) -> tuple[Any, HttpResponse]:
        adapter = get_adapter()
        if self.account_already_exists:
            adapter.send_account_already_exists_mail(self.cleaned_data["email"])
            return None, adapter.respond_email_verification_sent(request, None)
        user = self.save(request)
        try:
            response = complete_signup(
                request, user=user, email_verification=allauth_settings.EmailVerificationMethod.MANDATORY
            )
        except ImmediateHttpResponse as stop:
            response = stop.response
        return user, response
