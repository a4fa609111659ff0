"""Symptoms, tags and check-ins: read through diary.access, written through diary.actions and its forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from fibrotrack.api import schemas
from fibrotrack.api.auth import WRITE, ApiRequest
from fibrotrack.api.errors import READ_ERRORS, WRITE_ERRORS, Invalid, form_errors
from fibrotrack.diary import access, actions, conflicts
from fibrotrack.diary.forms import CheckInForm, SymptomForm, check_diary_day
from fibrotrack.diary.models import CheckIn, SymptomScore, Tag, TrackedSymptom
from fibrotrack.lib.dates import diary_day

router = Router(tags=["diary"])

MAX_SPAN = dt.timedelta(days=400)  # a year of check-ins and a little more, in one answer


def _symptom(s: TrackedSymptom) -> dict[str, Any]:
    return {
        "id": s.pk,
        "key": s.key,
        "name": s.name,
        "scale_min": s.scale_min,
        "scale_max": s.scale_max,
        "lower_is_better": s.lower_is_better,
        "is_active": s.is_active,
        "is_custom": s.is_custom,
    }


def _tag(t: Tag) -> dict[str, Any]:
    return {"id": t.pk, "key": t.key, "name": t.name, "is_builtin": t.user_id is None}


def _checkin(c: CheckIn, keys: dict[int, str]) -> dict[str, Any]:
    return {
        "day": c.day,
        "version": conflicts.version_of(c),
        "scores": {keys[s.symptom_id]: s.value for s in c.scores.all()},
        "hours_slept": None if c.hours_slept is None else float(c.hours_slept),
        "pain_regions": list(c.pain_regions),
        "tags": sorted(t.key for t in c.tags.all()),
        "note": c.note,
        "updated_at": c.updated_at,
    }


def _symptom_keys(user: Any) -> dict[int, str]:
    symptoms, _ = access.checkin_setup(user)
    return {s.pk: s.key for s in symptoms}


@router.get("/symptoms", response={200: list[schemas.Symptom], **READ_ERRORS}, url_name="symptoms")
def list_symptoms(request: ApiRequest) -> Any:
    """Every symptom you track, archived ones too, in your order."""
    return [_symptom(s) for s in access.symptoms_for_user(request.auth)]


@router.post("/symptoms", response={201: schemas.Symptom, **WRITE_ERRORS}, auth=WRITE, url_name="symptom_add")
def add_symptom(request: ApiRequest, payload: schemas.SymptomIn) -> Any:
    """Start tracking a symptom of your own."""
    user: Any = request.auth
    existing = [s.name for s in access.symptoms_for_user(user)]
    form = SymptomForm(
        {
            "name": payload.name,
            "direction": "lower" if payload.lower_is_better else "higher",
            "scale": str(payload.scale_max),
        },
        existing_names=existing,
    )
    if not form.is_valid():
        raise Invalid(gettext("The symptom needs another look."), form_errors(form))
    symptom = actions.do_add_symptom(
        user,
        form.cleaned_data["name"],
        lower_is_better=form.cleaned_data["direction"] == "lower",
        scale_max=form.cleaned_data["scale"],
    )
    return Status(201, _symptom(symptom))


@router.get("/tags", response={200: list[schemas.Tag], **READ_ERRORS}, url_name="tags")
def list_tags(request: ApiRequest) -> Any:
    """The built-in tags and your own."""
    return [_tag(t) for t in access.tags_for_user(request.auth)]


@router.post("/tags", response={200: schemas.Tag, 201: schemas.Tag, **WRITE_ERRORS}, auth=WRITE, url_name="tag_add")
def add_tag(request: ApiRequest, payload: schemas.TagIn) -> Any:
    """Add a tag of your own. A tag with that name already (any case) is answered as it is: 200, not 201."""
    user: Any = request.auth
    # The check-in page's own "Add your own" field checks the name.
    field = CheckInForm.base_fields["new_tag"]
    try:
        name = field.clean(payload.name).strip()
    except DjangoValidationError as error:
        raise Invalid(
            gettext("The tag needs another look."), [{"loc": ["name"], "msg": " ".join(error.messages)}]
        ) from None
    if not name:
        raise Invalid(gettext("Give the tag a name."), [{"loc": ["name"], "msg": gettext("Give the tag a name.")}])
    before = set(access.tags_for_user(user).values_list("pk", flat=True))
    tag = actions.do_add_tag(user, name)
    return Status(200 if tag.pk in before else 201, _tag(tag))


class Period(Schema):
    start: dt.date | None = Field(None, description="The first day (default: a year before the end).")
    end: dt.date | None = Field(None, description="The last day (default: today).")


def _period(user: Any, period: Period) -> tuple[dt.date, dt.date]:
    end = period.end or diary_day(user)
    # The first year of the calendar has no year before it: start there.
    start = period.start or max(end, dt.date.min + dt.timedelta(days=365)) - dt.timedelta(days=365)
    if start > end:
        raise Invalid(gettext("The start must not be after the end."))
    if end - start > MAX_SPAN:
        raise Invalid(gettext("Ask for at most 400 days at a time."))
    return start, end


@router.get("/checkins", response={200: list[schemas.CheckIn], **READ_ERRORS}, url_name="checkins")
def list_checkins(request: ApiRequest, period: Query[Period]) -> Any:
    """Your check-ins from ``start`` to ``end`` (at most 400 days), oldest first."""
    user: Any = request.auth
    start, end = _period(user, period)
    keys = _symptom_keys(user)
    # Plain rows, not model instances: a year is ~2,500 scores and tags, and building
    # an instance for each was most of the time (benchmarks/bench_api.py).
    days = access.checkins_for_user(user).filter(day__range=(start, end))
    scores: dict[int, dict[str, int]] = {}
    for checkin_id, symptom_id, value in SymptomScore.objects.filter(checkin__in=days).values_list(
        "checkin_id", "symptom_id", "value"
    ):
        scores.setdefault(checkin_id, {})[keys[symptom_id]] = value
    tags: dict[int, list[str]] = {}
    for checkin_id, key in CheckIn.tags.through.objects.filter(checkin__in=days).values_list("checkin_id", "tag__key"):
        tags.setdefault(checkin_id, []).append(key)
    rows = days.order_by("day").values_list("pk", "day", "hours_slept", "pain_regions", "note", "updated_at")
    return [
        {
            "day": day,
            "version": updated_at.isoformat(),  # conflicts.version_of of a stored day, without an instance
            "scores": scores.get(pk, {}),
            "hours_slept": None if hours is None else float(hours),
            "pain_regions": list(regions),
            "tags": sorted(tags.get(pk, [])),
            "note": note,
            "updated_at": updated_at,
        }
        for pk, day, hours, regions, note, updated_at in rows
    ]


@router.get("/checkins/{day}", response={200: schemas.CheckIn, **READ_ERRORS}, url_name="checkin")
def get_checkin(request: ApiRequest, day: dt.date) -> Any:
    """One day's check-in (404 if that day has none)."""
    user: Any = request.auth
    checkin = access.find_checkin_for_user(user, day)
    if checkin is None:
        raise Http404("No check-in that day")
    return _checkin(checkin, _symptom_keys(user))


def _form_data(payload: schemas.CheckInIn, symptoms: list[TrackedSymptom], tags: list[Tag]) -> dict[str, Any]:
    """The check-in form's fields from the JSON: the form does all the checking, as on the page."""
    by_key = {s.key: s for s in symptoms}
    unknown = sorted(set(payload.scores) - by_key.keys())
    if unknown:
        raise Invalid(gettext("You don’t track these symptoms: %(keys)s.") % {"keys": ", ".join(unknown)})
    tag_ids = {t.key: t.pk for t in tags}
    unknown = sorted(set(payload.tags) - tag_ids.keys())
    if unknown:
        raise Invalid(gettext("These are not your tags: %(keys)s.") % {"keys": ", ".join(unknown)})
    data: dict[str, Any] = {
        f"s_{by_key[key].pk}": "" if value is None else str(value) for key, value in payload.scores.items()
    }
    data.update(
        hours_slept="" if payload.hours_slept is None else str(payload.hours_slept),
        pain_regions=list(payload.pain_regions),
        tags=[str(tag_ids[key]) for key in payload.tags],
        note=payload.note,
        version=payload.version or "",
        client_id=str(payload.client_id),
    )
    return data


@router.put(
    "/checkins/{day}",
    response={
        200: schemas.CheckInSaved,
        409: schemas.StaleError,
        **{k: v for k, v in WRITE_ERRORS.items() if k != 409},
    },
    auth=WRITE,
    url_name="checkin_save",
)
def save_checkin(request: ApiRequest, day: dt.date, payload: schemas.CheckInIn) -> Any:
    """Save the whole day (what the body leaves out is not answered).

    The same ``client_id`` sent again (a lost answer, a retry) saves once and
    answers with the day as stored. A ``client_id`` already used for another
    day is refused (409). With ``version``, a save made since that version
    is not overwritten: 409 lists what differs.
    """
    user: Any = request.auth
    try:
        check_diary_day(day, diary_day(user))
    except DjangoValidationError as error:
        raise Invalid(error.messages[0]) from None
    everything, tags = access.checkin_setup(user)
    stored = access.find_checkin_for_user(user, day)
    # As on the page: archived symptoms only where this day already has their score.
    symptoms = [s for s in everything if s.is_active or (stored is not None and s.pk in stored.score_map)]
    form = CheckInForm(_form_data(payload, symptoms, tags), symptoms=symptoms, tags=tags)
    if not form.is_valid():
        raise Invalid(gettext("Some answers need another look."), form_errors(form))
    try:
        _, changed = actions.do_save_checkin(
            user,
            day,
            form.to_data(symptom_names={s.pk: s.name for s in everything}),
            version=form.cleaned_data.get("version") or None,
            client_id=form.cleaned_data["client_id"],
        )
    except conflicts.StaleCheckIn as stale:
        return Status(
            409,
            {
                "detail": gettext("This day was saved somewhere else since you read it. Nothing was saved."),
                "errors": [],
                "version": stale.version,
                "conflicts": [
                    {
                        "field": c.key,
                        "label": c.label,
                        "yours": c.mine,
                        "saved": c.saved,
                        "changed_by_you": c.changed_by_you,
                    }
                    for c in stale.conflicts
                ],
            },
        )
    except actions.NothingToSave:
        raise Invalid(gettext("Nothing to save: a new day needs at least one answer.")) from None
    except actions.ClientIdUsed as used:
        detail = gettext("This client_id was already used for %(day)s, so nothing was saved. Use a new one.")
        return Status(409, {"detail": detail % {"day": used.day.isoformat()}, "errors": []})
    checkin = access.find_checkin_for_user(user, day)
    if checkin is None:
        # A replay of a save whose day was deleted since: the replay must not bring it back.
        detail = gettext("This save was made before and the day has been deleted since.")
        return Status(409, {"detail": detail, "errors": []})
    return {**_checkin(checkin, {s.pk: s.key for s in everything}), "changed": changed}


@router.delete("/checkins/{day}", response={204: None, **WRITE_ERRORS}, auth=WRITE, url_name="checkin_delete")
def delete_checkin(request: ApiRequest, day: dt.date) -> Any:
    """Delete one day's check-in (its history keeps a "deleted" entry)."""
    checkin = access.get_checkin_for_user(request.auth, day)
    actions.do_delete_checkin(checkin)
    return Status(204, None)
