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
def bearer(db: None, settings: Any) -> Iterator[dict[str, str]]:
    settings.FIBROTRACK_API_REQUESTS_PER_MINUTE = 100_000
    make: Any = UserFactory  # factory_boy is untyped
    person = make(email="schemathesis@example.org")
    seed(person, days=7)
    # As Django's test client does: the WSGI handler would close the test's database
    # connection at the end of each request (PostgreSQL), losing the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {token_for(person, 'write')}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


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
