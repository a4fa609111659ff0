"""Progress cards: a frozen, previewed snapshot, shared only when attached, removable."""

import datetime as dt

import pytest
from django.urls import reverse

from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import Forum, ProgressCard
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin

from .conftest import client_for, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def diary(owner):
    today = diary_day(owner)
    for i in range(1, 20):
        make_checkin(owner, today - dt.timedelta(days=i), note="private note about my boss", pain=(i % 7) + 2, mood=4)
    return owner


def test_a_card_is_previewed_exactly_then_attached_then_removed(diary, owner, friend, sleep_group):
    join(owner, sleep_group)
    client = client_for(owner)
    response = client.post(
        reverse("community:card_new", args=["chart"]), {"symptoms": ["pain"], "days": "30", "caption": "My month"}
    )
    card = ProgressCard.objects.get()
    assert response["Location"] == reverse("community:card_detail", args=[card.pk])
    preview = client.get(response["Location"]).content.decode()
    assert card.svg in preview and "My month" in preview
    assert "<svg" in card.svg and "Pain" in card.svg
    assert "boss" not in card.svg and "Mood" not in card.svg  # only what was ticked
    # Drafts are the owner's alone.
    assert client_for(friend).get(response["Location"]).status_code == 404
    compose = client.get(reverse("community:thread_new", args=["sleep"])).content.decode()
    assert card.svg in compose  # shown exactly in the compose form
    client.post(
        reverse("community:thread_new", args=["sleep"]), {"title": "My month", "body": "Here it is", "card": card.pk}
    )
    card.refresh_from_db()
    assert card.post is not None
    # The snapshot is frozen: later diary entries do not change it.
    make_checkin(owner, diary_day(owner), pain=10)
    frozen = card.svg
    thread_html = client_for(friend).get(card.post.thread.get_absolute_url()).content.decode()
    assert frozen in thread_html
    client.post(reverse("community:post_card_remove", args=[card.post.pk]))
    assert not ProgressCard.objects.exists()
    assert "Progress card" not in client_for(friend).get(card.post.thread.get_absolute_url()).content.decode()


def test_someone_elses_card_cannot_be_attached(diary, owner, friend, sleep_group):
    join(friend, sleep_group)
    card = ProgressCard.objects.create(owner=owner, title="mine", svg="<svg></svg>")
    response = client_for(friend).post(
        reverse("community:thread_new", args=["sleep"]), {"title": "x", "body": "y", "card": card.pk}
    )
    assert response.status_code == 302  # posted, but the card is not among the choices
    card.refresh_from_db()
    assert card.post is None


def test_a_card_is_attached_once(diary, owner, sleep_group):
    join(owner, sleep_group)
    card = ProgressCard.objects.create(owner=owner, title="mine", svg="<svg></svg>")
    forum = Forum.objects.get(slug="sleep")
    thread = do_start_thread(owner, forum, "a", "b", card=card)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        do_reply(owner, thread, "again", card=card)


def test_the_card_form_limits_choices(owner):
    response = client_for(owner).post(
        reverse("community:card_new", args=["chart"]),
        {"symptoms": ["pain", "fatigue", "mood", "stiffness"], "days": "30"},
    )
    assert response.status_code == 400
    assert "Choose up to three symptoms" in response.content.decode()
