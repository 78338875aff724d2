//! The evaluation cache: one JSON evaluation per student under a key naming the policy, the
//! term and the facts they were computed from. A cache, never a source of truth: any doubt
//! and the caller evaluates afresh.

use rusqlite::TransactionBehavior;

use super::{Db, DbError};

const KEY: &str = "eval_cache_key";

impl Db {
    /// Counts imports that changed facts; part of every cache key.
    pub fn facts_change(&self) -> Result<i64, DbError> {
        Ok(self
            .meta("facts_change")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// The cached evaluations (student id, JSON) when they were stored under `key`.
    pub fn cached_evaluations(&self, key: &str) -> Result<Option<Vec<(String, String)>>, DbError> {
        if self.meta(KEY)?.as_deref() != Some(key) {
            return Ok(None);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.student_id, c.json FROM eval_cache c JOIN students s ON s.id = c.student ORDER BY s.student_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(Some(rows.collect::<Result<_, _>>()?))
    }

    /// Replaces the cache. Does not bump `last_change`: nothing a view shows has changed.
    pub fn store_evaluations(&mut self, key: &str, rows: &[(&str, String)]) -> Result<(), DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM eval_cache", [])?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO eval_cache (student, json) SELECT id, ?2 FROM students WHERE student_id = ?1",
            )?;
            for (id, json) in rows {
                insert.execute((id, json))?;
            }
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
            (KEY, key),
        )?;
        tx.commit()?;
        Ok(())
    }
}
