"""Spanish: "5 dic. 2026", "5 de diciembre de 2026"; Django's own formats otherwise (decimal comma)."""

FIBROTRACK_DATES = {
    "j M Y": "j N Y",
    "j F Y": r"j \d\e F \d\e Y",
    "j M Y, H:i": "j N Y, H:i",
    "j F Y, H:i": r"j \d\e F \d\e Y, H:i",
    "j M": "j N",
    "j F": r"j \d\e F",
    "D j M Y": "D j N Y",
    "D d M Y": "D d N Y",
    "D j M": "D j N",
    "l j F Y": r"l, j \d\e F \d\e Y",
    "l j F": r"l, j \d\e F",
}

# ISO first: a date picker (<input type="date">) shows only an ISO value, and Django renders a DateInput
# with the first input format. The locale's own forms stay accepted when typed.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
