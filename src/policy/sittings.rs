//! Sittings: one course's attempts arranged as the module doc of [`super::metrics`] says, and
//! how results rank. The engine reads every metric from these.

use std::cell::Cell;
use std::cmp::Ordering;

use crate::model::{Attempt, AttemptKind, Clearance, Mark, Term};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SitKind {
    /// A regular sitting (正考), or a deferred sitting with no regular row.
    Regular,
    Retake,
    /// A makeup with no sitting of its course at or before it: kept as a sitting of its own
    /// term, counted in the outcome so far only.
    Lone,
}

/// One sitting of a course and what belongs to it.
#[derive(Debug)]
pub(super) struct Sitting<'a> {
    pub(super) kind: SitKind,
    pub(super) term: Term,
    /// The regular or retake row (its mark may be 缓考).
    pub(super) main: Option<&'a Attempt>,
    /// The deferred sitting standing in for a 缓考 regular result.
    pub(super) deferred: Option<&'a Attempt>,
    pub(super) makeups: Vec<&'a Attempt>,
}

impl<'a> Sitting<'a> {
    /// The first sitting: the deferred sitting when the regular result was 缓考.
    pub(super) fn first(&self) -> Option<&'a Attempt> {
        match (self.main, self.deferred) {
            (Some(r), Some(d)) if r.mark == Mark::Deferred => Some(d),
            (Some(r), _) => Some(r),
            (None, d) => d,
        }
    }

    /// 缓考: the regular sitting was deferred (whether or not the deferred sitting happened).
    pub(super) fn first_was_deferred(&self) -> bool {
        self.main.is_some_and(|r| r.mark == Mark::Deferred)
            || (self.main.is_none() && self.deferred.is_some())
    }

    /// Every attempt of the sitting, oldest first.
    pub(super) fn attempts(&self) -> impl Iterator<Item = &'a Attempt> + '_ {
        self.main
            .into_iter()
            .chain(self.deferred)
            .chain(self.makeups.iter().copied())
    }

    pub(super) fn after_makeup(&self, pass_mark: f64) -> Option<&'a Attempt> {
        best(
            self.first().into_iter().chain(self.makeups.iter().copied()),
            pass_mark,
        )
    }
}

/// One course: its sittings, oldest first.
#[derive(Debug)]
pub(super) struct Course<'a> {
    pub(super) code: &'a str,
    /// The attempt that describes the course (name, nature, credits): its first regular row.
    pub(super) descriptor: &'a Attempt,
    pub(super) sittings: Vec<Sitting<'a>>,
    pub(super) cleared: Option<&'a Clearance>,
    /// The best result up to a term, kept for the last term asked: several conditions of a
    /// policy ask it of every course, and the carry rule asks it term by term.
    pub(super) best_upto: Cell<Option<(Term, Option<&'a Attempt>)>>,
}

/// Orders results: any pass beats any fail; then by score. Pending results are not ranked.
pub(super) fn rank(a: &Attempt, pass_mark: f64) -> Option<(bool, f64)> {
    let passed = a.mark.passed(pass_mark)?;
    let score = match a.mark {
        Mark::Score(v) => v,
        Mark::Exempt => 1000.0,
        Mark::PassWord => pass_mark,
        _ => -1.0,
    };
    Some((passed, score))
}

pub(super) fn best<'a>(
    attempts: impl Iterator<Item = &'a Attempt>,
    pass_mark: f64,
) -> Option<&'a Attempt> {
    attempts
        .filter_map(|a| rank(a, pass_mark).map(|r| (r, a)))
        .max_by(|(x, _), (y, _)| {
            x.0.cmp(&y.0)
                .then(x.1.partial_cmp(&y.1).unwrap_or(Ordering::Equal))
        })
        .map(|(_, a)| a)
}

pub(super) fn passed(a: Option<&Attempt>, pass_mark: f64) -> Option<bool> {
    a.and_then(|a| a.mark.passed(pass_mark))
}

/// Arranges one course's attempts (canonical order, minor-programme rows left out) into
/// sittings.
pub(super) fn build_sittings<'a>(attempts: &[&'a Attempt]) -> Vec<Sitting<'a>> {
    let mut out: Vec<Sitting<'_>> = attempts
        .iter()
        .filter(|a| matches!(a.kind, AttemptKind::Regular | AttemptKind::Retake))
        .map(|a| Sitting {
            kind: if a.kind == AttemptKind::Retake {
                SitKind::Retake
            } else {
                SitKind::Regular
            },
            term: a.term,
            main: Some(a),
            deferred: None,
            makeups: Vec::new(),
        })
        .collect();
    for a in attempts.iter().filter(|a| a.kind == AttemptKind::Deferred) {
        // The 缓考 regular sitting it stands in for: of the course's term when the file gave
        // it, else the latest at or before its own term.
        let open = |s: &Sitting<'_>| {
            s.kind == SitKind::Regular
                && s.deferred.is_none()
                && s.main.is_some_and(|r| r.mark == Mark::Deferred)
        };
        let slot = match a.course_term {
            Some(ct) => out.iter().position(|s| open(s) && s.term == ct),
            None => None,
        }
        .or_else(|| out.iter().rposition(|s| open(s) && s.term <= a.term));
        match slot {
            Some(i) => out[i].deferred = Some(a),
            None => out.push(Sitting {
                kind: SitKind::Regular,
                term: a.term,
                main: None,
                deferred: Some(a),
                makeups: Vec::new(),
            }),
        }
    }
    out.sort_by_key(|s| (s.term, s.kind == SitKind::Retake));
    for a in attempts.iter().filter(|a| a.kind.is_makeup()) {
        let wants = if a.kind == AttemptKind::RetakeMakeup {
            SitKind::Retake
        } else {
            SitKind::Regular
        };
        let preferred = |s: &Sitting<'_>| s.kind == wants;
        let slot = match (a.course_term, a.kind) {
            (_, AttemptKind::RetakeMakeup) => out
                .iter()
                .rposition(|s| s.kind == SitKind::Retake && s.term <= a.term),
            (Some(ct), _) => out
                .iter()
                .position(|s| s.term == ct && preferred(s))
                .or_else(|| {
                    out.iter()
                        .position(|s| s.term == ct && s.kind != SitKind::Lone)
                }),
            (None, _) => None,
        }
        .or_else(|| {
            // The most recent sitting at or before the makeup; in a tie of terms, the kind it
            // is a makeup of.
            let latest = out
                .iter()
                .filter(|s| s.kind != SitKind::Lone && s.term <= a.term)
                .map(|s| s.term)
                .max()?;
            out.iter()
                .position(|s| s.term == latest && preferred(s))
                .or_else(|| {
                    out.iter()
                        .position(|s| s.term == latest && s.kind != SitKind::Lone)
                })
        });
        match slot {
            Some(i) => out[i].makeups.push(a),
            None => out.push(Sitting {
                kind: SitKind::Lone,
                term: a.term,
                main: None,
                deferred: None,
                makeups: vec![a],
            }),
        }
    }
    out
}
