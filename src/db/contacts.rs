//! Contacts: logging, correcting (the earlier version is kept, marked superseded) and
//! reading them back. Nothing here deletes.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior};

use super::audit::audit_write;
use super::schedules::insert_schedule;
use super::settings::bump_last_change;
use super::values::{DATE, STAMP, kind, opt_date, role, stamp, student_rowid, word};
use super::{Db, DbError};
use crate::model::Role;
use crate::model::{Contact, Schedule};

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

/// Stores a contact, `confidential` (its text for the student's counsellor, psych and
/// admin only) as the same row, so it is never readable unmarked in between.
pub(super) fn insert_contact(
    conn: &Connection,
    c: &Contact,
    confidential: bool,
) -> Result<i64, DbError> {
    let student = student_rowid(conn, &c.student_id)?;
    conn.prepare_cached(
        "INSERT INTO contacts (student, at, author, role, with_whom, channel, kind, place, summary, \
         situation, actions, next_talk, created_at, confidential) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
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
        confidential,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A contact as its audit line records it: what kind, with whom and when, never its text
/// (it may be confidential, and leaders read the audit).
pub(super) fn audit_json(
    id: i64,
    c: &Contact,
    next: Option<i64>,
    confidential: bool,
) -> serde_json::Value {
    serde_json::json!({
        "contact": id,
        "confidential": confidential,
        "kind": c.kind.id(),
        "with": c.with_whom.id(),
        "at": c.at.format(STAMP).to_string(),
        "next_schedule": next,
    })
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
        let written = write_contact(&tx, self.auditor.as_ref(), self.confidential, c, next, None)?;
        tx.commit()?;
        Ok(written)
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
        let (id, next) = write_contact(
            &tx,
            self.auditor.as_ref(),
            self.confidential,
            c,
            next,
            Some(old),
        )?;
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
}

/// Stores a contact (superseding `corrects`, if given) and the once-off talk it agreed on,
/// with its audit line, inside the caller's transaction: what logging and correcting share.
fn write_contact(
    tx: &rusqlite::Transaction<'_>,
    auditor: Option<&super::Auditor>,
    confidential: bool,
    c: &Contact,
    next: Option<&Schedule>,
    corrects: Option<i64>,
) -> Result<(i64, Option<i64>), DbError> {
    let id = insert_contact(tx, c, confidential)?;
    if let Some(old) = corrects {
        tx.prepare_cached("UPDATE contacts SET superseded_by = ?1 WHERE id = ?2")?
            .execute([id, old])?;
    }
    let sid = next
        .map(|s| insert_schedule(tx, s, None, &c.author, c.created_at))
        .transpose()?;
    bump_last_change(tx)?;
    let (action, before) = match corrects {
        Some(old) => ("contact.correct", serde_json::json!({ "contact": old })),
        None => ("contact", serde_json::Value::Null),
    };
    audit_write(
        tx,
        auditor,
        action,
        Some(&c.student_id),
        &before,
        &audit_json(id, c, sid, confidential),
    )?;
    Ok((id, sid))
}
