//! One ordered scan of a fact table (grades, absences, fitness, flags), filtered by term and
//! student range: the query shape every fact loader shares.

use rusqlite::{Connection, Row};

use super::DbError;
use crate::model::Term;

/// Which students a scan covers.
#[derive(Debug, Clone, Copy)]
pub(super) enum Scope {
    All,
    /// One student, by students.id.
    One(i64),
    /// Students whose students.id is in this inclusive range.
    Range(i64, i64),
}

/// Runs `{select} WHERE term <= upto [AND student = id] ORDER BY {order}` and hands each row,
/// mapped, to `sink` with its student (the first selected column). No `upto` reads every term.
pub(super) fn scan<T>(
    conn: &Connection,
    select: &str,
    order: &str,
    scope: Scope,
    upto: Option<Term>,
    mut map: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    mut sink: impl FnMut(i64, T),
) -> Result<(), DbError> {
    let upto = upto.map_or(i64::MAX, Term::key);
    let filter = match scope {
        Scope::All => "",
        Scope::One(_) => " AND student = ?2",
        Scope::Range(..) => " AND student BETWEEN ?2 AND ?3",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "{select} WHERE term <= ?1{filter} ORDER BY {order}"
    ))?;
    let mut rows = match scope {
        Scope::All => stmt.query([upto])?,
        Scope::One(id) => stmt.query([upto, id])?,
        Scope::Range(lo, hi) => stmt.query([upto, lo, hi])?,
    };
    while let Some(r) = rows.next()? {
        let student: i64 = r.get(0)?;
        sink(student, map(r)?);
    }
    Ok(())
}
