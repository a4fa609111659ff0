"""Extension point: apps contribute sections to the doctor's report.

A section is a key, a label, a template and ``build(user, start, end)``
returning the template's context (or None / an empty dict when there is
nothing to show for that period, so the section is left out). Register in
``AppConfig.ready()``::

    from fibrotrack.reports import report_sections
    report_sections.register(report_sections.ReportSection(
        "trials", "N-of-1 trial results", "trials/_report_section.html", build_report_context, order=60))

The report renders each section's template on its own with its context plus
``section``, ``start``, ``end``, ``for_pdf`` and ``included`` (the chosen section keys); templates must not use colour
alone to carry meaning (the PDF is often printed in black and white).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django_stubs_ext import StrOrPromise

T = TypeVar("T")

Builder = Callable[[Any, dt.date, dt.date], Mapping[str, Any] | None]


@dataclass(frozen=True)
class ReportSection:
    key: str
    label: StrOrPromise  # lazy, so that each report shows it in its own language
    template: str
    build: Builder
    order: int = 50
    appendix: bool = False
    default: bool = True
    help: StrOrPromise = ""
    # True when the template brings its own <section> and heading (the report then adds none).
    own_heading: bool = False


_SECTIONS: dict[str, ReportSection] = {}


def register(section: ReportSection) -> None:
    """Add or replace (by key) a section."""
    _SECTIONS[section.key] = section


def unregister(key: str) -> None:
    _SECTIONS.pop(key, None)


def all_sections() -> list[ReportSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def keys() -> list[str]:
    return [s.key for s in all_sections()]


def default_keys() -> set[str]:
    return {s.key for s in all_sections() if s.default}


def get(key: str) -> ReportSection | None:
    return _SECTIONS.get(key)


# Two sections may need the same costly context (the trials' results feed the summary and the
# methods appendix): within one report, ``shared`` works it out once.
_SHARED: ContextVar[dict[Any, Any] | None] = ContextVar("report_shared", default=None)


@contextmanager
def one_report() -> Iterator[None]:
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(key: Any, build: Callable[[], T]) -> T:
    """``build()``, once per report for ``key`` (every time outside ``one_report``)."""
    memo = _SHARED.get()
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    return memo[key]  # type: ignore[no-any-return]
