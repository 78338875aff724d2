//! A warning's life as records: the change ids, the standing a warning holds, what an issue
//! plans and writes for a student, and what a withdrawal touched. [`crate::app::lifecycle`]
//! decides them; [`crate::db`] stores them.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Schedule, Term};
use crate::locale::Lang;

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
    /// Holds a tier or a status outcome.
    pub fn warned(&self) -> bool {
        !self.tier.is_empty() || !self.status.is_empty()
    }
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

/// What a finished issue wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub warnings: usize,
    pub created: usize,
    pub ended: usize,
    /// Students outside the issuer's scope whose warnings would change: not written.
    pub left_to_others: usize,
    /// The warning row written for each student, for scripts (`issue --format json`).
    pub warning_ids: Vec<(String, i64)>,
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
    /// Obligations of the warnings before that the withdrawn issues had ended, running again.
    pub reopened: usize,
}
