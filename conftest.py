"""Fixtures shared by every app's tests: reference data, fixed users and a real browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from fibrotrack.lib.testing.browser import CHROMIUM, CHROMIUM_ARGS, chromium_available, log_in
from fibrotrack.lib.testing.factories import UserFactory

# Property tests: Hypothesis's default number of examples everywhere. Under CI
# (and any run with HYPOTHESIS_PROFILE=ci) a busy machine must not fail a test
# for being slow: no per-example deadline, no too-slow health check, and no
# example database in a checkout that is thrown away.
hypothesis_settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    print_blob=True,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start with the tests that need no database, then keep pytest-django's order.

    pytest-django puts plain database tests first and transactional ones after
    them (Django's order, kept here), and the tests without a database last.
    Those include the longest ones (statistical simulations, subprocesses), and
    xdist hands out tests in this order: run last, one of them keeps a worker
    busy long after the other has finished.
    """

    def uses_db(item: pytest.Item) -> bool:
        fixtures = getattr(item, "fixturenames", ())
        return item.get_closest_marker("django_db") is not None or any(
            name in fixtures for name in ("db", "transactional_db", "live_server")
        )

    items.sort(key=uses_db)  # a stable sort: False (no database) first


@pytest.fixture(autouse=True)
def _fresh_usercache() -> None:
    """Rolled-back tests reuse primary keys, so one test's memo (in the test cache) must not reach the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A request in the test client leaves its language active in the thread; the next test, which may
    render a PDF or an e-mail outside any request, must start in the default language as a worker does."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database, holding the reference data that ``make run`` loads.

    It is loaded once per test run (once per xdist worker), not per test: a
    plain ``db`` test rolls its changes back, so every one sees the data. A
    transactional test (``transactional_db``, ``live_server``) ends with a
    ``flush`` that empties every table; flush then sends ``post_migrate``, as
    it does so that content types and permissions come back, and the receiver
    connected here loads the reference data again. So the data is there
    whatever order the tests run in.
    """
    from django.apps import apps
    from django.db.models.signals import post_migrate

    from fibrotrack.lib.reference import load_all

    with django_db_blocker.unblock():
        load_all()
    # Flush sends post_migrate once per app, in INSTALLED_APPS order: reload
    # after the last app's, when every app's content types and permissions exist.
    last_app = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    post_migrate.connect(_reload_reference_data, sender=last_app, dispatch_uid=_RELOAD_UID)
    yield
    post_migrate.disconnect(sender=last_app, dispatch_uid=_RELOAD_UID)


_RELOAD_UID = "conftest-reload-reference-data"


def _reload_reference_data(**kwargs: Any) -> None:
    from fibrotrack.lib.reference import load_all

    load_all()


@pytest.fixture
def owner(db: None) -> Any:
    return UserFactory(email="owner@example.org", display_name="Owner")


@pytest.fixture
def clinician(db: None) -> Any:
    return UserFactory(email="clinician@example.org", display_name="DrClinician")


@pytest.fixture
def stranger(db: None) -> Any:
    return UserFactory(email="stranger@example.org", display_name="Stranger")


@pytest.fixture
def owner_client(owner: Any) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(stranger: Any) -> Client:
    client = Client()
    client.force_login(stranger)
    return client


# --- Browser tests -------------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright_browser() -> Iterator[Any]:
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # calls from the test body are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(_playwright_browser: Any, live_server: Any) -> Iterator[Any]:
    context = _playwright_browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: Any) -> Any:
    return browser_context.new_page()


@pytest.fixture
def logged_in_page(browser_context: Any, live_server: Any, owner: Any) -> Any:
    log_in(browser_context, live_server.url, owner)
    return browser_context.new_page()
