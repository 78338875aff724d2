//! The lists and figures a college leader asks a counsellor for: how warnings turned out a
//! term later (帮扶效果分析), how well obligations were kept, and who talked to how many of their
//! students in a month. Pure where it can be: the database is read in [`effect`] and
//! [`coverage`], the counting below takes records in and gives figures out.

pub mod coverage;
pub mod effect;
pub mod notices;
pub mod xlsx;

use serde::Serialize;

use crate::policy::Evaluation;
use crate::schedule::Status;

/// What became of a warning by the next assessment. The ids are the lifecycle's (issue 10);
/// this small copy lets the analysis stand alone until the lifecycle's `Change` replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Lifted,
    Down,
    Same,
    Up,
    New,
    RepeatYear,
    Dismissal,
    Exempt,
    Withdrawn,
}

impl Change {
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

    pub fn id(self) -> &'static str {
        match self {
            Change::Lifted => "lifted",
            Change::Down => "down",
            Change::Same => "same",
            Change::Up => "up",
            Change::New => "new",
            Change::RepeatYear => "repeat_year",
            Change::Dismissal => "dismissal",
            Change::Exempt => "exempt",
            Change::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self, lang: crate::locale::Lang) -> &'static str {
        let (zh, en) = match self {
            Change::Lifted => ("解除", "lifted"),
            Change::Down => ("减轻", "down"),
            Change::Same => ("持平", "same"),
            Change::Up => ("加重", "up"),
            Change::New => ("新增", "new"),
            Change::RepeatYear => ("留级", "repeat year"),
            Change::Dismissal => ("退学", "dismissal"),
            Change::Exempt => ("免予", "exempt"),
            Change::Withdrawn => ("离校", "withdrawn"),
        };
        lang.pick(zh, en)
    }
}

/// How a warning issued with `before` severity stands under `now` (None: the student is no
/// longer on the roster). An exemption and a status outcome outrank the tier.
pub fn classify(before: u32, now: Option<&Evaluation>, exempt: bool) -> Change {
    if exempt {
        return Change::Exempt;
    }
    let Some(e) = now else {
        return Change::Withdrawn;
    };
    if e.status.iter().any(|s| s == "dismissal") {
        Change::Dismissal
    } else if e.status.iter().any(|s| s == "repeat_year") {
        Change::RepeatYear
    } else {
        compare_tiers(before, e.severity)
    }
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
        e.status = status.iter().map(|s| s.to_string()).collect();
        e
    }

    #[test]
    fn classification_ranks_exemption_then_status_then_tier() {
        assert_eq!(classify(2, Some(&eval(0, &[])), true), Change::Exempt);
        assert_eq!(classify(2, None, false), Change::Withdrawn);
        assert_eq!(
            classify(1, Some(&eval(2, &["repeat_year"])), false),
            Change::RepeatYear
        );
        assert_eq!(
            classify(1, Some(&eval(3, &["dismissal"])), false),
            Change::Dismissal
        );
        assert_eq!(classify(2, Some(&eval(0, &[])), false), Change::Lifted);
        assert_eq!(classify(2, Some(&eval(1, &[])), false), Change::Down);
        assert_eq!(classify(2, Some(&eval(2, &[])), false), Change::Same);
        assert_eq!(classify(2, Some(&eval(3, &[])), false), Change::Up);
        assert_eq!(compare_tiers(0, 1), Change::New);
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
