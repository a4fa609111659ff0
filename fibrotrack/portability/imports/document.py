"""Reading a FibroTrack document (from our JSON, or rebuilt from our CSV) into an account.

The codecs' importers (``portability.codec_registry``) validate each record before
writing it and skip bad ones with a reason. The preview runs the whole import
inside a transaction and rolls it back, so what it reports ("would add 12
days") is exactly what confirming will do, and nothing is written before.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from fibrotrack.accounts.models import User
from fibrotrack.portability import codec_registry
from fibrotrack.portability.imports.base import FIRST_ROWS, ImportRefused, Preview, Problem, Result

LABELS = {
    "profile": "Preferences",
    "symptoms": "Symptoms",
    "tags": "Tags of your own",
    "checkins": "Diary days",
    "acr2016": "ACR 2016 questionnaires",
    "checkin_revisions": "Revision history entries (kept in the file only)",
    "treatments": "Treatments of your own",
    "regimens": "Treatment courses (with doses)",
    "side_effects": "Side effects",
    "opioid_answers": "Opioid answers",
    "safety_acknowledgements": "Safety acknowledgements",
    "trials": "Trials",
}


class _DryRun(Exception):
    pass


def check_document(document: Any) -> None:
    if not isinstance(document, dict) or document.get("format") != codec_registry.FORMAT:
        raise ImportRefused('This is not a FibroTrack export: it has no "format": "fibrotrack".')
    version = document.get("version")
    if version != codec_registry.VERSION:
        raise ImportRefused(
            f"This file is version {version!r} of the FibroTrack format; this FibroTrack reads version "
            f"{codec_registry.VERSION}. Update FibroTrack, or export the file again."
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
            written.append((LABELS.get(section.key, section.key), count))
    return written, context["problems"]


def _size(value: Any) -> int:
    return len(value) if isinstance(value, list) else 1


def preview_document(user: User, document: dict[str, Any], format_name: str, preview: Preview | None = None) -> Preview:
    check_document(document)
    preview = preview or Preview(format=format_name)
    preview.counts = [(LABELS.get(k, k), _size(document[k])) for k in LABELS if k in document]
    found = document.get("checkins")
    checkins: list[Any] = found if isinstance(found, list) else []
    days = sorted(str(c.get("day")) for c in checkins if isinstance(c, dict) and c.get("day"))
    if days:
        preview.first_day, preview.last_day = days[0], days[-1]
    if not preview.first_rows:
        preview.columns = ["day", "scores", "hours slept", "tags", "note"]
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
    # A fresh copy of the person: a rolled-back import must not leave preferences changed in memory.
    fresh = User.objects.get(pk=user.pk)
    try:
        with transaction.atomic():
            written, problems = import_document(fresh, document)
            raise _DryRun
    except _DryRun:
        pass
    preview.changes = [(f"{label}: added or changed", n) for label, n in written]
    for location, reason in problems:
        preview.problem(location, reason)
    preview.mapping = [
        "FibroTrack’s own format: everything is read back as it was exported.",
        "Symptoms, tags and treatments are matched by their keys; ones you already have keep your current settings.",
        "A day in the file replaces that day’s scores for the same symptoms, and its sleep, body map, tags and "
        "note; scores for other symptoms stay. Importing the same file again changes nothing.",
        "Your e-mail address and display name are never changed by an import. The revision history in the file "
        "is not imported: the import adds its own entries to your history.",
    ]
    return preview


def apply_document(user: User, document: dict[str, Any]) -> Result:
    check_document(document)
    written, problems = import_document(user, document)
    result = Result(written=written, problem_count=len(problems))
    result.problems = [Problem(location, reason) for location, reason in problems[:200]]
    return result
