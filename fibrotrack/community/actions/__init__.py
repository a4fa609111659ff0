"""Every write to the community, with its side effects, inside a transaction: one module per topic.

Validation that needs the database (mentions, flood control, the word filter)
raises ``django.core.exceptions.ValidationError`` with a message meant for the
person; permission problems raise ``PermissionDenied`` (see ``access``).

An action that checks what the acting person may do takes their
``UserPermissions`` as ``permissions=``: views pass the request's (from
``access.permissions.get_permissions``), so nothing is looked up twice in one
request; other callers leave it out and a fresh one is made.

Import from the topic module: ``from fibrotrack.community.actions.posts import do_reply``.

* ``text``: checking and rendering text, resolving @mentions
* ``groups``: joining, leaving, requests, invitations, removing members, a group's forum
* ``group_admin``: site admins create and configure groups, appoint and remove moderators
* ``threads``: starting a thread, its treatment tags, following and reading threads
* ``posts``: replying, editing, deleting; the notifications posting sets off
* ``reactions``: reacting to a post
* ``cards``: progress cards
* ``social``: following and blocking people
* ``profiles``: the community profile
* ``messages``: private messages
* ``notifications``: marking notifications read, e-mail preferences, unsubscribing
* ``newsletter``: the newsletter's double opt-in and sending
* ``reports``: members' reports, automatic crisis reports, closing reports
* ``moderation``: moderators hide, restore, delete, pin, lock and move
* ``bans``: warnings and bans
* ``audit``: the moderation log, and changes made in Django admin
* ``deletion``: preparing a person's posts for the deletion of their account
"""
