"""“Your data”: download everything, or import from Flaredown or another FibroTrack.

Exports are explicit (a button press, POST with CSRF) and only ever of the
signed-in person's own data. Imports go upload -> preview -> confirm; the
upload waits in ``portability.uploads`` and nothing is written before confirm.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fibrotrack.reports.forms_data import ImportForm, SourceForm
from fibrotrack.reports.portability import uploads
from fibrotrack.reports.portability.exports import FORMATS as EXPORTS
from fibrotrack.reports.portability.exports import filename
from fibrotrack.reports.portability.imports import FORMATS as IMPORTS
from fibrotrack.reports.portability.imports import reader
from fibrotrack.reports.portability.imports.base import ImportRefused, Options


def _user(request: HttpRequest) -> Any:
    return request.user


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/data/index.html", {"exports": EXPORTS.values(), "form": ImportForm()})


@login_required
@require_POST
def export(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in EXPORTS:
        raise Http404("No such format")
    chosen = EXPORTS[kind]
    response = HttpResponse(chosen.build(_user(request)), content_type=chosen.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(chosen)}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        context = {"exports": EXPORTS.values(), "form": form}
        return render(request, "reports/data/index.html", context, status=400)
    data = form.cleaned_data
    pending = uploads.save(request, data["file"], data["format"], data["weather"], None)
    return redirect("data:preview", token=pending.token)


def _no_store(response: HttpResponse) -> HttpResponse:
    """The preview and the result show rows of the person's diary: never kept in a cache."""
    add_never_cache_headers(response)
    return response


def _options(pending: uploads.PendingImport, request: HttpRequest) -> Options:
    source = request.POST.get("source_user") or request.GET.get("source_user") or pending.source_user
    return Options(source_user=source or None, weather=pending.weather)


@login_required
@require_GET
def preview(request: HttpRequest, token: str) -> HttpResponse:
    pending = uploads.get_pending_for_user(request, token)
    options = _options(pending, request)
    context: dict[str, Any] = {"pending": pending, "format_label": IMPORTS[pending.format][0], "options": options}
    try:
        context["preview"] = reader(pending.format).preview(pending.path, _user(request), options)
    except ImportRefused as refused:
        context["refused"] = str(refused)
        if refused.sources:
            context["source_form"] = SourceForm(sources=refused.sources)
    return _no_store(render(request, "reports/data/preview.html", context))


@login_required
@require_POST
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    pending = uploads.get_pending_for_user(request, token)
    options = _options(pending, request)
    try:
        result = reader(pending.format).apply(pending.path, _user(request), options)
    except ImportRefused as refused:
        messages.error(request, str(refused))
        return redirect("data:preview", token=token)
    uploads.discard(request, token)
    context = {"result": result, "name": pending.name, "format_label": IMPORTS[pending.format][0]}
    return _no_store(render(request, "reports/data/done.html", context))


@login_required
@require_http_methods(["POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    uploads.get_pending_for_user(request, token)
    uploads.discard(request, token)
    messages.success(request, "Import cancelled. Nothing was saved, and the file has been deleted.")
    return redirect("data:index")
