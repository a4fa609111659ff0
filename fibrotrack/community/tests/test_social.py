"""Profiles, following, the feed, private messages and blocking."""

import pytest
from django.core import mail
from django.urls import reverse

from fibrotrack.community.actions.messages import do_send_message
from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.actions.profiles import do_save_profile
from fibrotrack.community.actions.reactions import do_react
from fibrotrack.community.actions.social import do_block, do_follow_user
from fibrotrack.community.actions.threads import do_follow_thread, do_start_thread
from fibrotrack.community.models import Conversation, Forum, Message, Notification, Profile, Visibility

from .conftest import client_for, join

pytestmark = pytest.mark.django_db


def _profile_form(**overrides):
    data = {
        "display_name": "Owner",
        "bio": "I like *tea*.",
        "bio_visibility": Visibility.MEMBERS,
        "diagnosis_year": "2016",
        "diagnosis_year_visibility": Visibility.ONLY_ME,
        "treatments_visibility": Visibility.ONLY_ME,
    }
    data.update(overrides)
    return data


def test_each_profile_field_is_visible_only_if_its_owner_chooses(owner, owner_client, friend):
    from fibrotrack.treatments.models import Treatment

    ldn = Treatment.objects.filter(user=None).first()
    assert ldn is not None
    response = owner_client.post(reverse("community:profile_edit"), _profile_form(treatments_tried=[str(ldn.pk)]))
    assert response.status_code == 302
    profile = Profile.objects.get(user=owner)
    assert profile.diagnosis_year == 2016 and list(profile.treatments_tried.all()) == [ldn]
    other = client_for(friend).get(reverse("community:profile", args=[owner.pk])).content.decode()
    assert "<em>tea</em>" in other
    assert "2016" not in other and ldn.name not in other
    mine = owner_client.get(reverse("community:profile", args=[owner.pk])).content.decode()
    assert "2016" in mine and ldn.name in mine and "only you" in mine
    owner_client.post(
        reverse("community:profile_edit"),
        _profile_form(bio_visibility=Visibility.ONLY_ME, diagnosis_year_visibility=Visibility.MEMBERS),
    )
    other = client_for(friend).get(reverse("community:profile", args=[owner.pk])).content.decode()
    assert "tea" not in other and "2016" in other


def test_custom_treatments_cannot_be_put_on_a_profile(owner, owner_client):
    from fibrotrack.treatments.models import Treatment

    private = Treatment.objects.create(user=owner, key="my-secret", name="My secret pill", category="medication")
    do_save_profile(
        owner,
        display_name="Owner",
        bio="",
        bio_visibility="members",
        diagnosis_year=None,
        diagnosis_year_visibility="members",
        treatments_visibility="members",
        treatment_ids=[private.pk],
    )
    assert not Profile.objects.get(user=owner).treatments_tried.exists()


def test_an_oversized_bio_is_explained(owner_client):
    response = owner_client.post(reverse("community:profile_edit"), _profile_form(bio="x" * 1001))
    assert response.status_code == 400
    assert "About you can be up to 1,000 characters." in response.content.decode()


def test_the_feed_shows_followed_people_and_threads(owner, friend, stranger, sleep_group):
    for user in (owner, friend, stranger):
        join(user, sleep_group)
    forum = Forum.objects.get(slug="sleep")
    do_follow_user(owner, friend, True)
    do_start_thread(friend, forum, "Friend's thread", "Friend writes")
    followed = do_start_thread(stranger, forum, "Followed thread", "Stranger writes")
    do_start_thread(stranger, forum, "Unfollowed thread", "Not for the feed")
    do_follow_thread(owner, followed, True)
    do_reply(stranger, followed, "A new reply")
    html = client_for(owner).get(reverse("community:feed")).content.decode()
    assert "Friend writes" in html and "A new reply" in html
    assert "Not for the feed" not in html


def test_a_private_message_reaches_only_the_two_people(owner, friend, owner_client):
    response = owner_client.post(reverse("community:message_new", args=[friend.pk]), {"body": "Hello **you**"})
    conversation = Conversation.objects.get()
    assert response["Location"] == conversation.get_absolute_url()
    assert Notification.objects.get(recipient=friend).kind == "message"
    assert mail.outbox[-1].to == [friend.email] and "Hello **you**" not in mail.outbox[-1].body
    friend_client = client_for(friend)
    assert ">1<" in friend_client.get(reverse("community:inbox")).content.decode().replace(" ", "")
    html = friend_client.get(conversation.get_absolute_url()).content.decode()
    assert "<strong>you</strong>" in html
    friend_client.post(conversation.get_absolute_url(), {"body": "Hi back"})
    assert Message.objects.count() == 2
    assert (
        owner_client.get(reverse("community:message_new", args=[friend.pk]))["Location"]
        == conversation.get_absolute_url()
    )


def test_blocking_stops_messages_mentions_replies_and_reactions(owner, friend, sleep_group):
    join(owner, sleep_group)
    join(friend, sleep_group)
    forum = Forum.objects.get(slug="sleep")
    thread = do_start_thread(owner, forum, "Mine", "My thread")
    client_for(owner).post(reverse("community:profile_block", args=[friend.pk]), {"block": "1"})
    Notification.objects.all().delete()
    friend_client = client_for(friend)
    response = friend_client.post(reverse("community:message_new", args=[owner.pk]), {"body": "hi"})
    assert response.status_code == 403 and "not accepting messages" in response.content.decode()
    do_reply(friend, thread, "Hey @Owner")
    do_react(friend, thread.posts.get(position=0), "hug")
    assert not Notification.objects.filter(recipient=owner).exists()
    # The blocker sees the blocked person's posts folded away.
    html = client_for(owner).get(thread.get_absolute_url()).content.decode()
    assert "A post from someone you blocked" in html
    client_for(owner).post(reverse("community:profile_block", args=[friend.pk]), {"block": "0"})
    do_send_message(friend, owner, "Thanks for unblocking")


def test_the_blocker_cannot_message_the_blocked_person_either(owner, friend):
    do_block(owner, friend, True)
    response = client_for(owner).get(reverse("community:message_new", args=[friend.pk]))
    assert response.status_code == 403 and "Unblock them first" in response.content.decode()


def test_an_existing_conversation_closes_when_someone_blocks(owner, friend):
    message = do_send_message(owner, friend, "hi")
    do_block(friend, owner, True)
    html = client_for(owner).get(message.conversation.get_absolute_url()).content.decode()
    assert "not accepting messages" in html
    assert client_for(owner).post(message.conversation.get_absolute_url(), {"body": "again"}).status_code == 403


def test_notifications_open_and_mark_read(owner, friend):
    do_send_message(friend, owner, "hello")
    notification = Notification.objects.get(recipient=owner)
    response = client_for(owner).get(reverse("community:notification_open", args=[notification.pk]))
    assert response["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert client_for(friend).get(reverse("community:notification_open", args=[notification.pk])).status_code == 404
