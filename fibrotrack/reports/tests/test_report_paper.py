"""A Europe/Berlin person gets A4 even from a browser set to English (United States); the setting decides."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

A4 = (595, 842)
LETTER = (612, 792)


def _size(pdf: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def _pdf(client: Any) -> bytes:
    response = client.get(reverse("reports:report_pdf"), {"period": "28"}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    return bytes(response.content)


def test_a_berlin_person_with_a_us_english_browser_gets_a4(owner, owner_client):
    owner.time_zone = "Europe/Berlin"
    owner.save(update_fields=["time_zone"])
    options = owner_client.get(reverse("reports:report"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert re.search(r'name="page_size" value="a4"[^>]*checked', options)
    assert not re.search(r'name="page_size" value="letter"[^>]*checked', options)
    assert _size(_pdf(owner_client)) == A4


def test_a_new_york_person_gets_letter_and_the_setting_overrides(owner, owner_client):
    owner.time_zone = "America/New_York"
    owner.save(update_fields=["time_zone"])
    assert _size(_pdf(owner_client)) == LETTER
    owner.paper_size = "a4"
    owner.save(update_fields=["paper_size"])
    assert _size(_pdf(owner_client)) == A4
