"""The installable app's server side: the manifest, the service worker's headers and the offline page."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_manifest_makes_the_check_in_installable(client):
    response = client.get("/manifest.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == settings.SITE_NAME and manifest["short_name"]
    assert manifest["start_url"] == reverse("diary:today") == manifest["id"]
    assert (manifest["scope"], manifest["display"]) == ("/", "standalone")
    assert manifest["theme_color"].startswith("#") and manifest["background_color"].startswith("#")
    icons = {(icon["sizes"], icon.get("purpose", "any")): icon["src"] for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (sizes, _), src in icons.items():
        with Image.open(finders.find(src.removeprefix(settings.STATIC_URL))) as image:
            assert (image.format, f"{image.width}x{image.height}") == ("PNG", sizes)


def test_every_page_links_the_manifest(client):
    assert '<link rel="manifest" href="/manifest.json">' in client.get("/offline/").content.decode()


def test_the_service_worker_is_served_from_the_root_and_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert "importScripts(" in body
    for script in ("js/outbox.js", "js/sw.js", "js/sw-push.js"):
        assert f"{settings.STATIC_URL}{script}" in body


def test_the_worker_keeps_the_app_shell_and_the_offline_page(client):
    body = client.get("/sw.js").content.decode()
    config = json.loads(body.split("self.FT = ", 1)[1].split(";\n", 1)[0])
    assert "/offline/" in config["shell"] and f"{settings.STATIC_URL}css/app.css" in config["shell"]
    checkin = re.compile(config["checkin"])  # the same syntax in JavaScript
    assert checkin.match(reverse("diary:today"))
    assert checkin.match(reverse("diary:day", args=["2026-12-05"]))
    assert not checkin.match(reverse("diary:delete", args=["2026-12-05"]))
    assert not checkin.match(reverse("diary:history"))
    assert len(config["version"]) == 16


def test_a_changed_file_changes_the_worker_version(client, tmp_path, settings):
    before = client.get("/sw.js").content
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "sw.js").write_text("// a newer worker")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    assert client.get("/sw.js").content != before


def test_the_content_security_policy_allows_the_worker_and_the_manifest(client):
    policy = client.get("/offline/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # still no inline script


def test_the_offline_page_points_to_the_check_in(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert reverse("diary:today") in response.content.decode()


def test_the_service_worker_refuses_a_post(client):
    assert client.post("/sw.js").status_code == 405
