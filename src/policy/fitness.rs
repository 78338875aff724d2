//! Fitness metrics: the run of failed tests, one a year.

use std::cmp::Ordering;

use crate::model::FitnessRecord;

use super::FitnessRef;
use super::metrics::TermView;

impl TermView<'_> {
    /// `Some(true)` failed, `Some(false)` passed, None: not a test result.
    pub(super) fn fitness_failed(&self, r: &FitnessRecord) -> Option<bool> {
        if let Some(s) = r.score {
            return Some(s < self.fitness_pass_mark);
        }
        match r.word.as_deref().map(str::trim) {
            Some("不及格" | "不合格") => Some(true),
            Some("优秀" | "良好" | "及格" | "合格") => Some(false),
            _ => None,
        }
    }

    /// The fitness tests failed in a row, latest first, back to the last passed one. One test
    /// per academic year: the year's latest record (a retest, 补测) replaces the earlier.
    pub(super) fn fitness_streak(&self) -> Vec<FitnessRef> {
        let mut tests: Vec<(&FitnessRecord, bool)> = self
            .facts
            .fitness
            .iter()
            .filter(|r| r.term.folded() <= self.term)
            .filter_map(|r| self.fitness_failed(r).map(|f| (r, f)))
            .collect();
        // Two records of one term (not in a database, where a term holds one): the failed one
        // is read as the later, as 未达到 wins for the graduation requirement.
        tests.sort_by(|(a, fa), (b, fb)| {
            (a.term, fa)
                .cmp(&(b.term, fb))
                .then(a.score.partial_cmp(&b.score).unwrap_or(Ordering::Equal))
                .then(a.word.cmp(&b.word))
        });
        let mut streak = Vec::new();
        let mut year = None;
        for (r, failed) in tests.into_iter().rev() {
            if year == Some(r.term.year) {
                continue; // an earlier record of a year whose latest is already read
            }
            year = Some(r.term.year);
            if !failed {
                break;
            }
            streak.push(FitnessRef {
                term: r.term,
                result: match (r.score, &r.word) {
                    (Some(s), _) => super::explain::num(s),
                    (None, Some(w)) => w.clone(),
                    (None, None) => String::new(),
                },
            });
        }
        streak
    }
}
