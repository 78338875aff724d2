//! What the TUI reads, and from where: a plain view model (filled from SQLite and the policy
//! engine by the caller) behind the [`DataSource`] trait, plus [`FakeSource`], an in-memory
//! source for tests and demos.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{NaiveDate, NaiveDateTime};

use crate::model::{Student, Term};
use crate::policy::{CourseOutcome, Evaluation, Policy};
use crate::text::sanitize_in_place;

/// One roster row.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterEntry {
    pub student: Student,
    pub eval: Evaluation,
    pub last_contact: Option<NaiveDate>,
    /// The next follow-up due (or overdue), when the talks work provides one.
    pub followup: Option<FollowupMark>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FollowupMark {
    /// What is due, e.g. `班主任谈话`.
    pub label: String,
    pub due: NaiveDate,
    /// 0 when not overdue.
    pub days_overdue: i64,
}

/// Everything the roster needs, read in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub policy: Option<Policy>,
    /// The assessed term, None when no grades were imported.
    pub term: Option<Term>,
    pub entries: Vec<RosterEntry>,
    /// Students in the database (may exceed `entries` while evaluation is incomplete).
    pub student_count: usize,
    pub today: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContactView {
    pub at: NaiveDateTime,
    pub author: String,
    pub role: String,
    pub with_whom: String,
    pub channel: String,
    pub kind: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TierHistory {
    pub term: Term,
    pub tier_index: Option<usize>,
    pub status: Vec<String>,
    pub carried: bool,
}

/// The student page.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentDetail {
    pub student: Student,
    pub eval: Evaluation,
    /// Every course up to the term (the page shows those ever failed).
    pub courses: Vec<CourseOutcome>,
    pub history: Vec<TierHistory>,
    pub contacts: Vec<ContactView>,
}

/// Where the TUI's data comes from. Called off the draw path, from a loader thread.
pub trait DataSource {
    /// Changes whenever the data behind the views changes (e.g. SQLite's `PRAGMA data_version`
    /// combined with a counter); polled about once a second.
    fn version(&self) -> u64;
    fn snapshot(&self) -> anyhow::Result<Snapshot>;
    /// None when no student has this id.
    fn student(&self, id: &str) -> anyhow::Result<Option<StudentDetail>>;
}

/// Removes control characters and escape sequences from every imported string, once, as
/// data enters the TUI; nothing drawn afterwards can reach the terminal raw.
pub fn sanitize_snapshot(s: &mut Snapshot) {
    if let Some(p) = &mut s.policy {
        sanitize_policy(p);
    }
    for e in &mut s.entries {
        sanitize_student(&mut e.student);
        sanitize_eval(&mut e.eval);
        if let Some(f) = &mut e.followup {
            sanitize_in_place(&mut f.label);
        }
    }
}

pub fn sanitize_detail(d: &mut StudentDetail) {
    sanitize_student(&mut d.student);
    sanitize_eval(&mut d.eval);
    for c in &mut d.courses {
        for s in [&mut c.code, &mut c.name] {
            sanitize_in_place(s);
        }
        for s in [&mut c.regular, &mut c.makeup, &mut c.retake]
            .into_iter()
            .flatten()
        {
            sanitize_in_place(s);
        }
        if let Some(crate::model::Nature::Other(s)) = &mut c.nature {
            sanitize_in_place(s);
        }
    }
    for h in &mut d.history {
        h.status.iter_mut().for_each(sanitize_in_place);
    }
    for c in &mut d.contacts {
        for s in [
            &mut c.author,
            &mut c.role,
            &mut c.with_whom,
            &mut c.channel,
            &mut c.kind,
            &mut c.summary,
        ] {
            sanitize_in_place(s);
        }
    }
}

fn sanitize_student(s: &mut Student) {
    for f in [
        &mut s.student_id,
        &mut s.name,
        &mut s.college,
        &mut s.major,
        &mut s.cohort,
        &mut s.class,
        &mut s.phone,
        &mut s.parent,
        &mut s.parent_phone,
        &mut s.address,
        &mut s.class_teacher,
        &mut s.counsellor,
    ] {
        sanitize_in_place(f);
    }
}

fn sanitize_eval(e: &mut Evaluation) {
    for r in e.reasons.iter_mut().chain(e.status_reasons.iter_mut()) {
        for c in &mut r.courses {
            sanitize_in_place(&mut c.name);
            sanitize_in_place(&mut c.code);
            sanitize_in_place(&mut c.result);
        }
    }
}

/// Policy files are user-editable too.
fn sanitize_policy(p: &mut Policy) {
    for f in [&mut p.name_zh, &mut p.name_en, &mut p.id] {
        sanitize_in_place(f);
    }
    for t in &mut p.tiers {
        for f in [&mut t.zh, &mut t.en, &mut t.short_zh, &mut t.short_en] {
            sanitize_in_place(f);
        }
    }
    for s in &mut p.status {
        sanitize_in_place(&mut s.zh);
        sanitize_in_place(&mut s.en);
    }
}

/// An in-memory [`DataSource`]: tests and demos set its data and bump its version.
pub struct FakeSource {
    version: AtomicU64,
    data: Mutex<(Snapshot, HashMap<String, StudentDetail>)>,
}

impl FakeSource {
    pub fn new(snapshot: Snapshot, details: Vec<StudentDetail>) -> FakeSource {
        let details = details
            .into_iter()
            .map(|d| (d.student.student_id.clone(), d))
            .collect();
        FakeSource {
            version: AtomicU64::new(1),
            data: Mutex::new((snapshot, details)),
        }
    }

    /// Replaces the data as another process writing the database would.
    pub fn replace(&self, snapshot: Snapshot) {
        if let Ok(mut d) = self.data.lock() {
            d.0 = snapshot;
        }
        self.version.fetch_add(1, Ordering::SeqCst);
    }
}

impl DataSource for FakeSource {
    fn version(&self) -> u64 {
        self.version.load(Ordering::SeqCst)
    }

    fn snapshot(&self) -> anyhow::Result<Snapshot> {
        let d = self
            .data
            .lock()
            .map_err(|_| anyhow::anyhow!("fake source poisoned"))?;
        Ok(d.0.clone())
    }

    fn student(&self, id: &str) -> anyhow::Result<Option<StudentDetail>> {
        let d = self
            .data
            .lock()
            .map_err(|_| anyhow::anyhow!("fake source poisoned"))?;
        if let Some(detail) = d.1.get(id) {
            return Ok(Some(detail.clone()));
        }
        // A student without a prepared page still has a header from the roster.
        Ok(d.0
            .entries
            .iter()
            .find(|e| e.student.student_id == id)
            .map(|e| StudentDetail {
                student: e.student.clone(),
                eval: e.eval.clone(),
                courses: Vec::new(),
                history: Vec::new(),
                contacts: Vec::new(),
            }))
    }
}
