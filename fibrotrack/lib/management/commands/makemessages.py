"""``makemessages`` without msgmerge's fuzzy guesses.

A fuzzy guess is a neighbouring message's translation offered for a new one;
here they were almost always wrong (and broke compiling when their
placeholders differed), and our catalogues must have no fuzzy entry. A new
message is left empty for a translator instead.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
