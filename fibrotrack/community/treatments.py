"""The link between the community and the treatment catalogue.

Threads and profiles may name treatments from the shared catalogue
(``treatments.Treatment`` rows with ``user=None``), never a person's own
custom entries, which are private.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from fibrotrack.community.models import Profile, Thread
from fibrotrack.treatments.catalogue import CATEGORIES
from fibrotrack.treatments.models import Treatment

MAX_THREAD_TAGS = 10


def catalogue() -> QuerySet[Treatment]:
    return Treatment.objects.filter(user=None).order_by("name")


def catalogue_choices() -> list[tuple[int, str]]:
    return [(t.pk, t.name) for t in catalogue().only("pk", "name")]


def catalogue_choices_by_category() -> list[tuple[str, str, list[tuple[int, str]]]]:
    """(category, its plain name, [(id, name)...]) for each catalogue category that has treatments."""
    grouped: dict[str, list[tuple[int, str]]] = {key: [] for key, _ in CATEGORIES}
    for pk, name, category in catalogue().values_list("pk", "name", "category"):
        grouped.setdefault(category, []).append((pk, name))
    labels = dict(CATEGORIES)
    return [(key, labels.get(key, key.title()), choices) for key, choices in grouped.items() if choices]


def _catalogue_ids(ids: Sequence[int]) -> list[int]:
    return list(catalogue().filter(pk__in=list(ids)[:MAX_THREAD_TAGS]).values_list("pk", flat=True))


def set_thread_treatments(thread: Thread, ids: Sequence[int]) -> None:
    thread.treatments.set(_catalogue_ids(ids))


def set_profile_treatments(profile: Profile, ids: Sequence[int]) -> None:
    profile.treatments_tried.set(_catalogue_ids(ids))


def get_catalogue_treatment(key: str) -> Treatment:
    return get_object_or_404(catalogue(), key=key)


def treatments_for_threads(threads: Sequence[Any]) -> dict[int, list[Treatment]]:
    """Thread id -> catalogue treatments, in one query."""
    through = Thread.treatments.through
    out: dict[int, list[Treatment]] = {t.pk: [] for t in threads}
    rows = through.objects.filter(thread_id__in=list(out)).select_related("treatment").order_by("treatment__name")
    for row in rows:
        out[row.thread_id].append(row.treatment)
    return out
