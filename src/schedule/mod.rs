//! Follow-up schedules: cadences in, due / overdue / missed state out.
//!
//! Pure: no SQL, no terminal, no clock. `today` is always a parameter and contacts arrive
//! as the dates of contacts the caller has already matched to the schedule (same student,
//! same kind, same role when the schedule names one).
//!
//! * [`Cadence`] — `weekly`, `monthly`, `days:N`, `term:K`, `once:N` (parse and print).
//! * [`status`] — the state of one schedule on one day; [`periods`] — its periods, for reports.
//! * [`parse_date_input`], [`parse_datetime_input`] — what the date fields of forms and CLI
//!   flags accept; [`default_term_dates`] — term dates when none are configured.

pub mod agenda;
mod dates;
mod due;
mod periods;

use chrono::NaiveDate;

use crate::model::Cadence;

pub use dates::{DateInputError, default_term_dates, parse_date_input, parse_datetime_input};
pub use due::status;
pub use periods::periods;

/// One obligation's timing. Who and what (student, kind, role) live with the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleSpec {
    pub cadence: Cadence,
    /// First day of the obligation (the warning date, or the day a counsellor scheduled it).
    pub from: NaiveDate,
    /// Last day of the obligation, inclusive: periods starting after it do not exist.
    pub until: Option<NaiveDate>,
    /// The term's first and last day, inclusive; needed by `term:K` only, which owes
    /// nothing without it.
    pub term: Option<(NaiveDate, NaiveDate)>,
}

/// The state of a schedule on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub overdue: bool,
    /// Days since the earliest unmet due date; 0 unless overdue, > 0 when overdue.
    pub days_overdue: i64,
    /// The next date a contact is owed by; when overdue, the date `days_overdue` counts from.
    /// `None` when nothing more is owed.
    pub due: Option<NaiveDate>,
    /// Periods (or `term:K` due dates) that passed unmet, including ones caught up since.
    pub missed: u32,
    /// Periods (or `term:K` due dates) met so far.
    pub met_periods: u32,
    /// The latest contact that counts for this schedule.
    pub last_contact: Option<NaiveDate>,
}

impl Status {
    /// Nothing owed, nothing missed.
    fn quiet(last_contact: Option<NaiveDate>) -> Status {
        Status {
            overdue: false,
            days_overdue: 0,
            due: None,
            missed: 0,
            met_periods: 0,
            last_contact,
        }
    }

    /// Due today and not overdue (the agenda's "today" group).
    pub fn is_due_today(&self, today: NaiveDate) -> bool {
        !self.overdue && self.due == Some(today)
    }

    /// Due within the next 7 days, today excluded (the agenda's "upcoming" group).
    pub fn is_upcoming(&self, today: NaiveDate) -> bool {
        !self.overdue
            && self
                .due
                .is_some_and(|d| d > today && periods::days_between(today, d) <= 7)
    }
}
