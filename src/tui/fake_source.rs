//! [`FakeSource`], an in-memory [`DataSource`] for tests, benches and demos. Built only with
//! the `test-support` feature, so the shipped binary carries no test double. It judges
//! follow-ups with the same functions as [`super::db_source::DbSource`]
//! ([`crate::schedule::agenda`]), so a test that passes here passes on the database too.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::app::agenda::Followups;
use crate::locale::Lang;
use crate::model::{Calendar, Contact, Schedule};
use crate::schedule::agenda::{next_talk_note, schedule_status};

use super::model::{
    ContactView, DataSource, FollowupMark, RosterEntry, ScheduleView, Snapshot, StudentDetail,
    WriteOp,
};

/// An in-memory [`DataSource`]: tests and demos set its data and bump its version. Writes
/// are recorded, shown on the student page, and re-judge that student's schedules.
pub struct FakeSource {
    version: AtomicU64,
    data: Mutex<FakeData>,
}

struct FakeData {
    snapshot: Snapshot,
    details: HashMap<String, StudentDetail>,
    contacts: Vec<Contact>,
    writes: Vec<WriteOp>,
    fail: Option<String>,
}

impl FakeSource {
    pub fn new(snapshot: Snapshot, details: Vec<StudentDetail>) -> FakeSource {
        let details = details
            .into_iter()
            .map(|d| (d.student.student_id.clone(), d))
            .collect();
        FakeSource {
            version: AtomicU64::new(1),
            data: Mutex::new(FakeData {
                snapshot,
                details,
                contacts: Vec::new(),
                writes: Vec::new(),
                fail: None,
            }),
        }
    }

    fn lock(&self) -> anyhow::Result<std::sync::MutexGuard<'_, FakeData>> {
        self.data
            .lock()
            .map_err(|_| anyhow::anyhow!("fake source poisoned"))
    }

    /// Replaces the data as another process writing the database would.
    pub fn replace(&self, snapshot: Snapshot) {
        if let Ok(mut d) = self.data.lock() {
            d.snapshot = snapshot;
        }
        self.version.fetch_add(1, Ordering::SeqCst);
    }

    /// Every write applied so far, oldest first.
    pub fn writes(&self) -> Vec<WriteOp> {
        self.lock().map(|d| d.writes.clone()).unwrap_or_default()
    }

    /// Makes every later write fail with `message` (None: succeed again), as a locked or
    /// read-only database would.
    pub fn fail_writes(&self, message: Option<&str>) {
        if let Ok(mut d) = self.data.lock() {
            d.fail = message.map(str::to_string);
        }
    }

    /// [`DataSource::write`] through a shared reference (the source sits behind a mutex).
    pub fn apply(&self, op: &WriteOp) -> anyhow::Result<i64> {
        let mut d = self.lock()?;
        if let Some(e) = &d.fail {
            anyhow::bail!("{e}");
        }
        let found = d
            .snapshot
            .entries
            .iter()
            .position(|e| e.student.student_id == op.student_id());
        let Some(row) = found else {
            anyhow::bail!("unknown student id '{}'", op.student_id());
        };
        d.writes.push(op.clone());
        let id = i64::try_from(d.writes.len()).unwrap_or(i64::MAX);
        let today = d.snapshot.today;
        let view = |mut s: Schedule| {
            s.id = id;
            ScheduleView {
                status: schedule_status(&s, &[], &Calendar::default(), today),
                schedule: s,
            }
        };
        match op {
            WriteOp::LogContact { contact: c, .. } => {
                let mut c = c.clone();
                c.id = id;
                d.contacts.push(c.clone());
                if let Some(s) =
                    crate::schedule::agenda::next_talk_schedule(&c, next_talk_note(Lang::Zh))
                {
                    d.snapshot.schedules.push(view(s));
                }
                let entry = &mut d.snapshot.entries[row];
                entry.last_contact = entry.last_contact.max(Some(c.at.date()));
                let base = d.snapshot.entries[row].clone();
                let detail = d
                    .details
                    .entry(c.student_id.clone())
                    .or_insert_with(|| bare_detail(&base));
                detail.contacts.push(ContactView {
                    at: c.at,
                    author: c.author.clone(),
                    role: c.role.map_or("", |r| r.label_zh()).to_string(),
                    with_whom: c.with_whom.label(Lang::Zh).to_string(),
                    channel: c.channel.label(Lang::Zh).to_string(),
                    kind: c.kind.label_zh().to_string(),
                    summary: c.summary.clone(),
                });
            }
            WriteOp::AddSchedule(s) => d.snapshot.schedules.push(view(s.clone())),
            // Approval numbers the draft: the preview then shows a number instead of the mark.
            WriteOp::ApproveNotice(sid) => {
                if let Some(n) = d.details.get_mut(sid).and_then(|x| x.notice.as_mut()) {
                    *n = n.replace("（待批准）", &format!("TEST-{id:04}"));
                }
            }
        }
        d.rejudge(row);
        drop(d);
        self.version.fetch_add(1, Ordering::SeqCst);
        Ok(id)
    }
}

impl FakeData {
    /// Judges the schedules of the student on row `row` against the contacts written here,
    /// and their roster mark from those, through the same functions as the database source.
    fn rejudge(&mut self, row: usize) {
        let id = self.snapshot.entries[row].student.student_id.clone();
        let followups = Followups {
            today: self.snapshot.today,
            cal: Calendar::default(),
            exempt: Vec::new(),
            schedules: self
                .snapshot
                .schedules
                .iter()
                .filter(|v| v.schedule.student_id == id)
                .map(|v| v.schedule.clone())
                .collect(),
            contacts: self
                .contacts
                .iter()
                .filter(|c| c.student_id == id)
                .cloned()
                .collect(),
        };
        let views = self
            .snapshot
            .schedules
            .iter_mut()
            .filter(|v| v.schedule.student_id == id);
        for (v, st) in views.zip(followups.statuses()) {
            v.status = st;
        }
        let mark = followups
            .most_urgent()
            .remove(&id)
            .and_then(|(s, st)| FollowupMark::of(Lang::Zh, &s, &st));
        let entry = &mut self.snapshot.entries[row];
        if entry.exempt.is_none() {
            entry.followup = mark;
        }
    }
}

/// A page with only the roster's header, for a student without a prepared one.
fn bare_detail(e: &RosterEntry) -> StudentDetail {
    StudentDetail {
        student: e.student.clone(),
        eval: e.eval.clone(),
        courses: Vec::new(),
        history: Vec::new(),
        notice: None,
        confirmed: None,
        contacts: Vec::new(),
    }
}

impl DataSource for FakeSource {
    fn version(&self) -> u64 {
        self.version.load(Ordering::SeqCst)
    }

    fn snapshot(&self) -> anyhow::Result<Snapshot> {
        Ok(self.lock()?.snapshot.clone())
    }

    fn student(&self, id: &str) -> anyhow::Result<Option<StudentDetail>> {
        let d = self.lock()?;
        if let Some(detail) = d.details.get(id) {
            return Ok(Some(detail.clone()));
        }
        Ok(d.snapshot
            .entries
            .iter()
            .find(|e| e.student.student_id == id)
            .map(bare_detail))
    }

    fn write(&mut self, op: &WriteOp) -> anyhow::Result<i64> {
        self.apply(op)
    }
}
