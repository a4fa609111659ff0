"""Exports for research: the de-identified dataset, its data dictionary and FHIR. Logged in the access log.

For the principal investigator, the coordinator and the data monitor
(``roles.EXPORTS_DATA``), and only once the dataset is locked and the study
unblinded (each day's condition tells the allocation): 404 before, as for
anyone else.
"""

from __future__ import annotations

import json
import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from fibrotrack.studies import access, dataset, fhir, roles
from fibrotrack.studies.access import StaffView
from fibrotrack.studies.actions.access_log import log_for_request
from fibrotrack.studies.actions.analysis import current_lock
from fibrotrack.studies.models import DatasetLock


def _locked(request: HttpRequest, study: uuid.UUID, action: str) -> tuple[StaffView, DatasetLock, dict[str, object]]:
    view = access.get_staff_view(request.user, study, roles.EXPORTS_DATA)
    lock = current_lock(view.study)
    if lock is None or not view.study.is_unblinded:
        raise Http404
    log_for_request(view, request, action)
    return view, lock, json.loads(lock.data)


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_required
def dataset_csv(request: HttpRequest, study: uuid.UUID) -> HttpResponse:
    view, _lock, payload = _locked(request, study, "export de-identified dataset")
    return _download(dataset.export_csv(payload), "text/csv; charset=utf-8", f"{view.study.short_code}-dataset.csv")


@require_safe
@login_required
def data_dictionary(request: HttpRequest, study: uuid.UUID) -> HttpResponse:
    view, _lock, payload = _locked(request, study, "export data dictionary")
    return _download(
        dataset.data_dictionary_csv(payload), "text/csv; charset=utf-8", f"{view.study.short_code}-dictionary.csv"
    )


@require_safe
@login_required
def fhir_bundle(request: HttpRequest, study: uuid.UUID) -> HttpResponse:
    view, lock, payload = _locked(request, study, "export FHIR bundle")
    body = json.dumps(fhir.bundle(view.study, lock, payload), ensure_ascii=False)
    return _download(body, "application/fhir+json", f"{view.study.short_code}-fhir.json")
