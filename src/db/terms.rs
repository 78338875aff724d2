//! Which terms have grades, and the term to assess when none is named (kept in meta by each
//! grades import, at commit).

use rusqlite::Connection;

use super::{Db, DbError, term_of};
use crate::model::Term;

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
    let key: Option<i64> = conn
        .query_row(
            // The inner DISTINCTs follow the key's (student, term) order, so the only sort is of
            // one row per student and term, not of every grade.
            "SELECT term FROM (SELECT DISTINCT student, term FROM grades \
              WHERE kind IN (0, 3) AND mark != 5 AND term % 10 IN (1, 2)) \
             GROUP BY term \
             HAVING count(*) * 2 >= (SELECT count(*) FROM students s \
               WHERE EXISTS (SELECT 1 FROM grades g WHERE g.student = s.id)) \
             ORDER BY term DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    key.map(term_of).transpose()
}

/// Recomputes the default assessed term after grades changed (inside the import's transaction).
pub(super) fn store_default_term(conn: &Connection) -> Result<(), DbError> {
    let t = default_term_of(conn)?;
    super::settings::meta_set(conn, DEFAULT_TERM, &t.map_or(0, Term::key).to_string())
}
