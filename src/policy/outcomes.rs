//! What views and documents read of a student's courses: the student page's view of every
//! course (each sitting and whether it is still failed), and a metric's number on its own.

use serde::Serialize;

use crate::model::{Assessment, Attempt, AttemptKind, Nature, StudentFacts, Term};

use super::SittingRef;
use super::format::{Condition, Op, Threshold};
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

/// What a metric reads for `facts` in `term`, exactly as a condition on it would (summer terms
/// folded, retakes and pending courses counted as the metric counts them), for documents that
/// print the number (本学期所获学分, 本学期旷课学时): None when the metric is not assessed,
/// is not a number, or is unknown.
pub fn metric_value(facts: &StudentFacts, term: Term, pass_mark: f64, metric: &str) -> Option<f64> {
    let cond = Condition {
        metric: metric.to_string(),
        op: Op::Ge,
        threshold: Threshold::Number(0.0),
        nature: Vec::new(),
        exclude_nature: Vec::new(),
        assessment: None,
        sitting: None,
        count: None,
        note: String::new(),
    };
    let measure = |f: &StudentFacts| TermView::new(f, term, pass_mark, pass_mark).measure(&cond);
    let m = if facts.is_sorted() {
        measure(facts)
    } else {
        let mut sorted = facts.clone();
        sorted.sort_attempts();
        measure(&sorted)
    }?;
    match m.value {
        super::Value::Number(v) => Some(v),
        super::Value::Bool(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metric_reads_as_a_condition_on_it_does() {
        let term = |s: &str| s.parse::<Term>().unwrap();
        let facts = StudentFacts {
            absences: vec![
                (term("2024-2025-2"), 4.0),
                (term("2024-2025-3"), 5.0),
                (term("2025-2026-1"), 8.0),
            ],
            ..StudentFacts::default()
        };
        let t = term("2024-2025-2");
        assert_eq!(
            metric_value(&facts, t, 60.0, "term_absence_hours"),
            Some(9.0)
        );
        assert_eq!(
            metric_value(&facts, t, 60.0, "flag:psychological"),
            None,
            "yes/no"
        );
        assert_eq!(metric_value(&facts, t, 60.0, "no_such_metric"), None);
    }
}
