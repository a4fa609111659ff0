"""Knowledge fixtures: the sample articles in tests/articles/, copied to a folder the test may change."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from fibrotrack.knowledge.articles import article_files, load_files
from fibrotrack.knowledge.models import Article
from fibrotrack.lib.testing.factories import UserFactory

SAMPLES = Path(__file__).resolve().parent / "articles"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


def person(**kwargs):
    """A member whose account is a month old, so the community's new-account limits do not apply."""
    kwargs.setdefault("date_joined", timezone.now() - dt.timedelta(days=30))
    return UserFactory(**kwargs)


@pytest.fixture
def member(db):
    return person(email="member@example.org", display_name="Member")


@pytest.fixture
def other_member(db):
    return person(email="other@example.org", display_name="Other")


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Permission

    user = person(email="mod@example.org", display_name="ModMaria")
    user.user_permissions.add(Permission.objects.get(codename="moderate_all"))
    return user


@pytest.fixture
def staff(db):
    return person(email="staff@example.org", display_name="Staff", is_staff=True, is_superuser=True)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def article_dir(tmp_path, settings):
    """A copy of the sample articles, used by ``fibrotrack load_reference_data`` in this test."""
    folder = tmp_path / "articles"
    shutil.copytree(SAMPLES, folder)
    settings.KNOWLEDGE_ARTICLES_DIR = str(folder)
    return folder


@pytest.fixture
def articles(db, article_dir):
    """The three sample articles loaded into an otherwise empty article table."""
    Article.objects.all().delete()  # whatever the content branches' real articles loaded
    load_files(article_files(article_dir))
    return {a.key: a for a in Article.objects.all()}
