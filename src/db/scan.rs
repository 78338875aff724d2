//! One ordered scan of a fact table (grades, absences, fitness, flags), filtered by term and
//! student range: the query shape every fact loader shares.

use rusqlite::{Connection, Row};

use super::DbError;
use super::raw::RawRows;
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

/// `{select} [WHERE term <= ?1] [AND student …] ORDER BY {order}` and its parameters. No
/// `upto` reads every term (and no filter is stepped through for each of two million rows).
fn query(select: &str, order: &str, scope: Scope, upto: Option<Term>) -> (String, Vec<i64>) {
    let mut filters = Vec::new();
    let mut params = Vec::new();
    if let Some(t) = upto {
        params.push(t.key());
        filters.push(format!("term <= ?{}", params.len()));
    }
    match scope {
        Scope::All => {}
        Scope::One(id) => {
            params.push(id);
            filters.push(format!("student = ?{}", params.len()));
        }
        Scope::Range(lo, hi) => {
            params.extend([lo, hi]);
            filters.push(format!(
                "student BETWEEN ?{} AND ?{}",
                params.len() - 1,
                params.len()
            ));
        }
    }
    let filter = if filters.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", filters.join(" AND "))
    };
    (format!("{select}{filter} ORDER BY {order}"), params)
}

/// Runs the scan and hands each row, mapped, to `sink` with its student (the first selected
/// column).
pub(super) fn scan<T>(
    conn: &Connection,
    select: &str,
    order: &str,
    scope: Scope,
    upto: Option<Term>,
    mut map: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    mut sink: impl FnMut(i64, T),
) -> Result<(), DbError> {
    let (sql, params) = query(select, order, scope, upto);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    while let Some(r) = rows.next()? {
        let student: i64 = r.get(0)?;
        sink(student, map(r)?);
    }
    Ok(())
}

/// The same scan through SQLite's C API ([`RawRows`]), for the table too large for rusqlite's
/// checked reads; `columns` is how many `select` names.
pub(super) fn scan_raw<'c>(
    conn: &'c Connection,
    select: &str,
    columns: usize,
    order: &str,
    scope: Scope,
    upto: Option<Term>,
) -> Result<RawRows<'c>, DbError> {
    let (sql, params) = query(select, order, scope, upto);
    RawRows::new(conn, &sql, &params, columns)
}
