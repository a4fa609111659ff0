"""Every catalogue entry has its article file, and every file follows the format (docs: article-format)."""

import re
from pathlib import Path

import pytest

from fibrotrack.knowledge.articles import ARTICLES_DIR, REQUIRED_HEADINGS, parse
from fibrotrack.knowledge.models import Grade
from fibrotrack.treatments.catalogue import ENTRIES, MEDICATION, SUPPLEMENT

# A claim of a cure: "cure", "cures", "cured", "curing" (but "procure", "secure" are other words).
CURE = re.compile(r"\bcur(e|es|ed|ing)\b", re.IGNORECASE)
# Plain statements that something does not cure are honest, not claims.
NEGATED = re.compile(r"\b(no|not|never|nothing|cannot|can't|doesn't|does not|isn't|without an?)\b[^.]{0,40}$", re.I)

SAMPLES = Path(__file__).resolve().parent / "articles"
BY_KEY = {e.key: e for e in ENTRIES}


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.key)
def test_every_catalogue_entry_has_a_complete_article(entry):
    check_article(ARTICLES_DIR / f"{entry.key}.md", entry.category)


@pytest.mark.parametrize("key", ["naltrexone", "pregabalin", "tai_chi"])
def test_the_check_passes_the_sample_articles(key):
    check_article(SAMPLES / f"{key}.md", BY_KEY[key].category)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("## Side effects", "## Side-effects", "missing headings"),
        ("## Usual doses", "## Doses", "missing headings"),
        ("Dizziness, drowsiness", "It cures pain. Dizziness, drowsiness", "a claim of a cure"),
    ],
)
def test_the_check_fails_an_incomplete_article(tmp_path, old, new, problem):
    path = tmp_path / "pregabalin.md"
    path.write_text((SAMPLES / "pregabalin.md").read_text().replace(old, new, 1))
    with pytest.raises(AssertionError, match=problem):
        check_article(path, BY_KEY["pregabalin"].category)


def test_saying_it_is_not_a_cure_is_allowed(tmp_path):
    path = tmp_path / "pregabalin.md"
    path.write_text((SAMPLES / "pregabalin.md").read_text().replace("Dizziness,", "It is not a cure. Dizziness,"))
    check_article(path, BY_KEY["pregabalin"].category)


def check_article(path, category):
    assert path.is_file(), f"{path.name} is missing"
    article = parse(path)  # raises ArticleError naming the field
    fields = article.fields
    assert fields["grade"] in Grade.values
    assert fields["sources"] and all(s["citation"].strip() for s in fields["sources"])
    assert fields["last_reviewed"]
    headings = {line[3:].strip() for line in article.body.splitlines() if line.startswith("## ")}
    required = set(REQUIRED_HEADINGS) | ({"Usual doses"} if category in (MEDICATION, SUPPLEMENT) else set())
    assert not required - headings, f"{path.name}: missing headings {sorted(required - headings)}"
    text = f"{fields['title']}\n{fields['summary']}\n{article.body}"
    for match in CURE.finditer(text):
        before = text[max(0, match.start() - 60) : match.start()]
        assert NEGATED.search(before), (
            f"{path.name}: a claim of a cure near {text[match.start() - 40 : match.end() + 20]!r}"
        )
