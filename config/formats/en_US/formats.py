"""English in the United States (region from the browser or the time zone): month first, 12-hour clock,
weeks from Sunday."""

from django.conf.locale.en.formats import *  # noqa: F403

FIRST_DAY_OF_WEEK = 0
FIBROTRACK_DATES = {
    "j M Y": "M j, Y",
    "j F Y": "F j, Y",
    "j M Y, H:i": "M j, Y, g:i A",
    "j F Y, H:i": "F j, Y, g:i A",
    "j M": "M j",
    "j F": "F j",
    "D j M Y": "D, M j, Y",
    "D d M Y": "D, M d, Y",
    "D j M": "D, M j",
    "l j F Y": "l, F j, Y",
    "l j F": "l, F j",
    "H:i": "g:i A",
}

# ISO first: a date picker (<input type="date">) shows only an ISO value, and Django renders a DateInput
# with the first input format. The locale's own forms stay accepted when typed.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"]
