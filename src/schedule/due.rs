//! Due / overdue / missed state of one schedule on a given day.
//!
//! The rules, per cadence, with the readings chosen where the spec's wording leaves room:
//!
//! * Contacts count only when dated on or after the schedule's start (`from`; for `term:K`
//!   the later of `from` and the term start) and on or before `today` (a contact dated in
//!   the future has not happened yet).
//! * Repeating cadences (`weekly`, `monthly`, `days:N`): see [`periodic`].
//! * `term:K`: see [`term`].
//! * `once:N`: see [`once`].

use chrono::NaiveDate;

use super::periods::{Grid, TermDues, days_between, shift};
use super::{ScheduleSpec, Status};
use crate::model::Cadence;

/// The state of `spec` on `today`, given the dates of the contacts that match it (same
/// student, kind and, when the schedule names one, role: matching is the caller's job).
/// Contacts may come in any order and may repeat.
pub fn status(spec: &ScheduleSpec, contacts: &[NaiveDate], today: NaiveDate) -> Status {
    if spec.until.is_some_and(|u| u < spec.from) {
        // Ends before it starts: nothing was ever owed.
        return Status::quiet(None);
    }
    match spec.cadence {
        Cadence::Once(n) => once(spec.from, n, contacts, today),
        Cadence::Term(k) => match spec.term {
            Some((start, end)) => term(spec, (start, end), k, contacts, today),
            // A term cadence without term dates owes nothing we could date.
            None => Status::quiet(None),
        },
        Cadence::Weekly | Cadence::Monthly | Cadence::Days(_) => {
            match Grid::new(spec.cadence, spec.from) {
                Some(grid) => periodic(spec, grid, contacts, today),
                None => Status::quiet(None),
            }
        }
    }
}

/// The contacts that count: dated in `[from, today]`, sorted. This is the single place that
/// decides the counting window, so changing the reading (e.g. also cutting at the term's
/// end) is a one-line change.
fn counted(contacts: &[NaiveDate], from: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = contacts
        .iter()
        .copied()
        .filter(|d| (from..=today).contains(d))
        .collect();
    dates.sort_unstable();
    dates
}

fn overdue_since(due: NaiveDate, today: NaiveDate) -> i64 {
    days_between(due, today)
}

/// `weekly`, `monthly`, `days:N`.
///
/// * Period 0 holds `from`; periods keep natural calendar bounds. With `until`, the last
///   period is the one holding `until`, still with its natural end (so a contact later in
///   that week or month still meets it, and overdue is counted from its natural end).
/// * Overdue when the latest period that has ended (last day < today) has no contact in it
///   and there has been no contact since it began. Days overdue count from the last day of
///   the first period after the one holding the last contact (period 0 if no contact).
///   After the last period (past `until`) an unmet last period stays overdue until a
///   contact is logged: the obligation was not met, ending the schedule does not erase it.
/// * Due: the last day of the current period while it is unmet, else of the next period
///   (none past the last period); when overdue, the day overdue is counted from.
/// * Missed: ended periods without a contact, counted even after catching up.
/// * Met: periods (started by today) with a contact.
fn periodic(spec: &ScheduleSpec, grid: Grid, contacts: &[NaiveDate], today: NaiveDate) -> Status {
    let dates = counted(contacts, spec.from, today);
    let last_contact = dates.last().copied();
    let last_period = spec.until.map(|u| grid.index(u));
    let beyond_last = |k: i64| last_period.is_some_and(|l| k > l);

    // Dates are sorted, so their period indices are too: dedup gives the met periods.
    let mut met: Vec<i64> = dates.iter().map(|&d| grid.index(d)).collect();
    met.dedup();
    met.retain(|&k| !beyond_last(k));

    let today_index = grid.index(today);
    let latest_ended = last_period.map_or(today_index - 1, |l| l.min(today_index - 1));
    let missed = if latest_ended >= 0 {
        let met_ended = met.iter().filter(|&&k| k <= latest_ended).count() as i64;
        u32::try_from(latest_ended + 1 - met_ended).unwrap_or(u32::MAX)
    } else {
        0
    };
    let met_periods = u32::try_from(met.len()).unwrap_or(u32::MAX);

    let overdue = latest_ended >= 0 && last_contact.is_none_or(|c| c < grid.start(latest_ended));
    if overdue {
        let first_unmet = last_contact.map_or(0, |c| grid.index(c) + 1);
        let due = grid.end(first_unmet);
        return Status {
            overdue,
            days_overdue: overdue_since(due, today),
            due: Some(due),
            missed,
            met_periods,
            last_contact,
        };
    }

    let current = today_index.max(0);
    let next = if met.last() == Some(&current) {
        current + 1
    } else {
        current
    };
    Status {
        overdue: false,
        days_overdue: 0,
        due: (!beyond_last(next)).then(|| grid.end(next)),
        missed,
        met_periods,
        last_contact,
    }
}

/// `term:K` over the term `[start, end]`, due dates d_1..d_K as in [`TermDues`].
///
/// The spec says "overdue when a due date has passed and fewer than i matching contacts
/// were logged from S". Read literally: n = contacts in [max(S, from), today]; overdue iff
/// some d_i < today with n < i. The smallest such i is n + 1, so overdue iff n < K and
/// d_{n+1} < today, and days overdue = today - d_{n+1}. The count window is [`counted`].
///
/// * Due: d_{n+1} (the next due not yet met), none once n >= K.
/// * Missed: passed dues d_i < today with fewer than i contacts in [max(S, from), d_i],
///   counted even after catching up.
/// * Met: min(n, K).
/// * `from` only moves the counting start: dues stay anchored to the term, so a schedule
///   created mid-term can start out overdue for dues that already passed.
fn term(
    spec: &ScheduleSpec,
    (start, end): (NaiveDate, NaiveDate),
    k: u32,
    contacts: &[NaiveDate],
    today: NaiveDate,
) -> Status {
    let dates = counted(contacts, start.max(spec.from), today);
    let last_contact = dates.last().copied();
    let Some(dues) = TermDues::new(start, end, k, spec.until) else {
        return Status::quiet(last_contact);
    };
    let kept = dues.kept();
    let n = u32::try_from(dates.len()).unwrap_or(u32::MAX);
    let missed = term_missed(&dues, &dates, today);
    let met_periods = n.min(kept);
    let due = (n < kept).then(|| dues.due(n + 1));
    let overdue = due.is_some_and(|d| d < today);
    Status {
        overdue,
        days_overdue: due
            .filter(|_| overdue)
            .map_or(0, |d| overdue_since(d, today)),
        due,
        missed,
        met_periods,
        last_contact,
    }
}

/// Passed dues d_i (< today, i <= kept) with fewer than i contacts by d_i.
///
/// Dues sharing a date are handled as one block so the work is bounded by the number of
/// distinct due dates before today, not by K.
fn term_missed(dues: &TermDues, dates: &[NaiveDate], today: NaiveDate) -> u32 {
    let passed = dues.count_while(|d| d < today).min(dues.kept());
    let mut missed = 0u32;
    let mut i = 1u32;
    while i <= passed {
        let due = dues.due(i);
        let block_end = dues.count_while(|d| d <= due).min(passed);
        let by_due = u32::try_from(dates.partition_point(|&c| c <= due)).unwrap_or(u32::MAX);
        // Within the block, i' is missed when i' > by_due.
        let first_missed = i.max(by_due.saturating_add(1));
        if first_missed <= block_end {
            missed += block_end - first_missed + 1;
        }
        i = block_end + 1;
    }
    missed
}

/// `once:N`: due on `from + N`; overdue from the day after until a contact dated on or
/// after `from` is logged; missed when the first such contact came after the due date, or
/// none came and the due date has passed. `until` does not apply: the single window always
/// starts at `from`, so it is the window holding any `until` on or after `from`.
fn once(from: NaiveDate, n: u32, contacts: &[NaiveDate], today: NaiveDate) -> Status {
    let due = shift(from, i64::from(n));
    let dates = counted(contacts, from, today);
    let met = !dates.is_empty();
    let overdue = !met && today > due;
    let missed = match dates.first() {
        Some(&first) => first > due,
        None => today > due,
    };
    Status {
        overdue,
        days_overdue: if overdue {
            overdue_since(due, today)
        } else {
            0
        },
        due: (!met).then_some(due),
        missed: u32::from(missed),
        met_periods: u32::from(met),
        last_contact: dates.last().copied(),
    }
}
