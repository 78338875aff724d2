//! The warning engine: facts in, tiers and reasons out. Pure: no SQL, no files, no terminal.

pub mod engine;
pub mod explain;
mod fitness;
pub mod format;
pub mod metrics;
pub mod obligations;
mod outcomes;
pub mod presets;
mod sittings;

pub use engine::{evaluate, evaluate_all};
pub use format::{Condition, FollowUp, Op, Policy, Threshold, Tier};
pub use outcomes::{CourseOutcome, course_outcomes, metric_value};

use serde::{Deserialize, Serialize};

use crate::model::Term;

/// Changes whenever the engine may read the same facts differently: part of every cached
/// evaluation's key, so no tier computed by an earlier version survives an upgrade.
pub const ENGINE_VERSION: u32 = 2;

/// A course named in a reason: the courses behind a condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseRef {
    pub code: String,
    pub name: String,
    /// The term of the sitting the condition read (the first sitting, for outstanding courses).
    pub term: Term,
    pub credits: f64,
    /// The result that decided the outcome (best attempt counted by the metric).
    pub result: String,
    /// Every sitting behind the result, oldest first, so the arithmetic can be checked by hand.
    #[serde(default)]
    pub sittings: Vec<SittingRef>,
    /// Set when a counsellor cleared the course by hand: their reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleared: Option<String>,
}

/// One sitting of a course: `2023-2024-1 正考 40`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SittingRef {
    /// `regular`, `makeup`, `retake` or `deferred`.
    pub kind: String,
    /// 1 for 补考一, 2 for 补考二, 3 for a late makeup; 1 otherwise.
    pub sitting: u8,
    /// The term the sitting was sat in, as the registrar dated it.
    pub term: Term,
    pub result: String,
}

/// One fitness record behind a fitness reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitnessRef {
    pub term: Term,
    /// The score or word (不及格 …), or 未达到 for the graduation requirement.
    pub result: String,
}

/// A metric's value: a count or credit sum, or yes/no for flags and 毕业要求.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Number(f64),
    Bool(bool),
}

impl Default for Value {
    fn default() -> Value {
        Value::Number(0.0)
    }
}

/// The other count of failed courses, shown when it differs (`count = "historical"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlsoCount {
    pub metric: String,
    pub value: f64,
}

/// One condition that held.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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
    /// Credits earned: the courses counted as earned while their result is pending.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<CourseRef>,
    /// Fitness: each record behind the value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<FitnessRef>,
    /// Status reasons (hntou): which outcome the line is for, `repeat_year` or `dismissal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The other count of failed courses when it gives another number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub also: Option<AlsoCount>,
    /// Courses that would count but a counsellor cleared by hand (`yujing course clear`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cleared: Vec<CourseRef>,
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
    /// The term still has missing or deferred results: the tier may change when they arrive.
    #[serde(default)]
    pub provisional: bool,
    /// Those courses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<CourseRef>,
    pub reasons: Vec<Reason>,
    pub status_reasons: Vec<Reason>,
    /// Courses a rule of the policy could not see (no nature, no assessment).
    #[serde(default, skip_serializing_if = "metrics::Unseen::is_empty")]
    pub unseen: metrics::Unseen,
}

pub use presets::{PRESETS, PolicyError, preset_text};
// Reading a policy file lives at the edge (`policy_file`); the name stays here for callers.

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
            provisional: false,
            pending: Vec::new(),
            reasons: Vec::new(),
            status_reasons: Vec::new(),
            unseen: metrics::Unseen::default(),
        }
    }
}
