//! Which terms have grades, and the term to assess when none is named (kept in meta by each
//! grades import, at commit).

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::packed;
use super::scan::{Scope, scan_raw};
use super::{Db, DbError, term_of};
use crate::model::{Mark, Term};

impl Db {
    /// Terms that have at least one grade, oldest first.
    pub fn terms_with_grades(&self) -> Result<Vec<Term>, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT term FROM grade_terms ORDER BY term")?;
        let keys = stmt.query_map([], |r| r.get::<_, i64>(0))?;
        keys.map(|k| term_of(k?)).collect()
    }

    /// The term to assess when none is named: the newest term 1 or 2 in which at least half
    /// of the students with grades have a regular sitting with a recorded result. A makeup
    /// dated in the next term, early results of the term in progress or a summer term do not
    /// move it. Kept in meta by every grades import; worked out here for older databases.
    pub fn default_assessed_term(&self) -> Result<Option<Term>, DbError> {
        if let Some(k) = super::settings::meta_get(&self.conn, DEFAULT_TERM)? {
            return match k.parse::<i64>() {
                Ok(0) => Ok(None),
                Ok(k) => term_of(k).map(Some),
                Err(_) => Err(DbError::Corrupt(format!("default term '{k}'"))),
            };
        }
        default_term_of(&self.conn)
    }

    /// Makeups with no sitting of their course (regular, retake or deferred) at or before
    /// their own term: each is kept as a sitting of its own term (policies.md).
    pub fn lone_makeups(&self) -> Result<i64, DbError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM grades m WHERE m.kind IN (1, 4) AND NOT EXISTS \
             (SELECT 1 FROM grades s WHERE s.student = m.student AND s.course = m.course \
              AND s.kind IN (0, 2, 3) AND s.term <= m.term)",
            [],
            |r| r.get(0),
        )?)
    }

    pub fn newest_grade_term(&self) -> Result<Option<Term>, DbError> {
        let key: Option<i64> =
            self.conn
                .query_row("SELECT max(term) FROM grade_terms", [], |r| r.get(0))?;
        key.map(term_of).transpose()
    }
}

const DEFAULT_TERM: &str = "default_term";

fn default_term_of(conn: &Connection) -> Result<Option<Term>, DbError> {
    // Rows come in key order (student, term …), so each student and term is counted once by
    // remembering the last pair counted.
    let mut rows = scan_raw(
        conn,
        "SELECT student, term, v FROM grades WHERE kind IN (0, 3) AND term % 10 IN (1, 2)",
        3,
        "student, term, course, kind, sitting",
        Scope::All,
        None,
    )?;
    let mut with_result: BTreeMap<i64, i64> = BTreeMap::new();
    let mut counted = None;
    while let Some(r) = rows.next()? {
        let pair = (r.int(0), r.int(1));
        if counted == Some(pair) {
            continue;
        }
        if matches!(
            packed::decode(r.bytes(2).unwrap_or_default())?.mark,
            Mark::Empty
        ) {
            continue;
        }
        counted = Some(pair);
        *with_result.entry(pair.1).or_default() += 1;
    }
    let graded: i64 = conn.query_row(
        "SELECT count(*) FROM students s WHERE EXISTS (SELECT 1 FROM grades g WHERE g.student = s.id)",
        [],
        |r| r.get(0),
    )?;
    with_result
        .iter()
        .rev()
        .find(|(_, n)| **n * 2 >= graded)
        .map(|(k, _)| term_of(*k))
        .transpose()
}

/// Recomputes the default assessed term after grades changed (inside the import's transaction).
pub(super) fn store_default_term(conn: &Connection) -> Result<(), DbError> {
    let t = default_term_of(conn)?;
    super::settings::meta_set(conn, DEFAULT_TERM, &t.map_or(0, Term::key).to_string())
}
