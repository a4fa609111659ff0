"""Issue 21: the API tokens page is translated; the API's field names and error codes are not (only
its human-facing messages are)."""

import pytest
from django.urls import reverse

from fibrotrack.api.actions import do_create_token
from fibrotrack.api.tests.helpers import ApiClient
from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text

pytestmark = pytest.mark.django_db


def test_the_tokens_page_has_no_untranslated_word(owner, owner_client):
    _token, _secret = do_create_token(owner, name="My script", scope="read", days=30)
    revoked, _ = do_create_token(owner, name="Old phone", scope="write", days=7)
    with pseudo_locale():
        owner_client.post(reverse("api_tokens:revoke", args=[revoked.pk]), HTTP_ACCEPT_LANGUAGE=PSEUDO)
        response = owner_client.post(
            reverse("api_tokens:index"), {"name": "Watch", "scope": "read", "days": "30"}, HTTP_ACCEPT_LANGUAGE=PSEUDO
        )
        page = response.content.decode()
    assert "⟦Your new token⟧" in page
    hints = [t.hint for t in owner.api_tokens.all()]
    assert untranslated_text(page, ignore=[owner.display_name, "My script", "Old phone", "Watch", *hints]) == []


def test_the_api_keeps_its_field_names_and_translates_only_the_message(owner):
    _token, secret = do_create_token(owner, name="Script", scope="read", days=30)
    english = ApiClient(secret).post("symptoms", {"name": "Itch"})
    in_german = ApiClient(secret)
    in_german.headers["Accept-Language"] = "de"
    german = in_german.post("symptoms", {"name": "Itch"})
    assert english.status_code == german.status_code == 403  # a read-only token may not write
    assert set(english.json()) == set(german.json()) == {"detail", "errors"}
    assert english.json()["detail"] != german.json()["detail"]
    assert "Token" in german.json()["detail"]
