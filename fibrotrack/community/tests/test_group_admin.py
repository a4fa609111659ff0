"""Site admins' in-app group tools: create and configure groups, appoint and remove moderators."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fibrotrack.community.actions.bans import do_ban
from fibrotrack.community.actions.group_admin import (
    GroupSettings,
    do_appoint_moderator,
    do_create_group,
    do_update_group,
)
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import (
    Forum,
    Membership,
    ModerationAction,
    Notification,
    SupportGroup,
)

from .conftest import client_for, join, person

pytestmark = pytest.mark.django_db


def _group_form(**overrides):
    data = {
        "name": "Flares at work",
        "slug": "",
        "description": "Managing fibromyalgia and a job.",
        "rules": "- Be kind\n- No **names** of employers",
        "kind": "public",
        "listed": "yes",
        "staff_only_threads": "no",
        "position": "50",
    }
    data.update(overrides)
    return data


@pytest.fixture
def group_mod(sleep_group):
    user = person(email="sleepmod@example.org", display_name="SleepMod")
    Membership.objects.create(group=sleep_group, user=user, role=Membership.Role.MODERATOR)
    return user


def _admin_urls(group, membership):
    return [
        ("get", reverse("community:admin_groups")),
        ("get", reverse("community:admin_group_new")),
        ("post", reverse("community:admin_group_new")),
        ("get", reverse("community:admin_group_edit", args=[group.slug])),
        ("post", reverse("community:admin_group_edit", args=[group.slug])),
        ("post", reverse("community:admin_group_moderator_add", args=[group.slug])),
        ("post", reverse("community:admin_group_moderator_remove", args=[group.slug, membership.pk])),
    ]


# --- Creating ------------------------------------------------------------------------------------


def test_a_site_admin_creates_a_group_with_its_forum_and_the_log_records_it(moderator, moderator_client):
    response = moderator_client.post(
        reverse("community:admin_group_new"),
        _group_form(kind="private", listed="no", staff_only_threads="yes", slug="work"),
    )
    group = SupportGroup.objects.get(slug="work")
    assert response.status_code == 302
    assert response["Location"] == reverse("community:admin_group_edit", args=["work"])
    assert (group.name, group.kind, group.is_listed, group.position) == ("Flares at work", "private", False, 50)
    assert "<li>Be kind</li>" in group.rules_html and "<strong>names</strong>" in group.rules_html
    forum = Forum.objects.get(group=group)
    assert (forum.slug, forum.name, forum.staff_only_threads) == ("work", "Flares at work", True)
    entry = ModerationAction.objects.get(action=ModerationAction.Action.CREATE_GROUP)
    assert (entry.moderator, entry.group, entry.detail["kind"]) == (moderator, group, "private")
    assert "Created a group" in moderator_client.get(reverse("community:mod_log")).content.decode()


def test_the_web_address_is_made_from_the_name_when_left_empty(moderator_client):
    moderator_client.post(reverse("community:admin_group_new"), _group_form(name="Heat & Cold"))
    assert SupportGroup.objects.get(name="Heat & Cold").slug == "heat-cold"
    assert Forum.objects.filter(slug="heat-cold", group__name="Heat & Cold").exists()


def test_a_public_group_is_always_listed(moderator_client):
    moderator_client.post(reverse("community:admin_group_new"), _group_form(kind="public", listed="no"))
    assert SupportGroup.objects.get(name="Flares at work").is_listed


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "sleep"}, "There is already a group called"),
        ({"slug": "introductions"}, "is taken by another group or forum"),
        ({"slug": "sleep"}, "is taken by another group or forum"),
        ({"slug": "new"}, "is used by the site itself"),
        ({"slug": "Not A Slug!"}, "Use only lower-case letters"),
        ({"name": ""}, "The group needs a name."),
        ({"name": "!!!"}, "the name has no letters or numbers"),
        ({"kind": ""}, "Choose public or private."),
        ({"position": "-1"}, "greater than or equal to 0"),
        ({"description": "x" * 1001}, "up to 1,000 characters"),
    ],
)
def test_bad_group_settings_get_a_clear_message_and_nothing_is_saved(moderator_client, overrides, message):
    before = SupportGroup.objects.count()
    response = moderator_client.post(reverse("community:admin_group_new"), _group_form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SupportGroup.objects.count() == before
    assert not ModerationAction.objects.exists()


def test_the_create_form_is_accessible(moderator_client):
    html = moderator_client.get(reverse("community:admin_group_new")).content.decode()
    assert '<label for="id_name">Name</label>' in html
    assert "<legend>Who can join</legend>" in html
    assert "<legend>Who can start threads in its forum</legend>" in html
    assert 'aria-describedby="id_slug_helptext"' in html


# --- Editing -------------------------------------------------------------------------------------


def test_a_site_admin_edits_a_group_and_its_forum_follows(moderator, moderator_client, sleep_group, owner):
    join(owner, sleep_group)
    url = reverse("community:admin_group_edit", args=["sleep"])
    page = moderator_client.get(url).content.decode()
    assert 'value="Sleep"' in page and "Unrefreshing sleep" in page  # the current settings, ready to change
    response = moderator_client.post(
        url,
        _group_form(
            name="Sleep and rest",
            slug="sleep-and-rest",
            description="Rest too.",
            rules="Be gentle.",
            staff_only_threads="yes",
        ),
    )
    assert response["Location"] == reverse("community:admin_group_edit", args=["sleep-and-rest"])
    sleep_group.refresh_from_db()
    assert (sleep_group.name, sleep_group.slug, sleep_group.description) == (
        "Sleep and rest",
        "sleep-and-rest",
        "Rest too.",
    )
    assert sleep_group.rules_html == "<p>Be gentle.</p>\n"
    forum = Forum.objects.get(group=sleep_group)
    assert (forum.name, forum.slug, forum.description, forum.staff_only_threads) == (
        "Sleep and rest",
        "sleep-and-rest",
        "Rest too.",
        True,
    )
    entry = ModerationAction.objects.get(action=ModerationAction.Action.EDIT_GROUP)
    assert entry.moderator == moderator and entry.group == sleep_group
    assert {"name", "slug", "description", "rules", "staff_only_threads"} <= set(entry.detail["changed"])
    assert entry.detail["from"]["slug"] == "sleep" and entry.detail["to"]["slug"] == "sleep-and-rest"
    assert "rules" not in entry.detail["from"]  # long texts are only named, not copied into the log
    member = client_for(owner)
    assert member.get(reverse("community:forum", args=["sleep-and-rest"])).status_code == 200
    assert member.get(reverse("community:forum", args=["sleep"])).status_code == 404
    assert (
        "Only moderators start threads here"
        in member.get(reverse("community:forum", args=["sleep-and-rest"])).content.decode()
    )


def test_saving_unchanged_settings_writes_nothing_to_the_log(moderator_client, private_group):
    url = reverse("community:admin_group_edit", args=[private_group.slug])
    data = _group_form(
        name="Night owls",
        slug="night-owls",
        description="A small private group.",
        rules="Be gentle.",
        kind="private",
        listed="no",
        position="100",
    )
    response = moderator_client.post(url, data, follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert not ModerationAction.objects.exists()


def test_a_rejected_edit_keeps_the_group_as_it_was(moderator_client, sleep_group):
    url = reverse("community:admin_group_edit", args=["sleep"])
    response = moderator_client.post(url, _group_form(name="Medications", slug="sleep"))
    assert response.status_code == 400
    assert "There is already a group called" in response.content.decode()
    sleep_group.refresh_from_db()
    assert sleep_group.name == "Sleep"


def test_making_a_private_group_public_lets_in_everyone_waiting(moderator_client, private_group, stranger):
    Membership.objects.create(group=private_group, user=stranger, status=Membership.Status.REQUESTED)
    url = reverse("community:admin_group_edit", args=[private_group.slug])
    moderator_client.post(url, _group_form(name="Night owls", slug="night-owls", kind="public"))
    private_group.refresh_from_db()
    assert not private_group.is_private
    assert Membership.objects.get(group=private_group, user=stranger).status == Membership.Status.ACTIVE
    assert Notification.objects.filter(recipient=stranger, text__contains="open to everyone").exists()
    assert ModerationAction.objects.get(action="edit_group").detail["requests_approved"] == 1
    # Joining again is harmless, not an error.
    assert client_for(stranger).post(reverse("community:group_join", args=["night-owls"])).status_code == 302


def test_making_a_public_group_private_hides_it_from_non_members(moderator_client, sleep_group, owner, stranger):
    join(owner, sleep_group)
    do_start_thread(owner, Forum.objects.get(slug="sleep"), "Night sweats", "Anyone else?")
    url = reverse("community:admin_group_edit", args=["sleep"])
    moderator_client.post(url, _group_form(name="Sleep", slug="sleep", kind="private", listed="no"))
    assert client_for(stranger).get(reverse("community:forum", args=["sleep"])).status_code == 404
    assert client_for(owner).get(reverse("community:forum", args=["sleep"])).status_code == 200


# --- Moderators ----------------------------------------------------------------------------------


def test_a_site_admin_appoints_a_moderator_by_display_name(moderator, moderator_client, sleep_group, stranger):
    url = reverse("community:admin_group_moderator_add", args=["sleep"])
    response = moderator_client.post(url, {"appoint-name": "@stranger"}, follow=True)
    assert "Stranger is now a moderator of Sleep" in response.content.decode()
    membership = Membership.objects.get(group=sleep_group, user=stranger)
    assert (membership.role, membership.status) == (Membership.Role.MODERATOR, Membership.Status.ACTIVE)
    entry = ModerationAction.objects.get(action=ModerationAction.Action.APPOINT_MODERATOR)
    assert (entry.moderator, entry.group, entry.target_user) == (moderator, sleep_group, stranger)
    assert Notification.objects.filter(recipient=stranger, text="You are now a moderator of Sleep.").exists()
    assert client_for(stranger).get(reverse("community:group_manage", args=["sleep"])).status_code == 200
    page = moderator_client.get(reverse("community:admin_group_edit", args=["sleep"])).content.decode()
    assert "Remove as moderator" in page and "Stranger" in page
    assert page.count('id="id_name"') == 1 and 'id="id_appoint-name"' in page


def test_a_member_asking_to_join_becomes_a_moderator_member_when_appointed(moderator, private_group, stranger):
    Membership.objects.create(group=private_group, user=stranger, status=Membership.Status.REQUESTED)
    do_appoint_moderator(moderator, private_group, stranger)
    membership = Membership.objects.get(group=private_group, user=stranger)
    assert (membership.role, membership.status) == ("moderator", "active")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Nobody Here", "Nobody here is called"),
        ("Owner", "Owner is already a moderator of Night owls"),
        ("", "Type the person&#x27;s name."),
    ],
)
def test_appointing_explains_what_went_wrong(moderator_client, private_group, name, message):
    url = reverse("community:admin_group_moderator_add", args=[private_group.slug])
    response = moderator_client.post(url, {"appoint-name": name}, follow=True)
    assert message in response.content.decode()
    assert not ModerationAction.objects.exists()


def test_a_banned_person_cannot_be_appointed_and_nothing_is_saved(moderator, moderator_client, sleep_group, stranger):
    do_ban(moderator, stranger, "Spam", group=sleep_group)
    url = reverse("community:admin_group_moderator_add", args=["sleep"])
    response = moderator_client.post(url, {"appoint-name": "Stranger"}, follow=True)
    assert "Lift the ban before appointing them" in response.content.decode()
    assert not Membership.objects.filter(group=sleep_group, user=stranger).exists()
    assert not ModerationAction.objects.filter(action="appoint_moderator").exists()


def test_a_site_admin_removes_a_moderator_who_stays_a_member(moderator, moderator_client, group_mod, sleep_group):
    membership = Membership.objects.get(group=sleep_group, user=group_mod)
    url = reverse("community:admin_group_moderator_remove", args=["sleep", membership.pk])
    response = moderator_client.post(url, follow=True)
    assert "SleepMod is no longer a moderator of Sleep, but still a member" in response.content.decode()
    membership.refresh_from_db()
    assert (membership.role, membership.status) == (Membership.Role.MEMBER, Membership.Status.ACTIVE)
    entry = ModerationAction.objects.get(action=ModerationAction.Action.REMOVE_MODERATOR)
    assert (entry.moderator, entry.target_user, entry.group) == (moderator, group_mod, sleep_group)
    assert Notification.objects.filter(recipient=group_mod, text__contains="no longer a moderator").exists()
    assert client_for(group_mod).get(reverse("community:group_manage", args=["sleep"])).status_code == 403
    # A plain member's membership is not a moderator's: the removal URL does not exist for it.
    assert moderator_client.post(url).status_code == 404


def test_the_member_list_buttons_log_appointments_too(moderator_client, sleep_group, owner):
    join(owner, sleep_group)
    membership = Membership.objects.get(group=sleep_group, user=owner)
    url = reverse("community:group_member", args=["sleep", membership.pk])
    moderator_client.post(url, {"action": "moderator"})
    moderator_client.post(url, {"action": "member"})
    logged = list(ModerationAction.objects.order_by("id").values_list("action", flat=True))
    assert logged == ["appoint_moderator", "remove_moderator"]


# --- Who may ---------------------------------------------------------------------------------------


def test_a_stranger_gets_404_on_every_group_admin_page(stranger, private_group, sleep_group):
    client = client_for(stranger)
    owner_membership = Membership.objects.get(group=private_group, role=Membership.Role.MODERATOR)
    for group in (sleep_group, private_group):
        membership = (
            owner_membership
            if group == private_group
            else Membership.objects.create(
                group=group, user=person(display_name="Someone"), role=Membership.Role.MODERATOR
            )
        )
        for method, url in _admin_urls(group, membership):
            response = getattr(client, method)(url, {**_group_form(), "appoint-name": "Stranger"})
            assert response.status_code == 404, f"{method} {url}"
    assert not SupportGroup.objects.filter(name="Flares at work").exists()
    assert not ModerationAction.objects.exists()


def test_a_group_moderator_who_is_not_a_site_admin_cannot_create_groups_or_appoint(group_mod, sleep_group, stranger):
    client = client_for(group_mod)
    membership = Membership.objects.get(group=sleep_group, user=group_mod)
    for method, url in _admin_urls(sleep_group, membership):
        response = getattr(client, method)(url, {**_group_form(), "appoint-name": "Stranger"})
        assert response.status_code == 404, f"{method} {url}"
    assert not SupportGroup.objects.filter(name="Flares at work").exists()
    membership.refresh_from_db()
    assert membership.role == Membership.Role.MODERATOR
    # The actions refuse too, whoever calls them.
    with pytest.raises(PermissionDenied):
        do_create_group(group_mod, GroupSettings(name="Mine", slug="mine"))
    with pytest.raises(PermissionDenied):
        do_update_group(group_mod, sleep_group, GroupSettings(name="Mine", slug="sleep"))
    with pytest.raises(PermissionDenied):
        do_appoint_moderator(group_mod, sleep_group, stranger)
    assert not ModerationAction.objects.exists()
    # Their own tools still work, without the site admins' links.
    page = client.get(reverse("community:group_manage", args=["sleep"])).content.decode()
    assert "Group settings and moderators" not in page
    assert reverse("community:admin_groups") not in client.get(reverse("community:mod_queue")).content.decode()


def test_a_superuser_is_a_site_admin(sleep_group):
    admin = person(email="root@example.org", display_name="Root", is_superuser=True)
    client = client_for(admin)
    assert client.get(reverse("community:admin_groups")).status_code == 200
    assert "Groups and their moderators" in client.get(reverse("community:mod_queue")).content.decode()
    about = client.get(reverse("community:group_about", args=["sleep"])).content.decode()
    assert reverse("community:admin_group_edit", args=["sleep"]) in about


def test_the_group_list_shows_every_group_in_a_constant_number_of_queries(
    moderator, moderator_client, sleep_group, owner
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("community:admin_groups")
    moderator_client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = moderator_client.get(url).content.decode()
    assert "Sleep" in html and "None: the site moderators look after it" in html
    for i in range(12):
        group = do_create_group(moderator, GroupSettings(name=f"Group {i}", slug=f"group-{i}"))
        Membership.objects.create(group=group, user=person(display_name=f"Mod{i}"), role=Membership.Role.MODERATOR)
        join(owner, group)
    with CaptureQueriesContext(connection) as many:
        html = moderator_client.get(url).content.decode()
    assert len(few) == len(many), [q["sql"] for q in many.captured_queries]
    assert "Group 11" in html and "Mod11" in html
