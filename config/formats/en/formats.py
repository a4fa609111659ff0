"""English without a region, and English outside the United States: day first, weeks from Monday."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

FIRST_DAY_OF_WEEK = 1
FIBROTRACK_DATES: dict[str, str] = {}

# ISO first: a date picker (<input type="date">) shows only an ISO value, and Django renders a DateInput
# with the first input format. The locale's own forms stay accepted when typed.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
