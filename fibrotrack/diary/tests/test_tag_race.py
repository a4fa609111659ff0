"""Two saves adding the same new tag at once end with one tag, not a server error."""

import pytest

from fibrotrack.diary import actions
from fibrotrack.diary.models import Tag

pytestmark = pytest.mark.django_db


def test_adding_a_new_tag_that_another_request_just_added_reuses_it(owner, monkeypatch):
    stale = actions._tags_and_keys(owner)  # what both requests read before either inserted
    winner = actions.do_add_tag(owner, "Long drive")  # the other request's insert landed first
    real, calls = actions._tags_and_keys, []

    def read(user):
        calls.append(user)
        return stale if len(calls) == 1 else real(user)

    monkeypatch.setattr(actions, "_tags_and_keys", read)
    assert actions.do_add_tag(owner, "long drive") == winner
    assert len(calls) == 2  # the refused insert was followed by a fresh read
    assert Tag.objects.filter(user=owner).count() == 1


def test_without_a_race_it_still_reuses_a_tag_whatever_the_case(owner):
    first = actions.do_add_tag(owner, "Long drive")
    assert actions.do_add_tag(owner, " long DRIVE ") == first
