"""Reading a FibroTrack document (from our JSON, or rebuilt from our CSV) into an account.

The codecs' importers (``portability.codec_registry``) validate each record before
writing it and skip bad ones with a reason.

The preview only reads. It once ran the whole import inside a transaction and
rolled it back: exact, but on SQLite that held the database's write lock for
as long as the import took (a 33 MB CSV: 15 s in which nobody else could save a
check-in; three at once made saves fail with "database is locked"). Now it
checks the diary records with the importers' own parsers and compares them with
what the person has, by reading: new symptoms, tags, days and questionnaires
are counted exactly; the other sections are counted as the file holds them, and
their bad records are reported once the import has run.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fibrotrack.accounts.models import User
from fibrotrack.diary.models import Acr2016Assessment, CheckIn, Tag, TrackedSymptom
from fibrotrack.portability import codec_registry
from fibrotrack.portability.codecs import diary as diary_codec
from fibrotrack.portability.codecs import encoding
from fibrotrack.portability.codecs.encoding import RecordError
from fibrotrack.portability.imports.base import FIRST_ROWS, ImportRefused, Preview, Problem, Result

LABELS = {
    "profile": gettext_noop("Preferences"),
    "symptoms": gettext_noop("Symptoms"),
    "tags": gettext_noop("Tags of your own"),
    "checkins": gettext_noop("Diary days"),
    "acr2016": gettext_noop("ACR 2016 questionnaires"),
    "checkin_revisions": gettext_noop("Revision history entries (kept in the file only)"),
    "daily_measures": gettext_noop("Daily measures from devices (steps, heart rate, sleep)"),
    "treatments": gettext_noop("Treatments of your own"),
    "regimens": gettext_noop("Treatment courses (with doses)"),
    "side_effects": gettext_noop("Side effects"),
    "opioid_answers": gettext_noop("Opioid answers"),
    "safety_acknowledgements": gettext_noop("Safety acknowledgements"),
    "trials": gettext_noop("Trials"),
}


def check_document(document: Any) -> None:
    if not isinstance(document, dict) or document.get("format") != codec_registry.FORMAT:
        raise ImportRefused(_('This is not a FibroTrack export: it has no "format": "fibrotrack".'))
    version = document.get("version")
    if version != codec_registry.VERSION:
        raise ImportRefused(
            _(
                "This file is version {version} of the FibroTrack format; this FibroTrack reads version "
                "{supported}. Update FibroTrack, or export the file again."
            ).format(version=repr(version), supported=codec_registry.VERSION)
        )


def import_document(user: User, document: dict[str, Any]) -> tuple[list[tuple[str, int]], list[tuple[str, str]]]:
    """Write every importable section; returns (written per section, problems)."""
    context: dict[str, Any] = {"problems": []}
    written = []
    with transaction.atomic():
        for section in codec_registry.available():
            if section.key not in document or section.importer is None:
                continue
            try:
                # A savepoint per section: an app's importer that refuses its whole
                # section (trials does, on its first bad record) leaves nothing half-written.
                with transaction.atomic():
                    count = codec_registry.call_importer(section, user, document[section.key], context)
            except ValueError as error:  # RecordError, and the apps' own ValueErrors
                context["problems"].append((section.key, str(error)))
                count = 0
            written.append((_(LABELS[section.key]) if section.key in LABELS else section.key, count))
    return written, context["problems"]


def _size(value: Any) -> int:
    return len(value) if isinstance(value, list) else 1


def preview_document(user: User, document: dict[str, Any], format_name: str, preview: Preview | None = None) -> Preview:
    check_document(document)
    preview = preview or Preview(format=format_name)
    preview.counts = [(_(LABELS[k]), _size(document[k])) for k in LABELS if k in document]
    found = document.get("checkins")
    checkins: list[Any] = found if isinstance(found, list) else []
    days = sorted(str(c.get("day")) for c in checkins if isinstance(c, dict) and c.get("day"))
    if days:
        preview.first_day, preview.last_day = days[0], days[-1]
    if not preview.first_rows:
        preview.columns = [_("Day"), _("Scores"), _("Hours slept"), _("Tags"), _("Note")]
        preview.first_rows = [
            [
                str(c.get("day")),
                ", ".join(f"{k} {v}" for k, v in (c.get("scores") or {}).items()),
                str(c.get("hours_slept") or ""),
                ", ".join(c.get("tags") or []),
                str(c.get("note") or "")[:80],
            ]
            for c in checkins[:FIRST_ROWS]
            if isinstance(c, dict)
        ]
    preview.changes = plan_changes(user, document, preview)
    preview.mapping = [
        _("FibroTrack’s own format: everything is read back as it was exported."),
        _("Symptoms, tags and treatments are matched by their keys; ones you already have keep your current settings."),
        _(
            "A day in the file replaces that day’s scores for the same symptoms, and its sleep, body map, tags and "
            "note; scores for other symptoms stay. Importing the same file again changes nothing."
        ),
        _(
            "Your e-mail address and display name are never changed by an import. The revision history in the "
            "file is not imported: the import adds its own entries to your history."
        ),
        _(
            "Treatments, courses, side effects, trials and preferences are counted above as the file holds them; "
            "any of their records that cannot be imported are listed on the result page."
        ),
    ]
    return preview


def _valid(records: Any, section: str, parse: Any, preview: Preview) -> list[Any]:
    """The records of a section that its importer's parser accepts; the others are reported as problems."""
    context: dict[str, Any] = {"problems": []}
    if not isinstance(records, list):
        preview.problem(section, f"{section} should be a list")
        return []
    parsed = []
    for index, record in enumerate(records):
        try:
            parsed.append(parse(record))
        except (RecordError, ValueError) as error:
            diary_codec.problem(context, section, index, record, error)
    for location, reason in context["problems"]:
        preview.problem(location, reason)
    return parsed


def _keyed(record: Any) -> str:
    encoding.require(record, "key", "name")
    key, name = encoding.text(record, "key", 40), encoding.text(record, "name", 40).strip()
    if not key or not name:
        raise RecordError("a symptom or tag needs a key and a name")
    return key


def _symptom(record: Any) -> str:
    key = _keyed(record)
    low, high = record.get("scale_min", 0), record.get("scale_max", 10)
    if not (isinstance(low, int) and isinstance(high, int) and 0 <= low < high <= 10):
        raise RecordError("the scale should run between 0 and 10")
    return key


def plan_changes(user: User, document: dict[str, Any], preview: Preview) -> list[tuple[str, int]]:
    """What confirming will add, found by reading only (a few queries, no transaction, no write lock)."""
    symptoms = set(TrackedSymptom.objects.filter(user=user).values_list("key", flat=True))
    tags = set(Tag.objects.filter(Q(user=None) | Q(user=user)).values_list("key", flat=True))
    new_symptoms = set(_valid(document.get("symptoms", []), "symptoms", _symptom, preview)) - symptoms
    new_tags = set(_valid(document.get("tags", []), "tags", _keyed, preview)) - tags
    # The check-in parser wants ids; these placeholders stand for the scales and tags the import will create.
    symptom_ids = dict.fromkeys(symptoms | new_symptoms, 0)
    tag_ids = dict.fromkeys(tags | new_tags, 0)
    days = {
        day
        for day, _record in _valid(
            document.get("checkins", []),
            "checkins",
            lambda r: diary_codec.parse_checkin(r, symptom_ids, tag_ids),
            preview,
        )
    }
    # All the person's days (one diary's worth), not day__in: a file may name more days than SQLite's variable limit.
    known_days = days & set(CheckIn.objects.filter(user=user).values_list("day", flat=True))
    answers = _valid(document.get("acr2016", []), "acr2016", diary_codec.parse_acr, preview)
    existing_acr = {
        (a.day, tuple(sorted(a.regions)), *(getattr(a, n) for n in diary_codec.ACR_ANSWERS))
        for a in Acr2016Assessment.objects.filter(user=user)
    }
    new_acr = {(a["day"], tuple(a["regions"]), *(a[n] for n in diary_codec.ACR_ANSWERS)) for a in answers}
    return [
        (_("New symptoms"), len(new_symptoms)),
        (_("New tags of your own"), len(new_tags)),
        (_("New diary days"), len(days - known_days)),
        (_("Diary days you already have: updated where the file differs"), len(known_days)),
        (_("New ACR 2016 questionnaires"), len(new_acr - existing_acr)),
    ]


def apply_document(user: User, document: dict[str, Any]) -> Result:
    check_document(document)
    written, problems = import_document(user, document)
    result = Result(written=written, problem_count=len(problems))
    result.problems = [Problem(location, reason) for location, reason in problems[:200]]
    return result
