//! What the per-user evaluation cache (`app::evalcache`) reads from the shared database to
//! know whether its file still holds: the database's identity, the `facts_change` counter,
//! and which students' facts changed since a given count. The cache itself lives outside the
//! database, so storing it wakes nobody and needs no write lock.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension};

use super::{Db, DbError, settings};

const DB_ID: &str = "db_id";
/// The `facts_change` count at which everyone's facts last changed at once (a nature mapping,
/// a renamed course, a restore, an import touching much of the roster).
const FACTS_FULL: &str = "facts_full";

/// Whose facts a write changed.
#[derive(Debug, Clone, Copy)]
pub(super) enum Changed<'a> {
    Everyone,
    /// students.id of each student whose facts changed.
    Students(&'a HashSet<i64>),
}

/// Above this share of the roster, one "everyone changed" mark is cheaper to write than a
/// row per student, and the cache evaluates everyone again anyway.
const EVERYONE_SHARE: usize = 8;

/// Bumps `facts_change` and records whose facts changed at the new count. Callers run it
/// inside their write transaction, once per transaction.
pub(super) fn facts_changed(conn: &Connection, who: Changed<'_>) -> Result<(), DbError> {
    settings::bump_facts_change(conn)?;
    let now = facts_change_of(conn)?;
    let everyone = match who {
        Changed::Everyone => true,
        Changed::Students(ids) => {
            let roster: i64 = conn.query_row("SELECT count(*) FROM students", [], |r| r.get(0))?;
            ids.len() > 64 && ids.len() > usize::try_from(roster).unwrap_or(0) / EVERYONE_SHARE
        }
    };
    if everyone {
        return settings::meta_set(conn, FACTS_FULL, &now.to_string());
    }
    if let Changed::Students(ids) = who {
        let mut stmt = conn.prepare_cached("UPDATE students SET facts_rev = ?1 WHERE id = ?2")?;
        for id in ids {
            stmt.execute((now, id))?;
        }
    }
    Ok(())
}

/// Gives the database a new identity: caches of it made before no longer apply.
pub(super) fn new_identity(conn: &Connection) -> Result<(), DbError> {
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, lower(hex(randomblob(16))))",
        [DB_ID],
    )?;
    Ok(())
}

fn facts_change_of(conn: &Connection) -> Result<i64, DbError> {
    Ok(settings::meta_get(conn, "facts_change")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

impl Db {
    /// Counts commits that changed facts; a cache records the count it was made at.
    pub fn facts_change(&self) -> Result<i64, DbError> {
        facts_change_of(&self.conn)
    }

    /// The database's identity for caches kept outside it; None for a schema before it had one.
    pub fn identity(&self) -> Result<Option<String>, DbError> {
        self.meta(DB_ID)
    }

    /// The students (by student id) whose facts changed after count `since`, or None when
    /// everyone's may have.
    pub fn facts_changed_since(&self, since: i64) -> Result<Option<HashSet<String>>, DbError> {
        let full: Option<i64> = self.meta(FACTS_FULL)?.and_then(|v| v.parse().ok());
        if full.is_some_and(|f| f > since) {
            return Ok(None);
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT student_id FROM students WHERE facts_rev > ?1")?;
        let ids = stmt.query_map([since], |r| r.get(0))?;
        Ok(Some(ids.collect::<Result<_, _>>()?))
    }

    /// Runs `f` with SQLite's page cache held to `kib` KiB: a scan that reads each page once
    /// gains nothing from the 64 MiB an import wants, and two connections' worth of it was
    /// most of an evaluation's memory.
    pub fn with_small_page_cache<T>(&self, kib: i64, f: impl FnOnce(&Db) -> T) -> T {
        let before: Option<i64> = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .ok();
        let _ = self.conn.pragma_update(None, "cache_size", -kib);
        let r = f(self);
        if let Some(b) = before {
            let _ = self.conn.pragma_update(None, "cache_size", b);
        }
        r
    }

    /// Runs `f` inside one read transaction, so that everything it reads (the counter, the
    /// roster, the facts) comes from the same commit. Inside a caller's transaction, runs in it.
    pub fn read_snapshot<T>(&self, f: impl FnOnce(&Db) -> anyhow::Result<T>) -> anyhow::Result<T> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        self.conn.execute_batch("BEGIN DEFERRED")?;
        // The snapshot starts at the first read, not at BEGIN: take it now.
        let _: Option<i64> = self
            .conn
            .query_row("SELECT 1 FROM meta LIMIT 1", [], |r| r.get(0))
            .optional()?;
        let r = f(self);
        // A read transaction has nothing to keep; ending it cannot lose work.
        let _ = self.conn.execute_batch("COMMIT");
        r
    }
}
