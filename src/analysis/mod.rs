//! The lists and figures a college leader asks a counsellor for: how warnings turned out a
//! term later (帮扶效果分析), how well obligations were kept, and who talked to how many of their
//! students in a month. Pure where it can be: the database is read in [`effect`] and
//! [`coverage`], the counting below takes records in and gives figures out.

pub mod coverage;
pub mod effect;
pub mod notices;
pub mod report;
pub mod xlsx;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Calendar, Contact, Schedule};

use crate::policy::Evaluation;
use crate::schedule::Status;
use crate::schedule::agenda::schedule_status;

use crate::app::lifecycle::change_of;
/// What became of a warning: the lifecycle's change ids, one enum for issue output, report
/// JSON and this analysis.
pub use crate::model::Change;
use crate::model::Standing;

/// The outcomes a warning of term T can have at T+1, in the order reports show them.
/// (`New` describes a student warned only at T+1, so it is not among them.)
pub const OUTCOMES: [Change; 8] = [
    Change::Lifted,
    Change::Down,
    Change::Same,
    Change::Up,
    Change::RepeatYear,
    Change::Dismissal,
    Change::Exempt,
    Change::Withdrawn,
];

/// How a warning issued as `issued` stands under `now` when the lifecycle recorded no later
/// issue to read it from: the rules `issue` applies (exemption, then a status outcome newly
/// reached, then the tier). A student with no evaluation is warned by nothing: lifted.
pub fn classify(issued: &Standing, now: Option<&Evaluation>, exempt: bool) -> Change {
    let later = now.map(crate::app::lifecycle::standing).unwrap_or_default();
    change_of(Some(issued), &later, exempt).unwrap_or(Change::Lifted)
}

/// A move between two severities (0 = not warned).
pub fn compare_tiers(before: u32, after: u32) -> Change {
    match (before, after) {
        (0, 0) => Change::Same,
        (0, _) => Change::New,
        (_, 0) => Change::Lifted,
        (b, a) if a < b => Change::Down,
        (b, a) if a > b => Change::Up,
        _ => Change::Same,
    }
}

/// An obligation judged as of its end, or today while it runs: one an issue or a withdrawal
/// ended while it was owed counts as missed, and no period after its end is counted.
pub fn judged(sc: &Schedule, contacts: &[&Contact], cal: &Calendar, today: NaiveDate) -> Status {
    match sc.ended {
        Some(end) if end.on <= today => {
            let running = Schedule {
                ended: None,
                ..sc.clone()
            };
            schedule_status(&running, contacts, cal, end.on)
        }
        _ => schedule_status(sc, contacts, cal, today),
    }
}

/// One obligation judged on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// Every period that ended was met in time.
    OnTime,
    /// Something was missed and later caught up.
    Late,
    /// Owed and still not met.
    Missed,
    /// Nothing has fallen due yet.
    Pending,
}

impl Kept {
    pub fn of(s: &Status) -> Kept {
        if s.overdue {
            Kept::Missed
        } else if s.missed > 0 {
            Kept::Late
        } else if s.met_periods > 0 {
            Kept::OnTime
        } else {
            Kept::Pending
        }
    }
}

/// Obligations counted by how they were kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Obligations {
    pub on_time: u32,
    pub late: u32,
    pub missed: u32,
    pub pending: u32,
}

impl Obligations {
    pub fn add(&mut self, k: Kept) {
        match k {
            Kept::OnTime => self.on_time += 1,
            Kept::Late => self.late += 1,
            Kept::Missed => self.missed += 1,
            Kept::Pending => self.pending += 1,
        }
    }

    pub fn merge(&mut self, o: &Obligations) {
        self.on_time += o.on_time;
        self.late += o.late;
        self.missed += o.missed;
        self.pending += o.pending;
    }

    /// Nothing late, nothing missed.
    pub fn clean(&self) -> bool {
        self.late == 0 && self.missed == 0
    }
}

/// `n` of `of` as a share in 0..=1 (0 when there is no one to count).
pub fn share(n: usize, of: usize) -> f64 {
    if of == 0 { 0.0 } else { n as f64 / of as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Term;

    fn eval(severity: u32, status: &[&str]) -> Evaluation {
        let mut e = Evaluation::none("1", Term { year: 2024, n: 1 });
        e.severity = severity;
        e.tier = (severity > 0).then(|| format!("level{severity}"));
        e.status = status.iter().map(|s| s.to_string()).collect();
        e
    }

    #[test]
    fn classification_ranks_exemption_then_a_new_status_then_tier() {
        let issued = |tier: &str, severity: u32, status: &[&str]| Standing {
            tier: tier.into(),
            severity,
            status: status.iter().map(|s| s.to_string()).collect(),
        };
        let l2 = issued("level2", 2, &[]);
        assert_eq!(classify(&l2, Some(&eval(0, &[])), true), Change::Lifted);
        assert_eq!(classify(&l2, Some(&eval(1, &[])), true), Change::Exempt);
        assert_eq!(classify(&l2, None, false), Change::Lifted);
        assert_eq!(
            classify(
                &issued("level1", 1, &[]),
                Some(&eval(2, &["repeat_year"])),
                false
            ),
            Change::RepeatYear
        );
        assert_eq!(
            classify(
                &issued("level3", 3, &["repeat_year"]),
                Some(&eval(2, &[])),
                false
            ),
            Change::Down,
            "a status held before and gone is the tier's movement"
        );
        assert_eq!(
            classify(
                &issued("level1", 1, &[]),
                Some(&eval(3, &["dismissal"])),
                false
            ),
            Change::Dismissal
        );
        assert_eq!(classify(&l2, Some(&eval(0, &[])), false), Change::Lifted);
        assert_eq!(classify(&l2, Some(&eval(1, &[])), false), Change::Down);
        assert_eq!(classify(&l2, Some(&eval(2, &[])), false), Change::Same);
        assert_eq!(classify(&l2, Some(&eval(3, &[])), false), Change::Up);
        assert_eq!(compare_tiers(0, 1), Change::New);
    }

    #[test]
    fn an_obligation_ended_while_owed_stays_missed_and_stops_counting() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let mut sc = Schedule {
            id: 1,
            student_id: "1".into(),
            kind: crate::model::ContactKind::Talk,
            role: None,
            cadence: crate::model::Cadence::Weekly,
            from: d("2025-09-01"),
            until: None,
            source: crate::model::Source::Policy,
            note: String::new(),
            ended: None,
        };
        let cal = Calendar::default();
        let at_end = judged(&sc, &[], &cal, d("2025-09-29"));
        sc.ended = Some(crate::model::Ending {
            on: d("2025-09-29"),
            change: Change::Lifted,
        });
        for later in ["2025-09-29", "2025-12-01"] {
            let st = judged(&sc, &[], &cal, d(later));
            assert_eq!(Kept::of(&st), Kept::Missed, "{later}");
            assert_eq!(st.missed, at_end.missed, "{later}");
        }
        assert!(at_end.missed > 0);
    }

    #[test]
    fn an_obligation_caught_up_is_late_and_one_still_owed_is_missed() {
        let st = |overdue, missed, met| Status {
            overdue,
            days_overdue: 0,
            due: None,
            missed,
            met_periods: met,
            last_contact: None,
        };
        assert_eq!(Kept::of(&st(true, 1, 0)), Kept::Missed);
        assert_eq!(Kept::of(&st(false, 1, 1)), Kept::Late);
        assert_eq!(Kept::of(&st(false, 0, 1)), Kept::OnTime);
        assert_eq!(Kept::of(&st(false, 0, 0)), Kept::Pending);
    }
}
