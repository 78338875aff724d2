//! Contacts, schedules, issued warnings and exemptions. Nothing here deletes: a corrected
//! contact keeps its earlier version, a cancelled schedule keeps its row, a lifted exemption
//! keeps its dates.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior};

use super::settings::bump_last_change;
use super::{Db, DbError, term_of};
use crate::app::lifecycle::{
    Change, Held, Snapshot, Standing, StudentPlan, Withdrawal, Withdrawn, Written,
};
use crate::followup::{Contact, Ending, Exemption, Schedule, Source};
use crate::model::Term;
use crate::policy::{ContactKind, Role};
use crate::schedule::Cadence;

const DATE: &str = "%Y-%m-%d";
const STAMP: &str = "%Y-%m-%dT%H:%M:%S";

fn date(s: &str) -> Result<NaiveDate, DbError> {
    NaiveDate::parse_from_str(s, DATE).map_err(|_| DbError::Corrupt(format!("date '{s}'")))
}

fn stamp(s: &str) -> Result<NaiveDateTime, DbError> {
    NaiveDateTime::parse_from_str(s, STAMP)
        .map_err(|_| DbError::Corrupt(format!("timestamp '{s}'")))
}

fn opt_date(s: Option<String>) -> Result<Option<NaiveDate>, DbError> {
    s.filter(|s| !s.is_empty()).map(|s| date(&s)).transpose()
}

fn word<T: FromStr>(s: &str, what: &str) -> Result<T, DbError> {
    s.parse()
        .map_err(|_| DbError::Corrupt(format!("{what} '{s}'")))
}

fn role(s: Option<String>) -> Result<Option<Role>, DbError> {
    match s.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Role::parse(&s)
            .map(Some)
            .ok_or_else(|| DbError::Corrupt(format!("role '{s}'"))),
    }
}

fn kind(s: &str) -> Result<ContactKind, DbError> {
    ContactKind::parse(s).ok_or_else(|| DbError::Corrupt(format!("contact kind '{s}'")))
}

pub(super) fn student_rowid(conn: &Connection, id: &str) -> Result<i64, DbError> {
    conn.prepare_cached("SELECT id FROM students WHERE student_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| DbError::UnknownStudent(id.to_string()))
}

const CONTACT_COLS: &str = "c.id, s.student_id, c.at, c.author, c.role, c.with_whom, c.channel, c.kind, c.place, \
     c.summary, c.situation, c.actions, c.next_talk, c.created_at, c.superseded_by";

type RawContact = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<i64>,
);

fn raw_contact(r: &Row<'_>) -> rusqlite::Result<RawContact> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
        r.get(13)?,
        r.get(14)?,
    ))
}

fn contact(raw: RawContact) -> Result<Contact, DbError> {
    let (
        id,
        student_id,
        at,
        author,
        rl,
        with,
        channel,
        k,
        place,
        summary,
        situation,
        actions,
        next,
        created,
        sup,
    ) = raw;
    Ok(Contact {
        id,
        student_id,
        at: stamp(&at)?,
        author,
        role: role(Some(rl))?,
        with_whom: word(&with, "with")?,
        channel: word(&channel, "channel")?,
        kind: kind(&k)?,
        place,
        summary,
        situation,
        actions,
        next_talk: opt_date(next)?,
        created_at: stamp(&created)?,
        superseded_by: sup,
    })
}

pub(super) fn insert_contact(conn: &Connection, c: &Contact) -> Result<i64, DbError> {
    let student = student_rowid(conn, &c.student_id)?;
    conn.prepare_cached(
        "INSERT INTO contacts (student, at, author, role, with_whom, channel, kind, place, summary, \
         situation, actions, next_talk, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(rusqlite::params![
        student,
        c.at.format(STAMP).to_string(),
        c.author,
        c.role.map_or("", Role::id),
        c.with_whom.id(),
        c.channel.id(),
        c.kind.id(),
        c.place,
        c.summary,
        c.situation,
        c.actions,
        c.next_talk.map(|d| d.format(DATE).to_string()),
        c.created_at.format(STAMP).to_string(),
    ])?;
    Ok(conn.last_insert_rowid())
}

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
fn schedule_rows(
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

/// How a correction went.
#[derive(Debug, Clone, PartialEq)]
pub enum Correction {
    Done {
        id: i64,
        next: Option<i64>,
    },
    Missing,
    /// The contact is this student's, not the correction's.
    OtherStudent {
        student: String,
    },
    /// Someone corrected it first: their version, who and when, and the current version.
    AlreadyCorrected {
        by_id: i64,
        author: String,
        at: NaiveDateTime,
        latest: i64,
    },
}

/// One issued warning as recorded (a snapshot later imports do not change).
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedWarning {
    pub student_id: String,
    pub term: Term,
    pub policy_id: String,
    /// Empty when a re-issue lifted the student's warning.
    pub tier: String,
    pub severity: u32,
    pub status: Vec<String>,
    pub reasons_json: String,
    pub issued_on: NaiveDate,
}

/// What one issue run writes for one student: the warning and its obligations.
pub struct Issue {
    pub warning: IssuedWarning,
    pub schedules: Vec<Schedule>,
}

impl Db {
    /// Logs a contact; returns its id.
    pub fn add_contact(&mut self, c: &Contact) -> Result<i64, DbError> {
        Ok(self.log_contact(c, None)?.0)
    }

    /// Logs a contact and, in the same transaction, the once-off talk it agreed on: both land
    /// or neither does, so a retry never stores the contact twice.
    pub fn log_contact(
        &mut self,
        c: &Contact,
        next: Option<&Schedule>,
    ) -> Result<(i64, Option<i64>), DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = insert_contact(&tx, c)?;
        let sid = next
            .map(|s| insert_schedule(&tx, s, None, &c.author, c.created_at))
            .transpose()?;
        bump_last_change(&tx)?;
        tx.commit()?;
        Ok((id, sid))
    }

    /// Replaces contact `old` by a corrected version (the old one is kept, marked superseded)
    /// and, in the same transaction, adds the talk the correction agrees on. Refused, with
    /// nothing written, when `old` is missing, is another student's, or was corrected already.
    pub fn correct_contact(
        &mut self,
        old: i64,
        c: &Contact,
        next: Option<&Schedule>,
    ) -> Result<Correction, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: Option<(String, Option<i64>)> = tx
            .prepare_cached(
                "SELECT s.student_id, c.superseded_by FROM contacts c JOIN students s ON s.id = c.student WHERE c.id = ?1",
            )?
            .query_row([old], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((student, superseded)) = found else {
            return Ok(Correction::Missing);
        };
        if student != c.student_id {
            return Ok(Correction::OtherStudent { student });
        }
        if let Some(first) = superseded {
            let (author, at): (String, String) = tx
                .prepare_cached("SELECT author, created_at FROM contacts WHERE id = ?1")?
                .query_row([first], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let mut latest = first;
            // Bounded by the table: a chain never revisits a contact (each points to a newer id).
            while let Some(n) = tx
                .prepare_cached("SELECT superseded_by FROM contacts WHERE id = ?1")?
                .query_row([latest], |r| r.get::<_, Option<i64>>(0))
                .optional()?
                .flatten()
                .filter(|n| *n > latest)
            {
                latest = n;
            }
            return Ok(Correction::AlreadyCorrected {
                by_id: first,
                author,
                at: stamp(&at)?,
                latest,
            });
        }
        let id = insert_contact(&tx, c)?;
        tx.prepare_cached("UPDATE contacts SET superseded_by = ?1 WHERE id = ?2")?
            .execute([id, old])?;
        let next = next
            .map(|s| insert_schedule(&tx, s, None, &c.author, c.created_at))
            .transpose()?;
        bump_last_change(&tx)?;
        tx.commit()?;
        Ok(Correction::Done { id, next })
    }

    /// Contacts, newest first: one student's or everyone's; earlier versions only when asked.
    pub fn contacts(
        &self,
        student: Option<&str>,
        with_history: bool,
    ) -> Result<Vec<Contact>, DbError> {
        let sql = format!(
            "SELECT {CONTACT_COLS} FROM contacts c JOIN students s ON s.id = c.student \
             WHERE (?1 IS NULL OR s.student_id = ?1) AND (?2 OR c.superseded_by IS NULL) \
             ORDER BY c.at DESC, c.id DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params![student, with_history], raw_contact)?;
        rows.map(|r| contact(r?)).collect()
    }

    /// The date of each student's latest current contact.
    pub fn last_contacts(&self) -> Result<HashMap<String, NaiveDate>, DbError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.student_id, MAX(c.at) FROM contacts c JOIN students s ON s.id = c.student \
             WHERE c.superseded_by IS NULL GROUP BY c.student",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        rows.map(|r| {
            let (id, at) = r?;
            Ok((id, stamp(&at)?.date()))
        })
        .collect()
    }

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
        let n = self
            .conn
            .prepare_cached(
                "UPDATE schedules SET cancelled_at = ?2 WHERE id = ?1 AND cancelled_at IS NULL",
            )?
            .execute(rusqlite::params![id, now.format(STAMP).to_string()])?;
        Ok(n == 1)
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

    /// Records warnings and their obligations in one transaction. For each student already
    /// holding policy obligations from an earlier issue of the same term, those are cancelled
    /// first (kept, marked cancelled).
    pub fn issue(
        &mut self,
        issues: &[Issue],
        by: &str,
        now: NaiveDateTime,
    ) -> Result<usize, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut created = 0;
        for i in issues {
            let w = &i.warning;
            let student = student_rowid(&tx, &w.student_id)?;
            tx.prepare_cached(
                "UPDATE schedules SET cancelled_at = ?3 WHERE student = ?1 AND cancelled_at IS NULL AND source = 'policy' \
                 AND warning_id IN (SELECT id FROM warnings WHERE student = ?1 AND term = ?2)",
            )?
            .execute(rusqlite::params![student, w.term.key(), now.format(STAMP).to_string()])?;
            let wid = insert_warning(&tx, w, None, now)?;
            for s in &i.schedules {
                insert_schedule(&tx, s, Some(wid), by, now)?;
                created += 1;
            }
        }
        bump_last_change(&tx)?;
        tx.commit()?;
        Ok(created)
    }

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
        tx.prepare_cached(
            "UPDATE schedules SET ended_on = ?2, end_change = 'exempt' \
             WHERE student = ?1 AND source = 'policy' AND ended_on IS NULL AND cancelled_at IS NULL",
        )?
        .execute(rusqlite::params![
            student,
            e.created_at.date().format(DATE).to_string()
        ])?;
        bump_last_change(&tx)?;
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
        let n = self
            .conn
            .prepare_cached(
                "UPDATE exemptions SET lifted_at = ?2 WHERE id = ?1 AND lifted_at IS NULL",
            )?
            .execute(rusqlite::params![id, now.format(STAMP).to_string()])?;
        Ok(n == 1)
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
    Withdrawn { warnings, ended }
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

    /// Withdraws what [`Db::withdrawal_preview`] names, re-read under the lock.
    pub fn withdraw(&self, w: &Withdrawal<'_>) -> Result<Withdrawn, DbError> {
        let targets = withdrawal_targets(&self.tx, w.term, w.students)?;
        let mut ended = 0;
        for (id, _, _) in &targets {
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
        Ok(withdrawn_summary(&targets, ended))
    }

    pub fn commit(self) -> Result<(), DbError> {
        Ok(self.tx.commit()?)
    }
}
