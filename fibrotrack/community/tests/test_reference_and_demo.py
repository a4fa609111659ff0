import datetime as dt
import random

import pytest

from fibrotrack.community import demo, reference
from fibrotrack.community.models import Forum, Post, SupportGroup, Thread
from fibrotrack.lib.demo import build_demo

pytestmark = pytest.mark.django_db


def test_seed_groups_and_categories_are_loaded_once():
    names = set(SupportGroup.objects.values_list("name", flat=True))
    assert {
        "Newly diagnosed",
        "Low-dose naltrexone",
        "Medications",
        "Sleep",
        "Movement and exercise",
        "Pain coping and mental health",
        "Caregivers and family",
        "Off-topic",
    } <= names
    before = (SupportGroup.objects.count(), Forum.objects.count())
    reference.load()
    assert (SupportGroup.objects.count(), Forum.objects.count()) == before
    assert all(hasattr(g, "forum") for g in SupportGroup.objects.all())
    assert Forum.objects.filter(group=None).count() == 4


def test_demo_builds_threads_and_can_be_rebuilt(owner):
    end = dt.date.today()  # noqa: DTZ011
    summary = demo.build(owner, end - dt.timedelta(days=90), end, random.Random(1))
    assert "community:" in summary
    counts = (Thread.objects.count(), Post.objects.count())
    demo.build(owner, end - dt.timedelta(days=90), end, random.Random(2))
    assert (Thread.objects.count(), Post.objects.count()) == counts
    assert Post.objects.filter(author=owner).count() == 2


def test_the_full_demo_account_includes_the_community():
    user, summaries = build_demo("demo@example.org", "pw-demo-123456", days=40)
    assert any(s.startswith("community:") for s in summaries)
    assert Thread.objects.filter(author=user).exists()
