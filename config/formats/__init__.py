"""Date and number formats per locale (``FORMAT_MODULE_PATH``), on top of Django's own.

Django looks here first, then in ``django.conf.locale``: a module sets only what differs. Besides
Django's named formats, each sets ``FIBROTRACK_DATES``: the project's templates write dates in one
English-order pattern (``|date:"j M Y"``), and ``fibrotrack.lib.l10n`` rewrites that pattern into this
locale's order ("5. Dez. 2026", "Dec 5, 2026"). A pattern a locale does not list is used as written.
"""
