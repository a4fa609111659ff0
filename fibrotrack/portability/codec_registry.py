"""The registry of codecs: for each section of the JSON document, the code that exports and imports it.

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
class Codec:
    key: str
    module: str
    exporter: str
    importer: str | None  # None: export-only (documented in docs/data-formats.md)


CODECS: tuple[Codec, ...] = (
    Codec("profile", "fibrotrack.portability.codecs.profile", "export_profile", "import_profile"),
    Codec("symptoms", "fibrotrack.portability.codecs.diary", "export_symptoms", "import_symptoms"),
    Codec("tags", "fibrotrack.portability.codecs.diary", "export_tags", "import_tags"),
    Codec("checkins", "fibrotrack.portability.codecs.diary", "export_checkins", "import_checkins"),
    Codec("acr2016", "fibrotrack.portability.codecs.diary", "export_acr", "import_acr"),
    Codec("checkin_revisions", "fibrotrack.portability.codecs.diary", "export_revisions", None),
    Codec("daily_measures", "fibrotrack.portability.codecs.measures", "export_measures", "import_measures"),
    Codec("treatments", "fibrotrack.portability.codecs.treatments", "export_treatments", "import_treatments"),
    Codec("regimens", "fibrotrack.portability.codecs.treatments", "export_regimens", "import_regimens"),
    Codec(
        "side_effects",
        "fibrotrack.portability.codecs.treatments",
        "export_side_effects",
        "import_side_effects",
    ),
    Codec(
        "opioid_answers",
        "fibrotrack.portability.codecs.treatments",
        "export_opioid_answers",
        "import_opioid_answers",
    ),
    Codec(
        "safety_acknowledgements",
        "fibrotrack.portability.codecs.treatments",
        "export_acknowledgements",
        "import_acknowledgements",
    ),
    Codec("trials", "fibrotrack.trials.portability", "export_trials", "import_trials"),
    Codec("weather", "fibrotrack.weather.portability", "export_location", "import_location"),
    Codec("outcome_sharing", "fibrotrack.knowledge.outcomes_portability", "export_consent", None),
)


def _module(codec: Codec) -> Any | None:
    try:
        return import_module(codec.module)
    except ModuleNotFoundError as error:
        if error.name and codec.module.startswith(error.name):
            return None  # that app has no portability module (yet)
        raise


def available() -> list[Codec]:
    return [c for c in CODECS if _module(c) is not None]


def exporter(codec: Codec) -> Callable[[User], Any]:
    return getattr(_module(codec), codec.exporter)  # type: ignore[no-any-return]


def call_importer(codec: Codec, user: User, records: Any, context: dict[str, Any]) -> int:
    """Run a codec's importer. Apps' own importers may take ``(user, records)`` only."""
    if codec.importer is None:
        return 0
    function = getattr(_module(codec), codec.importer)
    if len(inspect.signature(function).parameters) >= 3:
        return int(function(user, records, context))
    return int(function(user, records))
