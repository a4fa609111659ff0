"""Schemathesis against the API's own OpenAPI schema, through the WSGI app (no server).

Every operation gets generated requests (valid and invalid ones) with a
valid read-write token and the person's data seeded; every answer must be
no server error and must match the schema (status code documented, content
type, body and headers). Bounded and deterministic: few examples a
operation, derandomized, so it runs in seconds and never flakes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fibrotrack.api.tests.helpers import seed, token_for
from fibrotrack.lib.testing.factories import UserFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def world(db: None, settings: Any) -> Iterator[tuple[dict[str, str], dict[str, Any]]]:
    settings.FIBROTRACK_API_REQUESTS_PER_MINUTE = 100_000
    make: Any = UserFactory  # factory_boy is untyped
    person = make(email="schemathesis@example.org")
    ids = seed(person, days=7)
    # As Django's test client does: the WSGI handler would close the test's database
    # connection at the end of each request (PostgreSQL), losing the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {token_for(person, 'write')}"}, ids
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(world: tuple[dict[str, str], dict[str, Any]]) -> dict[str, str]:
    return world[0]


@schema.parametrize()
@settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case: Any, bearer: dict[str, str]) -> None:
    case.call_and_validate(headers=bearer, checks=CHECKS)


# Generated bodies are mostly refused (422): these valid writes check the successful answers
# too, each once and then again (the replay of an idempotent write must conform as well).
VALID_WRITES: list[tuple[str, str, dict[str, Any], int, int]] = [
    ("POST", "/api/v1/tags", {"name": "Long drive"}, 201, 200),
    (
        "POST",
        "/api/v1/regimens",
        {"treatment_key": "magnesium", "amount": "300", "unit": "mg", "times": ["08:00"]},
        201,
        422,
    ),
    ("POST", "/api/v1/regimens/{regimen_id}/dose-changes", {"amount": "3", "reason": "own_choice"}, 201, 200),
    ("PUT", "/api/v1/regimens/{regimen_id}/doses/{day}", {"status": "taken"}, 200, 200),
    ("POST", "/api/v1/regimens/{regimen_id}/stop", {"reason": "other"}, 200, 200),
    ("POST", "/api/v1/side-effects", {"name": "Headache", "severity": "mild", "onset_on": "2024-01-01"}, 201, 200),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "replay"), VALID_WRITES, ids=lambda v: str(v)[:40])
def test_valid_writes_answer_as_the_schema_says(
    world: tuple[dict[str, str], dict[str, Any]], method: str, path: str, body: dict[str, Any], status: int, replay: int
) -> None:
    headers, ids = world
    operation = schema[path][method]
    params = {name: ids[name] for name in ("regimen_id", "day") if "{" + name + "}" in path}
    first = operation.Case(path_parameters=params, body=body).call_and_validate(headers=headers, checks=CHECKS)
    assert first.status_code == status, first.text
    again = operation.Case(path_parameters=params, body=body).call_and_validate(headers=headers, checks=CHECKS)
    assert again.status_code == replay, again.text  # kept once (200), or refused as a duplicate regimen
