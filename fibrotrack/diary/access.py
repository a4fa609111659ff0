"""Permission-scoped getters: the only way views read diary data.

Each returns the object only if it belongs to ``user`` and raises Http404
otherwise, so another person's data is indistinguishable from none at all.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from fibrotrack.accounts.models import User
from fibrotrack.diary.models import Acr2016Assessment, CheckIn, CheckInRevision, Tag, TrackedSymptom
from fibrotrack.lib import usercache

_SYMPTOM_COLUMNS = tuple(f.attname for f in TrackedSymptom._meta.concrete_fields)
_TAG_COLUMNS = tuple(f.attname for f in Tag._meta.concrete_fields)


def checkins_for_user(user: User) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(user=user)


def get_checkin_for_user(user: User, day: dt.date) -> CheckIn:
    return get_object_or_404(checkins_for_user(user), day=day)


def find_checkin_for_user(user: User, day: dt.date) -> CheckIn | None:
    return checkins_for_user(user).filter(day=day).prefetch_related("scores", "tags").first()


def symptoms_for_user(user: User, *, active_only: bool = False) -> QuerySet[TrackedSymptom]:
    qs = TrackedSymptom.objects.filter(user=user)
    return qs.filter(is_active=True) if active_only else qs


def get_symptom_for_user(user: User, pk: int) -> TrackedSymptom:
    return get_object_or_404(symptoms_for_user(user), pk=pk)


def tags_for_user(user: User) -> QuerySet[Tag]:
    """Built-in tags plus the person's own."""
    return Tag.objects.filter(Q(user=None) | Q(user=user))


def checkin_setup(user: User) -> tuple[list[TrackedSymptom], list[Tag]]:
    """Every symptom the person has (archived ones too, in their order) and their tags.

    Read on every check-in, changed rarely: memoised per person in Django's
    cache (``fibrotrack.lib.usercache``) as plain rows, and handed out as fresh
    instances so that nothing one request does to them reaches the next.
    """

    def build() -> tuple[tuple[tuple[object, ...], ...], tuple[tuple[object, ...], ...]]:
        return (
            tuple(symptoms_for_user(user).values_list(*_SYMPTOM_COLUMNS)),
            tuple(tags_for_user(user).values_list(*_TAG_COLUMNS)),
        )

    symptom_rows, tag_rows = usercache.memo(user, "diary.checkin_setup", build)
    return (
        [TrackedSymptom.from_db(TrackedSymptom.objects.db, _SYMPTOM_COLUMNS, row) for row in symptom_rows],
        [Tag.from_db(Tag.objects.db, _TAG_COLUMNS, row) for row in tag_rows],
    )


def revisions_for_user(user: User, day: dt.date) -> QuerySet[CheckInRevision]:
    return CheckInRevision.objects.filter(user=user, day=day)


def assessments_for_user(user: User) -> QuerySet[Acr2016Assessment]:
    return Acr2016Assessment.objects.filter(user=user)


def get_assessment_for_user(user: User, pk: int) -> Acr2016Assessment:
    return get_object_or_404(assessments_for_user(user), pk=pk)
