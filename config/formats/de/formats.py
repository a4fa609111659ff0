"""German: "5. Dez. 2026", "5. Dezember 2026"; Django's own formats otherwise (decimal comma)."""

FIBROTRACK_DATES = {
    "j M Y": "j. N Y",
    "j F Y": "j. F Y",
    "j M Y, H:i": "j. N Y, H:i",
    "j F Y, H:i": "j. F Y, H:i",
    "j M": "j. N",
    "j F": "j. F",
    "D j M Y": "D, j. N Y",
    "D d M Y": "D, d. N Y",
    "D j M": "D, j. N",
    "l j F Y": "l, j. F Y",
    "l j F": "l, j. F",
}

# ISO first: a date picker (<input type="date">) shows only an ISO value, and Django renders a DateInput
# with the first input format. The locale's own forms stay accepted when typed.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
