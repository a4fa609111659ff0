"""Changing a thread's treatment tags after it was started, and the treatment pages that follow."""

import pytest
from django.urls import reverse

from fibrotrack.community.actions.bans import do_ban
from fibrotrack.community.actions.moderation import do_set_thread_flag
from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.actions.threads import do_set_thread_treatments, do_start_thread
from fibrotrack.community.models import Forum, ModerationAction, Thread
from fibrotrack.treatments.models import Treatment

from .conftest import client_for, join, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def sleepers(owner, friend, sleep_group):
    join(owner, sleep_group)
    join(friend, sleep_group)
    return sleep_group


@pytest.fixture
def ldn(db):
    return Treatment.objects.get(user=None, key="naltrexone")


@pytest.fixture
def other(db, ldn):
    return Treatment.objects.filter(user=None).exclude(pk=ldn.pk).order_by("name").first()


def _thread(owner, title="Dreams on a new medicine", treatment_ids=()):
    return do_start_thread(
        owner, Forum.objects.get(slug="sleep"), title, "Vivid dreams, anyone?", treatment_ids=list(treatment_ids)
    )


def _form(*treatments):
    data = {}
    for t in treatments:
        data.setdefault(f"tags_{t.category}", []).append(str(t.pk))
    return data


def _ldn_page(client, ldn):
    return client.get(reverse("community:treatment", args=[ldn.key])).content.decode()


def test_the_author_tags_their_thread_later_and_the_treatment_page_follows(owner, friend, sleepers, ldn, other):
    thread = _thread(owner)
    client = client_for(owner)
    assert "Tag treatments" in client.get(thread.get_absolute_url()).content.decode()
    url = reverse("community:thread_tags", args=[thread.pk])
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert "<legend>Medications</legend>" in form_page.content.decode()
    assert "Dreams on a new medicine" not in _ldn_page(client_for(friend), ldn)

    response = client.post(url, _form(ldn), follow=True)
    assert "Saved. The thread now shows on the pages about Naltrexone (LDN)." in response.content.decode()
    assert list(thread.treatments.all()) == [ldn]
    assert "Dreams on a new medicine" in _ldn_page(client_for(friend), ldn)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert reverse("community:treatment", args=[ldn.key]) in page and "Change treatments" in page

    client.post(url, _form(other))
    assert list(thread.treatments.all()) == [other]
    assert "Dreams on a new medicine" not in _ldn_page(client_for(friend), ldn)
    assert "Dreams on a new medicine" in _ldn_page(client_for(friend), other)
    assert not ModerationAction.objects.exists()  # an author tidying their own thread is not moderation


def test_the_form_starts_with_the_current_tags_ticked(owner, sleepers, ldn):
    thread = _thread(owner, treatment_ids=[ldn.pk])
    html = client_for(owner).get(reverse("community:thread_tags", args=[thread.pk])).content.decode()
    assert f'value="{ldn.pk}"' in html
    tick = html.split(f'value="{ldn.pk}"', 1)[1].split(">", 1)[0]
    assert "checked" in tick


def test_all_tags_can_be_removed(owner, friend, sleepers, ldn):
    thread = _thread(owner, treatment_ids=[ldn.pk])
    response = client_for(owner).post(reverse("community:thread_tags", args=[thread.pk]), {}, follow=True)
    assert "not tagged with any treatment now" in response.content.decode()
    assert not thread.treatments.exists()
    assert "Dreams on a new medicine" not in _ldn_page(client_for(friend), ldn)


def test_a_moderator_retags_someone_elses_thread_and_the_log_records_it(owner, moderator, sleepers, ldn, other):
    thread = _thread(owner, treatment_ids=[other.pk])
    client = client_for(moderator)
    assert "Change treatments" in client.get(thread.get_absolute_url()).content.decode()
    client.post(reverse("community:thread_tags", args=[thread.pk]), _form(ldn))
    assert list(thread.treatments.all()) == [ldn]
    entry = ModerationAction.objects.get(action=ModerationAction.Action.TAG_THREAD)
    assert (entry.moderator, entry.thread, entry.target_user) == (moderator, thread, owner)
    assert entry.detail == {"from": [other.key], "to": [ldn.key]}
    assert "Changed a thread&#x27;s treatments" in client.get(reverse("community:mod_log")).content.decode()


def test_a_group_moderator_can_retag_threads_in_their_group(owner, sleepers, ldn):
    from fibrotrack.community.models import Membership

    group_mod = person(display_name="SleepMod")
    Membership.objects.create(group=sleepers, user=group_mod, role=Membership.Role.MODERATOR)
    thread = _thread(owner)
    response = client_for(group_mod).post(reverse("community:thread_tags", args=[thread.pk]), _form(ldn))
    assert response.status_code == 302
    assert list(thread.treatments.all()) == [ldn]


def test_other_members_cannot_retag_a_thread(owner, friend, sleepers, ldn):
    thread = _thread(owner)
    client = client_for(friend)
    assert "Tag treatments" not in client.get(thread.get_absolute_url()).content.decode()
    url = reverse("community:thread_tags", args=[thread.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, _form(ldn))
    assert response.status_code == 403
    assert "Only the person who started this thread and the moderators" in response.content.decode()
    assert not thread.treatments.exists()


def test_a_stranger_gets_404_for_the_tags_of_a_private_thread(owner, stranger, private_group, ldn):
    thread = do_start_thread(owner, private_group.forum, "Owls only", "x")
    url = reverse("community:thread_tags", args=[thread.pk])
    client = client_for(stranger)
    assert client.get(url).status_code == 404
    assert client.post(url, _form(ldn)).status_code == 404
    assert not thread.treatments.exists()


def test_a_locked_or_hidden_thread_is_retagged_only_by_moderators(owner, moderator, sleepers, ldn):
    thread = _thread(owner)
    url = reverse("community:thread_tags", args=[thread.pk])
    do_set_thread_flag(moderator, thread, "is_locked", True)
    response = client_for(owner).post(url, _form(ldn))
    assert response.status_code == 403 and "locked" in response.content.decode()
    do_set_thread_flag(moderator, thread, "is_locked", False)
    do_set_thread_flag(moderator, thread, "is_hidden", True)
    response = client_for(owner).post(url, _form(ldn))
    assert response.status_code == 403 and "hid this thread" in response.content.decode()
    assert client_for(moderator).post(url, _form(ldn)).status_code == 302
    assert list(thread.treatments.all()) == [ldn]


def test_a_banned_author_cannot_retag(owner, moderator, sleepers, ldn):
    thread = _thread(owner)
    do_ban(moderator, owner, "Cooling off", days=1)
    response = client_for(owner).post(reverse("community:thread_tags", args=[thread.pk]), _form(ldn))
    assert response.status_code == 403 and "banned" in response.content.decode()
    assert not thread.treatments.exists()


def test_more_than_ten_treatments_are_refused_with_a_clear_message(owner, sleepers, ldn):
    thread = _thread(owner, treatment_ids=[ldn.pk])
    many = list(Treatment.objects.filter(user=None).order_by("name")[:11])
    assert len(many) == 11
    response = client_for(owner).post(reverse("community:thread_tags", args=[thread.pk]), _form(*many))
    assert response.status_code == 400
    assert "You chose 11 treatments; the most is 10." in response.content.decode()
    assert list(thread.treatments.all()) == [ldn]


def test_private_custom_treatments_can_never_tag_a_thread(owner, sleepers):
    custom = Treatment.objects.create(user=owner, key="secret", name="My own remedy", category="medication")
    thread = _thread(owner)
    response = client_for(owner).post(reverse("community:thread_tags", args=[thread.pk]), _form(custom))
    assert response.status_code == 400
    assert "My own remedy" not in response.content.decode()
    do_set_thread_treatments(owner, thread, [custom.pk])
    assert not thread.treatments.exists()


def test_the_treatment_page_query_count_does_not_grow_with_threads(owner, friend, sleepers, ldn, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.COMMUNITY_FLOOD_POSTS = 10_000
    client = client_for(friend)
    url = reverse("community:treatment", args=[ldn.key])
    _thread(owner, title="First LDN thread", treatment_ids=[ldn.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(25):
        thread = _thread(owner, title=f"LDN thread {i}")
        do_set_thread_treatments(owner, thread, [ldn.pk])
        do_reply(friend, thread, "Same here")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(one) == len(many), [q["sql"] for q in many.captured_queries]
    assert Thread.objects.filter(treatments=ldn).count() == 26
    assert "LDN thread 24" in html
