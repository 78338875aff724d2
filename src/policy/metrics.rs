use serde::Serialize;

use crate::model::{Assessment, Nature, StudentFacts, Term};

/// One course's standing for the student page: every sitting and whether it is still failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseOutcome {
    pub code: String,
    pub name: String,
    /// Term of the first sitting.
    pub term: Term,
    pub credits: f64,
    pub nature: Option<Nature>,
    pub assessment: Option<Assessment>,
    /// First sitting result (正考, or the 缓考 sitting standing in for it).
    pub regular: Option<String>,
    pub makeup: Option<String>,
    pub retake: Option<String>,
    /// Some(true) passed so far, Some(false) still failed, None pending.
    pub passed_so_far: Option<bool>,
    /// Failed at some sitting up to the term.
    pub ever_failed: bool,
}

/// Every course the student sat up to `term`, oldest first.
pub fn course_outcomes(_facts: &StudentFacts, _term: Term, _pass_mark: f64) -> Vec<CourseOutcome> {
    todo!()
}
