"""The check-in page says each thing once: the day in its title, each question in one visible heading."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from fibrotrack.lib.dates import diary_day

pytestmark = pytest.mark.django_db


def _h1(html):
    return " ".join(re.sub(r"<[^>]+>", " ", re.search(r"<h1>(.*?)</h1>", html, flags=re.S).group(1)).split())


def _visible(html):
    """The page's text without what is visually hidden (kept for screen readers)."""
    html = re.sub(r'<(\w+) class="visually-hidden"[^>]*>.*?</\1>', " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_title_names_the_day_once(owner, owner_client):
    today = diary_day(owner)
    earlier = today - dt.timedelta(days=3)
    html = owner_client.get(reverse("diary:day", args=[earlier.isoformat()])).content.decode()
    title = _h1(html)
    assert title == f"How was {earlier:%A %-d %B %Y}?"
    assert title.count(str(earlier.year)) == 1
    yesterday = today - dt.timedelta(days=1)
    html = owner_client.get(reverse("diary:day", args=[yesterday.isoformat()])).content.decode()
    assert _h1(html) == f"How was yesterday? ({yesterday:%-d %B %Y})"
    assert _h1(owner_client.get(reverse("diary:today")).content.decode()) == "How was today?"


def test_each_question_is_one_visible_heading_and_still_names_its_group(owner_client):
    html = owner_client.get(reverse("diary:today")).content.decode()
    text = _visible(html)
    assert text.count("Where does it hurt?") == 1
    assert text.count("What happened?") == 1
    # The groups keep their names for screen readers (a legend, visually hidden).
    assert re.search(r'<legend class="visually-hidden">Where does it hurt\?</legend>', html)
    assert re.search(r'<legend class="visually-hidden">What happened\?</legend>', html)
    assert "Tap every area that hurt, on the figure or in the list." in text
