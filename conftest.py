"""Fixtures shared by every app's tests: fixed users and a real browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from fibrotrack.lib.testing.browser import CHROMIUM, CHROMIUM_ARGS, chromium_available, log_in
from fibrotrack.lib.testing.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_usercache() -> None:
    """Rolled-back tests reuse primary keys, so one test's memo (in the test cache) must not reach the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(db: None) -> None:
    """Every test sees the reference data that ``make run`` loads."""
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
