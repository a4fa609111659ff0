"""The study's results for the paper as a PDF, made with WeasyPrint from an HTML template (as the doctor's report).

Nothing is fetched over the network or from the disk: the stylesheet is read
here and the forest plot is inline SVG. The text is real text (selectable).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _stylesheet() -> str:
    found = finders.find("css/print.css")
    path = Path(found if isinstance(found, str) else Path(settings.BASE_DIR) / "static" / "css" / "print.css")
    return path.read_text(encoding="utf-8")


def render_results_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("studies/results_document.html", context)
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[CSS(string=_stylesheet() + "\n@page { size: A4; }\n")]))
