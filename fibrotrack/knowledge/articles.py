"""Treatment articles from ``knowledge/articles/<key>.md``: parsing, strict validation, loading.

The file format is YAML front matter between ``---`` lines, then Markdown
(docs/architecture.md, "Knowledge"). ``load()`` runs with
``fibrotrack load_reference_data``. The rule for staff edits made in the admin:

* file unchanged since the last load (same SHA-256 as ``source_hash``): the
  article is left alone, so a staff edit survives every later load;
* file changed: the file wins, and the article as it was (a staff edit
  included) is kept as an ``ArticleRevision``, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fibrotrack.community import markup
from fibrotrack.knowledge.models import Article, ArticleRevision, Category, Grade, Symptom
from fibrotrack.trials import protocols

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"
REQUIRED = ("key", "title", "summary", "category", "symptoms", "eular", "last_reviewed", "sources")
OPTIONAL = ("usual_dose", "trial_template")
REQUIRED_HEADINGS = (
    "What it is",
    "How it is used in fibromyalgia",
    "What the evidence says",
    "Side effects",
    "Interactions and safety",
    "Testing it on yourself",
)
# The shared article-format note's example writes "ldn" for the LDN pilot study's template.
TEMPLATE_ALIASES = {"ldn": protocols.LDN_PILOT}
_KEY = re.compile(r"^[a-z0-9_]+$")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n?(.*)\Z", re.DOTALL)


class ArticleError(ValueError):
    """A file that does not follow the format; the message names the file and the field."""


@dataclass(frozen=True)
class ArticleFile:
    path: Path
    fields: dict[str, Any]
    body: str
    sha256: str


def articles_dir() -> Path:
    return Path(getattr(settings, "KNOWLEDGE_ARTICLES_DIR", None) or ARTICLES_DIR)


def _fail(path: Path, field: str, message: str) -> ArticleError:
    return ArticleError(f"{path.name}: {field}: {message}")


def _text(path: Path, data: dict[str, Any], field: str, *, required: bool = True, limit: int = 600) -> str:
    value = data.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, field, "must be non-empty text")
    if len(value) > limit:
        raise _fail(path, field, f"must be at most {limit} characters")
    return value.strip()


def _sources(path: Path, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise _fail(path, "sources", "needs at least one source")
    sources = []
    for index, item in enumerate(value):
        where = f"sources[{index}]"
        if not isinstance(item, dict):
            raise _fail(path, where, "must be a mapping with id and citation")
        unknown = set(item) - {"id", "citation", "url", "read"}
        if unknown:
            raise _fail(path, where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        source = {"id": _text(path, item, "id", limit=60).strip()}
        source["citation"] = _text(path, item, "citation", limit=1000)
        url = _text(path, item, "url", required=False, limit=500)
        if url and not re.match(r"^https?://[^\s/]+", url):
            raise _fail(path, f"{where}.url", "must start with http:// or https://")
        source["url"] = url
        source["read"] = _text(path, item, "read", required=False, limit=300)
        sources.append(source)
    ids = [s["id"] for s in sources]
    if len(set(ids)) != len(ids):
        raise _fail(path, "sources", "two sources have the same id")
    return sources


def validate(path: Path, data: Any) -> dict[str, Any]:
    """The front matter, checked and normalised to the Article's fields; ArticleError on the first problem."""
    if not isinstance(data, dict):
        raise _fail(path, "front matter", "must be a YAML mapping")
    for field in REQUIRED:
        if field not in data:
            raise _fail(path, field, "is required")
    unknown = set(data) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        raise _fail(path, ", ".join(sorted(map(str, unknown))), "unknown field")
    key = data["key"]
    if not isinstance(key, str) or not _KEY.match(key):
        raise _fail(path, "key", "must be a catalogue key (lower case letters, digits and _)")
    if key != path.stem:
        raise _fail(path, "key", f"is {key!r} but the file is named {path.name}")
    if data["category"] not in Category.values:
        raise _fail(path, "category", f"must be one of {', '.join(Category.values)}")
    symptoms = data["symptoms"]
    if not isinstance(symptoms, list) or any(s not in Symptom.values for s in symptoms):
        raise _fail(path, "symptoms", f"must be a list of {', '.join(Symptom.values)}")
    eular = data["eular"]
    if not isinstance(eular, dict) or set(eular) - {"grade", "group"} or "grade" not in eular:
        raise _fail(path, "eular", "must be a mapping with grade (and group)")
    if eular["grade"] not in Grade.values:
        raise _fail(path, "eular.grade", f"must be one of {', '.join(Grade.values)}")
    group = eular.get("group")
    if group is not None and (not isinstance(group, str) or len(group) > 150):
        raise _fail(path, "eular.group", "must be text (at most 150 characters) or null")
    reviewed = data["last_reviewed"]
    if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
        raise _fail(path, "last_reviewed", "must be a date like 2026-12-05")
    template = data.get("trial_template")
    template = TEMPLATE_ALIASES.get(template, template) if isinstance(template, str) else template
    templates = [t.key for t in protocols.all_templates()]
    if template is not None and template not in templates:
        raise _fail(path, "trial_template", f"must be null or one of {', '.join(templates)}")
    return {
        "key": key,
        "title": _text(path, data, "title", limit=150),
        "summary": _text(path, data, "summary"),
        "category": data["category"],
        "symptoms": list(dict.fromkeys(symptoms)),
        "grade": eular["grade"],
        "grade_group": group or "",
        "usual_dose": _text(path, data, "usual_dose", required=False, limit=200),
        "last_reviewed": reviewed,
        "trial_template": template or "",
        "sources": _sources(path, data["sources"]),
    }


def parse(path: Path) -> ArticleFile:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _fail(path, "file", "is not UTF-8") from error
    match = _FRONT.match(text)
    if match is None:
        raise _fail(path, "front matter", "the file must start with YAML between two --- lines")
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        raise _fail(path, "front matter", f"is not valid YAML ({error})") from error
    body = match.group(2).strip()
    if not body:
        raise _fail(path, "body", "is empty")
    return ArticleFile(path, validate(path, data), body + "\n", hashlib.sha256(raw).hexdigest())


def article_files(directory: Path | None = None) -> list[Path]:
    folder = directory or articles_dir()
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


_HEADING = re.compile(r"<(/?)h([3-6])>")


def render(body: str, source_ids: list[str]) -> str:
    """Markdown through the community's sanitising pipeline; ## becomes <h2> again, [id] links to its source."""
    html = markup.render(body).html
    # markup moves headings down two levels for posts; an article owns its page, so move them back.
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) - 2}>", html)
    for source_id in source_ids:
        cite = re.escape(f"[{source_id}]")
        html = re.sub(cite, f'<a href="#source-{source_id}">[{source_id}]</a>', html)
    return html


def front_matter(article: Article) -> dict[str, Any]:
    """The article's front-matter fields as JSON, for a revision."""
    return {
        "title": article.title,
        "summary": article.summary,
        "category": article.category,
        "symptoms": article.symptoms,
        "grade": article.grade,
        "grade_group": article.grade_group,
        "usual_dose": article.usual_dose,
        "last_reviewed": article.last_reviewed.isoformat() if article.last_reviewed else None,
        "trial_template": article.trial_template,
        "sources": article.sources,
    }


def record_revision(article: Article, *, source: str, user: Any = None, note: str = "") -> ArticleRevision:
    return ArticleRevision.objects.create(
        article=article,
        changed_by=user,
        source=source,
        note=note,
        front_matter=front_matter(article),
        body=article.body,
    )


def _apply(article: Article, parsed: ArticleFile, treatments: dict[str, Any], now: dt.datetime) -> None:
    for name, value in parsed.fields.items():
        setattr(article, name, value)
    article.body = parsed.body
    article.html = render(parsed.body, [s["id"] for s in parsed.fields["sources"]])
    article.treatment = treatments.get(parsed.fields["key"])
    article.source_hash = parsed.sha256
    article.loaded_at = now
    article.updated_at = now


def load_files(paths: list[Path]) -> int:
    """Create or update the articles from these files (all validated first: one bad file loads none)."""
    from fibrotrack.treatments.models import Treatment

    parsed = [parse(path) for path in paths]
    keys = [p.fields["key"] for p in parsed]
    treatments = {t.key: t for t in Treatment.objects.filter(user=None, key__in=keys)}
    existing = {a.key: a for a in Article.objects.filter(key__in=keys)}
    now = timezone.now()
    # An unchanged file leaves its article (and any staff edit) as it is: a reload of nothing new writes nothing.
    changed = [item for item in parsed if getattr(existing.get(item.fields["key"]), "source_hash", "") != item.sha256]
    if not changed:
        return len(parsed)
    with transaction.atomic():
        for item in changed:
            article = existing.get(item.fields["key"])
            if article is None:
                article = Article(created_at=now)
            else:
                staff_edited = article.loaded_at is None or article.updated_at > article.loaded_at
                note = "staff edit replaced by a changed file" if staff_edited else "file changed"
                record_revision(article, source="loader", note=note)
            _apply(article, item, treatments, now)
            article.save()
    return len(parsed)


def load() -> int:
    """The reference-data loader: every file in the articles directory."""
    return load_files(article_files())
