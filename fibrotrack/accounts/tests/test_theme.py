"""Light or dark: the person's setting is rendered as <html data-theme>, signed-out pages follow the device."""

import re

import pytest
from django.urls import reverse

from fibrotrack.accounts.models import User

SETTINGS = {
    "display_name": "Owl",
    "time_zone": "Europe/Berlin",
    "day_starts_at_hour": "4",
    "units": "metric",
    "paper_size": "",
}


def _theme(response):
    match = re.search(r'<html lang="en" data-theme="([a-z]*)">', response.content.decode())
    assert match, "every page renders data-theme on <html>"
    return match.group(1)


def test_signed_out_pages_and_a_new_person_follow_the_device(client, owner, owner_client):
    assert owner.theme == User.Theme.AUTO
    assert _theme(client.get(reverse("account_login"))) == "auto"
    assert _theme(owner_client.get(reverse("diary:today"))) == "auto"
    page = owner_client.get(reverse("diary:today")).content.decode()
    assert '<meta name="color-scheme" content="light dark">' in page


@pytest.mark.parametrize("theme", ["dark", "light", "auto"])
def test_the_setting_is_saved_and_rendered_on_every_page(owner, owner_client, theme):
    if theme == "auto":
        owner.theme = User.Theme.DARK
        owner.save(update_fields=["theme"])
    response = owner_client.post(reverse("accounts:settings"), {**SETTINGS, "theme": theme})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.theme == theme
    for name in ["diary:today", "diary:history", "accounts:settings", "treatments:list", "community:index"]:
        assert _theme(owner_client.get(reverse(name))) == theme


def test_a_post_without_the_setting_keeps_it(owner, owner_client):
    owner.theme = User.Theme.DARK
    owner.save(update_fields=["theme"])
    assert owner_client.post(reverse("accounts:settings"), SETTINGS).status_code == 302
    owner.refresh_from_db()
    assert owner.theme == User.Theme.DARK


def test_it_refuses_a_theme_it_does_not_know(owner, owner_client):
    response = owner_client.post(reverse("accounts:settings"), {**SETTINGS, "theme": "neon"})
    assert response.status_code == 400
    owner.refresh_from_db()
    assert owner.theme == User.Theme.AUTO


def test_one_persons_theme_never_reaches_another(owner, owner_client, stranger, stranger_client):
    owner_client.post(reverse("accounts:settings"), {**SETTINGS, "theme": "dark"})
    assert _theme(stranger_client.get(reverse("diary:today"))) == "auto"
    # The settings page edits only the person signed in.
    stranger_client.post(reverse("accounts:settings"), {**SETTINGS, "theme": "light"})
    owner.refresh_from_db()
    stranger.refresh_from_db()
    assert (owner.theme, stranger.theme) == ("dark", "light")
    assert _theme(owner_client.get(reverse("diary:today"))) == "dark"


def test_a_signed_out_page_ignores_the_last_persons_theme(client, owner):
    client.force_login(owner)
    client.post(reverse("accounts:settings"), {**SETTINGS, "theme": "dark"})
    client.post(reverse("account_logout"))
    assert _theme(client.get(reverse("account_login"))) == "auto"
