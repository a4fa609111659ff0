from django.urls import path

from fibrotrack.community import views, views_mod, views_people

app_name = "community"
urlpatterns = [
    path("", views.index, name="index"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("search/", views.search_view, name="search"),
    path("treatment/<slug:key>/", views.treatment, name="treatment"),
    # Forums (a group's forum has the group's slug) and groups
    path("f/<slug:slug>/", views.forum, name="forum"),
    path("f/<slug:slug>/new/", views.thread_new, name="thread_new"),
    path("g/<slug:slug>/", views.group_about, name="group_about"),
    path("g/<slug:slug>/members/", views.group_members, name="group_members"),
    path("g/<slug:slug>/join/", views.group_join, name="group_join"),
    path("g/<slug:slug>/leave/", views.group_leave, name="group_leave"),
    path("g/<slug:slug>/decline/", views.group_decline, name="group_decline"),
    path("g/<slug:slug>/manage/", views.group_manage, name="group_manage"),
    path("g/<slug:slug>/manage/invite/", views.group_invite, name="group_invite"),
    path("g/<slug:slug>/manage/requests/<int:membership_id>/", views.group_request, name="group_request"),
    path("g/<slug:slug>/manage/members/<int:membership_id>/", views.group_member, name="group_member"),
    # Threads and posts
    path("t/<int:pk>/", views.thread, name="thread"),
    path("t/<int:pk>/reply/", views.thread_reply, name="thread_reply"),
    path("t/<int:pk>/follow/", views.thread_follow, name="thread_follow"),
    path("t/<int:pk>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("t/<int:pk>/move/", views.thread_move, name="thread_move"),
    path("p/<int:pk>/", views.post, name="post"),
    path("p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("p/<int:pk>/history/", views.post_history, name="post_history"),
    path("p/<int:pk>/react/", views.post_react, name="post_react"),
    path("p/<int:pk>/report/", views.post_report, name="post_report"),
    path("p/<int:pk>/moderate/", views.post_moderate, name="post_moderate"),
    path("p/<int:pk>/card/remove/", views.post_card_remove, name="post_card_remove"),
    # People
    path("u/<int:pk>/", views_people.profile, name="profile"),
    path("u/<int:pk>/follow/", views_people.profile_follow, name="profile_follow"),
    path("u/<int:pk>/block/", views_people.profile_block, name="profile_block"),
    path("u/<int:pk>/report/", views_people.profile_report, name="profile_report"),
    path("me/profile/", views_people.profile_edit, name="profile_edit"),
    path("me/blocked/", views_people.blocked, name="blocked"),
    path("me/moderation/", views_people.my_moderation, name="my_moderation"),
    path("me/email/", views_people.email_settings, name="email_settings"),
    path("me/cards/", views_people.cards_list, name="cards"),
    path("me/cards/new/<slug:source>/", views_people.card_new, name="card_new"),
    path("me/cards/<int:pk>/", views_people.card_detail, name="card_detail"),
    path("me/cards/<int:pk>/delete/", views_people.card_delete, name="card_delete"),
    path("feed/", views_people.feed, name="feed"),
    path("notifications/", views_people.notifications, name="notifications"),
    path("notifications/read/", views_people.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views_people.notification_open, name="notification_open"),
    # Private messages
    path("messages/", views_people.inbox, name="inbox"),
    path("messages/new/<int:pk>/", views_people.message_new, name="message_new"),
    path("messages/<int:pk>/", views_people.conversation, name="conversation"),
    path("messages/m/<int:pk>/report/", views_people.message_report, name="message_report"),
    # E-mail
    path("newsletter/", views_people.newsletter, name="newsletter"),
    path("newsletter/confirm/<str:token>/", views_people.newsletter_confirm, name="newsletter_confirm"),
    path("unsubscribe/<str:token>/", views_people.unsubscribe, name="unsubscribe"),
    # Moderation
    path("mod/", views_mod.queue, name="mod_queue"),
    path("mod/reports/<int:pk>/", views_mod.report_detail, name="mod_report"),
    path("mod/u/<int:pk>/", views_mod.person, name="mod_person"),
    path("mod/bans/<int:pk>/lift/", views_mod.ban_lift, name="ban_lift"),
    path("mod/log/", views_mod.log, name="mod_log"),
]
