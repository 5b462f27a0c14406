from django.utils.text import slugify

DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def danish_slugify(value: str) -> str:
    """Slugify with the Danish letters spelt out: "Bæredygtighed" -> "baeredygtighed", "Verdensmål" -> "verdensmaal"."""
    return slugify(value.translate(DANISH_LETTERS))
