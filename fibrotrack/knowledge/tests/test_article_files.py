"""Editorial rules for the treatment articles (issue 19), checked file by file.

These read the Markdown files directly (no database), so a broken article fails here before the
loader ever sees it. The rules are the editor's: front matter that agrees with the catalogue and the
EULAR 2017 table, sources short enough for the loader, and the safety sentences every opioid,
naltrexone, benzodiazepine and sleeping-tablet article must carry.

Editorial decisions these tests pin down:
- ``category`` is the catalogue entry's category, so the app's lists and the article agree (diet_change is
  "exercise", the catalogue's "Exercise and diet"; sleep_hygiene is "therapy").
- Every graded article names its row of the EULAR table in ``eular.group``, even a one-treatment row such as
  "tramadol", so that the grade can be checked; ``group: null`` means not assessed.
- The grade is said in words in one way, as the first line of "What the evidence says" (GRADE_WORDS).
"""

from __future__ import annotations

import csv
import datetime
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from fibrotrack.treatments.catalogue import ENTRIES
from fibrotrack.trials import protocols

ARTICLES = Path(__file__).resolve().parents[1] / "articles"
GRADES_CSV = Path("/work/shared/reference/eular-2016-grades.csv")
# A copy of the reference table, so the check does not depend on a file outside the repo.
# The CSV (when present) must agree with it: see test_the_grade_table_matches_the_reference_csv.
EULAR_ROWS: dict[str, str] = {
    "aerobic and strengthening exercise": "strong_for",
    "cognitive behavioural therapies": "weak_for",
    "multicomponent therapies": "weak_for",
    "defined physical therapies: acupuncture or hydrotherapy": "weak_for",
    "meditative movement therapies (qigong; yoga; tai chi) and mindfulness-based stress reduction": "weak_for",
    "biofeedback": "weak_against",
    "capsaicin": "weak_against",
    "hypnotherapy": "weak_against",
    "massage": "weak_against",
    "S-adenosyl methionine": "weak_against",
    "chiropractic": "strong_against",
    "homeopathy": "strong_against",
    "amitriptyline (low dose)": "weak_for",
    "anticonvulsants (pregabalin)": "weak_for",
    "cyclobenzaprine": "weak_for",
    "duloxetine or milnacipran": "weak_for",
    "tramadol": "weak_for",
    "growth hormone": "strong_against",
    "sodium oxybate": "strong_against",
    "monoamine oxidase inhibitors": "weak_against",
    "non-steroidal anti-inflammatory drugs": "weak_against",
    "selective serotonin reuptake inhibitors": "weak_against",
    "strong opioids": "strong_against",
    "corticosteroids": "strong_against",
}
GRADE_WORDS = {
    "strong_for": "EULAR 2017: strong for — a clear yes.",
    "weak_for": "EULAR 2017: weak for — a cautious yes.",
    "weak_against": "EULAR 2017: weak against — a cautious no.",
    "strong_against": "EULAR 2017: strong against — a clear no.",
    "not_assessed": "EULAR 2017: not assessed — no grade.",
}
HEADINGS = (
    "What it is",
    "How it is used in fibromyalgia",
    "What the evidence says",
    "Usual doses",
    "Side effects",
    "Interactions and safety",
    "Testing it on yourself",
)
DOSED = {"medication", "supplement"}
SYMPTOMS = {"pain", "fatigue", "sleep", "cognition", "mood", "stiffness"}
OPIOIDS = {
    "codeine",
    "tramadol",
    "tapentadol",
    "hydrocodone",
    "oxycodone",
    "morphine",
    "methadone",
    "buprenorphine",
    "fentanyl",
}
SEDATIVE_HYPNOTICS = {"alprazolam", "clonazepam", "diazepam", "lorazepam", "zolpidem", "zopiclone", "eszopiclone"}
CATALOGUE = {entry.key: entry for entry in ENTRIES}
FILES = sorted(ARTICLES.glob("*.md"))
# A cure or proof claim is allowed only when negated just before it ("not a cure", "no cure").
CLAIM = re.compile(r"\b(cure[sd]?|curing|heals?|proven to)\b", re.IGNORECASE)
NEGATION = re.compile(r"\b(not|no|never|nor|isn't|aren't|without)\b[^.]{0,25}$", re.IGNORECASE)


def split(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{path.name}: no front matter"
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    return meta, body


def ids(files: list[Path]) -> list[str]:
    return [p.stem for p in files]


def test_every_catalogue_entry_has_exactly_one_article() -> None:
    assert sorted(CATALOGUE) == ids(FILES)


def test_the_grade_table_matches_the_reference_csv() -> None:
    if not GRADES_CSV.exists():
        pytest.skip("shared reference table not mounted")
    with GRADES_CSV.open(encoding="utf-8") as fh:
        rows = {r["therapy"]: r["eular_2016_strength"].replace(" ", "_") for r in csv.DictReader(fh)}
    assert rows == EULAR_ROWS


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
def test_front_matter_agrees_with_the_catalogue_and_eular(path: Path) -> None:
    meta, _ = split(path)
    entry = CATALOGUE[path.stem]
    assert meta["key"] == path.stem == entry.key
    assert meta["category"] == entry.category
    assert meta["last_reviewed"] == datetime.date(2026, 12, 5)
    assert meta["title"] and meta["summary"]
    assert set(meta["symptoms"]) <= SYMPTOMS
    grade, group = meta["eular"]["grade"], meta["eular"]["group"]
    if group is None:
        # An assessed treatment must name its row, so the grade can be checked against the table.
        assert grade == "not_assessed"
    else:
        assert group in EULAR_ROWS, f"not a row of the EULAR table: {group!r}"
        assert grade == EULAR_ROWS[group]
    if entry.category not in DOSED:
        assert meta.get("usual_dose") is None
    template = meta.get("trial_template")
    assert template is None or template in {t.key for t in protocols.all_templates()}


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
def test_sources_are_short_enough_for_the_loader_and_cited_correctly(path: Path) -> None:
    meta, body = split(path)
    sources = meta["sources"]
    assert sources, "at least one source"
    known = set()
    for source in sources:
        assert source["id"] not in known, f"duplicate source id {source['id']}"
        known.add(source["id"])
        assert 0 < len(source["citation"]) <= 500, source["id"]
        assert 0 < len(source["read"]) <= 300, f"{source['id']}: read note {len(source['read'])} characters"
        if source["url"] is None:
            assert "seed document" in source["read"], f"{source['id']}: url may be null only for seed documents"
    cited = set(re.findall(r"\[([a-z][a-z0-9_]*)\]", body))
    assert cited <= known, f"cited but not listed: {sorted(cited - known)}"


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
def test_body_has_the_headings_in_order_and_the_grade_in_words(path: Path) -> None:
    meta, body = split(path)
    expected = [h for h in HEADINGS if h != "Usual doses" or meta["category"] in DOSED]
    assert re.findall(r"^## (.+?)\s*$", body, re.MULTILINE) == expected
    evidence = body.split("## What the evidence says", 1)[1]
    assert GRADE_WORDS[meta["eular"]["grade"]] in evidence.split("\n## ", 1)[0]


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
def test_nothing_claims_a_cure(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for match in CLAIM.finditer(text):
        before = text[max(0, match.start() - 60) : match.start()]
        assert NEGATION.search(before), f"claim: ...{before}{match.group(0)}..."


@pytest.mark.parametrize("key", sorted(OPIOIDS | {"naltrexone"}))
def test_opioid_and_naltrexone_articles_warn_about_the_block_and_withdrawal(key: str) -> None:
    _, body = split(ARTICLES / f"{key}.md")
    safety = body.split("## Interactions and safety", 1)[1].split("\n## ", 1)[0].lower()
    # The block and the withdrawal must be said together, in the paragraph about naltrexone.
    paragraphs = [p for p in safety.split("\n\n") if "naltrexone" in p]
    assert any("block" in p and "withdrawal" in p for p in paragraphs)
    if key != "naltrexone":
        assert any("ldn" in p for p in paragraphs)


@pytest.mark.parametrize("key", sorted(SEDATIVE_HYPNOTICS))
def test_benzodiazepine_and_sleeping_tablet_articles_warn_about_dependence_falls_and_driving(key: str) -> None:
    _, body = split(ARTICLES / f"{key}.md")
    text = body.lower()
    assert re.search(r"\bdependen(ce|t)\b", text)
    assert re.search(r"\bfalls\b", text)  # not "fall asleep"
    assert re.search(r"\bdriv(e|ing)\b", text)


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
def test_a_decision_sends_the_reader_to_their_doctor(path: Path) -> None:
    _, body = split(path)
    # Every article ends with "Testing it on yourself", where the reader decides: it must send them to
    # a professional.
    testing = body.split("## Testing it on yourself", 1)[1]
    assert re.search(r"\b(doctor|pharmacist|prescriber|physiotherapist)\b", testing)
    if "## Usual doses" in body:
        doses = body.split("## Usual doses", 1)[1].split("\n## ", 1)[0]
        assert re.search(r"\b(doctor|pharmacist|prescriber)\b", doses)


def test_the_claim_check_can_fail() -> None:
    # Guard against a regex that never matches: a bare claim must be caught, a negated one allowed.
    bad, good = "This cures fibromyalgia.", "It is not a cure."
    m_bad, m_good = CLAIM.search(bad), CLAIM.search(good)
    assert m_bad and m_good
    assert not NEGATION.search(bad[: m_bad.start()])
    assert NEGATION.search(good[: m_good.start()])
