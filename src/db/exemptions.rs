//! Exemptions: adding one ends the student's policy obligations that day; lifting keeps
//! the row with its date.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, TransactionBehavior};

use super::audit::audit_write;
use super::settings::bump_last_change;
use super::values::{DATE, STAMP, opt_date, stamp, student_rowid, word};
use super::{Db, DbError, term_of};
use crate::model::Exemption;

impl Db {
    pub fn add_exemption(&mut self, e: &Exemption) -> Result<i64, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let student = student_rowid(&tx, &e.student_id)?;
        tx.prepare_cached(
            "INSERT INTO exemptions (student, term, reason_kind, reason, by, until, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(rusqlite::params![
            student,
            e.term.key(),
            e.reason_kind.id(),
            e.reason,
            e.by,
            e.until.map(|d| d.format(DATE).to_string()),
            e.created_at.format(STAMP).to_string(),
        ])?;
        let id = tx.last_insert_rowid();
        // An exemption ends the warning's run (issue 10): its policy obligations stop that
        // day, marked `exempt`, and are never overdue or missed after it. Manual schedules
        // go on.
        let ended = tx
            .prepare_cached(
                "UPDATE schedules SET ended_on = ?2, end_change = 'exempt' \
             WHERE student = ?1 AND source = 'policy' AND ended_on IS NULL AND cancelled_at IS NULL",
            )?
            .execute(rusqlite::params![
                student,
                e.created_at.date().format(DATE).to_string()
            ])?;
        bump_last_change(&tx)?;
        audit_write(
            &tx,
            self.auditor.as_ref(),
            "exempt.add",
            Some(&e.student_id),
            &serde_json::Value::Null,
            &serde_json::json!({
                "exemption": id,
                "term": e.term.to_string(),
                "reason_kind": e.reason_kind.id(),
                "until": e.until.map(|d| d.format(DATE).to_string()),
                "obligations_ended": ended,
            }),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Exemptions, lifted ones included, newest first.
    pub fn exemptions(&self) -> Result<Vec<Exemption>, DbError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, s.student_id, e.term, e.reason_kind, e.reason, e.by, e.until, e.created_at, e.lifted_at \
             FROM exemptions e JOIN students s ON s.id = e.student ORDER BY e.id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?;
        rows.map(|r| {
            let (id, student_id, t, rk, reason, by, until, created, lifted) = r?;
            Ok(Exemption {
                id,
                student_id,
                term: term_of(t)?,
                reason_kind: word(&rk, "exemption reason")?,
                reason,
                by,
                until: opt_date(until)?,
                created_at: stamp(&created)?,
                lifted_at: lifted.map(|l| stamp(&l)).transpose()?,
            })
        })
        .collect()
    }

    /// Lifts an exemption (kept, with the date). False when there is no such active one.
    pub fn lift_exemption(&mut self, id: i64, now: NaiveDateTime) -> Result<bool, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let student: Option<String> = tx
            .prepare_cached(
                "SELECT s.student_id FROM exemptions e JOIN students s ON s.id = e.student \
                 WHERE e.id = ?1 AND e.lifted_at IS NULL",
            )?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let Some(student) = student else {
            return Ok(false);
        };
        let at = now.format(STAMP).to_string();
        tx.prepare_cached("UPDATE exemptions SET lifted_at = ?2 WHERE id = ?1")?
            .execute(rusqlite::params![id, at])?;
        audit_write(
            &tx,
            self.auditor.as_ref(),
            "exempt.lift",
            Some(&student),
            &serde_json::json!({ "exemption": id, "lifted_at": null }),
            &serde_json::json!({ "exemption": id, "lifted_at": at }),
        )?;
        tx.commit()?;
        Ok(true)
    }
}
