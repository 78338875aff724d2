//! Follow-up schedules: manual ones and the obligations an issue creates. A cancelled
//! schedule keeps its row; an ended one keeps the day and the change that ended it.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::audit::audit_write;
use super::settings::bump_last_change;
use super::values::{DATE, STAMP, date, kind, opt_date, role, student_rowid, word};
use super::{Db, DbError, term_of};
use crate::model::Cadence;
use crate::model::Change;
use crate::model::Role;
use crate::model::Term;
use crate::model::{Ending, Schedule, Source};

pub(super) fn insert_schedule(
    conn: &Connection,
    s: &Schedule,
    warning: Option<i64>,
    by: &str,
    now: NaiveDateTime,
) -> Result<i64, DbError> {
    let student = student_rowid(conn, &s.student_id)?;
    conn.prepare_cached(
        "INSERT INTO schedules (student, kind, role, cadence, from_date, until_date, source, warning_id, \
         created_by, created_at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(rusqlite::params![
        student,
        s.kind.id(),
        s.role.map(Role::id),
        s.cadence.to_string(),
        s.from.format(DATE).to_string(),
        s.until.map(|d| d.format(DATE).to_string()),
        match s.source {
            Source::Policy => "policy",
            Source::Manual => "manual",
        },
        warning,
        by,
        now.format(STAMP).to_string(),
        s.note,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Schedules matching `filter` (SQL over `x` schedules and `s` students, `?1` bound to
/// `param`), by student then id.
pub(super) fn schedule_rows(
    conn: &Connection,
    filter: &str,
    param: Option<&str>,
) -> Result<Vec<Schedule>, DbError> {
    let sql = format!(
        "SELECT x.id, s.student_id, x.kind, x.role, x.cadence, x.from_date, x.until_date, x.source, x.note, \
         x.ended_on, x.end_change FROM schedules x JOIN students s ON s.id = x.student \
         WHERE {filter} ORDER BY s.student_id, x.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([param], |r| {
        Ok((
            (
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
            ),
            (
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<String>>(10)?,
            ),
        ))
    })?;
    rows.map(|r| {
        let ((id, student_id, k, rl, cadence), (from, until, source, note, ended_on, end_change)) =
            r?;
        let ended = opt_date(ended_on)?
            .map(|on| {
                Ok::<_, DbError>(Ending {
                    on,
                    change: word::<Change>(end_change.as_deref().unwrap_or(""), "end change")?,
                })
            })
            .transpose()?;
        Ok(Schedule {
            id,
            student_id,
            kind: kind(&k)?,
            role: role(rl)?,
            cadence: word::<Cadence>(&cadence, "cadence")?,
            from: date(&from)?,
            until: opt_date(until)?,
            source: if source == "policy" {
                Source::Policy
            } else {
                Source::Manual
            },
            note,
            ended,
        })
    })
    .collect()
}

impl Db {
    /// Adds a schedule; returns its id.
    pub fn add_schedule(
        &mut self,
        s: &Schedule,
        by: &str,
        now: NaiveDateTime,
    ) -> Result<i64, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = insert_schedule(&tx, s, None, by, now)?;
        bump_last_change(&tx)?;
        audit_write(
            &tx,
            self.auditor.as_ref(),
            "schedule.add",
            Some(&s.student_id),
            &serde_json::Value::Null,
            &serde_json::json!({
                "schedule": id,
                "kind": s.kind.id(),
                "role": s.role.map(Role::id),
                "cadence": s.cadence.to_string(),
                "from": s.from.format(DATE).to_string(),
                "until": s.until.map(|d| d.format(DATE).to_string()),
            }),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Schedules not cancelled (ended ones included, marked): one student's or everyone's, by
    /// student then id.
    pub fn schedules(&self, student: Option<&str>) -> Result<Vec<Schedule>, DbError> {
        schedule_rows(
            &self.conn,
            "x.cancelled_at IS NULL AND (?1 IS NULL OR s.student_id = ?1)",
            student,
        )
    }

    /// Cancels a schedule (kept, marked cancelled). False when there is no such active one.
    pub fn cancel_schedule(&mut self, id: i64, now: NaiveDateTime) -> Result<bool, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let student: Option<String> = tx
            .prepare_cached(
                "SELECT s.student_id FROM schedules x JOIN students s ON s.id = x.student \
                 WHERE x.id = ?1 AND x.cancelled_at IS NULL",
            )?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let Some(student) = student else {
            return Ok(false);
        };
        let at = now.format(STAMP).to_string();
        tx.prepare_cached("UPDATE schedules SET cancelled_at = ?2 WHERE id = ?1")?
            .execute(rusqlite::params![id, at])?;
        audit_write(
            &tx,
            self.auditor.as_ref(),
            "schedule.cancel",
            Some(&student),
            &serde_json::json!({ "schedule": id, "cancelled_at": null }),
            &serde_json::json!({ "schedule": id, "cancelled_at": at }),
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Every recorded term's dates, by start.
    pub fn all_term_dates(&self) -> Result<Vec<(Term, NaiveDate, NaiveDate)>, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT term, start, end FROM term_dates ORDER BY start")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        rows.map(|r| {
            let (t, s, e) = r?;
            Ok((term_of(t)?, date(&s)?, date(&e)?))
        })
        .collect()
    }
}
