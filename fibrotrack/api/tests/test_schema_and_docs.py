"""The schema is OpenAPI 3.1 at a stable URL; the docs page loads only our own files, under the CSP."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_1_at_a_stable_url(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/checkins/{day}" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)) and "save_checkin" in ids


def test_the_docs_page_uses_only_our_static_files_and_no_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith(settings.STATIC_URL) for s in sources), sources
    # The only script without src is Swagger's settings, a JSON data block that never runs.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']
