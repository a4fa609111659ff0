"""Who may see and do what in the community. Views read only through here.

Getters raise ``Http404`` for anything the person may not see, so a private
group, somebody else's conversation or a hidden thread is indistinguishable
from one that does not exist. ``check_*`` functions guard writes on things the
person *can* see and raise ``PermissionDenied`` with a plain explanation.

Anything that depends on the person's roles, bans or blocks takes their
``UserPermissions`` (the request's, from ``get_permissions(request)``);
getters scoped only by ownership take the user.

* ``permissions``: ``UserPermissions``, ``get_permissions``, ``permissions_for``, bans
* ``groups``: the directory, group pages, members, the site admins' group tools
* ``threads``: forums and threads, starting and replying, thread tags
* ``posts``: single posts, editing, deleting, reactions, edit history
* ``people``: profiles, blocks, private messages, progress cards, notifications
* ``moderation``: reports and the moderators' pages
"""
