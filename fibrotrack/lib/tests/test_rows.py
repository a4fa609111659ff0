"""Plain statements for hot paths: they must write and read exactly what the ORM would."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fibrotrack.diary.models import CheckIn
from fibrotrack.lib import rows

pytestmark = pytest.mark.django_db


def _day(owner, **extra):
    now = timezone.now()
    values = {"user": owner.pk, "day": dt.date(2026, 3, 8), "hours_slept": Decimal("6.5"), "pain_regions": ["neck"]}
    values |= {"note": "é ü — ok", "created_at": now, "updated_at": now} | extra
    [pk] = rows.insert(CheckIn, tuple(values), [tuple(values.values())], return_pk=True)
    return pk, values


def test_an_insert_stores_what_the_orm_reads_back(owner):
    pk, values = _day(owner)
    stored = CheckIn.objects.get(pk=pk)
    assert (stored.user_id, stored.day, stored.hours_slept) == (owner.pk, values["day"], Decimal("6.50"))
    assert (stored.pain_regions, stored.note, stored.updated_at) == (["neck"], "é ü — ok", values["updated_at"])


def test_it_refuses_to_promise_the_keys_of_several_rows(owner):
    with pytest.raises(ValueError, match="exactly one row"):
        rows.insert(
            CheckIn, ("user", "day"), [(owner.pk, dt.date(2026, 1, 1)), (owner.pk, dt.date(2026, 1, 2))], return_pk=True
        )


def test_an_update_counts_the_rows_its_guard_matched(owner):
    pk, values = _day(owner)
    assert rows.update(CheckIn, {"note": "later"}, id=pk, updated_at=values["updated_at"]) == 1
    assert rows.update(CheckIn, {"note": "lost"}, id=pk, updated_at=values["updated_at"] + dt.timedelta(seconds=1)) == 0
    assert CheckIn.objects.get(pk=pk).note == "later"


def test_a_delete_touches_only_the_rows_named(owner, stranger):
    mine, _ = _day(owner)
    theirs, _ = _day(stranger)
    rows.delete(CheckIn, "id", [mine, theirs], user=owner.pk)
    assert list(CheckIn.objects.values_list("pk", flat=True)) == [theirs]
    rows.delete(CheckIn, "id", [])  # nothing to do is no statement at all


def test_the_converters_read_what_was_written(owner):
    pk, values = _day(owner)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {rows.quoted(CheckIn, 'hours_slept')}, {rows.quoted(CheckIn, 'pain_regions')},"  # noqa: S608
            f" {rows.quoted(CheckIn, 'updated_at')} FROM {rows.quoted(CheckIn)} WHERE id = %s",
            [pk],
        )
        hours, regions, updated = cursor.fetchone()
    assert rows.converter(CheckIn, "hours_slept")(hours) == Decimal("6.5")
    assert rows.converter(CheckIn, "pain_regions")(regions) == ["neck"]
    assert rows.converter(CheckIn, "updated_at")(updated) == values["updated_at"]


def test_get_returns_what_the_orms_get_returns(owner):
    pk, _ = _day(owner)
    read, orm = rows.get(CheckIn, pk=pk), CheckIn.objects.get(pk=pk)
    fields = [f.attname for f in CheckIn._meta.concrete_fields]
    assert [getattr(read, f) for f in fields] == [getattr(orm, f) for f in fields]
    assert read._state.adding is False
    assert read._state.db == "default"


def test_get_finds_by_any_unique_columns_and_none_when_nothing_matches(owner):
    pk, values = _day(owner)
    assert rows.get(CheckIn, user=owner.pk, day=values["day"]).pk == pk
    assert rows.get(CheckIn, pk=pk + 1000) is None


def test_get_refuses_a_condition_that_matches_several_rows(owner):
    _day(owner)
    _day(owner, day=dt.date(2026, 3, 9))
    with pytest.raises(CheckIn.MultipleObjectsReturned):
        rows.get(CheckIn, user=owner.pk)


def test_get_is_one_query(owner, django_assert_num_queries):
    pk, _ = _day(owner)
    with django_assert_num_queries(1):
        rows.get(CheckIn, pk=pk)
