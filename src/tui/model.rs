//! What the TUI reads, and from where: a plain view model (filled from SQLite and the policy
//! engine by the caller) behind the [`DataSource`] trait. Data is sanitised once here, as it
//! enters the TUI.

use chrono::{NaiveDate, NaiveDateTime};

use crate::model::{Contact, Schedule};

use crate::locale::Lang;
use crate::model::{Student, Term};
use crate::policy::{CourseOutcome, Evaluation, Policy};
use crate::schedule::Status;
use crate::text::sanitize_in_place;

/// One roster row.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterEntry {
    pub student: Student,
    pub eval: Evaluation,
    pub last_contact: Option<NaiveDate>,
    /// The most urgent follow-up: the most overdue, else the one due soonest.
    pub followup: Option<FollowupMark>,
    /// Why the student is exempt from follow-up today (`休学`), if they are.
    pub exempt: Option<String>,
}

impl RosterEntry {
    /// Something owed by this student's follow-up is overdue.
    pub fn is_overdue(&self) -> bool {
        self.followup.as_ref().is_some_and(|f| f.days_overdue > 0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FollowupMark {
    /// What is due, e.g. `班主任谈话`.
    pub label: String,
    pub due: NaiveDate,
    /// 0 when not overdue.
    pub days_overdue: i64,
}

impl FollowupMark {
    /// The roster's mark for a student's most urgent obligation; None when nothing is due.
    pub fn of(lang: Lang, s: &Schedule, st: &Status) -> Option<FollowupMark> {
        Some(FollowupMark {
            label: crate::i18n::obligation(lang, s),
            due: st.due?,
            days_overdue: st.days_overdue,
        })
    }
}

/// One follow-up schedule in force and its state today.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleView {
    pub schedule: Schedule,
    pub status: Status,
}

pub use crate::schedule::agenda::AgendaGroup;

impl ScheduleView {
    pub fn agenda_group(&self, today: NaiveDate) -> Option<AgendaGroup> {
        AgendaGroup::of(&self.status, today)
    }
}

/// How much each part of urgency weighs in the default (triage) order: a student's score is
/// `tier × (severity, then status) + overdue_day × days overdue + contact_day × days since the
/// last contact` (days capped at 999; never contacted counts as 999). The defaults make it
/// lexicographic: tier first, then days overdue, then the last contact. Set in config.toml:
/// `[triage] tier = 1000000, overdue_day = 1000, contact_day = 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Triage {
    pub tier: i64,
    pub overdue_day: i64,
    pub contact_day: i64,
}

impl Default for Triage {
    fn default() -> Triage {
        Triage {
            tier: 1_000_000,
            overdue_day: 1_000,
            contact_day: 1,
        }
    }
}

/// Everything the roster needs, read in one go.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub policy: Option<Policy>,
    /// Why the chosen policy cannot be used (it does not parse or validate); None when it
    /// can, or when none is chosen.
    pub policy_error: Option<String>,
    /// The assessed term, None when no grades were imported.
    pub term: Option<Term>,
    pub entries: Vec<RosterEntry>,
    /// Students in the database (may exceed `entries` while evaluation is incomplete).
    pub student_count: usize,
    pub today: NaiveDate,
    /// Follow-up schedules in force for students not exempt today, by student id.
    pub schedules: Vec<ScheduleView>,
    pub triage: Triage,
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
    /// The warnings issued for the term, oldest first: each one's change, and withdrawals.
    pub issued: Vec<crate::db::WarningRecord>,
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
    /// The warning notice as plain text (`n`), when one was issued for the term.
    pub notice: Option<String>,
    /// When the student confirmed the warning list entry (lut-life 二.3), if they did.
    pub confirmed: Option<String>,
}

/// A change the user asked for; written by the loader thread, which owns the source.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteOp {
    /// A contact; its `next_talk`, if any, also schedules that once-off talk. A confidential
    /// one shows its text only to the student's counsellor, psych and admin.
    LogContact {
        contact: Contact,
        confidential: bool,
    },
    AddSchedule(Schedule),
    /// Approve the student's notice (`n` twice on the student page).
    ApproveNotice(String),
}

impl WriteOp {
    pub fn student_id(&self) -> &str {
        match self {
            WriteOp::LogContact { contact, .. } => &contact.student_id,
            WriteOp::AddSchedule(s) => &s.student_id,
            WriteOp::ApproveNotice(id) => id,
        }
    }
}

/// Now, on `today`'s date: the wall clock's time of day moved to `today` when `today` was
/// fixed to another day (`--today`), as the CLI does, so records still carry a time.
pub fn clock_on(today: NaiveDate) -> NaiveDateTime {
    let clock = chrono::Local::now().naive_local();
    if clock.date() == today {
        clock
    } else {
        today.and_time(clock.time())
    }
}

pub use crate::schedule::agenda::next_talk_note;

/// Where the TUI's data comes from. Called off the draw path, from a loader thread.
/// The term-end analysis and the policy that names its tiers.
pub type ReportData = (crate::analysis::effect::Analysis, Policy);

pub trait DataSource {
    /// Changes whenever the data behind the views changes (e.g. SQLite's `PRAGMA data_version`
    /// combined with a counter); polled about once a second. A write must change it.
    fn version(&self) -> u64;
    fn snapshot(&self) -> anyhow::Result<Snapshot>;
    /// [`DataSource::snapshot`], saying how far it is through `progress(done, total)` when
    /// that takes a while (a cold evaluation cache), so the first screen can show it.
    fn snapshot_with_progress(&self, progress: &dyn Fn(usize, usize)) -> anyhow::Result<Snapshot> {
        let _ = progress;
        self.snapshot()
    }
    /// None when no student has this id.
    fn student(&self, id: &str) -> anyhow::Result<Option<StudentDetail>>;
    /// The newest term-end analysis (the `r` screen), with the policy naming its tiers; None
    /// when there is none yet or the source cannot tell.
    fn report(&self) -> anyhow::Result<Option<ReportData>> {
        Ok(None)
    }
    /// Stores `op`; returns the new record's id. Read-only sources refuse.
    fn write(&mut self, op: &WriteOp) -> anyhow::Result<i64> {
        let _ = op;
        anyhow::bail!("this data source is read-only")
    }
}

/// Removes control characters and escape sequences from every imported string, once, as
/// data enters the TUI; nothing drawn afterwards can reach the terminal raw.
pub fn sanitize_snapshot(s: &mut Snapshot) {
    if let Some(e) = &mut s.policy_error {
        // Line by line: the screen shows the lines, and a newline is a control character.
        *e = e
            .lines()
            .map(|l| crate::text::sanitize(l).into_owned())
            .collect::<Vec<_>>()
            .join("\n");
    }
    if let Some(p) = &mut s.policy {
        sanitize_policy(p);
    }
    for e in &mut s.entries {
        sanitize_student(&mut e.student);
        sanitize_eval(&mut e.eval);
        if let Some(f) = &mut e.followup {
            sanitize_in_place(&mut f.label);
        }
        if let Some(x) = &mut e.exempt {
            sanitize_in_place(x);
        }
    }
    for v in &mut s.schedules {
        sanitize_in_place(&mut v.schedule.note);
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
        for w in &mut h.issued {
            if let Some((_, reason, by)) = &mut w.withdrawn {
                sanitize_in_place(reason);
                sanitize_in_place(by);
            }
        }
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
