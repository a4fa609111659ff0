"""Bottle labels as a PDF, made with WeasyPrint as the doctor's report is (nothing fetched over the network)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders


def _stylesheet() -> str:
    found = finders.find("css/studies-labels.css")
    path = Path(found if isinstance(found, str) else Path(settings.BASE_DIR) / "static" / "css" / "studies-labels.css")
    return path.read_text(encoding="utf-8")


def render_labels_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[CSS(string=_stylesheet())]))
