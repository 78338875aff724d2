//! The database side of paper: the policy, term and templates in force, a student's
//! documents laid out from what is stored, and approval with its clocks. Shared by the CLI and
//! the TUI's student page.

use anyhow::{Context, bail};
use chrono::{NaiveDate, NaiveDateTime};

use crate::db::{Approval, Db, NoticeRow};
use crate::model::{Student, StudentFacts, Term};
use crate::os::real_login as login;
use crate::paper::{Set, State, Subject, Warning, template::Block};
use crate::policy::{CourseOutcome, Policy};

/// Days until delivery and receipt are overdue when the policy sets none (7 and 14).
const DEFAULT_DAYS: (u32, u32) = (7, 14);

pub fn days_key(policy_id: &str) -> String {
    format!("notice_days:{policy_id}")
}

pub fn notice_days(db: &Db, policy_id: &str) -> anyhow::Result<(u32, u32)> {
    let Some(v) = db.meta(&days_key(policy_id))? else {
        return Ok(DEFAULT_DAYS);
    };
    let parsed = v
        .split_once(',')
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
    parsed.with_context(|| format!("setting notice_days '{v}' is not DELIVER,RECEIPT"))
}

/// The policy and term in force, and the templates for them.
pub struct Paper {
    pub policy: Policy,
    pub term: Term,
    pub set: Set,
}

pub fn paper(db: &Db, policy: Option<&str>, term: Option<&str>) -> anyhow::Result<Paper> {
    let policy = super::assess::resolve_policy(db, policy)?;
    let term = super::assess::resolve_term(db, term)?;
    let set = Set::new(&policy.id, db.school_templates(&policy.id)?);
    if set.is_empty() {
        bail!(
            "policy '{}' has no templates: start from a preset's (`yujing template export DIR --preset hljjz`), edit them, then `yujing template import DIR`",
            policy.id
        );
    }
    Ok(Paper { policy, term, set })
}

/// Everything a document about one student needs, loaded once.
pub struct Loaded {
    pub student: Student,
    pub warning: Warning,
    pub facts: Option<StudentFacts>,
    pub outcomes: Vec<CourseOutcome>,
}

pub fn load(db: &Db, policy: &Policy, student_id: &str, warning_id: i64) -> anyhow::Result<Loaded> {
    let student = db
        .student(student_id)?
        .with_context(|| format!("unknown student id '{student_id}'"))?;
    let warning = db
        .issued_warning(warning_id)?
        .with_context(|| format!("no issued warning {warning_id}"))?;
    let facts = db.load_student_facts(student_id, warning.term)?;
    let outcomes = facts.as_ref().map_or_else(Vec::new, |f| {
        crate::policy::course_outcomes(f, warning.term, policy.pass_mark)
    });
    Ok(Loaded {
        student,
        warning,
        facts,
        outcomes,
    })
}

impl Loaded {
    pub fn subject<'a>(
        &'a self,
        policy: &'a Policy,
        number: Option<&'a str>,
        date: NaiveDate,
        contact: Option<&'a crate::model::Contact>,
    ) -> Subject<'a> {
        Subject {
            student: &self.student,
            policy,
            warning: &self.warning,
            outcomes: &self.outcomes,
            facts: self.facts.as_ref(),
            number,
            date,
            contact,
        }
    }
}

/// The latest talk with the student in the notice's term, for the copy posted to the parents.
fn latest_talk(db: &Db, student_id: &str) -> anyhow::Result<Option<crate::model::Contact>> {
    Ok(db
        .contacts(Some(student_id), false)?
        .into_iter()
        .find(|c| c.kind == crate::model::ContactKind::Talk))
}

fn approved_on(n: &NoticeRow, today: NaiveDate) -> NaiveDate {
    n.approved_at
        .as_deref()
        .and_then(|a| NaiveDate::parse_from_str(a.get(..10)?, "%Y-%m-%d").ok())
        .unwrap_or(today)
}

/// A notice laid out: the student notice, the parent copy with its stub (and for posted copies
/// the latest talk record).
pub fn notice_document(
    db: &Db,
    p: &Paper,
    n: &NoticeRow,
    today: NaiveDate,
) -> anyhow::Result<Vec<Block>> {
    let l = load(db, &p.policy, &n.student_id, n.warning_id)?;
    let talk = if crate::paper::posted(&p.policy.id) {
        latest_talk(db, &n.student_id)?
    } else {
        None
    };
    let s = l.subject(
        &p.policy,
        n.number.as_deref(),
        approved_on(n, today),
        talk.as_ref(),
    );
    Ok(crate::paper::notice_blocks(&p.set, &s))
}

/// A student's current notice (draft or approved) for the term.
pub fn current(db: &Db, p: &Paper, student_id: &str) -> anyhow::Result<NoticeRow> {
    db.notices(p.term)?
        .into_iter()
        .rev()
        .find(|n| n.student_id == student_id && matches!(n.state, State::Draft | State::Approved))
        .with_context(|| {
            format!(
                "{student_id} has no notice for {} (issue the term's warnings first: `yujing issue --term {}`)",
                p.term, p.term
            )
        })
}

pub fn approve(
    db: &mut Db,
    p: &Paper,
    class: Option<&str>,
    student: Option<&str>,
    now: NaiveDateTime,
) -> anyhow::Result<Vec<NoticeRow>> {
    let (deliver_days, receipt_days) = notice_days(db, &p.policy.id)?;
    let receipt = |tier: &str| crate::paper::has_receipt(&p.set, tier);
    let by = login();
    Ok(db.approve_notices(
        p.term,
        class,
        student,
        &Approval {
            by: &by,
            now,
            deliver_days,
            receipt_days,
            receipt: &receipt,
        },
    )?)
}

/// A student's notice as plain text for the TUI's student page: the current notice (draft or
/// approved), else a draft made from the latest issued warning; None when nothing was issued.
pub fn preview(
    db: &Db,
    p: &Paper,
    student_id: &str,
    today: NaiveDate,
) -> anyhow::Result<Option<String>> {
    let current =
        db.notices(p.term)?.into_iter().rev().find(|n| {
            n.student_id == student_id && matches!(n.state, State::Draft | State::Approved)
        });
    let blocks = match current {
        Some(n) => notice_document(db, p, &n, today)?,
        None => {
            let Some(wid) = db.latest_warning_id(student_id, p.term)? else {
                return Ok(None);
            };
            let l = load(db, &p.policy, student_id, wid)?;
            if l.warning.tier.is_empty() {
                return Ok(None);
            }
            crate::paper::notice_blocks(&p.set, &l.subject(&p.policy, None, today, None))
        }
    };
    Ok(Some(crate::paper::template::to_text(&blocks)))
}

/// What logging a contact wrote: its id, the next talk it scheduled, and the notice whose
/// delivery or receipt it closed.
pub struct Logged {
    pub id: i64,
    pub schedule: Option<i64>,
    pub closed: Option<String>,
}

/// Logs a contact (`yujing log`, the TUI's log form): a notice-delivered or receipt-returned contact closes its
/// notice's obligation, and under a preset that posts the parent copies (hntou 第9条) a parent
/// contact by SMS, phone or e-mail stands in for a receipt that never came.
pub fn log_contact(
    db: &mut Db,
    c: &crate::model::Contact,
    next: Option<&crate::model::Schedule>,
    notice: Option<&str>,
) -> anyhow::Result<Logged> {
    use crate::model::Channel;
    use crate::model::ContactKind;
    let posted = db
        .policy()?
        .is_some_and(|(id, _)| crate::paper::posted(&id));
    let other_receipt = posted
        && c.kind == ContactKind::ParentContact
        && matches!(c.channel, Channel::Sms | Channel::Phone | Channel::Email);
    let paper_kind = matches!(
        c.kind,
        ContactKind::NoticeDelivered | ContactKind::ReceiptReturned
    );
    if !paper_kind && !other_receipt {
        if notice.is_some() {
            bail!(
                "--notice goes with --kind notice-delivered or receipt-returned (or, where parent copies are posted, a parent-contact by sms, phone or e-mail)"
            );
        }
        let (id, schedule) = db.log_contact(c, next)?;
        return Ok(Logged {
            id,
            schedule,
            closed: None,
        });
    }
    if let Some(num) = notice {
        let n = db.notice_by_number(num)?.with_context(|| {
            format!("--notice {num}: no such notice (see `yujing notices list`)")
        })?;
        if n.student_id != c.student_id {
            bail!(
                "--notice {num} is {}'s notice, not {}'s",
                n.student_id,
                c.student_id
            );
        }
        if n.state != State::Approved {
            bail!(
                "--notice {num} is {}: only an approved notice is delivered or answered",
                n.state.id()
            );
        }
    }
    let (id, schedule, closed) = db.log_notice_contact(c, next, notice, other_receipt)?;
    Ok(Logged {
        id,
        schedule,
        closed,
    })
}
