"""The store's schema, as sqlite-utils migrations applied in order when a store opens."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from cmreader.store.author_keys import author_key_sql, m008_author_key_sql
from cmreader.store.versions import MIGRATION_SET

migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial(db: Database) -> None:
    _run_script(
        db,
        """
        CREATE TABLE cmreader_meta (name TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'post',
            title TEXT NOT NULL DEFAULT '',
            author TEXT,
            published TEXT,
            url TEXT,
            source TEXT,
            format TEXT,
            body TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL,
            visited_at TEXT,
            -- Kept current by the store after every write, so the episode list is one read.
            comment_count INTEGER NOT NULL DEFAULT 0,
            waiting_count INTEGER NOT NULL DEFAULT 0,
            last_comment_added_at TEXT
        );
        CREATE INDEX posts_published ON posts(published DESC, id DESC);
        -- Comments form a nested set per post: a comment's subtree is every row of the same
        -- post with ord in (ord, end_ord]. Thread order is ORDER BY ord, read from one index.
        CREATE TABLE comments (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            post_id INTEGER NOT NULL REFERENCES posts(id),
            parent_id INTEGER REFERENCES comments(id),
            ord INTEGER NOT NULL,
            end_ord INTEGER NOT NULL,
            depth INTEGER NOT NULL,
            author TEXT,
            author_url TEXT,
            author_email TEXT,
            published TEXT,
            body TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'approved',
            origin TEXT NOT NULL DEFAULT 'imported',
            by_owner INTEGER NOT NULL DEFAULT 0,
            answer_mark TEXT,
            edit_draft TEXT,
            added_at TEXT NOT NULL,
            updated_at TEXT,
            deleted_at TEXT
        );
        CREATE INDEX comments_thread ON comments(post_id, ord);
        CREATE INDEX comments_parent ON comments(parent_id);
        -- Owner answers only: makes "is there an owner's comment below this one" one seek.
        CREATE INDEX comments_owner_answers ON comments(post_id, ord)
            WHERE by_owner = 1 AND status = 'approved' AND deleted_at IS NULL;
        CREATE INDEX comments_waiting ON comments(published)
            WHERE by_owner = 0 AND status = 'approved' AND deleted_at IS NULL;

        CREATE VIRTUAL TABLE comments_fts USING fts5(
            body, author, content='comments', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
            INSERT INTO comments_fts(rowid, body, author) VALUES (new.id, new.body, new.author);
        END;
        CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN
            INSERT INTO comments_fts(comments_fts, rowid, body, author)
                VALUES ('delete', old.id, old.body, old.author);
        END;
        CREATE TRIGGER comments_fts_update AFTER UPDATE OF body, author ON comments BEGIN
            INSERT INTO comments_fts(comments_fts, rowid, body, author)
                VALUES ('delete', old.id, old.body, old.author);
            INSERT INTO comments_fts(rowid, body, author) VALUES (new.id, new.body, new.author);
        END;

        CREATE VIRTUAL TABLE posts_fts USING fts5(
            title, body, content='posts', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
            INSERT INTO posts_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
            INSERT INTO posts_fts(posts_fts, rowid, title, body)
                VALUES ('delete', old.id, old.title, old.body);
        END;
        CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, body ON posts BEGIN
            INSERT INTO posts_fts(posts_fts, rowid, title, body)
                VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO posts_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        """,
    )


@migrations()
def m002_blogs_statuses_types(db: Database) -> None:
    # Blogs: episodes belong to one; its owner identities decide whose comments are answers.
    # Post status and comment type keep drafts and pingbacks out of what waits for an answer.
    _run_script(
        db,
        """
        CREATE TABLE blogs (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            title TEXT,
            url TEXT,
            owner_name TEXT,
            owner_email TEXT,
            owner_user_id TEXT,
            owner_uri TEXT,
            added_at TEXT NOT NULL
        );
        ALTER TABLE posts ADD COLUMN blog_id INTEGER REFERENCES blogs(id);
        ALTER TABLE posts ADD COLUMN status TEXT NOT NULL DEFAULT 'publish';
        ALTER TABLE comments ADD COLUMN type TEXT NOT NULL DEFAULT 'comment';
        CREATE INDEX posts_blog ON posts(blog_id, published DESC, id DESC);
        DROP INDEX comments_waiting;
        CREATE INDEX comments_waiting ON comments(published)
            WHERE by_owner = 0 AND status = 'approved' AND deleted_at IS NULL
              AND type = 'comment';
        -- Posts imported before blogs existed: one blog per file they came from, which the
        -- next import of that file replaces with the blog the file names.
        INSERT INTO blogs (key, kind, added_at)
            SELECT 'file:' || COALESCE(format, '') || ':' || COALESCE(source, url, ''),
                   COALESCE(format, 'unknown'), MIN(added_at)
            FROM posts GROUP BY format, COALESCE(source, url, '');
        UPDATE posts SET blog_id = (
            SELECT b.id FROM blogs b
            WHERE b.key = 'file:' || COALESCE(posts.format, '') || ':'
                          || COALESCE(posts.source, posts.url, ''));
        """,
    )


@migrations()
def m003_episode_order(db: Database) -> None:
    # The episode list's order as an index: the first page of 10,000 episodes is read from it
    # instead of sorting them all (35 ms before the first paint, now under 1 ms).
    db.execute(
        "CREATE INDEX posts_order ON posts(published IS NULL, published DESC, id DESC)"
    )


@migrations()
def m004_moderation(db: Database) -> None:
    # Moderation done here, each with the status it replaced (what u puts back; what a live
    # blog will be told). Pending counts for the episode list; the queue's order as an index.
    _run_script(
        db,
        """
        CREATE TABLE moderations (
            id INTEGER PRIMARY KEY,
            comment_id INTEGER NOT NULL REFERENCES comments(id),
            post_id INTEGER NOT NULL REFERENCES posts(id),
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX moderations_comment ON moderations(comment_id);
        ALTER TABLE posts ADD COLUMN pending_count INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX comments_pending ON comments(published, id)
            WHERE status = 'pending' AND deleted_at IS NULL;
        UPDATE posts SET pending_count = (
            SELECT COUNT(*) FROM comments c
            WHERE c.post_id = posts.id AND c.status = 'pending' AND c.deleted_at IS NULL);
        """,
    )


@migrations()
def m005_list_orders_and_totals(db: Database) -> None:
    # The desk's lists at any size: each page read in its list's order from an index, each
    # count read from totals kept per blog.
    _run_script(
        db,
        """
        -- Each blog's totals, kept by the triggers below from its posts' cached counts: the
        -- count beside a list of 30,000 is one row read, not 10,000 posts summed.
        ALTER TABLE blogs ADD COLUMN post_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE blogs ADD COLUMN waiting_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE blogs ADD COLUMN pending_count INTEGER NOT NULL DEFAULT 0;
        UPDATE blogs SET
            post_count = (SELECT COUNT(*) FROM posts p WHERE p.blog_id = blogs.id),
            waiting_count = (SELECT COALESCE(SUM(p.waiting_count), 0) FROM posts p
                             WHERE p.blog_id = blogs.id),
            pending_count = (SELECT COALESCE(SUM(p.pending_count), 0) FROM posts p
                             WHERE p.blog_id = blogs.id);
        CREATE TRIGGER posts_tally_insert AFTER INSERT ON posts BEGIN
            UPDATE blogs SET post_count = post_count + 1,
                waiting_count = waiting_count + new.waiting_count,
                pending_count = pending_count + new.pending_count
            WHERE id = new.blog_id;
        END;
        CREATE TRIGGER posts_tally_delete AFTER DELETE ON posts BEGIN
            UPDATE blogs SET post_count = post_count - 1,
                waiting_count = waiting_count - old.waiting_count,
                pending_count = pending_count - old.pending_count
            WHERE id = old.blog_id;
        END;
        CREATE TRIGGER posts_tally_update AFTER UPDATE OF blog_id, waiting_count, pending_count
        ON posts
        WHEN old.blog_id IS NOT new.blog_id OR old.waiting_count != new.waiting_count
          OR old.pending_count != new.pending_count
        BEGIN
            UPDATE blogs SET post_count = post_count - 1,
                waiting_count = waiting_count - old.waiting_count,
                pending_count = pending_count - old.pending_count
            WHERE id = old.blog_id;
            UPDATE blogs SET post_count = post_count + 1,
                waiting_count = waiting_count + new.waiting_count,
                pending_count = pending_count + new.pending_count
            WHERE id = new.blog_id;
        END;

        -- The inbox oldest first and the moderation queue, undated last as the inbox always
        -- had them, each in the order it is read: a page is read from the index instead of
        -- sorting every entry. Newest first is comments_waiting read backwards.
        CREATE INDEX comments_inbox ON comments(published IS NULL, published)
            WHERE by_owner = 0 AND status = 'approved' AND deleted_at IS NULL
              AND type = 'comment';
        DROP INDEX comments_pending;
        CREATE INDEX comments_queue ON comments(published IS NULL, published)
            WHERE status = 'pending' AND deleted_at IS NULL;
        -- One blog's episodes in the episode list's order (posts_blog did not have it).
        DROP INDEX posts_blog;
        CREATE INDEX posts_blog_order ON posts(blog_id, published IS NULL, published DESC, id DESC);
        """,
    )


@migrations()
def m006_waiting_episode_order(db: Database) -> None:
    # n and N across episodes: the next episode with a comment waiting for an answer, in the
    # episode list's order, is one seek here. Walking posts_order instead reads every post on
    # the way (25 ms over 10,000 episodes with nothing waiting); only waiting posts are here.
    _run_script(
        db,
        """
        CREATE INDEX posts_waiting_order ON posts(published IS NULL, published DESC, id DESC)
            WHERE waiting_count > 0;
        CREATE INDEX posts_blog_waiting_order
            ON posts(blog_id, published IS NULL, published DESC, id DESC)
            WHERE waiting_count > 0;
        """,
    )


@migrations()
def m007_live_sites(db: Database) -> None:
    # A blog connected to its live WordPress: the site row holds where its API is and how far
    # the last sync read (never a password: that lives in the user's config folder). The outbox
    # holds every change to publish, written in the same transaction as the change itself.
    _run_script(
        db,
        """
        CREATE TABLE sites (
            blog_id INTEGER PRIMARY KEY REFERENCES blogs(id),
            api_url TEXT NOT NULL,
            home_url TEXT NOT NULL,
            user_name TEXT NOT NULL,
            user_id TEXT NOT NULL,
            connected INTEGER NOT NULL DEFAULT 1,
            synced_at TEXT,
            sync_count INTEGER NOT NULL DEFAULT 0,
            posts_cursor TEXT,
            comments_cursor TEXT,
            problem TEXT,
            lease_by TEXT,
            lease_until TEXT,
            added_at TEXT NOT NULL
        );
        ALTER TABLE posts ADD COLUMN remote_id INTEGER;
        ALTER TABLE comments ADD COLUMN remote_id INTEGER;
        -- Your reply's way to the site, as the thread shows it: queued, sending, published,
        -- failed or conflict (NULL: nothing to publish, the blog is not connected).
        ALTER TABLE comments ADD COLUMN sync_state TEXT;
        ALTER TABLE comments ADD COLUMN sync_note TEXT;
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            blog_id INTEGER NOT NULL REFERENCES blogs(id),
            comment_id INTEGER NOT NULL REFERENCES comments(id),
            action TEXT NOT NULL,
            status TEXT,
            body TEXT,
            state TEXT NOT NULL DEFAULT 'queued',
            attempts INTEGER NOT NULL DEFAULT 0,
            note TEXT,
            next_try TEXT,
            created_at TEXT NOT NULL,
            done_at TEXT
        );
        CREATE INDEX outbox_open ON outbox(blog_id, id)
            WHERE state IN ('queued', 'sending', 'failed', 'conflict');
        CREATE INDEX outbox_comment ON outbox(comment_id);
        CREATE INDEX posts_remote ON posts(blog_id, remote_id) WHERE remote_id IS NOT NULL;
        CREATE INDEX comments_remote ON comments(remote_id) WHERE remote_id IS NOT NULL;
        """,
    )


# Who wrote a comment, as the commenter's history matches them: the e-mail where the export
# gives one (the same person on every blog), a Blogger profile, else the name on its blog only
# (two blogs' "Anonymous" are two people). {c} is the comment's row, p its post, b its blog.
@migrations()
def m008_writing_answers(db: Database) -> None:
    # Writing answers: saved replies and per-blog signatures (kept with the export), the
    # commenter's identity for their history, and the indexes of the drafts list and the
    # history, so each reads what it shows whatever the store's size.
    _run_script(
        db,
        f"""
        CREATE TABLE saved_replies (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX saved_replies_name ON saved_replies(name COLLATE NOCASE, id);
        ALTER TABLE blogs ADD COLUMN signature TEXT;
        ALTER TABLE comments ADD COLUMN author_key TEXT;
        UPDATE comments SET author_key = {m008_author_key_sql("comments", "comments.post_id")};
        -- Every way a comment comes in (an import, a reply, a sync) gets its key here.
        CREATE TRIGGER comments_author_key AFTER INSERT ON comments
        WHEN new.author_key IS NULL BEGIN
            UPDATE comments SET author_key = {m008_author_key_sql("new", "new.post_id")}
            WHERE id = new.id;
        END;
        -- A post moved to the blog its file names: its names now belong to that blog.
        CREATE TRIGGER posts_blog_author_keys AFTER UPDATE OF blog_id ON posts
        WHEN old.blog_id IS NOT new.blog_id BEGIN
            UPDATE comments SET author_key = {m008_author_key_sql("comments", "comments.post_id")}
            WHERE post_id = new.id;
        END;
        -- A commenter's comments newest first, and their counts: one range of this index.
        CREATE INDEX comments_author ON comments(author_key, published, id);
        -- The drafts list, newest first, and the episode list's "draft" mark.
        CREATE INDEX comments_drafts ON comments(updated_at, id)
            WHERE status = 'draft' AND deleted_at IS NULL;
        CREATE INDEX comments_post_drafts ON comments(post_id)
            WHERE status = 'draft' AND deleted_at IS NULL;
        """,
    )


@migrations()
def m009_commenter_user_ids(db: Database) -> None:
    # The user id each comment was written under, kept by the imports and the sync (both
    # write through importing.add_comments), and the commenter's key taken from it first.
    # Comments stored before have no user id: their keys stay as they are.
    key = author_key_sql("new", "new.post_id")
    _run_script(
        db,
        f"""
        ALTER TABLE comments ADD COLUMN author_user_id TEXT;
        DROP TRIGGER comments_author_key;
        CREATE TRIGGER comments_author_key AFTER INSERT ON comments
        WHEN new.author_key IS NULL BEGIN
            UPDATE comments SET author_key = {key} WHERE id = new.id;
        END;
        CREATE TRIGGER comments_user_author_key AFTER UPDATE OF author_user_id ON comments
        WHEN old.author_user_id IS NOT new.author_user_id BEGIN
            UPDATE comments SET author_key = {key} WHERE id = new.id;
        END;
        DROP TRIGGER posts_blog_author_keys;
        CREATE TRIGGER posts_blog_author_keys AFTER UPDATE OF blog_id ON posts
        WHEN old.blog_id IS NOT new.blog_id BEGIN
            UPDATE comments
            SET author_key = {author_key_sql("comments", "comments.post_id")}
            WHERE post_id = new.id;
        END;
        """,
    )


def _run_script(db: Database, script: str) -> None:
    """Run statements one by one: executescript would COMMIT the migration's transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
