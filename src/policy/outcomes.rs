//! The student page's view of every course: each sitting and whether it is still failed.

use serde::Serialize;

use crate::model::{Assessment, Attempt, AttemptKind, Nature, StudentFacts, Term};

use super::SittingRef;
use super::metrics::{TermView, sitting_ref};
use super::sittings::{Sitting, passed};

impl TermView<'_> {
    /// Every course up to the term, for the student page.
    pub fn outcomes(&self) -> Vec<CourseOutcome> {
        let mut out: Vec<CourseOutcome> = self
            .courses
            .iter()
            .filter(|c| self.sittings_upto(c).next().is_some())
            .map(|c| {
                let d = c.descriptor;
                let first = self.first_sitting(c);
                let last_kind = |k: &dyn Fn(&Attempt) -> bool| {
                    self.sittings_upto(c)
                        .flat_map(Sitting::attempts)
                        .filter(|a| k(a))
                        .last()
                        .map(|a| a.result.to_string())
                };
                let so_far = passed(self.best_so_far(c), self.pass_mark);
                CourseOutcome {
                    code: d.course_code.to_string(),
                    name: d.course_name.to_string(),
                    term: first.map_or(d.term, |s| s.term),
                    credits: Self::credits(c),
                    nature: d.nature.clone(),
                    assessment: d.assessment,
                    regular: first.and_then(|s| s.first()).map(|a| a.result.to_string()),
                    makeup: last_kind(&|a| a.kind.is_makeup()),
                    retake: last_kind(&|a| a.kind == AttemptKind::Retake),
                    passed_so_far: if c.cleared.is_some() {
                        Some(true)
                    } else {
                        so_far
                    },
                    ever_failed: self
                        .sittings_upto(c)
                        .flat_map(Sitting::attempts)
                        .any(|a| a.mark.passed(self.pass_mark) == Some(false)),
                    sittings: self
                        .sittings_upto(c)
                        .flat_map(Sitting::attempts)
                        .map(sitting_ref)
                        .collect(),
                    cleared: c.cleared.map(|cl| cl.reason.clone()),
                }
            })
            .collect();
        out.sort_by(|a, b| a.term.cmp(&b.term).then(a.code.cmp(&b.code)));
        out
    }
}

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
    /// Some(true) passed so far (or cleared by hand), Some(false) still failed, None pending.
    pub passed_so_far: Option<bool>,
    /// Failed at some sitting up to the term.
    pub ever_failed: bool,
    /// Every sitting up to the term, oldest first.
    pub sittings: Vec<SittingRef>,
    /// The reason given when a counsellor cleared the course by hand.
    pub cleared: Option<String>,
}

/// Every course the student sat up to `term`, oldest first.
pub fn course_outcomes(facts: &StudentFacts, term: Term, pass_mark: f64) -> Vec<CourseOutcome> {
    if facts.is_sorted() {
        return TermView::new(facts, term, pass_mark, pass_mark).outcomes();
    }
    let mut sorted = facts.clone();
    sorted.sort_attempts();
    TermView::new(&sorted, term, pass_mark, pass_mark).outcomes()
}
