//! Date arithmetic behind the cadences: the numbered calendar periods of a repeating
//! cadence and the spread-out due dates of `term:K`.
//!
//! Everything saturates at chrono's date limits instead of panicking: callers may pass any
//! dates, and a schedule reaching year 262143 is absurd but must not crash a view.

use chrono::{Datelike, NaiveDate, TimeDelta};

use super::ScheduleSpec;
use crate::model::Cadence;

/// `d` moved by `days`, clamped to chrono's representable range.
pub(crate) fn shift(d: NaiveDate, days: i64) -> NaiveDate {
    TimeDelta::try_days(days)
        .and_then(|t| d.checked_add_signed(t))
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    b.signed_duration_since(a).num_days()
}

fn month_number(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

fn first_of_month_number(m: i64) -> NaiveDate {
    let year = i32::try_from(m.div_euclid(12));
    let month = u32::try_from(m.rem_euclid(12) + 1);
    match (year, month) {
        (Ok(y), Ok(mo)) => NaiveDate::from_ymd_opt(y, mo, 1),
        _ => None,
    }
    .unwrap_or(if m < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// The periods of a repeating cadence, numbered 0, 1, 2 … from the one holding the
/// schedule's start. Indices of dates before that period are negative.
///
/// Periods keep their natural calendar bounds: a weekly schedule starting on a Thursday has
/// period 0 = Monday..Sunday of that week (not Thursday..Sunday). Contacts before the start
/// are filtered out by the caller, so the part of period 0 before the start only matters
/// for where the period *ends*, which is what due dates and days overdue are counted from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Grid {
    Weekly { monday0: NaiveDate },
    Monthly { month0: i64 },
    Days { from: NaiveDate, n: i64 },
}

impl Grid {
    /// `None` for the cadences that are not a sequence of periods (`term:K`, `once:N`).
    pub(crate) fn new(cadence: Cadence, from: NaiveDate) -> Option<Grid> {
        match cadence {
            Cadence::Weekly => Some(Grid::Weekly {
                monday0: shift(from, -i64::from(from.weekday().num_days_from_monday())),
            }),
            Cadence::Monthly => Some(Grid::Monthly {
                month0: month_number(from),
            }),
            Cadence::Days(n) => Some(Grid::Days {
                from,
                n: i64::from(n.max(1)),
            }),
            Cadence::Term(_) | Cadence::Once(_) => None,
        }
    }

    /// Index of the period holding `d`.
    pub(crate) fn index(&self, d: NaiveDate) -> i64 {
        match *self {
            Grid::Weekly { monday0 } => days_between(monday0, d).div_euclid(7),
            Grid::Monthly { month0 } => month_number(d) - month0,
            Grid::Days { from, n } => days_between(from, d).div_euclid(n),
        }
    }

    pub(crate) fn start(&self, k: i64) -> NaiveDate {
        match *self {
            Grid::Weekly { monday0 } => shift(monday0, k.saturating_mul(7)),
            Grid::Monthly { month0 } => first_of_month_number(month0.saturating_add(k)),
            Grid::Days { from, n } => shift(from, k.saturating_mul(n)),
        }
    }

    /// Last day of period `k` (inclusive).
    pub(crate) fn end(&self, k: i64) -> NaiveDate {
        match *self {
            Grid::Weekly { .. } => shift(self.start(k), 6),
            Grid::Monthly { .. } => shift(self.start(k.saturating_add(1)), -1),
            Grid::Days { n, .. } => shift(self.start(k), n - 1),
        }
    }
}

/// The `term:K` due dates over a term running from `start` to `end` inclusive.
///
/// With L = end - start + 1 days, the i-th contact is due by start + floor(i·L/K) - 1, so
/// the K-th is due on the last day of the term and the others are spread evenly before it.
/// When K > L that formula puts early dues the day *before* the term; they are clamped to
/// the term's first day (several contacts due the same day).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TermDues {
    start: NaiveDate,
    len: i64,
    k: u32,
    /// How many of the K dues exist once `until` is applied (see [`TermDues::new`]).
    kept: u32,
}

impl TermDues {
    /// `None` when the term is empty (end before start) or K is 0.
    ///
    /// `until` cuts the dues the way it cuts periods: the i-th due "window" runs from the
    /// day after due i-1 (the term start for i = 1) to due i, and windows starting after
    /// `until` do not exist. So the first due on or after `until` is kept, later ones not.
    pub(crate) fn new(
        start: NaiveDate,
        end: NaiveDate,
        k: u32,
        until: Option<NaiveDate>,
    ) -> Option<TermDues> {
        if end < start || k == 0 {
            return None;
        }
        let mut dues = TermDues {
            start,
            len: days_between(start, end) + 1,
            k,
            kept: k,
        };
        if let Some(until) = until {
            // Dues never decrease with i, so count those before `until` by bisection
            // (K may be huge when a caller builds the cadence directly).
            let before_until = dues.count_while(|d| d < until);
            dues.kept = if shift(start, -1) < until {
                (before_until + 1).min(k)
            } else {
                0
            };
        }
        Some(dues)
    }

    pub(crate) fn kept(&self) -> u32 {
        self.kept
    }

    /// Due date of the i-th contact, i in 1..=K.
    pub(crate) fn due(&self, i: u32) -> NaiveDate {
        let offset = (i128::from(i) * i128::from(self.len) / i128::from(self.k)).max(1) - 1;
        shift(self.start, i64::try_from(offset).unwrap_or(i64::MAX))
    }

    /// Number of leading i in 1..=K whose due satisfies `pred` (which must hold for a
    /// prefix of the dues only, like "is before X").
    pub(crate) fn count_while(&self, pred: impl Fn(NaiveDate) -> bool) -> u32 {
        let (mut lo, mut hi) = (0u32, self.k);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if pred(self.due(mid)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }

    /// The i-th due window: from the day after due i-1 to due i (a single day when dues
    /// coincide).
    pub(crate) fn window(&self, i: u32) -> (NaiveDate, NaiveDate) {
        let due = self.due(i);
        let begin = if i <= 1 {
            self.start
        } else {
            shift(self.due(i - 1), 1).min(due)
        };
        (begin, due)
    }
}

/// The schedule's periods whose first day is on or before `up_to`, with natural bounds,
/// in order. For `term:K` these are the due windows (from the day after one due date to
/// the next, the first from the term start); for `once:N` the single window from the start
/// to the due date. Empty when the spec has no periods (a term schedule without term
/// dates, or `until` before `from`).
pub fn periods(spec: &ScheduleSpec, up_to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    if spec.until.is_some_and(|u| u < spec.from) {
        return Vec::new();
    }
    match spec.cadence {
        Cadence::Once(n) => {
            let window = (spec.from, shift(spec.from, i64::from(n)));
            (spec.from <= up_to).then_some(window).into_iter().collect()
        }
        Cadence::Term(k) => {
            let Some((start, end)) = spec.term else {
                return Vec::new();
            };
            let Some(dues) = TermDues::new(start, end, k, spec.until) else {
                return Vec::new();
            };
            (1..=dues.kept())
                .map(|i| dues.window(i))
                .take_while(|&(begin, _)| begin <= up_to)
                .collect()
        }
        Cadence::Weekly | Cadence::Monthly | Cadence::Days(_) => {
            let Some(grid) = Grid::new(spec.cadence, spec.from) else {
                return Vec::new();
            };
            let mut last = grid.index(up_to);
            if let Some(until) = spec.until {
                last = last.min(grid.index(until));
            }
            (0..=last).map(|k| (grid.start(k), grid.end(k))).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn monthly_periods_follow_month_lengths() {
        let g = Grid::new(Cadence::Monthly, d("2024-01-31")).unwrap();
        assert_eq!((g.start(1), g.end(1)), (d("2024-02-01"), d("2024-02-29")));
        assert_eq!((g.start(13), g.end(13)), (d("2025-02-01"), d("2025-02-28")));
        assert_eq!(g.index(d("2023-12-31")), -1);
    }

    #[test]
    fn weekly_index_of_dates_before_start_is_negative() {
        let g = Grid::new(Cadence::Weekly, d("2025-01-01")).unwrap();
        // 2025-01-01 is a Wednesday: period 0 is Mon 2024-12-30 .. Sun 2025-01-05.
        assert_eq!(g.index(d("2024-12-30")), 0);
        assert_eq!(g.index(d("2024-12-29")), -1);
        assert_eq!(g.end(0), d("2025-01-05"));
    }

    #[test]
    fn term_dues_clamp_when_more_contacts_than_days() {
        // L = 2, K = 4: floor(i*2/4) = 0,1,1,2 → offsets clamp to 0,0,0,1.
        let t = TermDues::new(d("2025-03-01"), d("2025-03-02"), 4, None).unwrap();
        let dues: Vec<_> = (1..=4).map(|i| t.due(i)).collect();
        assert_eq!(
            dues,
            [
                d("2025-03-01"),
                d("2025-03-01"),
                d("2025-03-01"),
                d("2025-03-02")
            ]
        );
        assert_eq!(t.window(2), (d("2025-03-01"), d("2025-03-01")));
    }

    #[test]
    fn shift_saturates_instead_of_panicking() {
        assert_eq!(shift(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(shift(NaiveDate::MIN, i64::MIN), NaiveDate::MIN);
    }
}
