//! The metrics of policies.md, computed from one student's facts for one assessed term.
//!
//! A course is identified by student and course code. Its attempts are arranged into
//! *sittings*: one per regular sitting (a student who repeats a year sits a course again as
//! 正考 in a later term), one per retake (重修), each with the makeups and the deferred sitting
//! that belong to it. A makeup belongs to its course's most recent sitting at or before its
//! own term (registrars often date a makeup in the term it was sat, the start of the next),
//! or, when the file gave the course's term (强智's 开课学期), to that term's sitting; a
//! makeup of a retake (重修补考) to the retake. An attached makeup counts for its sitting's
//! term. A summer term is read as term 2 of its year by every `term_*` metric.

use std::rc::Rc;

use serde::Serialize;

use crate::model::{Assessment, Attempt, AttemptKind, FitnessRecord, Nature, StudentFacts, Term};

use super::format::{Condition, Count, Sitting as SittingFilter};
use super::sittings::{Course, SitKind, Sitting, best, build_sittings, passed};
use super::{CourseRef, FitnessRef, SittingRef, Value};

/// Every metric name the engine knows, with whether it is yes/no.
pub const METRICS: &[(&str, bool)] = &[
    ("term_failed_regular", false),
    ("term_failed_after_makeup", false),
    ("outstanding_failed_courses", false),
    ("outstanding_failed_credits", false),
    ("historical_failed_courses", false),
    ("term_credits_earned", false),
    ("term_absence_hours", false),
    ("fitness_failed_count", false),
    ("fitness_graduation_unmet", true),
    ("flag:discipline", true),
    ("flag:wellbeing", true),
    ("flag:psychological", true),
];

/// Metrics that look at courses, and so take course filters.
pub fn takes_course_filters(metric: &str) -> bool {
    matches!(
        metric,
        "term_failed_regular"
            | "term_failed_after_makeup"
            | "outstanding_failed_courses"
            | "outstanding_failed_credits"
            | "historical_failed_courses"
            | "term_credits_earned"
    )
}

pub fn is_known(metric: &str) -> Option<bool> {
    METRICS.iter().find(|(m, _)| *m == metric).map(|(_, b)| *b)
}

/// A metric's course filters (nature, assessment, sitting), as set on a condition.
#[derive(Debug, Clone, Copy)]
pub struct Filters<'c> {
    cond: &'c Condition,
}

impl Filters<'_> {
    fn nature_ok(&self, nature: Option<&Nature>) -> bool {
        let c = self.cond;
        // A course with no nature (or one the school has not mapped) matches no "only X"
        // filter and is not removed by an "excluding X" one.
        if !c.nature.is_empty() && !nature.is_some_and(|n| c.nature.iter().any(|f| f.matches(n))) {
            return false;
        }
        !nature.is_some_and(|n| c.exclude_nature.iter().any(|f| f.matches(n)))
    }
    fn assessment_ok(&self, a: Option<Assessment>) -> bool {
        self.cond.assessment.is_none() || a == self.cond.assessment
    }
    fn sitting_ok(&self, first_was_deferred: bool) -> bool {
        !(self.cond.sitting == Some(SittingFilter::Regular) && first_was_deferred)
    }
    fn course_ok(&self, d: &Attempt, first_was_deferred: bool) -> bool {
        self.nature_ok(d.nature.as_ref())
            && self.assessment_ok(d.assessment)
            && self.sitting_ok(first_was_deferred)
    }
}

/// A student's facts arranged for one assessed term; metrics are read from it.
pub struct TermView<'a> {
    pub(super) facts: &'a StudentFacts,
    pub(super) term: Term,
    pub(super) pass_mark: f64,
    pub(super) fitness_pass_mark: f64,
    /// The sittings do not depend on the term: views of other terms share them.
    pub(super) courses: Rc<[Course<'a>]>,
    /// Whether any attempt failed. Most students never fail a course, and then no count of
    /// failed courses (in a term, still failing, ever failed, cleared by hand) can name one:
    /// each needs a failed result to stand on, so their walks over every course are skipped.
    any_failed: bool,
}

/// What a metric measured. `None` = not assessed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Measure {
    pub value: Value,
    pub courses: Vec<CourseRef>,
    /// Credits earned: the courses counted as earned while their result is pending.
    pub pending: Vec<CourseRef>,
    /// Fitness: the records behind the value.
    pub records: Vec<FitnessRef>,
    /// The other way of counting failed courses, when it gives another number.
    pub also: Option<(String, f64)>,
    /// Courses that would count but a counsellor cleared by hand.
    pub cleared: Vec<CourseRef>,
}

fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

pub(super) fn sitting_ref(a: &Attempt) -> SittingRef {
    SittingRef {
        kind: a.kind.id().to_string(),
        sitting: a.sitting,
        term: a.term,
        result: a.result.to_string(),
    }
}

/// Courses that fail to count as what they are: no nature a rule can read, or no assessment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Unseen {
    pub nature: u32,
    pub assessment: u32,
}

impl Unseen {
    pub fn is_empty(&self) -> bool {
        self.nature == 0 && self.assessment == 0
    }
}

impl<'a> TermView<'a> {
    pub fn new(
        facts: &'a StudentFacts,
        term: Term,
        pass_mark: f64,
        fitness_pass_mark: f64,
    ) -> Self {
        debug_assert!(
            facts.is_sorted(),
            "TermView needs attempts in canonical order"
        );
        let mut courses = Vec::new();
        let mut counted: Vec<&Attempt> = Vec::new();
        for chunk in facts
            .attempts
            .chunk_by(|a, b| a.course_code == b.course_code)
        {
            counted.clear();
            counted.extend(chunk.iter().filter(|a| !a.minor));
            let Some(first) = counted.first() else {
                continue;
            };
            let descriptor = counted
                .iter()
                .find(|a| a.kind == AttemptKind::Regular)
                .copied()
                .unwrap_or(first);
            let sittings = build_sittings(&counted);
            let code: &str = &chunk[0].course_code;
            courses.push(Course {
                code,
                descriptor,
                sittings,
                cleared: facts.cleared.iter().find(|c| c.course_code == code),
                best_upto: std::cell::Cell::new(None),
            });
        }
        TermView {
            facts,
            term: term.folded(),
            pass_mark,
            fitness_pass_mark,
            courses: courses.into(),
            any_failed: facts
                .attempts
                .iter()
                .any(|a| a.mark.passed(pass_mark) == Some(false)),
        }
    }

    /// The same facts read for another term, without arranging the sittings again (the carry
    /// rule reads every earlier term).
    pub fn at(&self, term: Term) -> TermView<'a> {
        TermView {
            facts: self.facts,
            term: term.folded(),
            pass_mark: self.pass_mark,
            fitness_pass_mark: self.fitness_pass_mark,
            courses: Rc::clone(&self.courses),
            any_failed: self.any_failed,
        }
    }

    pub fn term(&self) -> Term {
        self.term
    }

    /// Whether a sitting counts for the assessed term (a summer sitting is term 2's).
    pub(super) fn upto(&self, s: &Sitting<'_>) -> bool {
        s.term.folded() <= self.term
    }

    fn of_term(&self, s: &Sitting<'_>) -> bool {
        s.kind == SitKind::Regular && s.term.folded() == self.term
    }

    pub(super) fn credits(c: &Course<'_>) -> f64 {
        if c.descriptor.credits > 0.0 {
            c.descriptor.credits
        } else {
            c.sittings
                .iter()
                .flat_map(Sitting::attempts)
                .map(|a| a.credits)
                .fold(0.0, f64::max)
        }
    }

    /// The course's sittings that count up to T.
    pub(super) fn sittings_upto<'s>(
        &'s self,
        c: &'s Course<'a>,
    ) -> impl Iterator<Item = &'s Sitting<'a>> {
        c.sittings.iter().filter(move |s| self.upto(s))
    }

    /// Best result so far: None while nothing has a result.
    pub(super) fn best_so_far(&self, c: &Course<'a>) -> Option<&'a Attempt> {
        if let Some((t, b)) = c.best_upto.get()
            && t == self.term
        {
            return b;
        }
        let b = best(
            self.sittings_upto(c).flat_map(|s| {
                s.first()
                    .into_iter()
                    .chain(s.makeups.iter().copied())
                    .chain(s.deferred)
            }),
            self.pass_mark,
        );
        c.best_upto.set(Some((self.term, b)));
        b
    }

    pub(super) fn first_sitting<'s>(&'s self, c: &'s Course<'a>) -> Option<&'s Sitting<'a>> {
        self.sittings_upto(c).find(|s| s.kind == SitKind::Regular)
    }

    fn course_ref(
        &self,
        c: &Course<'a>,
        term: Term,
        result: Option<&Attempt>,
        sittings: &mut dyn Iterator<Item = &'a Attempt>,
    ) -> CourseRef {
        let d = c.descriptor;
        let mut sittings: Vec<&Attempt> = sittings.collect();
        sittings.sort_by(|a, b| a.term.cmp(&b.term).then(a.canonical_order(b)));
        CourseRef {
            code: d.course_code.to_string(),
            name: d.course_name.to_string(),
            term,
            credits: Self::credits(c),
            result: result.map_or(&d.result, |a| &a.result).to_string(),
            sittings: sittings.into_iter().map(sitting_ref).collect(),
            cleared: None,
        }
    }

    /// A course named for one sitting of T: that sitting's attempts.
    fn sitting_ref(&self, c: &Course<'a>, s: &Sitting<'a>, result: Option<&Attempt>) -> CourseRef {
        self.course_ref(c, s.term, result, &mut s.attempts())
    }

    /// A course named for its whole history up to T.
    fn history_ref(&self, c: &Course<'a>, result: Option<&Attempt>) -> CourseRef {
        let term = self.first_sitting(c).map_or(c.descriptor.term, |s| s.term);
        self.course_ref(
            c,
            term,
            result,
            &mut self.sittings_upto(c).flat_map(Sitting::attempts),
        )
    }

    /// Measures `cond.metric` with `cond`'s course filters.
    pub fn measure(&self, cond: &Condition) -> Option<Measure> {
        let f = Filters { cond };
        let number = |v: f64, courses: Vec<CourseRef>| Measure {
            value: Value::Number(round(v)),
            courses,
            ..Measure::default()
        };
        let historical = cond.count == Some(Count::Historical);
        Some(match cond.metric.as_str() {
            "term_failed_regular" => {
                let refs = self.term_failed(f, false);
                number(refs.len() as f64, refs)
            }
            "term_failed_after_makeup" => {
                let refs = self.term_failed(f, true);
                number(refs.len() as f64, refs)
            }
            "outstanding_failed_courses" | "historical_failed_courses" => {
                let historical = historical || cond.metric == "historical_failed_courses";
                let (refs, other, other_metric) = if historical {
                    (
                        self.historical(f),
                        self.outstanding(f).len(),
                        "outstanding_failed_courses",
                    )
                } else {
                    (
                        self.outstanding(f),
                        self.historical(f).len(),
                        "historical_failed_courses",
                    )
                };
                let n = refs.len();
                let mut m = number(n as f64, refs);
                if other != n {
                    m.also = Some((other_metric.to_string(), other as f64));
                }
                if !historical {
                    m.cleared = self.cleared_by_hand(f);
                }
                m
            }
            "outstanding_failed_credits" => {
                let refs = if historical {
                    self.historical(f)
                } else {
                    self.outstanding(f)
                };
                number(refs.iter().map(|r| r.credits).sum(), refs)
            }
            "term_credits_earned" => return self.term_credits_earned(f),
            "term_absence_hours" => {
                let h: f64 = self
                    .facts
                    .absences
                    .iter()
                    .filter(|(t, _)| t.folded() == self.term)
                    .map(|(_, h)| h)
                    .sum();
                number(h, Vec::new())
            }
            "fitness_failed_count" => {
                let records = self.fitness_streak();
                Measure {
                    value: Value::Number(records.len() as f64),
                    records,
                    ..Measure::default()
                }
            }
            "fitness_graduation_unmet" => {
                let stated = || {
                    self.facts
                        .fitness
                        .iter()
                        .filter(|r| r.term.folded() <= self.term && r.graduation_met.is_some())
                };
                // Two records of the latest term disagreeing: 未达到 wins, whatever the order.
                let latest = stated().map(|r| r.term).max();
                let unmet: Vec<&FitnessRecord> = stated()
                    .filter(|r| Some(r.term) == latest && r.graduation_met == Some(false))
                    .collect();
                Measure {
                    value: Value::Bool(!unmet.is_empty()),
                    records: unmet
                        .iter()
                        .map(|r| FitnessRef {
                            term: r.term,
                            result: "未达到".to_string(),
                        })
                        .collect(),
                    ..Measure::default()
                }
            }
            m => {
                let kind = m.strip_prefix("flag:")?;
                let on = self
                    .facts
                    .flags
                    .iter()
                    .any(|fl| fl.term.folded() == self.term && fl.kind.id() == kind);
                Measure {
                    value: Value::Bool(on),
                    ..Measure::default()
                }
            }
        })
    }

    /// The sittings of T that pass the filters, with their course.
    fn of_term_sittings<'s>(
        &'s self,
        f: Filters<'s>,
    ) -> impl Iterator<Item = (&'s Course<'a>, &'s Sitting<'a>)> + 's {
        self.courses.iter().flat_map(move |c| {
            c.sittings
                .iter()
                .filter(move |s| self.of_term(s))
                .filter(move |s| {
                    f.course_ok(s.first().unwrap_or(c.descriptor), s.first_was_deferred())
                })
                .map(move |s| (c, s))
        })
    }

    fn term_failed(&self, f: Filters<'_>, after_makeup: bool) -> Vec<CourseRef> {
        let mut refs: Vec<CourseRef> = Vec::new();
        if !self.any_failed {
            return refs;
        }
        for (c, s) in self.of_term_sittings(f) {
            let decisive = if after_makeup {
                s.after_makeup(self.pass_mark)
            } else {
                s.first()
            };
            if passed(decisive, self.pass_mark) == Some(false)
                && !refs.iter().any(|r| r.code == c.code)
            {
                refs.push(self.sitting_ref(c, s, decisive));
            }
        }
        refs
    }

    fn course_filtered(&self, f: Filters<'_>, c: &Course<'a>) -> bool {
        let deferred = self
            .first_sitting(c)
            .is_some_and(|s| s.first_was_deferred());
        f.course_ok(c.descriptor, deferred)
    }

    /// Courses still failing now (best of every sitting up to T), less those cleared by hand.
    fn outstanding(&self, f: Filters<'_>) -> Vec<CourseRef> {
        let mut refs = Vec::new();
        if !self.any_failed {
            return refs;
        }
        for c in self.courses.iter() {
            if c.cleared.is_some() || !self.course_filtered(f, c) {
                continue;
            }
            if self.sittings_upto(c).next().is_none() {
                continue;
            }
            let b = self.best_so_far(c);
            if passed(b, self.pass_mark) == Some(false) {
                refs.push(self.history_ref(c, b));
            }
        }
        refs
    }

    /// Courses that would be still failing but for a counsellor's clearance, with its reason.
    fn cleared_by_hand(&self, f: Filters<'_>) -> Vec<CourseRef> {
        if !self.any_failed {
            return Vec::new();
        }
        self.courses
            .iter()
            .filter(|c| c.cleared.is_some() && self.course_filtered(f, c))
            .filter_map(|c| {
                let b = self.best_so_far(c);
                (passed(b, self.pass_mark) == Some(false)).then(|| {
                    let mut r = self.history_ref(c, b);
                    r.cleared = c
                        .cleared
                        .map(|cl| format!("{} ({} {})", cl.reason, cl.by, cl.on));
                    r
                })
            })
            .collect()
    }

    /// Courses whose regular sitting (up to T) ever failed after makeup, retaken or not.
    fn historical(&self, f: Filters<'_>) -> Vec<CourseRef> {
        let mut refs = Vec::new();
        if !self.any_failed {
            return refs;
        }
        for c in self.courses.iter() {
            if !self.course_filtered(f, c) {
                continue;
            }
            let failed = self.sittings_upto(c).find_map(|s| {
                let am = s.after_makeup(self.pass_mark);
                (s.kind == SitKind::Regular && passed(am, self.pass_mark) == Some(false))
                    .then_some(am)
            });
            if let Some(am) = failed {
                refs.push(self.history_ref(c, am));
            }
        }
        refs
    }

    /// Credits obtained in T (所得学分): T's courses passed after makeup, plus earlier courses
    /// first passed by a retake sat in T; a course of T still pending counts as earned and is
    /// named as pending. Not assessed for a student with no course and no retake in T.
    fn term_credits_earned(&self, f: Filters<'_>) -> Option<Measure> {
        let mut any = false;
        let mut earned = 0.0;
        let mut courses = Vec::new();
        let mut pending = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (c, s) in self.of_term_sittings(f) {
            any = true;
            if seen.contains(&c.code) {
                continue;
            }
            let am = s.after_makeup(self.pass_mark);
            match passed(am, self.pass_mark) {
                Some(false) => {}
                Some(true) => {
                    seen.push(c.code);
                    earned += Self::credits(c);
                    courses.push(self.sitting_ref(c, s, am));
                }
                None => {
                    seen.push(c.code);
                    earned += Self::credits(c);
                    pending.push(self.sitting_ref(c, s, am));
                }
            }
        }
        for c in self.courses.iter() {
            let Some(retake) = c
                .sittings
                .iter()
                .find(|s| s.kind == SitKind::Retake && s.term.folded() == self.term)
            else {
                continue;
            };
            any = true;
            if seen.contains(&c.code) || !self.course_filtered(f, c) {
                continue;
            }
            let before = best(
                c.sittings
                    .iter()
                    .filter(|s| s.term.folded() < self.term)
                    .flat_map(|s| s.first().into_iter().chain(s.makeups.iter().copied())),
                self.pass_mark,
            );
            let now = retake.after_makeup(self.pass_mark);
            if passed(before, self.pass_mark) != Some(true)
                && passed(now, self.pass_mark) == Some(true)
            {
                seen.push(c.code);
                earned += Self::credits(c);
                courses.push(self.sitting_ref(c, retake, now));
            }
        }
        any.then(|| Measure {
            value: Value::Number(round(earned)),
            courses,
            pending,
            ..Measure::default()
        })
    }

    /// Courses of T whose result after makeup is not in yet (缓考 not sat, or not recorded):
    /// the evaluation is provisional while there are any.
    pub fn pending(&self) -> Vec<CourseRef> {
        let mut out: Vec<CourseRef> = Vec::new();
        for c in self.courses.iter() {
            for s in c.sittings.iter().filter(|s| self.of_term(s)) {
                let am = s.after_makeup(self.pass_mark);
                if am.is_none() && !out.iter().any(|r| r.code == c.code) {
                    out.push(self.sitting_ref(c, s, None));
                }
            }
        }
        out
    }

    /// Courses up to T that a condition of `cond` could not see: no nature (or one the school
    /// has not mapped) under a nature filter, no assessment under an assessment filter.
    pub fn unseen(&self, nature_rules: bool, assessment_rules: bool) -> Unseen {
        let mut u = Unseen::default();
        for c in self
            .courses
            .iter()
            .filter(|c| self.sittings_upto(c).next().is_some())
        {
            let d = c.descriptor;
            if nature_rules && !matches!(d.nature, Some(ref n) if !matches!(n, Nature::Other(_))) {
                u.nature += 1;
            }
            if assessment_rules && d.assessment.is_none() {
                u.assessment += 1;
            }
        }
        u
    }

    /// The terms this student sat courses in (summer read as term 2), up to the assessed term.
    pub fn sitting_terms(&self) -> Vec<Term> {
        let mut ts: Vec<Term> = self
            .courses
            .iter()
            .flat_map(|c| c.sittings.iter())
            .filter(|s| s.kind != SitKind::Lone && self.upto(s))
            .map(|s| s.term.folded())
            .collect();
        ts.sort();
        ts.dedup();
        ts
    }
}
