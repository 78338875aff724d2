//! Contacts, schedules, issued warnings and exemptions. Nothing here deletes: a corrected
//! contact keeps its earlier version, a cancelled schedule keeps its row, a lifted exemption
//! keeps its dates.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior};

use super::settings::bump_last_change;
use super::{Db, DbError, term_of};
use crate::followup::{Contact, Exemption, Schedule, Source};
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

    /// Replaces contact `old` by a corrected version; the old one is kept, marked superseded.
    pub fn correct_contact(&mut self, old: i64, c: &Contact) -> Result<i64, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: Option<Option<i64>> = tx
            .prepare_cached("SELECT superseded_by FROM contacts WHERE id = ?1")?
            .query_row([old], |r| r.get(0))
            .optional()?;
        match current {
            None => return Err(DbError::Corrupt(format!("no contact {old}"))),
            Some(Some(by)) => {
                return Err(DbError::Corrupt(format!(
                    "contact {old} was already corrected by {by}"
                )));
            }
            Some(None) => {}
        }
        let id = insert_contact(&tx, c)?;
        tx.prepare_cached("UPDATE contacts SET superseded_by = ?1 WHERE id = ?2")?
            .execute([id, old])?;
        bump_last_change(&tx)?;
        tx.commit()?;
        Ok(id)
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

    /// Schedules not cancelled: one student's or everyone's, by student then id.
    pub fn schedules(&self, student: Option<&str>) -> Result<Vec<Schedule>, DbError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT x.id, s.student_id, x.kind, x.role, x.cadence, x.from_date, x.until_date, x.source, x.note \
             FROM schedules x JOIN students s ON s.id = x.student \
             WHERE x.cancelled_at IS NULL AND (?1 IS NULL OR s.student_id = ?1) ORDER BY s.student_id, x.id",
        )?;
        let rows = stmt.query_map([student], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?;
        rows.map(|r| {
            let (id, student_id, k, rl, cadence, from, until, source, note) = r?;
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
            })
        })
        .collect()
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
             WHERE w.term = ?1 AND w.id = (SELECT MAX(id) FROM warnings v WHERE v.student = w.student AND v.term = ?1) \
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
            tx.prepare_cached(
                "INSERT INTO warnings (student, term, policy_id, tier, severity, status, reasons_json, issued_at, issued_on) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
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
            ])?;
            let wid = tx.last_insert_rowid();
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
