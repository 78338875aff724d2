//! Issued warnings and the lifecycle's write transaction: an issue or a withdrawal, with the
//! obligations it begins, continues and ends. A withdrawn warning keeps its row.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::audit::{Auditor, audit_write};
use super::schedules::{insert_schedule, schedule_rows};
use super::settings::bump_last_change;
use super::values::{DATE, STAMP, date, opt_date, student_rowid, word};
use super::{Db, DbError, term_of};
use crate::model::Schedule;
use crate::model::Term;
use crate::model::{
    Change, Held, IssuedWarning, Snapshot, Standing, StudentPlan, Withdrawal, Withdrawn, Written,
};

fn insert_warning(
    conn: &Connection,
    w: &IssuedWarning,
    change: Option<Change>,
    now: NaiveDateTime,
) -> Result<i64, DbError> {
    let student = student_rowid(conn, &w.student_id)?;
    conn.prepare_cached(
        "INSERT INTO warnings (student, term, policy_id, tier, severity, status, reasons_json, issued_at, issued_on, change) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(rusqlite::params![
        student,
        w.term.key(),
        w.policy_id,
        w.tier,
        w.severity,
        serde_json::to_string(&w.status).unwrap_or_else(|_| "[]".into()),
        w.reasons_json,
        now.format(STAMP).to_string(),
        w.issued_on.format(DATE).to_string(),
        change.map(Change::id),
    ])?;
    Ok(conn.last_insert_rowid())
}

/// What one issue run writes for one student: the warning and its obligations.
pub struct Issue {
    pub warning: IssuedWarning,
    pub schedules: Vec<Schedule>,
}

impl Db {
    /// The warnings issued for a term: each student's latest issue.
    pub fn issued_warnings(&self, term: Term) -> Result<Vec<IssuedWarning>, DbError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.student_id, w.policy_id, w.tier, w.severity, w.status, w.reasons_json, w.issued_on \
             FROM warnings w JOIN students s ON s.id = w.student \
             WHERE w.term = ?1 AND w.withdrawn_on IS NULL AND w.id = (SELECT MAX(id) FROM warnings v \
             WHERE v.student = w.student AND v.term = ?1 AND v.withdrawn_on IS NULL) \
             ORDER BY s.student_id",
        )?;
        let rows = stmt.query_map([term.key()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        rows.map(|r| {
            let (student_id, policy_id, tier, severity, status, reasons_json, on) = r?;
            Ok(IssuedWarning {
                student_id,
                term,
                policy_id,
                tier,
                severity,
                status: serde_json::from_str(&status)
                    .map_err(|_| DbError::Corrupt(format!("status '{status}'")))?,
                reasons_json,
                issued_on: date(&on)?,
            })
        })
        .collect()
    }
}

/// The lifecycle's view of the database, read in whatever transaction `conn` is in.
fn snapshot(conn: &Connection) -> Result<Snapshot, DbError> {
    let mut held = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT s.student_id, w.id, w.term, w.tier, w.severity, w.status FROM warnings w \
             JOIN students s ON s.id = w.student WHERE w.withdrawn_on IS NULL AND w.id = \
             (SELECT MAX(id) FROM warnings v WHERE v.student = w.student AND v.withdrawn_on IS NULL)",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        for r in rows {
            let (student, warning_id, term, tier, severity, status) = r?;
            let status = serde_json::from_str(&status)
                .map_err(|_| DbError::Corrupt(format!("status '{status}'")))?;
            held.insert(
                student,
                Held {
                    warning_id,
                    term: term_of(term)?,
                    standing: Standing {
                        tier,
                        severity,
                        status,
                    },
                },
            );
        }
    }
    let mut open: HashMap<String, Vec<Schedule>> = HashMap::new();
    for s in schedule_rows(
        conn,
        "x.cancelled_at IS NULL AND x.ended_on IS NULL AND x.source = 'policy' AND ?1 IS NULL",
        None,
    )? {
        open.entry(s.student_id.clone()).or_default().push(s);
    }
    Ok(Snapshot { held, open })
}

/// The warnings a withdrawal names: every one not yet withdrawn for the term, of the named
/// students (or all), as (warning id, student id, tier), the latest per student last.
fn withdrawal_targets(
    conn: &Connection,
    term: Term,
    students: &[String],
) -> Result<Vec<(i64, String, String)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, s.student_id, w.tier FROM warnings w JOIN students s ON s.id = w.student \
         WHERE w.term = ?1 AND w.withdrawn_on IS NULL ORDER BY s.student_id, w.id",
    )?;
    let rows = stmt.query_map([term.key()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let mut out = Vec::new();
    for r in rows {
        let (id, student, tier): (i64, String, String) = r?;
        if students.is_empty() || students.contains(&student) {
            out.push((id, student, tier));
        }
    }
    Ok(out)
}

fn withdrawn_summary(targets: &[(i64, String, String)], ended: usize) -> Withdrawn {
    let mut warnings: Vec<(String, String)> = Vec::new();
    for (_, student, tier) in targets {
        match warnings.last_mut() {
            Some((s, t)) if s == student => *t = tier.clone(),
            _ => warnings.push((student.clone(), tier.clone())),
        }
    }
    Withdrawn {
        warnings,
        ended,
        reopened: 0,
    }
}

/// A warning in a student's history, withdrawn ones included.
#[derive(Debug, Clone, PartialEq)]
pub struct WarningRecord {
    pub term: Term,
    pub tier: String,
    pub issued_on: NaiveDate,
    /// None for warnings issued before changes were recorded.
    pub change: Option<Change>,
    /// (date, reason, by) once withdrawn.
    pub withdrawn: Option<(NaiveDate, String, String)>,
}

/// The write transaction of an issue or a withdrawal (`BEGIN IMMEDIATE`): what it re-reads is
/// what it writes over. Dropping it without [`LifeTx::commit`] writes nothing.
pub struct LifeTx<'a> {
    tx: rusqlite::Transaction<'a>,
    auditor: Option<Auditor>,
}

impl Db {
    /// What an issue plans from, read now (no lock is kept: a person reads the plan next).
    pub fn lifecycle_snapshot(&self) -> Result<Snapshot, DbError> {
        snapshot(&self.conn)
    }

    /// Takes the write lock, waiting up to the busy timeout for another writer.
    pub fn begin_lifecycle(&mut self) -> Result<LifeTx<'_>, DbError> {
        Ok(LifeTx {
            tx: self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?,
            auditor: self.auditor.clone(),
        })
    }

    /// The newest term with an issue not withdrawn.
    pub fn newest_issued_term(&self) -> Result<Option<Term>, DbError> {
        let key: Option<i64> = self.conn.query_row(
            "SELECT max(term) FROM warnings WHERE withdrawn_on IS NULL",
            [],
            |r| r.get(0),
        )?;
        key.map(term_of).transpose()
    }

    /// Whether any regular sitting (正考) result is recorded for the term.
    pub fn has_regular_results(&self, term: Term) -> Result<bool, DbError> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM grades WHERE term = ?1 AND kind = ?2)",
            rusqlite::params![term.key(), crate::model::AttemptKind::Regular.code()],
            |r| r.get(0),
        )?)
    }

    /// What a withdrawal would touch, read now.
    pub fn withdrawal_preview(
        &self,
        term: Term,
        students: &[String],
    ) -> Result<Withdrawn, DbError> {
        Ok(withdrawn_summary(
            &withdrawal_targets(&self.conn, term, students)?,
            0,
        ))
    }

    /// One student's warnings, oldest first, withdrawn ones included.
    pub fn warning_history(&self, student: &str) -> Result<Vec<WarningRecord>, DbError> {
        Ok(warning_records(&self.conn, Some(student))?
            .into_iter()
            .map(|(_, w)| w)
            .collect())
    }

    /// Every student's warnings as (student id, warning), in the order they were issued,
    /// withdrawn ones included: what the term-end analysis reads recorded changes from.
    pub fn all_warning_history(&self) -> Result<Vec<(String, WarningRecord)>, DbError> {
        warning_records(&self.conn, None)
    }
}

/// Warnings in the order they were issued, of one student or (None) of everyone.
fn warning_records(
    conn: &Connection,
    student: Option<&str>,
) -> Result<Vec<(String, WarningRecord)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.student_id, w.term, w.tier, w.issued_on, w.change, w.withdrawn_on, w.withdrawn_reason, w.withdrawn_by \
         FROM warnings w JOIN students s ON s.id = w.student WHERE ?1 IS NULL OR s.student_id = ?1 ORDER BY w.id",
    )?;
    let rows = stmt.query_map([student], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ),
            (
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ),
        ))
    })?;
    rows.map(|r| {
        let (student_id, (term, tier, on, change), (w_on, w_reason, w_by)) = r?;
        Ok((
            student_id,
            WarningRecord {
                term: term_of(term)?,
                tier,
                issued_on: date(&on)?,
                change: change.map(|c| word(&c, "change")).transpose()?,
                withdrawn: opt_date(w_on)?
                    .map(|d| (d, w_reason.unwrap_or_default(), w_by.unwrap_or_default())),
            },
        ))
    })
    .collect()
}

impl LifeTx<'_> {
    pub fn snapshot(&self) -> Result<Snapshot, DbError> {
        snapshot(&self.tx)
    }

    /// Writes an issue's plans: each warning with its change, the obligations it ends (kept,
    /// marked with the day and the change), continues (now under the new warning) and begins.
    pub fn apply(
        &self,
        plans: &[StudentPlan],
        term: Term,
        by: &str,
        now: NaiveDateTime,
    ) -> Result<Written, DbError> {
        let mut w = Written::default();
        for p in plans {
            let wid = insert_warning(&self.tx, &p.warning, Some(p.change), now)?;
            w.warnings += usize::from(!p.warning.tier.is_empty());
            w.warning_ids.push((p.student_id.clone(), wid));
            for id in &p.end {
                w.ended += self.end_schedule(*id, p.warning.issued_on, p.change)?;
            }
            for id in &p.keep {
                self.tx
                    .prepare_cached("UPDATE schedules SET warning_id = ?1 WHERE id = ?2")?
                    .execute([wid, *id])?;
            }
            for s in &p.create {
                insert_schedule(&self.tx, s, Some(wid), by, now)?;
                w.created += 1;
            }
        }
        bump_last_change(&self.tx)?;
        let changes: HashMap<&str, Vec<&str>> = plans.iter().fold(HashMap::new(), |mut m, p| {
            m.entry(p.change.id())
                .or_default()
                .push(p.student_id.as_str());
            m
        });
        audit_write(
            &self.tx,
            self.auditor.as_ref(),
            "issue",
            None,
            &serde_json::Value::Null,
            &serde_json::json!({
                "term": term.to_string(),
                "policy": plans.first().map(|p| p.warning.policy_id.as_str()),
                "warnings": w.warnings,
                "schedules_created": w.created,
                "schedules_ended": w.ended,
                "students": changes,
            }),
        )?;
        Ok(w)
    }

    fn end_schedule(&self, id: i64, on: NaiveDate, change: Change) -> Result<usize, DbError> {
        Ok(self
            .tx
            .prepare_cached(
                "UPDATE schedules SET ended_on = ?2, end_change = ?3 \
                 WHERE id = ?1 AND ended_on IS NULL AND cancelled_at IS NULL",
            )?
            .execute(rusqlite::params![
                id,
                on.format(DATE).to_string(),
                change.id()
            ])?)
    }

    /// Withdraws what [`Db::withdrawal_preview`] names, re-read under the lock, and undoes
    /// what each withdrawn issue did to the warning before it: the obligations it carried
    /// over go back to that warning, the ones it ended that day run again (un-frozen), and
    /// only the ones it began end, marked `withdrawn`.
    pub fn withdraw(&self, w: &Withdrawal<'_>) -> Result<Withdrawn, DbError> {
        let targets = withdrawal_targets(&self.tx, w.term, w.students)?;
        let mut ended = 0;
        let mut reopened = 0;
        // Newest first: a term issued twice hands back to its first issue, which then hands
        // back to the term before.
        for (id, _, _) in targets.iter().rev() {
            self.tx
                .prepare_cached(
                    "UPDATE warnings SET withdrawn_on = ?2, withdrawn_reason = ?3, withdrawn_by = ?4 WHERE id = ?1",
                )?
                .execute(rusqlite::params![
                    id,
                    w.on.format(DATE).to_string(),
                    w.reason,
                    w.by
                ])?;
            reopened += self.hand_back(*id)?;
            let ids: Vec<i64> = self
                .tx
                .prepare_cached(
                    "SELECT id FROM schedules WHERE warning_id = ?1 AND source = 'policy' \
                     AND ended_on IS NULL AND cancelled_at IS NULL",
                )?
                .query_map([id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for sid in ids {
                ended += self.end_schedule(sid, w.on, Change::Withdrawn)?;
            }
        }
        if !targets.is_empty() {
            bump_last_change(&self.tx)?;
        }
        audit_write(
            &self.tx,
            self.auditor.as_ref(),
            "withdraw",
            None,
            &serde_json::json!({
                "term": w.term.to_string(),
                "warnings": targets.iter().map(|(id, s, tier)| serde_json::json!({
                    "warning": id, "student": s, "tier": tier
                })).collect::<Vec<_>>(),
            }),
            &serde_json::json!({
                "withdrawn": targets.len(),
                "reason": w.reason,
                "schedules_ended": ended,
                "schedules_reopened": reopened,
            }),
        )?;
        Ok(Withdrawn {
            reopened,
            ..withdrawn_summary(&targets, ended)
        })
    }

    /// Gives the student's previous warning still in force back what issue `id` took from
    /// it. An obligation the issue carried over was created before the issue's own stamp
    /// (those it began carry that stamp, a notice approved later a later one); one it ended
    /// carries the issue's day and change. Returns how many ended ones run again.
    fn hand_back(&self, id: i64) -> Result<usize, DbError> {
        let prev: Option<(i64, String, String, Option<String>)> = self
            .tx
            .prepare_cached(
                "SELECT p.id, w.issued_at, w.issued_on, w.change FROM warnings w \
                 JOIN warnings p ON p.student = w.student AND p.id < w.id AND p.withdrawn_on IS NULL \
                 WHERE w.id = ?1 ORDER BY p.id DESC LIMIT 1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        let Some((prev, issued_at, issued_on, change)) = prev else {
            return Ok(0);
        };
        self.tx
            .prepare_cached(
                "UPDATE schedules SET warning_id = ?2 WHERE warning_id = ?1 AND source = 'policy' \
                 AND ended_on IS NULL AND cancelled_at IS NULL AND created_at < ?3",
            )?
            .execute(rusqlite::params![id, prev, issued_at])?;
        Ok(self
            .tx
            .prepare_cached(
                "UPDATE schedules SET ended_on = NULL, end_change = NULL WHERE warning_id = ?1 \
                 AND source = 'policy' AND cancelled_at IS NULL AND ended_on = ?2 AND end_change = ?3",
            )?
            .execute(rusqlite::params![prev, issued_on, change])?)
    }

    pub fn commit(self) -> Result<(), DbError> {
        Ok(self.tx.commit()?)
    }
}
