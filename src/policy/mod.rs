//! The warning engine: facts in, tiers and reasons out. Pure: no SQL, no files, no terminal.

pub mod engine;
pub mod explain;
pub mod format;
pub mod metrics;
pub mod presets;

pub use engine::{evaluate, evaluate_all};
pub use format::{Condition, ContactKind, FollowUp, Op, Policy, Role, Threshold, Tier};
pub use metrics::{CourseOutcome, course_outcomes};

use serde::{Deserialize, Serialize};

use crate::model::Term;

/// A course named in a reason: the courses behind a condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseRef {
    pub code: String,
    pub name: String,
    pub term: Term,
    pub credits: f64,
    /// The result that decided the outcome (best attempt counted by the metric).
    pub result: String,
}

/// A metric's value: a count or credit sum, or yes/no for flags and 毕业要求.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Number(f64),
    Bool(bool),
}

/// One condition that held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// Tier id (or status id, in `status_reasons`).
    pub tier: String,
    pub metric: String,
    pub value: Value,
    pub op: String,
    pub threshold: Threshold,
    pub courses: Vec<CourseRef>,
    /// Set when the tier is kept from an earlier term's warning (lut-life's carry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<Term>,
    /// The condition's course filters: `required`, `exclude:general_elective`, `exam`,
    /// `regular_sitting` …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<String>,
    /// The regulation's own words for the condition.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The engine's answer for one student and one term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub student_id: String,
    pub term: Term,
    /// Index into `policy.tiers` of the tier that applies, or None.
    #[serde(skip)]
    pub tier_index: Option<usize>,
    /// Tier id, or None.
    pub tier: Option<String>,
    /// 0 none, 1 least severe …
    pub severity: u32,
    /// The most severe status outcome only (`repeat_year`, `dismissal`), or empty.
    pub status: Vec<String>,
    pub carried: bool,
    pub reasons: Vec<Reason>,
    pub status_reasons: Vec<Reason>,
}

pub use presets::{PRESETS, PolicyError, preset_text};
// Reading a policy file lives at the edge (`policy_file`); the name stays here for callers.
pub use crate::policy_file::resolve;

impl Evaluation {
    /// No tier, no status, no reasons: a student nothing was found against.
    pub fn none(student_id: &str, term: Term) -> Evaluation {
        Evaluation {
            student_id: student_id.to_string(),
            term,
            tier_index: None,
            tier: None,
            severity: 0,
            status: Vec::new(),
            carried: false,
            reasons: Vec::new(),
            status_reasons: Vec::new(),
        }
    }
}
