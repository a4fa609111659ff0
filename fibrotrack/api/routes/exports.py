"""Your whole export, in the formats the "Your data" page makes (portability.exports)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Router

from fibrotrack.api.auth import ApiRequest
from fibrotrack.api.errors import READ_ERRORS
from fibrotrack.portability.exports import FORMATS, filename

router = Router(tags=["exports"])


def _export(request: ApiRequest, kind: str) -> HttpResponse:
    chosen = FORMATS[kind]
    response = HttpResponse(chosen.build(request.auth), content_type=chosen.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(chosen)}"'
    response["Cache-Control"] = "no-store"
    return response


def _doc(content_type: str, schema: dict[str, Any], what: str) -> dict[str, Any]:
    return {"responses": {200: {"description": what, "content": {content_type: {"schema": schema}}}}}


@router.get(
    "/exports/json",
    response=READ_ERRORS,
    url_name="export_json",
    openapi_extra=_doc("application/json", {"type": "object"}, "Everything, as FibroTrack JSON (importable)."),
)
def export_json(request: ApiRequest) -> HttpResponse:
    return _export(request, "json")


@router.get(
    "/exports/csv",
    response=READ_ERRORS,
    url_name="export_csv",
    openapi_extra=_doc("text/csv", {"type": "string"}, "One row per value, for a spreadsheet."),
)
def export_csv(request: ApiRequest) -> HttpResponse:
    return _export(request, "csv")


@router.get(
    "/exports/fhir",
    response=READ_ERRORS,
    url_name="export_fhir",
    openapi_extra=_doc("application/fhir+json", {"type": "object"}, "A FHIR R4 Bundle."),
)
def export_fhir(request: ApiRequest) -> HttpResponse:
    return _export(request, "fhir")
