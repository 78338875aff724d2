//! A school's own reading of its registrar's words (`nature_map`: 专业核心课 → required) and
//! outstanding courses a counsellor cleared by hand (`course_clears`). Both change what the
//! engine sees, so each write bumps the facts counter (cached evaluations go stale).

use rusqlite::{OptionalExtension, TransactionBehavior};

use super::scan::Scope;
use super::{Db, DbError, settings, students};
use crate::model::Clearance;

/// One stored nature value and how many grade rows carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NatureValue {
    pub value: String,
    pub rows: i64,
    /// The school's mapping (required, elective, general, none), when there is one.
    pub mapped: Option<String>,
}

/// A manual clearance as stored, restored or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearRecord {
    pub id: i64,
    pub student_id: String,
    pub course_code: String,
    pub reason: String,
    pub by: String,
    pub at: String,
    pub restored: Option<(String, String)>,
}

impl Db {
    /// Records (or replaces) the school's class for a nature value.
    pub fn map_nature(
        &mut self,
        value: &str,
        class: &str,
        by: &str,
        at: &str,
    ) -> Result<(), DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO nature_map (value, class, by, at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (value) DO UPDATE SET class = ?2, by = ?3, at = ?4",
            (value, class, by, at),
        )?;
        settings::bump_facts_change(&tx)?;
        settings::bump_last_change(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Every nature value stored or mapped, with its row count and mapping.
    pub fn nature_values(&self) -> Result<Vec<NatureValue>, DbError> {
        let mut stmt = self.conn.prepare(
            "SELECT v.value, coalesce(g.n, 0), m.class FROM \
             (SELECT nature AS value FROM grades WHERE nature IS NOT NULL \
              UNION SELECT value FROM nature_map) v \
             LEFT JOIN (SELECT nature, count(*) AS n FROM grades GROUP BY nature) g \
               ON g.nature = v.value \
             LEFT JOIN nature_map m ON m.value = v.value ORDER BY v.value",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(NatureValue {
                value: r.get(0)?,
                rows: r.get(1)?,
                mapped: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Clears an outstanding course by hand. Refuses a second active clearance of the same
    /// course, and a course the student has no grade for.
    pub fn clear_course(
        &mut self,
        student_id: &str,
        code: &str,
        reason: &str,
        by: &str,
        at: &str,
    ) -> Result<Result<i64, String>, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(student) = students::rowid_of(&tx, student_id)? else {
            return Err(DbError::UnknownStudent(student_id.to_string()));
        };
        let sat: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM grades g JOIN courses c ON c.id = g.course \
             WHERE g.student = ?1 AND c.code = ?2)",
            (student, code),
            |r| r.get(0),
        )?;
        if !sat {
            return Ok(Err(format!(
                "student {student_id} has no grade for course {code}"
            )));
        }
        let active = active_clear(&tx, student, code)?;
        if let Some(id) = active {
            return Ok(Err(format!(
                "course {code} of student {student_id} is already cleared (#{id}); `yujing course restore {student_id} {code}` undoes it"
            )));
        }
        tx.execute(
            "INSERT INTO course_clears (student, course_code, reason, by, at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            (student, code, reason, by, at),
        )?;
        let id = tx.last_insert_rowid();
        settings::bump_facts_change(&tx)?;
        settings::bump_last_change(&tx)?;
        tx.commit()?;
        Ok(Ok(id))
    }

    /// Undoes the active clearance of a course; the record stays, marked restored.
    pub fn restore_course(
        &mut self,
        student_id: &str,
        code: &str,
        by: &str,
        at: &str,
    ) -> Result<Option<i64>, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(student) = students::rowid_of(&tx, student_id)? else {
            return Err(DbError::UnknownStudent(student_id.to_string()));
        };
        let active = active_clear(&tx, student, code)?;
        if let Some(id) = active {
            tx.execute(
                "UPDATE course_clears SET restored_by = ?2, restored_at = ?3 WHERE id = ?1",
                (id, by, at),
            )?;
            settings::bump_facts_change(&tx)?;
            settings::bump_last_change(&tx)?;
        }
        tx.commit()?;
        Ok(active)
    }

    /// Every clearance, restored ones too, of one student or of all.
    pub fn course_clears(&self, student_id: Option<&str>) -> Result<Vec<ClearRecord>, DbError> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, s.student_id, c.course_code, c.reason, c.by, c.at, c.restored_by, \
             c.restored_at FROM course_clears c JOIN students s ON s.id = c.student \
             WHERE ?1 IS NULL OR s.student_id = ?1 ORDER BY c.id",
        )?;
        let rows = stmt.query_map([student_id], |r| {
            let restored = match (
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ) {
                (Some(by), Some(at)) => Some((by, at)),
                _ => None,
            };
            Ok(ClearRecord {
                id: r.get(0)?,
                student_id: r.get(1)?,
                course_code: r.get(2)?,
                reason: r.get(3)?,
                by: r.get(4)?,
                at: r.get(5)?,
                restored,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The clearance of a course in force, if any.
fn active_clear(
    conn: &rusqlite::Connection,
    student: i64,
    code: &str,
) -> Result<Option<i64>, DbError> {
    Ok(conn
        .query_row(
            "SELECT id FROM course_clears WHERE student = ?1 AND course_code = ?2 \
             AND restored_at IS NULL",
            (student, code),
            |r| r.get(0),
        )
        .optional()?)
}

/// The active clearances in `scope`, by student.
pub(super) fn read_clears(
    conn: &rusqlite::Connection,
    scope: Scope,
    mut sink: impl FnMut(i64, Clearance),
) -> Result<(), DbError> {
    let (filter, lo, hi) = match scope {
        Scope::All => ("", 0, 0),
        Scope::One(id) => (" AND student BETWEEN ?1 AND ?2", id, id),
        Scope::Range(lo, hi) => (" AND student BETWEEN ?1 AND ?2", lo, hi),
    };
    let sql = format!(
        "SELECT student, course_code, reason, by, at FROM course_clears \
         WHERE restored_at IS NULL{filter} ORDER BY student, id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let map = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, Clearance)> {
        Ok((
            r.get(0)?,
            Clearance {
                course_code: r.get(1)?,
                reason: r.get(2)?,
                by: r.get(3)?,
                on: r.get::<_, String>(4)?.chars().take(10).collect(),
            },
        ))
    };
    let rows = if filter.is_empty() {
        stmt.query_map([], map)?.collect::<Result<Vec<_>, _>>()?
    } else {
        stmt.query_map([lo, hi], map)?
            .collect::<Result<Vec<_>, _>>()?
    };
    for (s, c) in rows {
        sink(s, c);
    }
    Ok(())
}
