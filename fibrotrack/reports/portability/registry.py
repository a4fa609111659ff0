"""The JSON document's sections, and which code exports and imports each one.

Like ``lib.demo.BUILDERS``: each entry names a module by its dotted path and
the two functions in it, ``export(user) -> list[dict] | dict`` and
``import(user, records, context) -> int``. Modules are imported lazily, so an
app that is not installed (or not written yet) is simply left out.

The order matters on import: symptoms and tags exist before check-ins use
them, regimens before the side effects that name them as suspects.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

FORMAT = "fibrotrack"
VERSION = 1


@dataclass(frozen=True)
class Section:
    key: str
    module: str
    exporter: str
    importer: str | None  # None: export-only (documented in docs/data-formats.md)


SECTIONS: tuple[Section, ...] = (
    Section("profile", "fibrotrack.reports.portability.sections.profile", "export_profile", "import_profile"),
    Section("symptoms", "fibrotrack.reports.portability.sections.diary", "export_symptoms", "import_symptoms"),
    Section("tags", "fibrotrack.reports.portability.sections.diary", "export_tags", "import_tags"),
    Section("checkins", "fibrotrack.reports.portability.sections.diary", "export_checkins", "import_checkins"),
    Section("acr2016", "fibrotrack.reports.portability.sections.diary", "export_acr", "import_acr"),
    Section("checkin_revisions", "fibrotrack.reports.portability.sections.diary", "export_revisions", None),
    Section(
        "treatments", "fibrotrack.reports.portability.sections.treatments", "export_treatments", "import_treatments"
    ),
    Section("regimens", "fibrotrack.reports.portability.sections.treatments", "export_regimens", "import_regimens"),
    Section(
        "side_effects",
        "fibrotrack.reports.portability.sections.treatments",
        "export_side_effects",
        "import_side_effects",
    ),
    Section(
        "opioid_answers",
        "fibrotrack.reports.portability.sections.treatments",
        "export_opioid_answers",
        "import_opioid_answers",
    ),
    Section(
        "safety_acknowledgements",
        "fibrotrack.reports.portability.sections.treatments",
        "export_acknowledgements",
        "import_acknowledgements",
    ),
    Section("trials", "fibrotrack.trials.portability", "export_trials", "import_trials"),
)


def _module(section: Section) -> Any | None:
    try:
        return import_module(section.module)
    except ModuleNotFoundError as error:
        if error.name and section.module.startswith(error.name):
            return None  # that app has no portability module (yet)
        raise


def available() -> list[Section]:
    return [s for s in SECTIONS if _module(s) is not None]


def exporter(section: Section) -> Callable[[User], Any]:
    return getattr(_module(section), section.exporter)  # type: ignore[no-any-return]


def call_importer(section: Section, user: User, records: Any, context: dict[str, Any]) -> int:
    """Run a section's importer. Apps' own importers may take ``(user, records)`` only."""
    if section.importer is None:
        return 0
    function = getattr(_module(section), section.importer)
    if len(inspect.signature(function).parameters) >= 3:
        return int(function(user, records, context))
    return int(function(user, records))
