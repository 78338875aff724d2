//! The metrics of policies.md, computed from one student's facts for one assessed term.
//!
//! A course is identified by student and course code. Its sittings are grouped into
//! *instances*: one per regular sitting (a student who repeats a year sits a course again as
//! 正考 in a later term), each with the makeups of its own term and the deferred sitting that
//! stands in for a 缓考 regular result. Retakes (重修) only count towards the outcome so far.

use std::cmp::Ordering;
use std::ops::Range;

use serde::Serialize;

use crate::model::{Assessment, Attempt, AttemptKind, Mark, Nature, StudentFacts, Term};

use super::format::{Condition, Sitting};
use super::{CourseRef, Value};

/// Every metric name the engine knows, with whether it is yes/no.
pub const METRICS: &[(&str, bool)] = &[
    ("term_failed_regular", false),
    ("term_failed_after_makeup", false),
    ("outstanding_failed_courses", false),
    ("outstanding_failed_credits", false),
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
            | "term_credits_earned"
    )
}

pub fn is_known(metric: &str) -> Option<bool> {
    METRICS.iter().find(|(m, _)| *m == metric).map(|(_, b)| *b)
}

/// One regular sitting of a course (or a deferred sitting with no regular row) and what
/// hangs off it in its own term.
#[derive(Debug)]
struct Instance<'a> {
    term: Term,
    /// The regular sitting as recorded (its mark may be 缓考).
    regular: Option<&'a Attempt>,
    /// The deferred sitting standing in for a 缓考 regular result.
    deferred: Option<&'a Attempt>,
    /// The makeups recorded in the same term (contiguous in canonical order).
    makeups: &'a [Attempt],
}

impl<'a> Instance<'a> {
    /// The first sitting: the deferred sitting when the regular result was 缓考.
    fn first(&self) -> Option<&'a Attempt> {
        match (self.regular, self.deferred) {
            (Some(r), Some(d)) if r.mark == Mark::Deferred => Some(d),
            (Some(r), _) => Some(r),
            (None, d) => d,
        }
    }

    /// 缓考: the regular sitting was deferred (whether or not the deferred sitting happened).
    fn first_was_deferred(&self) -> bool {
        self.regular.is_some_and(|r| r.mark == Mark::Deferred)
            || (self.regular.is_none() && self.deferred.is_some())
    }
}

/// One course: a run of the student's attempts (canonical order, never empty) and its
/// instances, as ranges into the view's shared vectors, so a view allocates a handful of
/// vectors rather than several per course.
#[derive(Debug)]
struct Course<'a> {
    /// Every attempt up to the assessed term, oldest first.
    attempts: &'a [Attempt],
    instances: Range<usize>,
}

impl<'a> Course<'a> {
    /// The attempt that describes the course (name, nature, credits): its first regular row.
    fn descriptor(&self) -> &'a Attempt {
        self.attempts
            .iter()
            .find(|a| a.kind == AttemptKind::Regular)
            .unwrap_or(&self.attempts[0])
    }

    /// Best result over every attempt so far: None while nothing has a result.
    fn best_so_far(&self, pass_mark: f64) -> Option<&'a Attempt> {
        best(self.attempts.iter(), pass_mark)
    }

    fn credits(&self) -> f64 {
        let d = self.descriptor();
        if d.credits > 0.0 {
            d.credits
        } else {
            self.attempts.iter().map(|a| a.credits).fold(0.0, f64::max)
        }
    }
}

/// Orders results: any pass beats any fail; then by score. Pending results are not ranked.
fn rank(a: &Attempt, pass_mark: f64) -> Option<(bool, f64)> {
    let passed = a.mark.passed(pass_mark)?;
    let score = match a.mark {
        Mark::Score(v) => v,
        Mark::Exempt => 1000.0,
        Mark::PassWord => pass_mark,
        _ => -1.0,
    };
    Some((passed, score))
}

fn best<'a>(attempts: impl Iterator<Item = &'a Attempt>, pass_mark: f64) -> Option<&'a Attempt> {
    attempts
        .filter_map(|a| rank(a, pass_mark).map(|r| (r, a)))
        .max_by(|(x, _), (y, _)| {
            x.0.cmp(&y.0)
                .then(x.1.partial_cmp(&y.1).unwrap_or(Ordering::Equal))
        })
        .map(|(_, a)| a)
}

fn passed(a: Option<&Attempt>, pass_mark: f64) -> Option<bool> {
    a.and_then(|a| a.mark.passed(pass_mark))
}

/// Arranges the attempts up to `term` into courses and instances. `attempts` must be in
/// canonical order ([`Attempt::canonical_order`]).
fn group_courses(attempts: &[Attempt], term: Term) -> (Vec<Course<'_>>, Vec<Instance<'_>>) {
    let mut courses = Vec::new();
    let mut instances = Vec::new();
    for chunk in attempts.chunk_by(|a, b| a.course_code == b.course_code) {
        // Sorted by term within a course: the attempts up to T are a prefix.
        let upto = &chunk[..chunk.partition_point(|a| a.term <= term)];
        if upto.is_empty() {
            continue;
        }
        let start = instances.len();
        build_instances(upto, &mut instances);
        courses.push(Course {
            attempts: upto,
            instances: start..instances.len(),
        });
    }
    (courses, instances)
}

fn build_instances<'a>(attempts: &'a [Attempt], out: &mut Vec<Instance<'a>>) {
    let start = out.len();
    out.extend(
        attempts
            .iter()
            .filter(|a| a.kind == AttemptKind::Regular)
            .map(|a| Instance {
                term: a.term,
                regular: Some(a),
                deferred: None,
                makeups: &[],
            }),
    );
    for a in attempts.iter().filter(|a| a.kind == AttemptKind::Deferred) {
        // A deferred sitting belongs to the latest 缓考 regular sitting not after it; with no
        // such sitting it is the course's first sitting in its own term.
        let slot = out[start..].iter_mut().rev().find(|i| {
            i.term <= a.term
                && i.deferred.is_none()
                && i.regular.is_some_and(|r| r.mark == Mark::Deferred)
        });
        match slot {
            Some(i) => i.deferred = Some(a),
            None => out.push(Instance {
                term: a.term,
                regular: None,
                deferred: Some(a),
                makeups: &[],
            }),
        }
    }
    out[start..].sort_by_key(|i| i.term);
    // T's makeups belong to T's sitting. (A makeup in a term with no sitting of the course
    // matters to no term metric: it is counted in the outcome so far only.)
    for i in &mut out[start..] {
        let lo = attempts.partition_point(|a| (a.term, a.kind) < (i.term, AttemptKind::Makeup));
        let hi = attempts.partition_point(|a| (a.term, a.kind) <= (i.term, AttemptKind::Makeup));
        i.makeups = &attempts[lo..hi];
    }
}

/// A metric's course filters (nature, assessment, sitting), as set on a condition.
#[derive(Debug, Clone, Copy)]
pub struct Filters<'c> {
    cond: &'c Condition,
}

impl Filters<'_> {
    fn nature_ok(&self, nature: Option<&Nature>) -> bool {
        let c = self.cond;
        if !c.nature.is_empty() && !nature.is_some_and(|n| c.nature.iter().any(|f| f.matches(n))) {
            return false;
        }
        !nature.is_some_and(|n| c.exclude_nature.iter().any(|f| f.matches(n)))
    }
    fn assessment_ok(&self, a: Option<Assessment>) -> bool {
        self.cond.assessment.is_none() || a == self.cond.assessment
    }
    fn sitting_ok(&self, first_was_deferred: bool) -> bool {
        !(self.cond.sitting == Some(Sitting::Regular) && first_was_deferred)
    }
}

/// A student's facts arranged for one assessed term; metrics are read from it.
pub struct TermView<'a> {
    facts: &'a StudentFacts,
    term: Term,
    pass_mark: f64,
    fitness_pass_mark: f64,
    courses: Vec<Course<'a>>,
    instances: Vec<Instance<'a>>,
}

/// What a metric measured: its value and the courses behind it. `None` = not assessed.
pub type Measured = Option<(Value, Vec<CourseRef>)>;

fn course_ref(d: &Attempt, term: Term, credits: f64, result: Option<&Attempt>) -> CourseRef {
    CourseRef {
        code: d.course_code.to_string(),
        name: d.course_name.to_string(),
        term,
        credits,
        result: result.map_or(&d.result, |a| &a.result).to_string(),
    }
}

fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

impl<'a> TermView<'a> {
    pub fn new(
        facts: &'a StudentFacts,
        term: Term,
        pass_mark: f64,
        fitness_pass_mark: f64,
    ) -> Self {
        debug_assert!(
            facts
                .attempts
                .is_sorted_by(|a, b| a.canonical_order(b).is_le()),
            "TermView needs attempts in canonical order"
        );
        let (courses, instances) = group_courses(&facts.attempts, term);
        TermView {
            facts,
            term,
            pass_mark,
            fitness_pass_mark,
            courses,
            instances,
        }
    }

    fn instances(&self, c: &Course<'a>) -> &[Instance<'a>] {
        &self.instances[c.instances.clone()]
    }

    fn first_instance(&self, c: &Course<'a>) -> Option<&Instance<'a>> {
        self.instances(c).first()
    }

    pub fn term(&self) -> Term {
        self.term
    }

    /// Measures `cond.metric` with `cond`'s course filters.
    pub fn measure(&self, cond: &Condition) -> Measured {
        let f = Filters { cond };
        match cond.metric.as_str() {
            "term_failed_regular" => Some(self.term_failed(f, false)),
            "term_failed_after_makeup" => Some(self.term_failed(f, true)),
            "outstanding_failed_courses" => {
                let refs = self.outstanding(f);
                Some((Value::Number(refs.len() as f64), refs))
            }
            "outstanding_failed_credits" => {
                let refs = self.outstanding(f);
                let sum = round(refs.iter().map(|r| r.credits).sum());
                Some((Value::Number(sum), refs))
            }
            "term_credits_earned" => self.term_credits_earned(f),
            "term_absence_hours" => {
                let h: f64 = self
                    .facts
                    .absences
                    .iter()
                    .filter(|(t, _)| *t == self.term)
                    .map(|(_, h)| h)
                    .sum();
                Some((Value::Number(round(h)), Vec::new()))
            }
            "fitness_failed_count" => {
                let n = self
                    .facts
                    .fitness
                    .iter()
                    .filter(|r| r.term <= self.term && self.fitness_failed(r))
                    .count();
                Some((Value::Number(n as f64), Vec::new()))
            }
            "fitness_graduation_unmet" => {
                let stated = || {
                    self.facts
                        .fitness
                        .iter()
                        .filter(|r| r.term <= self.term && r.graduation_met.is_some())
                };
                // Two records of the latest term disagreeing: 未达到 wins, whatever the order.
                let latest = stated().map(|r| r.term).max();
                let unmet =
                    stated().any(|r| Some(r.term) == latest && r.graduation_met == Some(false));
                Some((Value::Bool(unmet), Vec::new()))
            }
            m => {
                let kind = m.strip_prefix("flag:")?;
                let on = self
                    .facts
                    .flags
                    .iter()
                    .any(|fl| fl.term == self.term && fl.kind.id() == kind);
                Some((Value::Bool(on), Vec::new()))
            }
        }
    }

    fn fitness_failed(&self, r: &crate::model::FitnessRecord) -> bool {
        if let Some(s) = r.score {
            return s < self.fitness_pass_mark;
        }
        r.word
            .as_deref()
            .is_some_and(|w| matches!(w.trim(), "不及格" | "不合格"))
    }

    /// The instances of T that pass the filters, with their course.
    fn of_term<'s>(
        &'s self,
        f: Filters<'s>,
    ) -> impl Iterator<Item = (&'s Course<'a>, &'s Instance<'a>)> + 's {
        self.courses.iter().flat_map(move |c| {
            self.instances(c)
                .iter()
                .filter(move |i| {
                    i.term == self.term && (i.regular.is_some() || i.deferred.is_some())
                })
                .filter(move |i| {
                    let d = i.first().unwrap_or(c.descriptor());
                    f.nature_ok(d.nature.as_ref())
                        && f.assessment_ok(d.assessment)
                        && f.sitting_ok(i.first_was_deferred())
                })
                .map(move |i| (c, i))
        })
    }

    fn after_makeup(&self, i: &Instance<'a>) -> Option<&'a Attempt> {
        best(
            i.first().into_iter().chain(i.makeups.iter()),
            self.pass_mark,
        )
    }

    fn term_failed(&self, f: Filters<'_>, after_makeup: bool) -> (Value, Vec<CourseRef>) {
        let mut refs = Vec::new();
        for (c, i) in self.of_term(f) {
            let decisive = if after_makeup {
                self.after_makeup(i)
            } else {
                i.first()
            };
            if passed(decisive, self.pass_mark) == Some(false) {
                let d = i.first().unwrap_or(c.descriptor());
                refs.push(course_ref(d, i.term, c.credits(), decisive));
            }
        }
        (Value::Number(refs.len() as f64), refs)
    }

    fn outstanding(&self, f: Filters<'_>) -> Vec<CourseRef> {
        let mut refs = Vec::new();
        for c in &self.courses {
            let d = c.descriptor();
            let first = self.first_instance(c);
            let deferred = first.is_some_and(|i| i.first_was_deferred());
            if !(f.nature_ok(d.nature.as_ref())
                && f.assessment_ok(d.assessment)
                && f.sitting_ok(deferred))
            {
                continue;
            }
            let b = c.best_so_far(self.pass_mark);
            if passed(b, self.pass_mark) == Some(false) {
                let term = first.map_or(d.term, |i| i.term);
                refs.push(course_ref(d, term, c.credits(), b));
            }
        }
        refs
    }

    /// Credits of T's courses passed after makeup (pending counts as earned); the courses
    /// listed are the ones that earned nothing. Not assessed without courses in T.
    fn term_credits_earned(&self, f: Filters<'_>) -> Measured {
        let mut any = false;
        let mut earned = 0.0;
        let mut failed = Vec::new();
        for (c, i) in self.of_term(f) {
            any = true;
            let am = self.after_makeup(i);
            match passed(am, self.pass_mark) {
                Some(false) => {
                    let d = i.first().unwrap_or(c.descriptor());
                    failed.push(course_ref(d, i.term, c.credits(), am));
                }
                _ => earned += c.credits(),
            }
        }
        any.then(|| (Value::Number(round(earned)), failed))
    }

    /// Every course up to the term, for the student page.
    pub fn outcomes(&self) -> Vec<CourseOutcome> {
        let mut out: Vec<CourseOutcome> = self
            .courses
            .iter()
            .map(|c| {
                let d = c.descriptor();
                let first = self.first_instance(c);
                let last_kind = |k: AttemptKind| {
                    c.attempts
                        .iter()
                        .rev()
                        .find(|a| a.kind == k)
                        .map(|a| a.result.to_string())
                };
                CourseOutcome {
                    code: d.course_code.to_string(),
                    name: d.course_name.to_string(),
                    term: first.map_or(d.term, |i| i.term),
                    credits: c.credits(),
                    nature: d.nature.clone(),
                    assessment: d.assessment,
                    regular: first.and_then(|i| i.first()).map(|a| a.result.to_string()),
                    makeup: last_kind(AttemptKind::Makeup),
                    retake: last_kind(AttemptKind::Retake),
                    passed_so_far: passed(c.best_so_far(self.pass_mark), self.pass_mark),
                    ever_failed: c
                        .attempts
                        .iter()
                        .any(|a| a.mark.passed(self.pass_mark) == Some(false)),
                }
            })
            .collect();
        out.sort_by(|a, b| a.term.cmp(&b.term).then(a.code.cmp(&b.code)));
        out
    }

    /// The terms this student has course attempts in, up to the assessed term.
    pub fn attempt_terms(&self) -> Vec<Term> {
        let mut ts: Vec<Term> = self
            .courses
            .iter()
            .flat_map(|c| c.attempts.iter().map(|a| a.term))
            .collect();
        ts.sort();
        ts.dedup();
        ts
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
    /// Some(true) passed so far, Some(false) still failed, None pending.
    pub passed_so_far: Option<bool>,
    /// Failed at some sitting up to the term.
    pub ever_failed: bool,
}

/// Every course the student sat up to `term`, oldest first.
pub fn course_outcomes(facts: &StudentFacts, term: Term, pass_mark: f64) -> Vec<CourseOutcome> {
    let mut sorted = facts.clone();
    sorted.sort_attempts();
    TermView::new(&sorted, term, pass_mark, pass_mark).outcomes()
}
