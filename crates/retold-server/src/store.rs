//! The store: every article revision the service acknowledged, in SQLite
//! (WAL mode), with a versioned schema.
//!
//! A revision is stored whole (the [`Article`] as JSON: text, metadata,
//! origin, dates), with its ingest sequence number (`seq`, the order it was
//! received in) and its batch (one `POST` or one watched file). The engine
//! is rebuilt on restart by replaying the batches in order
//! ([`Store::batches`]); nothing derived from the texts is stored yet.
//!
//! Schema versions live in SQLite's `user_version`; [`MIGRATIONS`] takes a
//! store from any older version to the current one, each step in its own
//! transaction. A store written by a newer retold is refused.

use std::path::Path;

use retold_core::article::Article;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

/// Schema steps: `MIGRATIONS[k]` takes a store from version `k` to `k + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: articles and their revisions, batches, files the watcher took.
    "CREATE TABLE batches (
        batch INTEGER PRIMARY KEY,
        received_at TEXT NOT NULL,
        via TEXT NOT NULL,
        records INTEGER NOT NULL
     );
     CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        revisions INTEGER NOT NULL,
        latest_seq INTEGER NOT NULL
     );
     CREATE TABLE revisions (
        seq INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        rev INTEGER NOT NULL,
        engine_id TEXT NOT NULL UNIQUE,
        batch INTEGER NOT NULL REFERENCES batches(batch),
        text_hash INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        article TEXT NOT NULL,
        UNIQUE (article_id, rev)
     );
     CREATE INDEX revisions_batch ON revisions (batch, seq);
     CREATE TABLE watched (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL
     );",
];

/// The environment variable that caps the store's size in pages (for
/// tests of a full disk).
pub const MAX_PAGES_VAR: &str = "RETOLD_MAX_DB_PAGES";

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What went wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored article {seq} is unreadable: {source}")]
    Corrupt {
        seq: i64,
        #[source]
        source: serde_json::Error,
    },
    #[error("the database has schema version {found}; this retold knows up to {known} (a newer retold wrote it)")]
    TooNew { found: i64, known: i64 },
}

/// A revision as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Revision {
    pub seq: i64,
    pub article_id: String,
    pub rev: i64,
    /// The id the engine knows this revision by: the article id for the
    /// first revision, `id~N` for later ones (as the CLI names a changed
    /// record with a repeated id).
    pub engine_id: String,
    pub batch: i64,
    pub received_at: String,
    #[serde(skip)]
    pub article: Article,
}

/// A revision about to be stored (see [`Store::commit_batch`]).
#[derive(Debug, Clone)]
pub struct NewRevision {
    pub article_id: String,
    pub rev: i64,
    /// `article.id` is the engine id.
    pub article: Article,
    pub text_hash: u64,
}

/// What the store knows of an article id.
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub revisions: i64,
    /// (revision number, text hash, engine id) of each revision.
    pub hashes: Vec<(i64, u64, String)>,
}

/// Counts for health and metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Counts {
    pub articles: i64,
    pub revisions: i64,
    pub batches: i64,
}

/// The SQLite store.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema
    /// up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // With WAL, `NORMAL` may lose the last commits on power loss but
        // never on a process crash; `FULL` keeps every acknowledged commit.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A cap on the file's size in pages, for testing what a full disk
        // does (SQLite then answers "database or disk is full").
        if let Some(pages) = std::env::var(MAX_PAGES_VAR)
            .ok()
            .and_then(|v| v.parse::<i64>().ok())
        {
            conn.pragma_update(None, "max_page_count", pages)?;
        }
        migrate(&mut conn)?;
        Ok(Store { conn })
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The revisions stored for article `id` (by its given id).
    pub fn known(&self, id: &str) -> Result<Option<Known>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT rev, text_hash, engine_id FROM revisions WHERE article_id = ?1 ORDER BY rev",
        )?;
        let hashes: Vec<(i64, u64, String)> = st
            .query_map([id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as u64, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        if hashes.is_empty() {
            return Ok(None);
        }
        Ok(Some(Known {
            revisions: hashes.len() as i64,
            hashes,
        }))
    }

    /// Whether some revision already goes by `engine_id` in the engine.
    pub fn engine_id_taken(&self, engine_id: &str) -> Result<bool, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT 1 FROM revisions WHERE engine_id = ?1")?;
        Ok(st.exists([engine_id])?)
    }

    /// Stores `revisions` as one batch in one transaction and returns the
    /// batch number and each revision's sequence number. Nothing is stored
    /// when it fails. Once this returns, the batch survives a crash.
    pub fn commit_batch(
        &mut self,
        via: &str,
        received_at: &str,
        revisions: &[NewRevision],
    ) -> Result<(i64, Vec<i64>), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO batches (received_at, via, records) VALUES (?1, ?2, ?3)",
            params![received_at, via, revisions.len() as i64],
        )?;
        let batch = tx.last_insert_rowid();
        let mut seqs = Vec::with_capacity(revisions.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO revisions (article_id, rev, engine_id, batch, text_hash, received_at, article)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO articles (id, revisions, latest_seq) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET revisions = excluded.revisions, latest_seq = excluded.latest_seq",
            )?;
            for r in revisions {
                // The article is serialized as the engine will get it back.
                let json = serde_json::to_string(&r.article)
                    .map_err(|e| StoreError::Corrupt { seq: -1, source: e })?;
                // Parent row first (foreign key), then the revision.
                upsert.execute(params![r.article_id, r.rev, 0i64])?;
                insert.execute(params![
                    r.article_id,
                    r.rev,
                    r.article.id,
                    batch,
                    r.text_hash as i64,
                    received_at,
                    json
                ])?;
                let seq = tx.last_insert_rowid();
                upsert.execute(params![r.article_id, r.rev, seq])?;
                seqs.push(seq);
            }
        }
        tx.commit()?;
        Ok((batch, seqs))
    }

    /// Takes back batch `batch`, which must be the last one committed: its
    /// revisions and its row go, and each article it touched is left as it
    /// was before (removed when the batch brought its first revision).
    /// The worker calls this when placing the batch failed, so the store
    /// keeps only what the engine holds.
    pub fn uncommit_batch(&mut self, batch: i64) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let ids: Vec<String> = {
            let mut q = tx.prepare("SELECT DISTINCT article_id FROM revisions WHERE batch = ?1")?;
            let rows = q.query_map([batch], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        tx.execute("DELETE FROM revisions WHERE batch = ?1", [batch])?;
        for id in &ids {
            let (rev, seq): (Option<i64>, Option<i64>) = tx.query_row(
                "SELECT MAX(rev), MAX(seq) FROM revisions WHERE article_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            match (rev, seq) {
                (Some(rev), Some(seq)) => tx.execute(
                    "UPDATE articles SET revisions = ?2, latest_seq = ?3 WHERE id = ?1",
                    params![id, rev, seq],
                )?,
                _ => tx.execute("DELETE FROM articles WHERE id = ?1", [id])?,
            };
        }
        tx.execute("DELETE FROM batches WHERE batch = ?1", [batch])?;
        tx.commit()?;
        Ok(())
    }

    /// Revisions stored in batches up to `batch` (all of them when `batch`
    /// is the last one).
    pub fn revisions_up_to(&self, batch: i64) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM revisions WHERE batch <= ?1",
            [batch],
            |r| r.get(0),
        )?)
    }

    /// Every stored revision of the batches after `after` (0: all),
    /// batch by batch in the order they were received, each batch in
    /// sequence order: what the engine is rebuilt from. `each` gets one batch at a time (memory stays at one batch
    /// beyond what the caller keeps).
    pub fn batches(
        &self,
        after: i64,
        each: &mut dyn FnMut(i64, Vec<Revision>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut st = self.conn.prepare(
            "SELECT seq, article_id, rev, engine_id, batch, received_at, article
             FROM revisions WHERE batch > ?1 ORDER BY batch, seq",
        )?;
        let mut rows = st.query([after])?;
        let mut current: Option<(i64, Vec<Revision>)> = None;
        while let Some(row) = rows.next()? {
            let rev = revision(row)?;
            match &mut current {
                Some((b, list)) if *b == rev.batch => list.push(rev),
                _ => {
                    if let Some((b, list)) = current.take() {
                        each(b, list)?;
                    }
                    current = Some((rev.batch, vec![rev]));
                }
            }
        }
        if let Some((b, list)) = current {
            each(b, list)?;
        }
        Ok(())
    }

    /// The revisions of article `id`, oldest first. `id` may be the given
    /// id or the engine id of one revision (then: that article's).
    pub fn revisions(&self, id: &str) -> Result<Vec<Revision>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT seq, article_id, rev, engine_id, batch, received_at, article FROM revisions
             WHERE article_id = COALESCE((SELECT article_id FROM revisions WHERE engine_id = ?1), ?1)
             ORDER BY rev",
        )?;
        let mut rows = st.query([id])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(revision(row)?);
        }
        Ok(out)
    }

    /// The revision the engine knows as `engine_id`.
    pub fn by_engine_id(&self, engine_id: &str) -> Result<Option<Revision>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT seq, article_id, rev, engine_id, batch, received_at, article FROM revisions
             WHERE engine_id = ?1",
        )?;
        let mut rows = st.query([engine_id])?;
        match rows.next()? {
            Some(row) => Ok(Some(revision(row)?)),
            None => Ok(None),
        }
    }

    /// Counts of articles, revisions and batches.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        Ok(self.conn.query_row(
            "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM revisions),
                    (SELECT COUNT(*) FROM batches)",
            [],
            |r| {
                Ok(Counts {
                    articles: r.get(0)?,
                    revisions: r.get(1)?,
                    batches: r.get(2)?,
                })
            },
        )?)
    }

    /// The size and modification time recorded for a watched file.
    pub fn watched(&self, path: &str) -> Result<Option<(i64, i64)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT size, mtime_ns FROM watched WHERE path = ?1",
                [path],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Records that a watched file was ingested at this size and time.
    pub fn set_watched(&self, path: &str, size: i64, mtime_ns: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO watched (path, size, mtime_ns) VALUES (?1, ?2, ?3)
             ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns",
            params![path, size, mtime_ns],
        )?;
        Ok(())
    }
}

fn revision(row: &rusqlite::Row<'_>) -> Result<Revision, StoreError> {
    let seq: i64 = row.get(0)?;
    let json: String = row.get(6)?;
    let article: Article =
        serde_json::from_str(&json).map_err(|source| StoreError::Corrupt { seq, source })?;
    Ok(Revision {
        seq,
        article_id: row.get(1)?,
        rev: row.get(2)?,
        engine_id: row.get(3)?,
        batch: row.get(4)?,
        received_at: row.get(5)?,
        article,
    })
}

/// Brings the schema to [`SCHEMA_VERSION`], one transaction per step.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            known: SCHEMA_VERSION,
        });
    }
    for (k, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", k as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use retold_core::article::{ArticleDraft, Origin};

    fn article(id: &str, text: &str) -> Article {
        ArticleDraft {
            id: Some(id.into()),
            text: text.into(),
            published: Some("2026-03-01T08:00:00Z".into()),
            ..Default::default()
        }
        .finish_with(Origin::whole("request"), false)
        .unwrap()
    }

    #[test]
    fn batches_come_back_in_order_and_whole() {
        let dir = std::env::temp_dir().join(format!("retold-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        let a = article("a", "First text.");
        {
            let mut s = Store::open(&path).unwrap();
            assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
            let r = |a: &Article, rev| NewRevision {
                article_id: "a".into(),
                rev,
                article: a.clone(),
                text_hash: 7,
            };
            s.commit_batch("test", "2026-03-01T08:00:00Z", &[r(&a, 1)])
                .unwrap();
            let mut b = article("a~2", "Second text.");
            b.id = "a~2".into();
            s.commit_batch("test", "2026-03-01T09:00:00Z", &[r(&b, 2)])
                .unwrap();
        }
        // Reopened: same schema, nothing migrated twice, both batches.
        let s = Store::open(&path).unwrap();
        let batches_after = |after: i64| {
            let mut seen = Vec::new();
            s.batches(after, &mut |b, list| {
                seen.push((
                    b,
                    list.iter().map(|r| r.engine_id.clone()).collect::<Vec<_>>(),
                ));
                Ok(())
            })
            .unwrap();
            seen
        };
        assert_eq!(
            batches_after(0),
            [(1, vec!["a".to_string()]), (2, vec!["a~2".to_string()])]
        );
        // After a saved state that covers batch 1: batch 2 alone.
        assert_eq!(batches_after(1), [(2, vec!["a~2".to_string()])]);
        assert_eq!(
            (s.revisions_up_to(1).unwrap(), s.revisions_up_to(2).unwrap()),
            (1, 2)
        );
        assert_eq!(s.revisions("a~2").unwrap().len(), 2);
        assert_eq!(s.revisions("a").unwrap()[0].article, a);
        assert_eq!(s.known("a").unwrap().unwrap().revisions, 2);
        assert_eq!(
            s.counts().unwrap(),
            Counts {
                articles: 1,
                revisions: 2,
                batches: 2
            }
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = std::env::temp_dir().join(format!("retold-store-new-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        assert!(matches!(Store::open(&path), Err(StoreError::TooNew { .. })));
        std::fs::remove_dir_all(&dir).ok();
    }
}
