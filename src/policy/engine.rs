//! Tiers from metrics: any condition of a tier puts the student on it, the most severe tier
//! wins (seed 001: 同时满足两种情况则按照情况严重的执行), status outcomes are read the same way,
//! and a carry rule (lut-life) keeps an earlier warning while its condition holds.

use std::rc::Rc;

use crate::model::{StudentFacts, Term};

use super::format::{Condition, Op, Threshold};
use super::metrics::{Measure, TermView};
use super::{AlsoCount, Evaluation, Policy, Reason, Value};

/// Whether `value op threshold` holds. A number metric compared with `is`, or a yes/no metric
/// compared with a number, never holds (`policy check` rejects such files).
pub fn holds(value: Value, op: Op, threshold: Threshold) -> bool {
    match (value, op, threshold) {
        (Value::Bool(v), Op::Is, Threshold::Bool(t)) => v == t,
        (Value::Bool(v), Op::Eq, Threshold::Bool(t)) => v == t,
        (Value::Number(v), Op::Between, Threshold::Range([lo, hi])) => v > lo && v <= hi,
        (Value::Number(v), op, Threshold::Number(t)) => match op {
            Op::Ge => v >= t,
            Op::Gt => v > t,
            Op::Le => v <= t,
            Op::Lt => v < t,
            Op::Eq => v == t,
            Op::Between | Op::Is => false,
        },
        _ => false,
    }
}

/// One view's measurements, each distinct one taken once (hljjz asks outstanding failed
/// courses at three thresholds; each asking walks every course and names the failed ones).
struct Measured<'v, 'f, 'p> {
    view: &'v TermView<'f>,
    taken: Vec<(&'p Condition, Option<Rc<Measure>>)>,
}

impl<'v, 'f, 'p> Measured<'v, 'f, 'p> {
    fn new(view: &'v TermView<'f>) -> Self {
        Measured {
            view,
            taken: Vec::new(),
        }
    }

    fn measure(&mut self, cond: &'p Condition) -> Option<Rc<Measure>> {
        if let Some((_, m)) = self.taken.iter().find(|(c, _)| c.same_measure(cond)) {
            return m.clone();
        }
        let m = self.view.measure(cond).map(Rc::new);
        self.taken.push((cond, m.clone()));
        m
    }

    fn check(&mut self, cond: &'p Condition, label: &str) -> Option<Reason> {
        let m = self.measure(cond)?;
        holds(m.value, cond.op, cond.threshold).then(|| Reason {
            tier: label.to_string(),
            metric: cond.metric.clone(),
            value: m.value,
            op: cond.op.as_str().to_string(),
            threshold: cond.threshold,
            courses: m.courses.clone(),
            carried_from: None,
            filters: cond.filter_ids(),
            note: cond.note.clone(),
            pending: m.pending.clone(),
            records: m.records.clone(),
            status: None,
            also: m.also.as_ref().map(|(metric, value)| AlsoCount {
                metric: metric.clone(),
                value: *value,
            }),
            cleared: m.cleared.clone(),
        })
    }

    /// The tier that new triggers put the student on in the view's term, with every reason.
    fn triggered(&mut self, policy: &'p Policy) -> (Option<usize>, Vec<Reason>) {
        let mut tier = None;
        let mut reasons = Vec::new();
        for (i, t) in policy.tiers.iter().enumerate() {
            let before = reasons.len();
            reasons.extend(t.conditions.iter().filter_map(|c| self.check(c, &t.id)));
            if reasons.len() > before {
                tier = Some(i);
            }
        }
        (tier, reasons)
    }
}

/// Evaluates one student for assessed term `term`. Attempts may come in any order; callers
/// with many students save a copy each by passing them sorted ([`StudentFacts::sort_attempts`]).
pub fn evaluate(policy: &Policy, facts: &StudentFacts, term: Term) -> Evaluation {
    if facts.is_sorted() {
        return evaluate_sorted(policy, facts, term);
    }
    let mut sorted = facts.clone();
    sorted.sort_attempts();
    evaluate_sorted(policy, &sorted, term)
}

fn evaluate_sorted(policy: &Policy, facts: &StudentFacts, term: Term) -> Evaluation {
    let view = TermView::new(facts, term, policy.pass_mark, policy.fitness_pass_mark);
    let mut measured = Measured::new(&view);
    let (mut tier, mut reasons) = measured.triggered(policy);
    let mut carried = false;

    // A new trigger replaces the carried tier only if it is more severe.
    if let Some((carried_tier, from)) = carried_tier(policy, &view)
        && tier.is_none_or(|t| carried_tier > t)
        && let Some(mut r) = policy
            .carry
            .as_ref()
            .and_then(|c| measured.check(&c.while_, &policy.tiers[carried_tier].id))
    {
        r.carried_from = Some(from);
        reasons.push(r);
        tier = Some(carried_tier);
        carried = true;
    }

    let mut status = Vec::new();
    let mut status_reasons = Vec::new();
    for s in &policy.status {
        let before = status_reasons.len();
        status_reasons.extend(s.conditions.iter().filter_map(|c| {
            measured.check(c, &s.id).map(|mut r| {
                r.status = Some(s.id.clone());
                r
            })
        }));
        if status_reasons.len() > before {
            status = vec![s.id.clone()];
        }
    }

    let pending = view.pending();
    let (nature_rules, assessment_rules) = policy.course_filters_used();
    Evaluation {
        student_id: facts.student_id.clone(),
        term,
        tier_index: tier,
        tier: tier.map(|i| policy.tiers[i].id.clone()),
        severity: tier.map_or(0, |i| i as u32 + 1),
        status,
        carried,
        provisional: !pending.is_empty(),
        pending,
        reasons,
        status_reasons,
        unseen: view.unseen(nature_rules, assessment_rules),
    }
}

/// The tier an earlier term's warning carries into `term`, and the term that warning was
/// first given: walks the student's terms oldest first, keeping a warning while the carry
/// condition holds and dropping it (lifting) the first time it does not.
fn carried_tier(policy: &Policy, view: &TermView<'_>) -> Option<(usize, Term)> {
    let carry = policy.carry.as_ref()?;
    let mut current: Option<(usize, Term)> = None;
    for t in view
        .sitting_terms()
        .into_iter()
        .filter(|t| *t < view.term())
    {
        let v = view.at(t);
        let mut measured = Measured::new(&v);
        let kept = current.filter(|_| {
            measured
                .measure(&carry.while_)
                .is_some_and(|m| holds(m.value, carry.while_.op, carry.while_.threshold))
        });
        let (new, _) = measured.triggered(policy);
        current = match (new, kept) {
            (Some(n), Some((k, from))) if k >= n => Some((k, from)),
            (Some(n), _) => Some((n, t)),
            (None, k) => k,
        };
    }
    current
}

/// Evaluates many students.
pub fn evaluate_all(policy: &Policy, facts: &[StudentFacts], term: Term) -> Vec<Evaluation> {
    facts.iter().map(|f| evaluate(policy, f, term)).collect()
}
