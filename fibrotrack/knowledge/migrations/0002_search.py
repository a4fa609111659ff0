"""Full-text search over articles, maintained by the database (as community's 0002_search).

PostgreSQL: a trigger fills ``knowledge_article.search_vector`` (title A,
summary B, body C) and a GIN index serves queries. SQLite: an FTS5 table kept
in step by triggers, when this SQLite has FTS5 (else ``search.py`` falls back
to ``icontains``).
"""

from django.db import migrations

PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION knowledge_article_search_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B')
        || setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER knowledge_article_search BEFORE INSERT OR UPDATE OF title, summary, body
    ON knowledge_article FOR EACH ROW EXECUTE FUNCTION knowledge_article_search_update();
    """,
    "CREATE INDEX knowledge_article_search_gin ON knowledge_article USING gin (search_vector);",
    "UPDATE knowledge_article SET title = title;",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS knowledge_article_search_gin;",
    "DROP TRIGGER IF EXISTS knowledge_article_search ON knowledge_article;",
    "DROP FUNCTION IF EXISTS knowledge_article_search_update();",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE knowledge_article_fts USING fts5("
    "title, summary, body, tokenize = 'porter unicode61 remove_diacritics 2');",
    """
    CREATE TRIGGER knowledge_article_fts_insert AFTER INSERT ON knowledge_article BEGIN
      INSERT INTO knowledge_article_fts (rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body);
    END;
    """,
    """
    CREATE TRIGGER knowledge_article_fts_delete AFTER DELETE ON knowledge_article BEGIN
      DELETE FROM knowledge_article_fts WHERE rowid = old.id;
    END;
    """,
    """
    CREATE TRIGGER knowledge_article_fts_update AFTER UPDATE OF title, summary, body ON knowledge_article BEGIN
      DELETE FROM knowledge_article_fts WHERE rowid = old.id;
      INSERT INTO knowledge_article_fts (rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body);
    END;
    """,
    "INSERT INTO knowledge_article_fts (rowid, title, summary, body) SELECT id, title, summary, body FROM knowledge_article;",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS knowledge_article_fts_update;",
    "DROP TRIGGER IF EXISTS knowledge_article_fts_delete;",
    "DROP TRIGGER IF EXISTS knowledge_article_fts_insert;",
    "DROP TABLE IF EXISTS knowledge_article_fts;",
]


def _sqlite_has_fts5(cursor):
    try:
        cursor.execute("CREATE VIRTUAL TABLE temp.knowledge_fts5_probe USING fts5(x)")
        cursor.execute("DROP TABLE temp.knowledge_fts5_probe")
    except Exception:  # noqa: BLE001  (any failure means: no FTS5 here)
        return False
    return True


def forward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statements = PG_FORWARD
        elif connection.vendor == "sqlite" and _sqlite_has_fts5(cursor):
            statements = SQLITE_FORWARD
        else:
            return
        for statement in statements:
            cursor.execute(statement)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
