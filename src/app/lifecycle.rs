//! A warning's life across terms: what changed for each student at an issue, which policy
//! obligations begin, continue or end, and the withdrawal of a mistaken issue.
//!
//! A warning issued for term T holds until the next issue, an exemption or a withdrawal. At
//! the next issue each student's [`Change`] is computed against the warning they hold:
//!
//! * `lifted` ends every open policy obligation that day;
//! * `same` keeps them: a repeating obligation is never doubled, a one-off (first talk,
//!   notice, receipt) is not created again;
//! * `new`, `up`, `down` (and the status outcomes) begin the new tier's obligations and end
//!   those of the old tier the new one lacks.
//!
//! Manual schedules (`schedule add`, agreed next talks) are never touched: only policy
//! obligations are read into a [`Snapshot`].

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::db::{Db, IssuedWarning};
use crate::followup::{Schedule, Source};
use crate::locale::Lang;
use crate::model::{Student, Term};
use crate::policy::{ContactKind, Evaluation, Policy};
use crate::schedule::Cadence;

/// How a student's warning changed from one issue to the next (or what ended it). The ids
/// are the same everywhere: issue output, report JSON, the term-end analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    New,
    Up,
    Down,
    Same,
    Lifted,
    RepeatYear,
    Dismissal,
    Exempt,
    Withdrawn,
}

impl Change {
    pub const ALL: [Change; 9] = [
        Change::New,
        Change::Up,
        Change::Down,
        Change::Same,
        Change::Lifted,
        Change::RepeatYear,
        Change::Dismissal,
        Change::Exempt,
        Change::Withdrawn,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Up => "up",
            Change::Down => "down",
            Change::Same => "same",
            Change::Lifted => "lifted",
            Change::RepeatYear => "repeat_year",
            Change::Dismissal => "dismissal",
            Change::Exempt => "exempt",
            Change::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Change::New => lang.pick("新预警", "new"),
            Change::Up => lang.pick("升级", "up"),
            Change::Down => lang.pick("降级", "down"),
            Change::Same => lang.pick("维持", "same"),
            Change::Lifted => lang.pick("解除", "lifted"),
            Change::RepeatYear => lang.pick("留级", "repeat year"),
            Change::Dismissal => lang.pick("退学", "dismissal"),
            Change::Exempt => lang.pick("免予", "exempt"),
            Change::Withdrawn => lang.pick("撤回", "withdrawn"),
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Change {
    type Err = String;
    fn from_str(s: &str) -> Result<Change, String> {
        Change::ALL
            .into_iter()
            .find(|c| c.id() == s)
            .ok_or_else(|| format!("'{s}' is not a change id"))
    }
}

/// A student's warning as issued or as evaluated: tier id (empty: not warned), its severity
/// and the status outcomes (留级, 退学).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Standing {
    pub tier: String,
    pub severity: u32,
    pub status: Vec<String>,
}

impl Standing {
    pub fn of(e: &Evaluation) -> Standing {
        Standing {
            tier: e.tier.clone().unwrap_or_default(),
            severity: e.severity,
            status: e.status.clone(),
        }
    }

    fn warned(&self) -> bool {
        !self.tier.is_empty() || !self.status.is_empty()
    }
}

/// The change from `prev` (the warning held, if any) to `next`; `None` when the student was
/// not warned and is not now (nothing to record). A status outcome newly reached wins over
/// the tier's movement: it is what the student and parents must hear first.
pub fn change_of(prev: Option<&Standing>, next: &Standing, exempt: bool) -> Option<Change> {
    let was = prev.is_some_and(Standing::warned);
    if !was && !next.warned() {
        return None;
    }
    if exempt && next.warned() {
        return Some(Change::Exempt);
    }
    let gained = |id: &str| {
        next.status.iter().any(|s| s == id)
            && !prev.is_some_and(|p| p.status.iter().any(|s| s == id))
    };
    if gained("dismissal") {
        return Some(Change::Dismissal);
    }
    if gained("repeat_year") {
        return Some(Change::RepeatYear);
    }
    let Some(prev) = prev.filter(|_| was) else {
        return Some(Change::New);
    };
    Some(if !next.warned() {
        Change::Lifted
    } else if next.severity > prev.severity {
        Change::Up
    } else if next.severity < prev.severity {
        Change::Down
    } else {
        Change::Same
    })
}

/// The warning a student holds: their latest issued warning that was not withdrawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub warning_id: i64,
    pub term: Term,
    pub standing: Standing,
}

/// What an issue decides from: the warnings held and the open policy obligations, read in
/// one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub held: HashMap<String, Held>,
    /// Policy obligations neither cancelled nor ended, by student.
    pub open: HashMap<String, Vec<Schedule>>,
}

/// What one issue does for one student.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentPlan {
    pub student_id: String,
    pub name: String,
    pub change: Change,
    /// Tier held before (empty: none).
    pub from_tier: String,
    pub warning: IssuedWarning,
    /// Open obligations that end on the issue date.
    pub end: Vec<i64>,
    /// Open obligations that continue under the new warning.
    pub keep: Vec<i64>,
    pub create: Vec<Schedule>,
}

/// Who an obligation is: a repeating talk of the same kind, role, cadence and wording is the
/// same obligation in the old tier and the new one, so it continues instead of doubling.
fn key(s: &Schedule) -> (ContactKind, Option<crate::policy::Role>, Cadence, &str) {
    (s.kind, s.role, s.cadence, s.note.as_str())
}

/// Everything needed to plan one issue.
pub struct IssueInput<'a> {
    pub policy: &'a Policy,
    pub term: Term,
    pub rows: &'a [(Student, Evaluation)],
    pub exempt: &'a HashSet<String>,
    pub on: NaiveDate,
    pub lang: Lang,
}

/// The per-student plans of an issue, by student id. Empty when nothing would change.
pub fn plan(input: &IssueInput<'_>, snap: &Snapshot) -> anyhow::Result<Vec<StudentPlan>> {
    let mut out = Vec::new();
    for (s, e) in input.rows {
        let next = Standing::of(e);
        let held = snap.held.get(&s.student_id);
        if held.is_some_and(|h| h.term == input.term && h.standing == next) {
            continue; // already issued as it stands: a second run writes nothing
        }
        let prev = held.map(|h| &h.standing);
        let Some(change) = change_of(prev, &next, input.exempt.contains(&s.student_id)) else {
            continue;
        };
        let open = snap.open.get(&s.student_id).map_or(&[][..], Vec::as_slice);
        // The policy's obligations as an issue records them (delivery and receipt clocks
        // wait for the notice's approval).
        let issue = crate::roster::issue_of(input.policy, e, input.on, input.lang)?;
        let desired = issue.schedules;
        let mut p = StudentPlan {
            student_id: s.student_id.clone(),
            name: s.name.clone(),
            change,
            from_tier: prev.map(|p| p.tier.clone()).unwrap_or_default(),
            warning: issue.warning,
            end: Vec::new(),
            keep: Vec::new(),
            create: Vec::new(),
        };
        let wanted: HashSet<_> = desired.iter().map(key).collect();
        let have: HashSet<_> = open.iter().map(key).collect();
        for o in open {
            if change == Change::Same || wanted.contains(&key(o)) {
                p.keep.push(o.id);
            } else {
                p.end.push(o.id);
            }
        }
        p.create = desired
            .iter()
            .filter(|d| !have.contains(&key(d)))
            .filter(|d| change != Change::Same || !matches!(d.cadence, Cadence::Once(_)))
            .cloned()
            .collect();
        if let Some(n) = notice_of_change(input, &p) {
            p.create.push(n);
        }
        out.push(p);
    }
    out.sort_by(|a, b| a.student_id.cmp(&b.student_id));
    Ok(out)
}

/// Seed 001 第六条(五): the parent contact a tier change owes (policy key
/// `notify_tier_change`), unless the new tier's own obligations already begin one.
fn notice_of_change(input: &IssueInput<'_>, p: &StudentPlan) -> Option<Schedule> {
    let n = input.policy.notify_tier_change.as_ref()?;
    if matches!(p.change, Change::Same | Change::Exempt | Change::Withdrawn) {
        return None;
    }
    let owed = |s: &Schedule| s.kind == ContactKind::ParentContact && s.role == Some(n.role);
    if p.create.iter().any(owed) {
        return None;
    }
    let lang = input.lang;
    Some(Schedule {
        id: 0,
        student_id: p.student_id.clone(),
        kind: ContactKind::ParentContact,
        role: Some(n.role),
        cadence: Cadence::Once(n.within_days),
        from: input.on,
        until: None,
        source: Source::Policy,
        note: format!(
            "{}{}",
            lang.pick(
                "预警级别变化告知学生本人及家长：",
                "tier change told to the student and parents: "
            ),
            p.change.label(lang)
        ),
        ended: None,
    })
}

/// Counts of an issue's changes, in [`Change::ALL`] order, with the students of each.
pub fn by_change(plans: &[StudentPlan]) -> Vec<(Change, Vec<&StudentPlan>)> {
    Change::ALL
        .into_iter()
        .map(|c| {
            (
                c,
                plans.iter().filter(|p| p.change == c).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, ps)| !ps.is_empty())
        .collect()
}

/// What a finished issue wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub warnings: usize,
    pub created: usize,
    pub ended: usize,
    /// The warning row written for each student, for scripts (`issue --format json`).
    pub warning_ids: Vec<(String, i64)>,
}

/// The answer to "write this?": yes, or no (nothing is written).
pub enum Answer {
    Yes,
    No,
}

/// How an issue run ended.
pub enum Outcome {
    /// Nothing would change.
    Nothing,
    Declined,
    Done(Vec<StudentPlan>, Written),
}

/// Issues: plans from a read snapshot, asks (`ask` gets the plans and whether they changed
/// since the last question), then re-reads and writes under the write lock. If the plans
/// differ under the lock, `confirmed_again` decides: with it (--yes) the plans seen under the
/// lock are written; without it the lock is released and the new plans asked about again, so
/// the lock is never held while a person reads.
pub fn issue(
    db: &mut Db,
    input: &IssueInput<'_>,
    by: &str,
    now: NaiveDateTime,
    yes: bool,
    ask: &mut dyn FnMut(&[StudentPlan], bool) -> anyhow::Result<Answer>,
) -> anyhow::Result<Outcome> {
    let mut shown = plan(input, &db.lifecycle_snapshot()?)?;
    let mut again = false;
    loop {
        if shown.is_empty() {
            return Ok(Outcome::Nothing);
        }
        if let Answer::No = ask(&shown, again)? {
            return Ok(Outcome::Declined);
        }
        let tx = db.begin_lifecycle()?;
        let seen = plan(input, &tx.snapshot()?)?;
        if seen != shown && !yes {
            drop(tx);
            shown = seen;
            again = true;
            continue;
        }
        if seen.is_empty() {
            return Ok(Outcome::Nothing);
        }
        let written = tx.apply(&seen, by, now)?;
        tx.commit()?;
        return Ok(Outcome::Done(seen, written));
    }
}

/// A withdrawal: the term's warnings (or some students' of them) marked withdrawn with the
/// date and reason, their open obligations ended.
pub struct Withdrawal<'a> {
    pub term: Term,
    /// Empty: every student warned for the term.
    pub students: &'a [String],
    pub reason: &'a str,
    pub on: NaiveDate,
    pub by: &'a str,
}

/// What a withdrawal would touch (read now) or touched (under the lock).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Withdrawn {
    /// (student id, tier) of each warning withdrawn.
    pub warnings: Vec<(String, String)>,
    pub ended: usize,
}

/// Student ids from repeatable `--student` values that may hold comma lists.
pub fn student_list(args: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in args.iter().flat_map(|a| a.split([',', '，'])) {
        let id = id.trim();
        if !id.is_empty() && !out.iter().any(|x| x == id) {
            out.push(id.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(tier: &str, severity: u32, status: &[&str]) -> Standing {
        Standing {
            tier: tier.into(),
            severity,
            status: status.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn changes_follow_the_tier_and_the_status_outcomes() {
        let none = st("", 0, &[]);
        let y = st("yellow", 1, &[]);
        let r = st("red", 3, &[]);
        assert_eq!(change_of(None, &none, false), None);
        assert_eq!(change_of(Some(&none), &none, false), None);
        assert_eq!(change_of(None, &y, false), Some(Change::New));
        assert_eq!(change_of(Some(&none), &y, false), Some(Change::New));
        assert_eq!(change_of(Some(&y), &r, false), Some(Change::Up));
        assert_eq!(change_of(Some(&r), &y, false), Some(Change::Down));
        assert_eq!(change_of(Some(&y), &y, false), Some(Change::Same));
        assert_eq!(change_of(Some(&y), &none, false), Some(Change::Lifted));
        assert_eq!(change_of(Some(&y), &y, true), Some(Change::Exempt));
        let ry = st("red", 3, &["repeat_year"]);
        assert_eq!(change_of(Some(&y), &ry, false), Some(Change::RepeatYear));
        assert_eq!(
            change_of(Some(&ry), &ry, false),
            Some(Change::Same),
            "a status already held is no change"
        );
        assert_eq!(
            change_of(Some(&ry), &st("red", 3, &["dismissal"]), false),
            Some(Change::Dismissal)
        );
    }

    #[test]
    fn change_ids_are_snake_case_and_round_trip() {
        for c in Change::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.id()));
            assert_eq!(c.id().parse::<Change>().unwrap(), c);
            assert_ne!(c.label(Lang::Zh), c.label(Lang::En));
        }
        assert_eq!(Change::RepeatYear.id(), "repeat_year");
    }

    #[test]
    fn student_lists_split_commas_and_drop_repeats() {
        let a = vec!["1, 2".to_string(), "3".into(), "2，4".into(), " ".into()];
        assert_eq!(student_list(&a), vec!["1", "2", "3", "4"]);
    }
}
