//! Notices (学业预警通知书) and their receipts, a school's own templates, and the students'
//! confirmations of the published list. A notice follows its student's latest issued warning
//! for the term: [`sync`] makes the drafts, approval numbers them and starts the clocks.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior};

use super::contacts::insert_contact;
use super::schedules::insert_schedule;
use super::settings::bump_last_change;
use super::values::student_rowid;
use super::{Db, DbError, term_of};
use crate::model::ContactKind;
use crate::model::Term;
use crate::model::{Contact, Schedule, Source};
use crate::paper::{Ending, State, Warning, default_short, number};
use crate::policy::Reason;

const STAMP: &str = "%Y-%m-%dT%H:%M:%S";

fn stamp(t: NaiveDateTime) -> String {
    t.format(STAMP).to_string()
}

/// One notice as listed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NoticeRow {
    pub id: i64,
    pub student_id: String,
    pub name: String,
    pub class: String,
    pub college: String,
    pub term: String,
    #[serde(skip)]
    pub warning_id: i64,
    pub tier: String,
    pub state: State,
    pub number: Option<String>,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    /// When the notice-delivered contact was logged.
    pub delivered: Option<String>,
    /// When the receipt came back (or the contact that stood in for it).
    pub receipt: Option<String>,
    pub superseded_by: Option<i64>,
}

const NOTICE_COLS: &str = "n.id, s.student_id, s.name, s.class, s.college, n.term, n.warning_id, n.tier, n.state, \
     n.number, n.approved_at, n.approved_by, dc.at, rc.at, n.superseded_by";
const NOTICE_FROM: &str = "notices n JOIN students s ON s.id = n.student \
     LEFT JOIN contacts dc ON dc.id = n.delivered_contact LEFT JOIN contacts rc ON rc.id = n.receipt_contact";

fn notice_row(r: &Row<'_>) -> rusqlite::Result<(NoticeRow, i64, String)> {
    let term: i64 = r.get(5)?;
    let state: String = r.get(8)?;
    Ok((
        NoticeRow {
            id: r.get(0)?,
            student_id: r.get(1)?,
            name: r.get(2)?,
            class: r.get(3)?,
            college: r.get(4)?,
            term: String::new(),
            warning_id: r.get(6)?,
            tier: r.get(7)?,
            state: State::Draft,
            number: r.get(9)?,
            approved_at: r.get(10)?,
            approved_by: r.get(11)?,
            delivered: r.get::<_, Option<String>>(12)?.map(|s| day(&s)),
            receipt: r.get::<_, Option<String>>(13)?.map(|s| day(&s)),
            superseded_by: r.get(14)?,
        },
        term,
        state,
    ))
}

fn day(stamp: &str) -> String {
    stamp.get(..10).unwrap_or(stamp).to_string()
}

fn finish_row((mut n, term, state): (NoticeRow, i64, String)) -> Result<NoticeRow, DbError> {
    n.term = term_of(term)?.to_string();
    n.state =
        State::parse(&state).ok_or_else(|| DbError::Corrupt(format!("notice state '{state}'")))?;
    Ok(n)
}

fn query_notices(
    conn: &Connection,
    filter: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<NoticeRow>, DbError> {
    let sql = format!(
        "SELECT {NOTICE_COLS} FROM {NOTICE_FROM} WHERE {filter} ORDER BY s.class, s.student_id, n.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params, notice_row)?;
    rows.map(|r| finish_row(r?)).collect()
}

/// Brings the term's notices in line with the latest issued warnings: a warned student without
/// a notice for that warning gets a draft; a draft follows a re-issue; a re-issue that changes
/// the tier of an approved notice supersedes it (it keeps its number) with a new draft; a
/// lifted warning drops its draft. Withdrawn and superseded notices are never revived.
fn sync(tx: &Transaction<'_>, term: Term, now: NaiveDateTime) -> Result<(), DbError> {
    let latest: Vec<(i64, i64, String, bool)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT w.id, w.student, w.tier, w.withdrawn_on IS NOT NULL FROM warnings w \
             WHERE w.term = ?1 \
             AND w.id = (SELECT MAX(id) FROM warnings v WHERE v.student = w.student AND v.term = ?1)",
        )?;
        stmt.query_map([term.key()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<Result<_, _>>()?
    };
    let now = stamp(now);
    for (wid, student, tier, withdrawn) in latest {
        let current: Option<(i64, i64, String, String)> = tx
            .prepare_cached(
                "SELECT id, warning_id, tier, state FROM notices WHERE student = ?1 AND term = ?2 \
                 AND state IN ('draft', 'approved') ORDER BY id DESC LIMIT 1",
            )?
            .query_row((student, term.key()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let insert = |tx: &Transaction<'_>| -> Result<i64, DbError> {
            tx.prepare_cached(
                "INSERT INTO notices (student, term, warning_id, tier, state, created_at) \
                 VALUES (?1, ?2, ?3, ?4, 'draft', ?5)",
            )?
            .execute((student, term.key(), wid, &tier, &now))?;
            Ok(tx.last_insert_rowid())
        };
        // A withdrawn warning's notice is withdrawn with it (`issue withdraw`): never printed.
        if withdrawn {
            if let Some((id, _, _, _)) = current {
                end(tx, id, "withdrawn", None, &now)?;
                cancel_paper_schedules(tx, student, term, &PAPER_KINDS, &now)?;
            }
            continue;
        }
        match current {
            None => {
                let had: bool = tx
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM notices WHERE warning_id = ?1)")?
                    .query_row([wid], |r| r.get(0))?;
                if !had && !tier.is_empty() {
                    insert(tx)?;
                }
            }
            Some((_, w, _, _)) if w == wid => {}
            Some((id, _, _, state)) if state == "draft" && tier.is_empty() => {
                end(tx, id, "superseded", None, &now)?;
            }
            Some((id, _, _, state)) if state == "draft" => {
                tx.prepare_cached("UPDATE notices SET warning_id = ?2, tier = ?3 WHERE id = ?1")?
                    .execute((id, wid, &tier))?;
            }
            Some((id, _, old_tier, _)) if old_tier != tier && !tier.is_empty() => {
                let new = insert(tx)?;
                end(tx, id, "superseded", Some(new), &now)?;
            }
            // An approved notice whose tier did not change (or whose warning lifted) stands.
            Some(_) => {}
        }
    }
    Ok(())
}

fn end(
    tx: &Transaction<'_>,
    id: i64,
    state: &str,
    by: Option<i64>,
    now: &str,
) -> Result<(), DbError> {
    tx.prepare_cached(
        "UPDATE notices SET state = ?2, superseded_by = ?3, ended_at = ?4 WHERE id = ?1",
    )?
    .execute((id, state, by, now))?;
    Ok(())
}

/// Cancels a student's open notice and receipt obligations for the term (from the policy at
/// issue, or from an earlier approval), so the clocks restart from the new approval.
fn cancel_paper_schedules(
    tx: &Transaction<'_>,
    student: i64,
    term: Term,
    kinds: &[ContactKind],
    now: &str,
) -> Result<(), DbError> {
    for k in kinds {
        tx.prepare_cached(
            "UPDATE schedules SET cancelled_at = ?4 WHERE student = ?1 AND kind = ?3 AND cancelled_at IS NULL \
             AND source = 'policy' AND warning_id IN (SELECT id FROM warnings WHERE student = ?1 AND term = ?2)",
        )?
        .execute((student, term.key(), k.id(), now))?;
    }
    Ok(())
}

const PAPER_KINDS: [ContactKind; 2] = [ContactKind::NoticeDelivered, ContactKind::ReceiptReturned];

/// How notices are approved: who, when, and the clocks approval starts.
pub struct Approval<'a> {
    pub by: &'a str,
    pub now: NaiveDateTime,
    pub deliver_days: u32,
    pub receipt_days: u32,
    /// Whether a tier's notice has a parent copy whose receipt must come back.
    pub receipt: &'a dyn Fn(&str) -> bool,
}

impl Db {
    /// Makes and updates the term's drafts (see [`sync`]); one transaction.
    pub fn sync_notices(&mut self, term: Term, now: NaiveDateTime) -> Result<(), DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        sync(&tx, term, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Every notice of a term, by class and student.
    pub fn notices(&self, term: Term) -> Result<Vec<NoticeRow>, DbError> {
        query_notices(&self.conn, "n.term = ?1", &[&term.key()])
    }

    pub fn notice_by_number(&self, number: &str) -> Result<Option<NoticeRow>, DbError> {
        Ok(query_notices(&self.conn, "n.number = ?1", &[&number])?.pop())
    }

    /// Approves the term's drafts (one class's, one student's, or all), numbering them per
    /// term and college, and starts the notice and receipt clocks. One transaction.
    pub fn approve_notices(
        &mut self,
        term: Term,
        class: Option<&str>,
        student: Option<&str>,
        a: &Approval<'_>,
    ) -> Result<Vec<NoticeRow>, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        sync(&tx, term, a.now)?;
        let drafts = query_notices(
            &tx,
            "n.term = ?1 AND n.state = 'draft' AND (?2 IS NULL OR s.class = ?2) AND (?3 IS NULL OR s.student_id = ?3)",
            &[&term.key(), &class, &student],
        )?;
        let now = stamp(a.now);
        let mut ids = Vec::new();
        for d in &drafts {
            let short = college_short(&tx, &d.college)?;
            let seq: i64 = tx
                .prepare_cached(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM notices WHERE term = ?1 AND college_short = ?2",
                )?
                .query_row((term.key(), &short), |r| r.get(0))?;
            let num = number(term, &short, seq);
            tx.prepare_cached(
                "UPDATE notices SET state = 'approved', college_short = ?2, seq = ?3, number = ?4, \
                 approved_at = ?5, approved_by = ?6 WHERE id = ?1",
            )?
            .execute((d.id, &short, seq, &num, &now, a.by))?;
            let student = student_rowid(&tx, &d.student_id)?;
            cancel_paper_schedules(&tx, student, term, &PAPER_KINDS, &now)?;
            let mut clocks = vec![(ContactKind::NoticeDelivered, a.deliver_days, "送达通知书")];
            if (a.receipt)(&d.tier) {
                clocks.push((ContactKind::ReceiptReturned, a.receipt_days, "收回家长回执"));
            }
            for (kind, days, what) in clocks {
                let s = Schedule {
                    id: 0,
                    student_id: d.student_id.clone(),
                    kind,
                    role: None,
                    cadence: format!("once:{days}")
                        .parse()
                        .map_err(|_| DbError::Corrupt(format!("days {days}")))?,
                    from: a.now.date(),
                    until: None,
                    source: Source::Policy,
                    note: format!("{what} {num}（批准后 {days} 天内）"),
                    ended: None,
                };
                insert_schedule(&tx, &s, Some(d.warning_id), a.by, a.now)?;
            }
            ids.push(d.id);
        }
        if !ids.is_empty() {
            bump_last_change(&tx)?;
            super::audit::audit_write(
                &tx,
                self.auditor.as_ref(),
                "notices.approve",
                student,
                &serde_json::json!({ "term": term.to_string(), "state": "draft" }),
                &serde_json::json!({
                    "term": term.to_string(),
                    "state": "approved",
                    "notices": ids.len(),
                    "students": drafts.iter().map(|d| d.student_id.as_str()).collect::<Vec<_>>(),
                }),
            )?;
        }
        tx.commit()?;
        let all = self.notices(term)?;
        Ok(all.into_iter().filter(|n| ids.contains(&n.id)).collect())
    }

    /// Logs a contact that delivers a notice, brings its receipt back, or (`other_receipt`)
    /// stands in for a receipt that never came (hntou 第9条), and links it to the notice:
    /// `number`, else the student's latest approved notice. Returns the contact id and the
    /// notice number it closed. One transaction; an unknown or foreign number writes nothing.
    pub fn log_notice_contact(
        &mut self,
        c: &Contact,
        next: Option<&Schedule>,
        number: Option<&str>,
        other_receipt: bool,
    ) -> Result<(i64, Option<i64>, Option<String>), DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let student = student_rowid(&tx, &c.student_id)?;
        let notice: Option<(i64, String, String, i64)> = match number {
            Some(num) => {
                let found: Option<(i64, String, String, i64, i64)> = tx
                    .prepare_cached(
                        "SELECT id, number, state, term, student FROM notices WHERE number = ?1",
                    )?
                    .query_row([num], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                    })
                    .optional()?;
                match found {
                    None => return Err(DbError::Corrupt(format!("no notice numbered '{num}'"))),
                    Some((.., s)) if s != student => {
                        return Err(DbError::Corrupt(format!(
                            "notice {num} is not {}'s",
                            c.student_id
                        )));
                    }
                    Some((id, n, state, term, _)) => Some((id, n, state, term)),
                }
            }
            None => tx
                .prepare_cached(
                    "SELECT id, number, state, term FROM notices WHERE student = ?1 AND state = 'approved' \
                     ORDER BY approved_at DESC, id DESC LIMIT 1",
                )?
                .query_row([student], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()?,
        };
        if let Some((_, num, state, _)) = &notice
            && state != "approved"
        {
            return Err(DbError::Corrupt(format!(
                "notice {num} is {state}: only an approved notice is delivered or answered"
            )));
        }
        let id = insert_contact(&tx, c, self.confidential)?;
        let sid = next
            .map(|s| insert_schedule(&tx, s, None, &c.author, c.created_at))
            .transpose()?;
        if let Some((nid, _, _, term)) = &notice {
            let col = match c.kind {
                ContactKind::NoticeDelivered => Some("delivered_contact"),
                ContactKind::ReceiptReturned => Some("receipt_contact"),
                _ if other_receipt => Some("receipt_contact"),
                _ => None,
            };
            if let Some(col) = col {
                tx.execute(
                    &format!("UPDATE notices SET {col} = ?2 WHERE id = ?1 AND {col} IS NULL"),
                    (nid, id),
                )?;
            }
            if other_receipt && c.kind != ContactKind::ReceiptReturned {
                cancel_paper_schedules(
                    &tx,
                    student,
                    term_of(*term)?,
                    &[ContactKind::ReceiptReturned],
                    &stamp(c.created_at),
                )?;
            }
        }
        bump_last_change(&tx)?;
        let mut after = super::contacts::audit_json(id, c, sid, self.confidential);
        after["notice"] = serde_json::json!(notice.as_ref().map(|n| n.1.as_str()));
        super::audit::audit_write(
            &tx,
            self.auditor.as_ref(),
            "contact",
            Some(&c.student_id),
            &serde_json::Value::Null,
            &after,
        )?;
        tx.commit()?;
        Ok((id, sid, notice.map(|n| n.1)))
    }

    /// Supersedes or withdraws a student's current notice for a term (the lifecycle calls
    /// this when a warning is re-issued at another tier or withdrawn). A withdrawn notice's
    /// open delivery and receipt obligations are cancelled with it. Returns how many notices
    /// changed. One transaction.
    pub fn supersede_or_withdraw(
        &mut self,
        student_id: &str,
        term: Term,
        ending: Ending,
        now: NaiveDateTime,
    ) -> Result<usize, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let student = student_rowid(&tx, student_id)?;
        let state = match ending {
            Ending::Superseded => "superseded",
            Ending::Withdrawn => "withdrawn",
        };
        let now = stamp(now);
        let n = tx
            .prepare_cached(
                "UPDATE notices SET state = ?3, ended_at = ?4 WHERE student = ?1 AND term = ?2 \
                 AND state IN ('draft', 'approved')",
            )?
            .execute((student, term.key(), state, &now))?;
        if ending == Ending::Withdrawn {
            cancel_paper_schedules(&tx, student, term, &PAPER_KINDS, &now)?;
        }
        if n > 0 {
            bump_last_change(&tx)?;
        }
        tx.commit()?;
        Ok(n)
    }

    /// The issued warning a notice was made from.
    pub fn issued_warning(&self, id: i64) -> Result<Option<Warning>, DbError> {
        let row: Option<(i64, String, String, String, String)> = self
            .conn
            .prepare_cached(
                "SELECT term, tier, status, reasons_json, issued_on FROM warnings WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        row.map(|(term, tier, status, reasons, on)| {
            Ok(Warning {
                term: term_of(term)?,
                tier,
                status: serde_json::from_str(&status)
                    .map_err(|_| DbError::Corrupt(format!("status '{status}'")))?,
                reasons: serde_json::from_str::<Vec<Reason>>(&reasons)
                    .map_err(|e| DbError::Corrupt(format!("reasons of warning {id}: {e}")))?,
                issued_on: NaiveDate::parse_from_str(&on, "%Y-%m-%d")
                    .map_err(|_| DbError::Corrupt(format!("date '{on}'")))?,
            })
        })
        .transpose()
    }

    /// The id of a student's latest issued warning for a term.
    pub fn latest_warning_id(&self, student_id: &str, term: Term) -> Result<Option<i64>, DbError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT MAX(w.id) FROM warnings w JOIN students s ON s.id = w.student \
                 WHERE s.student_id = ?1 AND w.term = ?2",
            )?
            .query_row((student_id, term.key()), |r| r.get(0))?)
    }

    /// A student's latest issued warning on or before a day, else the latest at all.
    pub fn warning_before(&self, student_id: &str, day: NaiveDate) -> Result<Option<i64>, DbError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT w.id FROM warnings w JOIN students s ON s.id = w.student WHERE s.student_id = ?1 \
                 ORDER BY w.issued_on <= ?2 DESC, w.id DESC LIMIT 1",
            )?
            .query_row((student_id, day.format("%Y-%m-%d").to_string()), |r| r.get(0))
            .optional()?)
    }

    /// A school's stored templates for a policy: (name, text).
    pub fn school_templates(&self, policy_id: &str) -> Result<Vec<(String, String)>, DbError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, body FROM templates WHERE policy_id = ?1 ORDER BY name",
        )?;
        let rows = stmt.query_map([policy_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Replaces a policy's stored templates by `items`, in one transaction.
    pub fn replace_templates(
        &mut self,
        policy_id: &str,
        items: &[(String, String)],
        by: &str,
        now: NaiveDateTime,
    ) -> Result<(), DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM templates WHERE policy_id = ?1", [policy_id])?;
        for (name, body) in items {
            tx.prepare_cached(
                "INSERT INTO templates (policy_id, name, body, by, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute((policy_id, name, body, by, stamp(now)))?;
        }
        bump_last_change(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Records that a student confirmed the list entry for a term; false when already done.
    pub fn confirm_entry(
        &mut self,
        student_id: &str,
        term: Term,
        by: &str,
        now: NaiveDateTime,
    ) -> Result<bool, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let student = student_rowid(&tx, student_id)?;
        let n = tx
            .prepare_cached(
                "INSERT INTO confirmations (student, term, by, at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            )?
            .execute((student, term.key(), by, stamp(now)))?;
        if n > 0 {
            bump_last_change(&tx)?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    /// The students who confirmed their entry for a term, with when: (student id, at).
    pub fn confirmations(&self, term: Term) -> Result<Vec<(String, String)>, DbError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.student_id, c.at FROM confirmations c JOIN students s ON s.id = c.student \
             WHERE c.term = ?1 ORDER BY s.student_id",
        )?;
        let rows = stmt.query_map([term.key()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

const SHORT_KEY: &str = "college_short:";

/// The college's short name for notice numbers: the setting, else its first two characters.
fn college_short(conn: &Connection, college: &str) -> Result<String, DbError> {
    let set: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([format!("{SHORT_KEY}{college}")], |r| r.get(0))
        .optional()?;
    Ok(set.unwrap_or_else(|| default_short(college)))
}

impl Db {
    pub fn college_short(&self, college: &str) -> Result<String, DbError> {
        college_short(&self.conn, college)
    }

    pub fn set_college_short(&mut self, college: &str, short: &str) -> Result<(), DbError> {
        self.set_meta(&format!("{SHORT_KEY}{college}"), short)
    }
}
