"""Full-text search, maintained by the database itself.

PostgreSQL: a trigger fills ``community_post.search_vector`` (title weighted A
for a thread's first post, body weighted B) and a GIN index serves queries.

SQLite: an FTS5 table kept in step by triggers, if this SQLite has FTS5;
without it, search falls back to ``icontains`` (see ``search.py``).

Triggers cover every write, cascades included, so the index never holds the
text of a deleted post.
"""

from django.db import migrations

PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION community_post_search_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('english', CASE WHEN NEW.position = 0
          THEN coalesce((SELECT title FROM community_thread WHERE id = NEW.thread_id), '') ELSE '' END), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.body, '')), 'B');
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER community_post_search BEFORE INSERT OR UPDATE OF body, position, thread_id
    ON community_post FOR EACH ROW EXECUTE FUNCTION community_post_search_update();
    """,
    """
    CREATE OR REPLACE FUNCTION community_thread_title_update() RETURNS trigger AS $$
    BEGIN
      IF NEW.title IS DISTINCT FROM OLD.title THEN
        UPDATE community_post SET position = position WHERE thread_id = NEW.id AND position = 0;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER community_thread_title AFTER UPDATE OF title
    ON community_thread FOR EACH ROW EXECUTE FUNCTION community_thread_title_update();
    """,
    "CREATE INDEX community_post_search_gin ON community_post USING gin (search_vector);",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS community_post_search_gin;",
    "DROP TRIGGER IF EXISTS community_thread_title ON community_thread;",
    "DROP FUNCTION IF EXISTS community_thread_title_update();",
    "DROP TRIGGER IF EXISTS community_post_search ON community_post;",
    "DROP FUNCTION IF EXISTS community_post_search_update();",
]

_TITLE = "CASE WHEN new.position = 0 THEN (SELECT title FROM community_thread WHERE id = new.thread_id) ELSE '' END"
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE community_post_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');",
    f"""
    CREATE TRIGGER community_post_fts_insert AFTER INSERT ON community_post BEGIN
      INSERT INTO community_post_fts (rowid, title, body) VALUES (new.id, {_TITLE}, new.body);
    END;
    """,
    """
    CREATE TRIGGER community_post_fts_delete AFTER DELETE ON community_post BEGIN
      DELETE FROM community_post_fts WHERE rowid = old.id;
    END;
    """,
    f"""
    CREATE TRIGGER community_post_fts_update AFTER UPDATE OF body, position, thread_id ON community_post BEGIN
      DELETE FROM community_post_fts WHERE rowid = old.id;
      INSERT INTO community_post_fts (rowid, title, body) VALUES (new.id, {_TITLE}, new.body);
    END;
    """,
    """
    CREATE TRIGGER community_thread_fts_title AFTER UPDATE OF title ON community_thread BEGIN
      UPDATE community_post_fts SET title = new.title
      WHERE rowid IN (SELECT id FROM community_post WHERE thread_id = new.id AND position = 0);
    END;
    """,
    # Backfill anything written before this migration.
    f"""
    INSERT INTO community_post_fts (rowid, title, body)
    SELECT p.id, CASE WHEN p.position = 0 THEN t.title ELSE '' END, p.body
    FROM community_post p JOIN community_thread t ON t.id = p.thread_id;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS community_thread_fts_title;",
    "DROP TRIGGER IF EXISTS community_post_fts_update;",
    "DROP TRIGGER IF EXISTS community_post_fts_delete;",
    "DROP TRIGGER IF EXISTS community_post_fts_insert;",
    "DROP TABLE IF EXISTS community_post_fts;",
]


def _sqlite_has_fts5(cursor):
    try:
        cursor.execute("CREATE VIRTUAL TABLE temp.community_fts5_probe USING fts5(x)")
        cursor.execute("DROP TABLE temp.community_fts5_probe")
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
        if connection.vendor == "postgresql":
            cursor.execute("UPDATE community_post SET position = position")


def backward(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
