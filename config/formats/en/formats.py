"""English without a region, and English outside the United States: day first, weeks from Monday."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

FIRST_DAY_OF_WEEK = 1
FIBROTRACK_DATES: dict[str, str] = {}
