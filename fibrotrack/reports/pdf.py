"""The doctor's report as a PDF, made with WeasyPrint from the same templates as the HTML.

Nothing is fetched over the network: the stylesheet is read from the static
folder and every chart is inline SVG, so the URL fetcher refuses everything.
The PDF's title, author and creation date come from the document's <title>
and <meta> tags; its text is real text, so it can be selected and searched.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from fibrotrack.accounts.paper import paper_size_for
from fibrotrack.lib import charts
from fibrotrack.lib.i18n import person_language
from fibrotrack.reports.report import build_report

PAGE_SIZES = {"a4": "A4", "letter": "Letter"}


_SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg"[^>]*aria-label="([^"]*)"[^>]*>.*?</svg>', re.DOTALL)


def _svg_to_images(html: str) -> str:
    """Charts as data: images for WeasyPrint.

    Its HTML parser is slow on the long ``points`` attributes of a year-long
    line, while SVG images go through a fast XML parser; the picture is the
    same and the chart's title becomes the image's alternative text.
    """

    style = f"<style><![CDATA[{charts.print_css()}]]></style>"

    def image(match: re.Match[str]) -> str:
        # An image cannot see the page's stylesheet: each chart carries the colours itself.
        svg = re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + style, match.group(0), count=1)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="{match.group(1)}">'

    return _SVG.sub(image, html)


def _stylesheet() -> str:
    found = finders.find("css/print.css")
    path = Path(found if isinstance(found, str) else Path(settings.BASE_DIR) / "static" / "css" / "print.css")
    return path.read_text(encoding="utf-8") + "\n" + charts.print_page_css() + "\n" + _page_numbers()


def _page_numbers() -> str:
    """The footer's "Page 2 of 3" in the active language (print.css has the English one for the browser)."""
    parts = re.split(r"(\{page\}|\{pages\})", gettext("Page {page} of {pages}"))
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    quoted = (counters.get(p) or '"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in parts if p)
    return f"@page {{ @bottom-right {{ content: {' '.join(quoted)}; }} }}"


def render_report_html_document(
    user: Any,
    start: dt.date,
    end: dt.date,
    *,
    include: set[str] | None = None,
    name: str | None = None,
    page_size: str | None = None,
    language: str | None = None,
) -> str:
    size = page_size if page_size in PAGE_SIZES else paper_size_for(user)
    with translation.override(report_language(user, language)):
        context = build_report(user, start, end, include=include, name=name, for_pdf=True, page_size=size)
        return render_to_string("reports/report_document.html", context)


def report_language(user: Any, language: str | None) -> str:
    """``language`` when the reader asked for the report in a request (a clinician reads it in theirs);
    otherwise (the ZIP export, a command, the worker) the person's own language (``lib.i18n``)."""
    return language or person_language(user, translation.get_language())


def render_report_pdf(
    user: Any,
    start: dt.date,
    end: dt.date,
    *,
    include: set[str] | None = None,
    name: str | None = None,
    page_size: str | None = None,
    language: str | None = None,
) -> bytes:
    """The report for ``user`` from ``start`` to ``end`` (inclusive) as PDF bytes.

    ``include`` is a set of section keys (``report_sections.keys()``); None means the
    default sections. ``page_size`` is "a4" or "letter" (default: from the
    person's paper size setting, else their time zone: ``accounts.paper``).
    ``language``: the reader's (see ``report_language``); the text is rendered in it.
    """
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    size = page_size if page_size in PAGE_SIZES else paper_size_for(user)
    with translation.override(report_language(user, language)):
        html = render_report_html_document(user, start, end, include=include, name=name, page_size=size)
        css = _stylesheet() + f"\n@page {{ size: {PAGE_SIZES[size]}; }}\n"
    # Only the data: URLs of our own inlined charts: nothing from a server or the disk.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=_svg_to_images(html), base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[CSS(string=css)]))
