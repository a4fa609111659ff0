"""“Your data”: download everything, or import from Flaredown or another FibroTrack.

Exports are explicit (a button press, POST with CSRF) and only ever of the
signed-in person's own data. Imports go upload -> preview -> confirm -> status;
the upload waits in ``portability.uploads`` and nothing is written before
confirm. Confirming queues the import for the background worker (``jobs``): a
large file takes longer than a web request may last. The status page follows
it until it is done or failed.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.portability import access, jobs, uploads
from fibrotrack.portability.actions import do_queue_import
from fibrotrack.portability.exports import FORMATS as EXPORTS
from fibrotrack.portability.exports import filename
from fibrotrack.portability.forms import ImportForm, SourceForm
from fibrotrack.portability.imports import FORMATS as IMPORTS
from fibrotrack.portability.imports import WEARABLE_FORMATS, reader
from fibrotrack.portability.imports.base import READING, SAVING, ImportRefused, Options
from fibrotrack.portability.models import ImportJob
from fibrotrack.portability.wearables import background, store

RECENT_IMPORTS = 5
REFRESH_SECONDS = 3
# A queued import this old: say the worker may not be running. A running one silent this long: it may have stopped.
WAITING_WARNING_SECONDS = 120
STALLED_SECONDS = 10 * 60


@login_required
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "exports": EXPORTS.values(),
        "form": ImportForm(),
        "imports": access.import_jobs_for_user(request.user)[:RECENT_IMPORTS],
    }
    return render(request, "portability/index.html", context)


@login_required
@require_POST
def export(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    if kind not in EXPORTS:
        raise Http404("No such format")
    chosen = EXPORTS[kind]
    response = HttpResponse(chosen.build(request.user), content_type=chosen.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(chosen)}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        context = {
            "exports": EXPORTS.values(),
            "form": form,
            "imports": access.import_jobs_for_user(request.user)[:RECENT_IMPORTS],
        }
        return render(request, "portability/index.html", context, status=400)
    data = form.cleaned_data
    pending = uploads.save(request, data["file"], data["format"], data["weather"], None)
    return redirect("data:preview", token=pending.token)


def _no_store(response: HttpResponse) -> HttpResponse:
    """The preview and the result show rows of the person's diary: never kept in a cache."""
    add_never_cache_headers(response)
    return response


def _options(pending: uploads.PendingImport, request: HttpRequest) -> Options:
    source = request.POST.get("source_user") or request.GET.get("source_user") or pending.source_user
    # The preview's checkboxes: which new Flaredown scales join the daily check-in. "daily_chosen"
    # says the person saw them, so none ticked means none (not "the defaults").
    daily = frozenset(request.POST.getlist("daily")) if request.POST.get("daily_chosen") else None
    replace_sleep = request.POST.get("replace_sleep") == "1"  # the preview's "use the watch's value" choice
    return Options(source_user=source or None, weather=pending.weather, daily=daily, replace_sleep=replace_sleep)


@login_required
@require_GET
def preview(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    pending = uploads.get_pending_for_user(request, token)
    options = _options(pending, request)
    context: dict[str, Any] = {"pending": pending, "format_label": IMPORTS[pending.format][0], "options": options}
    polling = request.headers.get("HX-Request") == "true"
    try:
        if pending.format in WEARABLE_FORMATS:
            summary = background.summary_for(pending, request.user)
            if summary is None:  # a large file: the worker is reading it; this page follows it
                context.update(records=f"{background.progress(pending):,}", refresh_seconds=REFRESH_SECONDS)
                template = "portability/_reading_progress.html" if polling else "portability/preview_reading.html"
                return _no_store(_vary(render(request, template, context)))
            if polling:
                response = HttpResponse(status=204)
                response["HX-Refresh"] = "true"  # read: the whole page, with the preview
                return _no_store(_vary(response))
            context["preview"] = store.preview(request.user, summary, pending.format, options)
        else:
            context["preview"] = reader(pending.format).preview(pending.path, request.user, options)
    except ImportRefused as refused:
        context["refused"] = str(refused)
        if refused.sources:
            context["source_form"] = SourceForm(sources=refused.sources)
    return _no_store(_vary(render(request, "portability/preview.html", context)))


def _vary(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def confirm(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """Queue the import for the background worker and show its status page; a second confirm queues nothing."""
    if access.find_import_job_for_user(request.user, token) is None:
        pending = uploads.get_pending_for_user(request, token)
        do_queue_import(request.user, pending, _options(pending, request))
        uploads.forget(request, token)
    return redirect("data:status", token=token)


def _progress(job: ImportJob) -> dict[str, Any]:
    """What the status page says about a queued or running job."""
    now = time.time()
    if job.status == ImportJob.Status.QUEUED:
        waited = now - job.created_at.timestamp()
        return {"waiting": True, "minutes": int(waited // 60), "worker_warning": waited > WAITING_WARNING_SECONDS}
    found = jobs.progress_of(job) or {}
    started = job.started_at.timestamp() if job.started_at else now
    last = float(found.get("at") or started)
    rows, total = int(found.get("rows") or 0), found.get("total")
    return {
        "rows": f"{rows:,}",
        "row_count": rows,  # for the plural
        "total": f"{int(total):,}" if total else "",
        "checking": found.get("phase", READING) == READING,
        "saving": found.get("phase") == SAVING,
        "stalled_minutes": int((now - last) // 60) if now - last > STALLED_SECONDS else 0,
    }


@login_required
@require_GET
def status(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """The person's own import: queued, running (N rows so far), done (what was saved) or failed.

    It refreshes itself while the import runs: htmx polls the progress block
    (``hx-trigger="every 3s"``), and without JavaScript a ``<meta refresh>`` in
    ``<noscript>`` reloads the page. No inline script: the CSP forbids it.
    """
    job = access.get_import_job_for_user(request.user, token)
    polling = request.headers.get("HX-Request") == "true"
    if polling and job.is_finished:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # the whole page, with the result, once it is there
    else:
        context = {
            "job": job,
            "token": token,
            "format_label": IMPORTS[job.format][0] if job.format in IMPORTS else job.format,
            "result": job.result or {},
            "refresh_seconds": REFRESH_SECONDS,
            "progress": None if job.is_finished else _progress(job),
            "finished_at": timezone.localtime(job.finished_at) if job.finished_at else None,
        }
        template = "portability/_import_progress.html" if polling else "portability/status.html"
        response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return _no_store(response)


@login_required
@require_http_methods(["POST"])
def cancel(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    uploads.get_pending_for_user(request, token)
    uploads.discard(request, token)
    messages.success(request, _("Import cancelled. Nothing was saved, and the file has been deleted."))
    return redirect("data:index")
