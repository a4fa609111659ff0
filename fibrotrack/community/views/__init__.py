"""The community's pages, one module per topic. Thin: forms validate, ``actions`` write, ``access`` reads.

Every signed-in view takes an ``AuthenticatedHttpRequest`` and reads the
person's standing through ``get_permissions(request)``, which is worked out
once per request and handed to ``access`` and ``actions``.

* ``base``: the ``community_view`` decorator, ``render_page``, pagination, the menu's counts
* ``directory``: the front page, search, the pages about one treatment
* ``groups``: a group's pages, joining and leaving, the group moderators' page
* ``threads``: a forum's threads, starting, reading, replying, following, moderating a thread
* ``posts``: one post: editing, deleting, history, reactions, reports, moderating
* ``people``: profiles, following, blocking, reporting people, the feed
* ``messages``: private messages
* ``cards``: progress cards
* ``notifications``: notifications, e-mail choices, the newsletter, unsubscribe
* ``moderation``: the moderators' queue, reports, warnings, bans, the log
* ``group_admin``: site admins create and configure groups and appoint their moderators
"""
