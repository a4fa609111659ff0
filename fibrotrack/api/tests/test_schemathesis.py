"""Schemathesis against the API's own OpenAPI schema, through the WSGI app (no server).

Every operation gets generated requests (valid and invalid ones) with a
valid read-write token and the person's data seeded; every answer must be
no server error and must match the schema (status code documented, content
type, body and headers). Bounded and deterministic: few examples a
operation, derandomized, so it runs in seconds and never flakes.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
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
def bearer(db: None, settings: Any) -> dict[str, str]:
    settings.FIBROTRACK_API_REQUESTS_PER_MINUTE = 100_000
    make: Any = UserFactory  # factory_boy is untyped
    person = make(email="schemathesis@example.org")
    seed(person)
    return {"Authorization": f"Bearer {token_for(person, 'write')}"}


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
