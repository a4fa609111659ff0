"""Loading articles from files: strict validation, idempotent reloads, staff edits kept, revisions recorded."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fibrotrack.knowledge.articles import ArticleError, article_files, load, load_files, parse
from fibrotrack.knowledge.models import Article, ArticleRevision
from fibrotrack.treatments.models import Treatment

from .conftest import client_for

pytestmark = pytest.mark.django_db


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_it_loads_every_file_with_its_front_matter(articles):
    ldn = articles["naltrexone"]
    assert ldn.title == "Low-dose naltrexone (LDN)"
    assert ldn.treatment == Treatment.objects.get(user=None, key="naltrexone")
    assert ldn.grade == "not_assessed" and ldn.symptoms == ["pain", "fatigue", "sleep"]
    assert ldn.trial_template == "ldn_pilot"
    assert ldn.sources[0]["id"] == "eular2017" and ldn.sources[0]["url"].startswith("https://doi.org/")
    assert "<h2>What it is</h2>" in ldn.html
    assert '<a href="#source-eular2017">[eular2017]</a>' in ldn.html
    assert articles["pregabalin"].grade_group == "anticonvulsants (pregabalin)"
    assert articles["tai_chi"].usual_dose == "" and articles["tai_chi"].trial_template == ""


def test_load_reference_data_uses_the_configured_folder(db, article_dir):
    Article.objects.all().delete()
    call_command("load_reference_data", verbosity=0)
    assert set(Article.objects.values_list("key", flat=True)) == {"naltrexone", "pregabalin", "tai_chi"}
    assert load() == 3


def test_a_second_load_of_unchanged_files_changes_nothing(articles, article_dir, django_assert_max_num_queries):
    before = {a.key: (a.updated_at, a.loaded_at) for a in Article.objects.all()}
    with django_assert_max_num_queries(2):
        load_files(article_files(article_dir))
    assert {a.key: (a.updated_at, a.loaded_at) for a in Article.objects.all()} == before
    assert not ArticleRevision.objects.exists()


def test_a_staff_edit_survives_a_reload_of_the_unchanged_file(articles, article_dir, staff):
    ldn = articles["naltrexone"]
    url = reverse("admin:knowledge_article_change", args=[ldn.pk])
    client = client_for(staff)
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "summary": "Edited by staff.",
            "symptoms": '["pain"]',
            "sources": '[{"id": "eular2017", "citation": "EULAR 2017"}]',
            "last_reviewed": "2026-12-06",
            "created_at_0": "2026-12-01",
            "created_at_1": "10:00:00",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    revision = ArticleRevision.objects.get(article=ldn)
    assert revision.source == "staff" and revision.changed_by == staff
    assert revision.front_matter["summary"].startswith("A very small dose")
    load_files(article_files(article_dir))
    assert Article.objects.get(pk=ldn.pk).summary == "Edited by staff."
    assert ArticleRevision.objects.filter(article=ldn).count() == 1
    # The revision is shown in the admin, inline.
    assert "A very small dose" in client.get(url).content.decode()


def test_a_changed_file_wins_and_keeps_the_staff_edit_as_a_revision(articles, article_dir):
    ldn = articles["naltrexone"]
    Article.objects.filter(pk=ldn.pk).update(summary="Edited by staff.", updated_at=timezone.now())
    _edit(article_dir / "naltrexone.md", "Not proven;", "Still not proven;")
    load_files(article_files(article_dir))
    ldn.refresh_from_db()
    assert "Still not proven" in ldn.summary
    revision = ArticleRevision.objects.get(article=ldn)
    assert revision.source == "loader" and revision.changed_by is None
    assert revision.front_matter["summary"] == "Edited by staff."
    assert revision.note == "staff edit replaced by a changed file"


def test_a_changed_file_without_staff_edit_records_the_previous_text(articles, article_dir):
    _edit(article_dir / "tai_chi.md", "a few times a week", "twice a week")
    load_files(article_files(article_dir))
    revision = ArticleRevision.objects.get(article__key="tai_chi")
    assert "a few times a week" in revision.body and revision.note == "file changed"
    assert "twice a week" in Article.objects.get(key="tai_chi").body


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("key: pregabalin", "key: duloxetine", "pregabalin.md: key: is 'duloxetine' but the file is named"),
        ("category: medication", "category: magic", "pregabalin.md: category: must be one of"),
        ("grade: weak_for", "grade: great", "pregabalin.md: eular.grade: must be one of"),
        ("symptoms: [pain, sleep]", "symptoms: [pain, hair]", "pregabalin.md: symptoms:"),
        ("last_reviewed: 2026-12-05", "last_reviewed: soon", "pregabalin.md: last_reviewed: must be a date"),
        ("trial_template: null", "trial_template: ldn_x", "pregabalin.md: trial_template: must be null or one of"),
        ("title: Pregabalin\n", "", "pregabalin.md: title: is required"),
        ("title: Pregabalin\n", "title: Pregabalin\ncolour: blue\n", "pregabalin.md: colour: unknown field"),
        ("    citation: ", "    quote: ", "pregabalin.md: sources[0]: unknown field(s) quote"),
        ("    url: https://doi.org", "    url: ftp://doi.org", "pregabalin.md: sources[0].url: must start with"),
        ("summary: A prescription", "summary: [A prescription", "pregabalin.md: front matter: is not valid YAML"),
    ],
)
def test_it_refuses_an_invalid_file_naming_the_file_and_the_field(article_dir, old, new, message):
    path = article_dir / "pregabalin.md"
    _edit(path, old, new)
    with pytest.raises(ArticleError) as error:
        parse(path)
    assert message in str(error.value)


def test_it_refuses_a_file_without_sources_or_front_matter(article_dir):
    path = article_dir / "tai_chi.md"
    text = path.read_text()
    start, end = text.index("sources:"), text.index("---\n## What")
    path.write_text(text[:start] + "sources: []\n" + text[end:])
    with pytest.raises(ArticleError, match="tai_chi.md: sources: needs at least one source"):
        parse(path)
    path.write_text("## What it is\nNo front matter.\n")
    with pytest.raises(ArticleError, match="tai_chi.md: front matter: the file must start with YAML"):
        parse(path)


def test_one_invalid_file_loads_none(db, article_dir):
    Article.objects.all().delete()
    _edit(article_dir / "tai_chi.md", "grade: weak_for", "grade: maybe")
    with pytest.raises(ArticleError, match="tai_chi.md"):
        load_files(article_files(article_dir))
    assert not Article.objects.exists()


def test_the_format_notes_ldn_template_name_means_the_ldn_pilot(articles, article_dir):
    _edit(article_dir / "naltrexone.md", "trial_template: ldn_pilot", "trial_template: ldn")
    assert parse(article_dir / "naltrexone.md").fields["trial_template"] == "ldn_pilot"
