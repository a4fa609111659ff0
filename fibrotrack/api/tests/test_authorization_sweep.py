"""Every operation of the API × every kind of token that must not reach the owner's data.

The operations come from the API's own OpenAPI schema (every path and
method the routers serve), so a new endpoint is swept without anyone
listing it; a new path parameter fails until ``ARGS`` says which of the
owner's objects fills it. For each operation:

* another person's valid read-write token gets 404 for the owner's objects,
  never the owner's planted secret, and changes nothing of the owner's;
* no token, a malformed one, an unknown one, a revoked one, an expired one,
  and the token of a deactivated account get 401 and change nothing;
* a read-only token gets 403 for every write and changes nothing;
* the owner's own read-write token does reach each object (the sweep is live).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from fibrotrack.api.actions import do_create_token, do_revoke_token
from fibrotrack.api.api import api as ninja_api
from fibrotrack.api.tests.helpers import ApiClient, seed, token_for
from fibrotrack.diary.models import CheckIn, SymptomScore, Tag
from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.lib.testing.urlwalk import all_routes
from fibrotrack.treatments.models import DoseChange, DoseLog, Regimen, SideEffect

pytestmark = pytest.mark.django_db

SECRET = "OWNER-SECRET-7f3a"
WRITES = {"put", "post", "delete", "patch"}
# Which of the owner's objects fills each path parameter.
ARGS = {"day": "day", "regimen_id": "regimen_id", "effect_id": "effect_id", "trial_id": "trial_id"}
# A valid body per write, so that a refusal is about who asks, not what they send.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("put", "/api/v1/checkins/{day}"): {"scores": {"pain": 1}, "note": "overwritten"},
    ("post", "/api/v1/symptoms"): {"name": "Probe symptom"},
    ("post", "/api/v1/side-effects"): {"name": "Probe effect", "severity": "mild", "onset_on": "2020-01-01"},
    ("post", "/api/v1/tags"): {"name": "Probe tag"},
    ("post", "/api/v1/regimens"): {"treatment_key": "magnesium", "amount": "200", "unit": "mg", "times": ["08:00"]},
    ("post", "/api/v1/regimens/{regimen_id}/dose-changes"): {"amount": "3"},
    ("post", "/api/v1/regimens/{regimen_id}/stop"): {"reason": "other"},
    ("put", "/api/v1/regimens/{regimen_id}/doses/{day}"): {"status": "taken"},
}


def operations() -> list[tuple[str, str]]:
    paths = ninja_api.get_openapi_schema()["paths"]
    return sorted((method, path) for path, item in paths.items() for method in item)


def _world(owner: Any) -> dict[str, Any]:
    from fibrotrack.trials import actions as trial_actions
    from fibrotrack.trials import protocols

    ids = seed(owner)
    CheckIn.objects.filter(user=owner).update(note=SECRET)
    Regimen.objects.filter(user=owner).update(note=SECRET)
    SideEffect.objects.filter(user=owner).update(note=SECRET)
    trial = trial_actions.do_create_trial(
        owner,
        template=protocols.before_after(),
        title=SECRET,
        primary_outcome=owner.symptoms.get(key="pain"),
        treatment_name="Magnesium",
        regimens=[],
    )
    ids["trial_id"] = trial.pk
    return ids


def _url(path: str, ids: dict[str, Any]) -> str:
    for name, key in ARGS.items():
        path = path.replace("{" + name + "}", str(ids[key]))
    assert "{" not in path, f"add the new path parameter of {path} to ARGS"
    return path


def _body(method: str, path: str) -> Any:
    if method not in WRITES or method == "delete":
        return None
    body = dict(BODIES[(method, path)])
    if path == "/api/v1/checkins/{day}":
        body["client_id"] = str(uuid.uuid4())
    return body


def _owner_state(owner: Any) -> list[Any]:
    return [
        sorted(CheckIn.objects.filter(user=owner).values_list("day", "note", "updated_at")),
        sorted(SymptomScore.objects.filter(checkin__user=owner).values_list("checkin__day", "symptom_id", "value")),
        sorted(owner.symptoms.values_list("pk", "name")),
        sorted(SideEffect.objects.filter(user=owner).values_list("pk", "name", "note")),
        sorted(Regimen.objects.filter(user=owner).values_list("pk", "note", "stopped_on")),
        sorted(DoseChange.objects.filter(regimen__user=owner).values_list("pk", "effective_on", "amount")),
        sorted(DoseLog.objects.filter(regimen__user=owner).values_list("regimen_id", "day", "slot", "status")),
        sorted(Tag.objects.filter(user=owner).values_list("pk", "name")),
    ]


def test_every_api_url_is_an_operation_of_the_schema() -> None:
    """The resolver's API patterns are the schema's operations (plus the schema and docs pages)."""
    names = {str(r.name) for r in all_routes() if r.route.startswith("api/v1/")}
    own = {"api:openapi-json", "api:openapi-view", "api:api-root"}
    assert len(names - own) == len(operations()), (sorted(names), operations())
    assert len(operations()) >= 23


def test_another_persons_token_never_reaches_the_owners_data(owner: Any, stranger: Any) -> None:
    ids = _world(owner)
    seed(stranger)
    other = ApiClient(token_for(stranger, "write"))
    before = _owner_state(owner)
    failures = []
    for method, path in operations():
        url = _url(path, ids)
        response = other.request(method, url, _body(method, path))
        content = response.content.decode(errors="replace")
        if response.status_code >= 500:
            failures.append(f"{method} {url}: {response.status_code}")
        if SECRET in content:
            failures.append(f"{method} {url}: the owner's secret is in the answer")
        if "{" in path and path != "/api/v1/checkins/{day}" and response.status_code != 404:
            # An object of the owner's, named by id: indistinguishable from none.
            failures.append(f"{method} {url}: {response.status_code}, not 404")
    assert not failures, "\n".join(failures)
    assert _owner_state(owner) == before


def test_the_owners_token_reaches_every_object(owner: Any) -> None:
    """The sweep is live: the same URLs with the owner's token find the objects and the secret."""
    ids = _world(owner)
    mine = ApiClient(token_for(owner, "write"))
    for method, path in operations():
        if method != "get":
            continue
        response = mine.get(_url(path, ids))
        assert response.status_code == 200, (path, response.content[:300])
    assert SECRET in mine.get(f"checkins/{ids['day']}").content.decode()
    assert SECRET in mine.get(f"trials/{ids['trial_id']}").content.decode()


def _dead_tokens(owner: Any) -> dict[str, str | None]:
    revoked, revoked_secret = do_create_token(owner, name="old", scope="write", days=30)
    do_revoke_token(revoked)
    with time_machine.travel(timezone.now() - dt.timedelta(days=10)):
        _, expired = do_create_token(owner, name="short", scope="write", days=7)
    make: Any = UserFactory  # factory_boy is untyped
    gone = make(email="gone@example.org")
    inactive = token_for(gone, "write")
    gone.is_active = False
    gone.save()
    return {
        "none": None,
        "malformed": "not a token at all",
        "unknown": "ft_" + "x" * 43,
        "revoked": revoked_secret,
        "expired": expired,
        "inactive account": inactive,
    }


def test_dead_or_missing_tokens_get_401_everywhere(owner: Any) -> None:
    ids = _world(owner)
    before = _owner_state(owner)
    failures = []
    for label, secret in _dead_tokens(owner).items():
        client = ApiClient(secret)
        for method, path in operations():
            response = client.request(method, _url(path, ids), _body(method, path))
            if response.status_code != 401 or SECRET in response.content.decode(errors="replace"):
                failures.append(f"{label}: {method} {path}: {response.status_code}")
            elif response.get("WWW-Authenticate") != "Bearer":
                failures.append(f"{label}: {method} {path}: no WWW-Authenticate")
    assert not failures, "\n".join(failures)
    assert _owner_state(owner) == before


def test_a_read_only_token_reads_but_never_writes(owner: Any) -> None:
    ids = _world(owner)
    reader = ApiClient(token_for(owner, "read"))
    before = _owner_state(owner)
    for method, path in operations():
        response = reader.request(method, _url(path, ids), _body(method, path))
        expected = 403 if method in WRITES else 200
        assert response.status_code == expected, (method, path, response.status_code)
        if expected == 403:
            assert "only read" in response.json()["detail"]
    assert _owner_state(owner) == before
