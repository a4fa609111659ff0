"""/healthz/ says healthy only when the app could really save something."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_is_healthy_when_the_database_takes_writes_and_the_disk_has_room(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_a_full_disk_answers_503_without_revealing_the_path(client, settings):
    settings.FIBROTRACK_HEALTHZ_MIN_FREE_MB = 10**12
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.content == b"low disk space"


@pytest.mark.django_db
def test_a_missing_data_directory_answers_503(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "gone"
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.content == b"data directory unavailable"


def _make_read_only(cursor):
    if connection.vendor == "postgresql":
        cursor.execute("SET default_transaction_read_only = on")
    else:
        cursor.execute("PRAGMA query_only = ON")


def _make_writable(cursor):
    if connection.vendor == "postgresql":
        cursor.execute("SET default_transaction_read_only = off")
    else:
        cursor.execute("PRAGMA query_only = OFF")


@pytest.mark.django_db(transaction=True)
def test_a_read_only_database_answers_503_and_nothing_changes(client):
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name, applied FROM django_migrations ORDER BY id")
        before = cursor.fetchall()
        _make_read_only(cursor)
    try:
        response = client.get("/healthz/")
    finally:
        with connection.cursor() as cursor:
            _make_writable(cursor)
    assert response.status_code == 503
    assert response.content == b"database read-only"
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name, applied FROM django_migrations ORDER BY id")
        assert cursor.fetchall() == before
