//! Table-driven checks of `schedule::status`, every expected value worked out by hand in
//! the comment beside its case, plus property tests of the invariants.

use chrono::NaiveDate;
use proptest::prelude::*;
use yujing::model::Cadence;
use yujing::schedule::{ScheduleSpec, Status, periods, status};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Where a schedule lands on the agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Agenda {
    Overdue,
    Today,
    /// Due within 7 days, today excluded.
    Soon,
    /// Due later than that.
    Later,
    /// Nothing owed.
    Done,
}

fn agenda(s: &Status, today: NaiveDate) -> Agenda {
    if s.overdue {
        Agenda::Overdue
    } else if s.is_due_today(today) {
        Agenda::Today
    } else if s.is_upcoming(today) {
        Agenda::Soon
    } else if s.due.is_some() {
        Agenda::Later
    } else {
        Agenda::Done
    }
}

struct Case {
    name: &'static str,
    cadence: &'static str,
    from: &'static str,
    until: Option<&'static str>,
    term: Option<(&'static str, &'static str)>,
    contacts: &'static [&'static str],
    today: &'static str,
    // Expected:
    days_overdue: i64,
    due: Option<&'static str>,
    missed: u32,
    met: u32,
    last: Option<&'static str>,
    agenda: Agenda,
}

const CASES: &[Case] = &[
    // ---- weekly. from Wed 2025-09-03: P0 = Mon 09-01..Sun 09-07, P1 = 09-08..09-14,
    //      P2 = 09-15..09-21, P3 = 09-22..09-28, P4 = 09-29..10-05.
    Case {
        // Sunday 09-07 is P0's last day: nothing has ended yet, P0 due today.
        name: "weekly: due on the Sunday of the first week",
        cadence: "weekly",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &[],
        today: "2025-09-07",
        days_overdue: 0,
        due: Some("2025-09-07"),
        missed: 0,
        met: 0,
        last: None,
        agenda: Agenda::Today,
    },
    Case {
        // Monday 09-08: P0 ended unmet, no contact → overdue 09-08 - 09-07 = 1 day.
        name: "weekly: overdue the Monday after an empty week",
        cadence: "weekly",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &[],
        today: "2025-09-08",
        days_overdue: 1,
        due: Some("2025-09-07"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // Mon 09-01 is inside P0's calendar week but before `from`: it does not count,
        // so this is the case above.
        name: "weekly: contact in the first week but before from is ignored",
        cadence: "weekly",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &["2025-09-01"],
        today: "2025-09-08",
        days_overdue: 1,
        due: Some("2025-09-07"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // Contact on Sunday 09-07 meets P0. Today Mon 09-15: P1 (09-08..14) ended unmet and
        // nothing since 09-08 → overdue from P1's end: 09-15 - 09-14 = 1.
        name: "weekly: contact on the Sunday meets that week only",
        cadence: "weekly",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &["2025-09-07"],
        today: "2025-09-15",
        days_overdue: 1,
        due: Some("2025-09-14"),
        missed: 1,
        met: 1,
        last: Some("2025-09-07"),
        agenda: Agenda::Overdue,
    },
    Case {
        // Contact on Monday 09-08 meets P1 (the latest ended); P0 stays missed. Current P2
        // (09-15..21) unmet → due 09-21, 6 days ahead.
        name: "weekly: contact on the Monday meets the new week",
        cadence: "weekly",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &["2025-09-08"],
        today: "2025-09-15",
        days_overdue: 0,
        due: Some("2025-09-21"),
        missed: 1,
        met: 1,
        last: Some("2025-09-08"),
        agenda: Agenda::Soon,
    },
    Case {
        // P0 and P1 empty; contact Tue 09-16 in P2. Latest ended P1 is unmet but a contact
        // came since it began → caught up. P2 met → due = end of P3 = 09-28 (11 days).
        // Missed still counts P0 and P1.
        name: "weekly: catching up clears overdue but keeps the missed count",
        cadence: "weekly",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &["2025-09-16"],
        today: "2025-09-17",
        days_overdue: 0,
        due: Some("2025-09-28"),
        missed: 2,
        met: 1,
        last: Some("2025-09-16"),
        agenda: Agenda::Later,
    },
    Case {
        // Contact 09-10 (P1). Today Wed 10-01 in P4; latest ended P3 unmet, nothing since
        // 09-22 → overdue. Earliest unmet after the last contact's week: P2, ends 09-21 →
        // 10-01 - 09-21 = 10 days. Missed: P0, P2, P3 = 3.
        name: "weekly: days overdue count from the first unmet week after the last contact",
        cadence: "weekly",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &["2025-09-10"],
        today: "2025-10-01",
        days_overdue: 10,
        due: Some("2025-09-21"),
        missed: 3,
        met: 1,
        last: Some("2025-09-10"),
        agenda: Agenda::Overdue,
    },
    Case {
        // A contact dated after today has not happened: same as no contact.
        name: "weekly: future-dated contact does not count",
        cadence: "weekly",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &["2025-09-20"],
        today: "2025-09-08",
        days_overdue: 1,
        due: Some("2025-09-07"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // Multiple contacts in one week still meet one period. Contacts Tue 09-02 (before
        // from, ignored), Thu 09-04, Fri 09-05 → P0 met once. Today Sat 09-06: current P0 met
        // → due = end of P1 = 09-14 (8 days: not "soon").
        name: "weekly: met current week moves due to next week",
        cadence: "weekly",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &["2025-09-05", "2025-09-02", "2025-09-04"],
        today: "2025-09-06",
        days_overdue: 0,
        due: Some("2025-09-14"),
        missed: 0,
        met: 1,
        last: Some("2025-09-05"),
        agenda: Agenda::Later,
    },
    Case {
        // Today before from: nothing ended, P0 (09-01..07) is current but `from` is 09-03;
        // today 08-28 is before P0 → due its end 09-07, 10 days ahead.
        name: "weekly: schedule not started yet",
        cadence: "weekly",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &[],
        today: "2025-08-28",
        days_overdue: 0,
        due: Some("2025-09-07"),
        missed: 0,
        met: 0,
        last: None,
        agenda: Agenda::Later,
    },
    // ---- weekly across a year end: from Wed 2025-01-01, P0 = Mon 2024-12-30..Sun 2025-01-05.
    Case {
        // 2024-12-31 is in P0's week but before from → ignored. Today Mon 2025-01-06: P0
        // ended unmet → 1 day overdue from Sun 2025-01-05.
        name: "weekly: ISO week straddling the year, contact before from",
        cadence: "weekly",
        from: "2025-01-01",
        until: None,
        term: None,
        contacts: &["2024-12-31"],
        today: "2025-01-06",
        days_overdue: 1,
        due: Some("2025-01-05"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // from Mon 2024-12-30; contact Sun 2025-01-05 meets P0 (same week). Today Sun
        // 2025-01-12 is P1's last day: nothing new ended, P1 due today.
        name: "weekly: contact at the end of a week spanning new year",
        cadence: "weekly",
        from: "2024-12-30",
        until: None,
        term: None,
        contacts: &["2025-01-05"],
        today: "2025-01-12",
        days_overdue: 0,
        due: Some("2025-01-12"),
        missed: 0,
        met: 1,
        last: Some("2025-01-05"),
        agenda: Agenda::Today,
    },
    // ---- monthly from Wed 2024-01-31 (leap year): P0 = January, P1 = Feb 01..29, P2 = March.
    Case {
        // Jan 31 is both from and the end of P0. Today Feb 1: P0 unmet → 1 day overdue.
        name: "monthly from Jan 31: overdue on Feb 1",
        cadence: "monthly",
        from: "2024-01-31",
        until: None,
        term: None,
        contacts: &[],
        today: "2024-02-01",
        days_overdue: 1,
        due: Some("2024-01-31"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // Contact on Jan 31 (last day of month) meets P0; February (ends 02-29, leap) unmet,
        // nothing since 02-01 → overdue 03-01 - 02-29 = 1 day.
        name: "monthly: February 2024 ends on the 29th",
        cadence: "monthly",
        from: "2024-01-31",
        until: None,
        term: None,
        contacts: &["2024-01-31"],
        today: "2024-03-01",
        days_overdue: 1,
        due: Some("2024-02-29"),
        missed: 1,
        met: 1,
        last: Some("2024-01-31"),
        agenda: Agenda::Overdue,
    },
    Case {
        // Contact on Feb 29 meets February; January missed. Current March unmet → due 03-31.
        name: "monthly: contact on Feb 29 meets February",
        cadence: "monthly",
        from: "2024-01-31",
        until: None,
        term: None,
        contacts: &["2024-02-29"],
        today: "2024-03-01",
        days_overdue: 0,
        due: Some("2024-03-31"),
        missed: 1,
        met: 1,
        last: Some("2024-02-29"),
        agenda: Agenda::Later,
    },
    Case {
        // Contact on Mar 1 (first of month): February unmet but caught up since it began.
        // March met → due end of April 04-30. Missed: January and February.
        name: "monthly: contact on the first of the month catches up",
        cadence: "monthly",
        from: "2024-01-31",
        until: None,
        term: None,
        contacts: &["2024-03-01"],
        today: "2024-03-01",
        days_overdue: 0,
        due: Some("2024-04-30"),
        missed: 2,
        met: 1,
        last: Some("2024-03-01"),
        agenda: Agenda::Later,
    },
    Case {
        // 2028 is a leap year: P0 = Feb 2028, ends 02-29. Today 03-05 → 5 days overdue.
        name: "monthly: leap February 2028",
        cadence: "monthly",
        from: "2028-02-15",
        until: None,
        term: None,
        contacts: &[],
        today: "2028-03-05",
        days_overdue: 5,
        due: Some("2028-02-29"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // 2025 is not: P0 = Feb 2025 ends 02-28. Today 03-05 → 5 days overdue.
        name: "monthly: common-year February",
        cadence: "monthly",
        from: "2025-02-10",
        until: None,
        term: None,
        contacts: &[],
        today: "2025-03-05",
        days_overdue: 5,
        due: Some("2025-02-28"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // Nov 2024 met (11-25); December ended 12-31 unmet → 2025-01-10 - 12-31 = 10 days.
        name: "monthly: across the year end",
        cadence: "monthly",
        from: "2024-11-20",
        until: None,
        term: None,
        contacts: &["2024-11-25"],
        today: "2025-01-10",
        days_overdue: 10,
        due: Some("2024-12-31"),
        missed: 1,
        met: 1,
        last: Some("2024-11-25"),
        agenda: Agenda::Overdue,
    },
    // ---- days:N. days:10 from 2025-03-01: P0 = 03-01..03-10, P1 = 03-11..03-20,
    //      P2 = 03-21..03-30.
    Case {
        // Contact on P0's last day 03-10. P1 ended 03-20 unmet → 03-21 - 03-20 = 1.
        name: "days:10: contact on the last day of a period",
        cadence: "days:10",
        from: "2025-03-01",
        until: None,
        term: None,
        contacts: &["2025-03-10"],
        today: "2025-03-21",
        days_overdue: 1,
        due: Some("2025-03-20"),
        missed: 1,
        met: 1,
        last: Some("2025-03-10"),
        agenda: Agenda::Overdue,
    },
    Case {
        // Contact on P1's first day 03-11 meets P1; P0 missed; current P2 due 03-30.
        name: "days:10: contact on the first day of a period",
        cadence: "days:10",
        from: "2025-03-01",
        until: None,
        term: None,
        contacts: &["2025-03-11"],
        today: "2025-03-21",
        days_overdue: 0,
        due: Some("2025-03-30"),
        missed: 1,
        met: 1,
        last: Some("2025-03-11"),
        agenda: Agenda::Later,
    },
    Case {
        // Contact the day before from is ignored: P0 (..03-10) unmet → 1 day on 03-11.
        name: "days:10: contact before from ignored",
        cadence: "days:10",
        from: "2025-03-01",
        until: None,
        term: None,
        contacts: &["2025-02-28"],
        today: "2025-03-11",
        days_overdue: 1,
        due: Some("2025-03-10"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // days:1 from 2025-12-30: one-day periods. 12-30 and 12-31 met; 2026-01-01 (ended,
        // since today is 01-02) unmet → overdue 1 day from 01-01.
        name: "days:1: across the year end",
        cadence: "days:1",
        from: "2025-12-30",
        until: None,
        term: None,
        contacts: &["2025-12-30", "2025-12-31"],
        today: "2026-01-02",
        days_overdue: 1,
        due: Some("2026-01-01"),
        missed: 1,
        met: 2,
        last: Some("2025-12-31"),
        agenda: Agenda::Overdue,
    },
    Case {
        // days:7 from 2024-02-26: P0 = 02-26, 27, 28, 29, 03-01, 02, 03 (leap day inside).
        // Today 03-05 → 2 days after 03-03.
        name: "days:7: period containing Feb 29",
        cadence: "days:7",
        from: "2024-02-26",
        until: None,
        term: None,
        contacts: &[],
        today: "2024-03-05",
        days_overdue: 2,
        due: Some("2024-03-03"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    // ---- until. weekly from Wed 2025-09-03 until Wed 09-10: periods P0 (09-01..07) and
    //      P1 (09-08..14, kept whole: natural end 09-14).
    Case {
        // P0 met (09-05). Today 09-30: latest ended is P1 (the last), unmet, nothing since
        // 09-08 → overdue from its natural end 09-14: 16 days.
        name: "until: the last period keeps its natural end",
        cadence: "weekly",
        from: "2025-09-03",
        until: Some("2025-09-10"),
        term: None,
        contacts: &["2025-09-05"],
        today: "2025-09-30",
        days_overdue: 16,
        due: Some("2025-09-14"),
        missed: 1,
        met: 1,
        last: Some("2025-09-05"),
        agenda: Agenda::Overdue,
    },
    Case {
        // 09-12 is after until but inside P1's week → meets P1. Both met; no period left.
        name: "until: contact after until inside the last week meets it",
        cadence: "weekly",
        from: "2025-09-03",
        until: Some("2025-09-10"),
        term: None,
        contacts: &["2025-09-05", "2025-09-12"],
        today: "2025-09-30",
        days_overdue: 0,
        due: None,
        missed: 0,
        met: 2,
        last: Some("2025-09-12"),
        agenda: Agenda::Done,
    },
    Case {
        // 09-20 is past the last period: not a met period, but it is a contact since P1
        // began, so not overdue. P1 stays missed.
        name: "until: late contact after the schedule ended clears overdue",
        cadence: "weekly",
        from: "2025-09-03",
        until: Some("2025-09-10"),
        term: None,
        contacts: &["2025-09-05", "2025-09-20"],
        today: "2025-09-30",
        days_overdue: 0,
        due: None,
        missed: 1,
        met: 1,
        last: Some("2025-09-20"),
        agenda: Agenda::Done,
    },
    Case {
        // Today 09-09 in P1, P0 met, P1 unmet → due 09-14 (5 days).
        name: "until: still running",
        cadence: "weekly",
        from: "2025-09-03",
        until: Some("2025-09-10"),
        term: None,
        contacts: &["2025-09-05"],
        today: "2025-09-09",
        days_overdue: 0,
        due: Some("2025-09-14"),
        missed: 0,
        met: 1,
        last: Some("2025-09-05"),
        agenda: Agenda::Soon,
    },
    Case {
        // until before from: no periods at all.
        name: "until before from owes nothing",
        cadence: "monthly",
        from: "2025-09-03",
        until: Some("2025-09-01"),
        term: None,
        contacts: &[],
        today: "2025-12-01",
        days_overdue: 0,
        due: None,
        missed: 0,
        met: 0,
        last: None,
        agenda: Agenda::Done,
    },
    // ---- term:K. Term 2025-02-20 .. 2025-07-08, L = 139 days (Feb 20..28 = 9, Mar 31,
    //      Apr 30, May 31, Jun 30, Jul 8 → 139). Offsets: Mar 31 = +39, Apr 30 = +69,
    //      May 31 = +100.
    //      K = 3: d1 = S + floor(139/3) - 1 = S+45 = Apr 6; d2 = S + floor(278/3) - 1 =
    //      S+91 = May 22; d3 = S + 139 - 1 = Jul 8.
    //      K = 2: d1 = S + floor(139/2) - 1 = S+68 = Apr 29; d2 = Jul 8.
    Case {
        name: "term:3: first due today",
        cadence: "term:3",
        from: "2025-02-20",
        until: None,
        term: Some(("2025-02-20", "2025-07-08")),
        contacts: &[],
        today: "2025-04-06",
        days_overdue: 0,
        due: Some("2025-04-06"),
        missed: 0,
        met: 0,
        last: None,
        agenda: Agenda::Today,
    },
    Case {
        // n = 0, d1 = 04-06 < 04-07 → overdue 1 day.
        name: "term:3: first due passed",
        cadence: "term:3",
        from: "2025-02-20",
        until: None,
        term: Some(("2025-02-20", "2025-07-08")),
        contacts: &[],
        today: "2025-04-07",
        days_overdue: 1,
        due: Some("2025-04-06"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // n = 1 (04-10, late for d1). d2 = 05-22 < 05-23 and 1 < 2 → overdue 1 day from d2.
        // Missed: d1 (0 by 04-06 < 1), d2 (1 by 05-22 < 2) = 2.
        name: "term:3: one late contact, second due passed",
        cadence: "term:3",
        from: "2025-02-20",
        until: None,
        term: Some(("2025-02-20", "2025-07-08")),
        contacts: &["2025-04-10"],
        today: "2025-05-23",
        days_overdue: 1,
        due: Some("2025-05-22"),
        missed: 2,
        met: 1,
        last: Some("2025-04-10"),
        agenda: Agenda::Overdue,
    },
    Case {
        // n = 2: next due d3 = 07-08, not passed. Missed: d1 only (0 by 04-06); d2 has
        // 2 by 05-22.
        name: "term:3: caught up by the second due",
        cadence: "term:3",
        from: "2025-02-20",
        until: None,
        term: Some(("2025-02-20", "2025-07-08")),
        contacts: &["2025-04-10", "2025-05-01"],
        today: "2025-05-23",
        days_overdue: 0,
        due: Some("2025-07-08"),
        missed: 1,
        met: 2,
        last: Some("2025-05-01"),
        agenda: Agenda::Later,
    },
    Case {
        // 02-19 is before the term → ignored; 02-20 (term's first day) counts. n = 1;
        // d2 passed → overdue 1 day. Missed: d2 only.
        name: "term:3: contact on the term's first day counts, the day before does not",
        cadence: "term:3",
        from: "2025-02-20",
        until: None,
        term: Some(("2025-02-20", "2025-07-08")),
        contacts: &["2025-02-19", "2025-02-20"],
        today: "2025-05-23",
        days_overdue: 1,
        due: Some("2025-05-22"),
        missed: 1,
        met: 1,
        last: Some("2025-02-20"),
        agenda: Agenda::Overdue,
    },
    Case {
        // from 03-01 is after the term start: 02-25 does not count; dues stay on the term
        // grid, so d1 = 04-06 passed → 1 day.
        name: "term:3: contacts before a mid-term from do not count",
        cadence: "term:3",
        from: "2025-03-01",
        until: None,
        term: Some(("2025-02-20", "2025-07-08")),
        contacts: &["2025-02-25"],
        today: "2025-04-07",
        days_overdue: 1,
        due: Some("2025-04-06"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // K = 2, nothing logged, today 07-09 (term over): overdue from d1 = 04-29:
        // Apr 29→30 = 1, + May 31 = 32, + Jun 30 = 62, + Jul 9 = 71. Both dues missed.
        name: "term:2: nothing all term",
        cadence: "term:2",
        from: "2025-02-20",
        until: None,
        term: Some(("2025-02-20", "2025-07-08")),
        contacts: &[],
        today: "2025-07-09",
        days_overdue: 71,
        due: Some("2025-04-29"),
        missed: 2,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // Contacts exactly on d1 = 04-29 and d2 = 07-08 (the term's last day): all met.
        name: "term:2: contacts on the due dates",
        cadence: "term:2",
        from: "2025-02-20",
        until: None,
        term: Some(("2025-02-20", "2025-07-08")),
        contacts: &["2025-04-29", "2025-07-08"],
        today: "2025-07-20",
        days_overdue: 0,
        due: None,
        missed: 0,
        met: 2,
        last: Some("2025-07-08"),
        agenda: Agenda::Done,
    },
    Case {
        // K = 3, until 04-10: d1 = 04-06 is before until, d2's window (04-07..05-22) holds
        // until → d1, d2 kept, d3 dropped. Nothing logged, today 06-01: overdue from d1:
        // Apr 6→30 = 24, + May 31 = 55, + Jun 1 = 56. Missed d1, d2.
        name: "term:3 with until: dues after until's window dropped",
        cadence: "term:3",
        from: "2025-02-20",
        until: Some("2025-04-10"),
        term: Some(("2025-02-20", "2025-07-08")),
        contacts: &[],
        today: "2025-06-01",
        days_overdue: 56,
        due: Some("2025-04-06"),
        missed: 2,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // Same, two contacts before d1: both kept dues met, nothing more owed.
        name: "term:3 with until: done after the kept dues",
        cadence: "term:3",
        from: "2025-02-20",
        until: Some("2025-04-10"),
        term: Some(("2025-02-20", "2025-07-08")),
        contacts: &["2025-04-01", "2025-04-02"],
        today: "2025-07-20",
        days_overdue: 0,
        due: None,
        missed: 0,
        met: 2,
        last: Some("2025-04-02"),
        agenda: Agenda::Done,
    },
    Case {
        // L = 2 (03-01..03-02), K = 4: floor(i*2/4) - 1 = -1, 0, 0, 1 → clamped dues
        // 03-01, 03-01, 03-01, 03-02. One contact on 03-01, today 03-02: n = 1, d2 = 03-01
        // passed → 1 day. Missed: d2, d3 (1 contact by 03-01 < 2, < 3); d4 not passed.
        name: "term:4 over a two-day term: dues clamp to the first day",
        cadence: "term:4",
        from: "2025-03-01",
        until: None,
        term: Some(("2025-03-01", "2025-03-02")),
        contacts: &["2025-03-01"],
        today: "2025-03-02",
        days_overdue: 1,
        due: Some("2025-03-01"),
        missed: 2,
        met: 1,
        last: Some("2025-03-01"),
        agenda: Agenda::Overdue,
    },
    Case {
        // Without term dates there is nothing to date the dues by.
        name: "term without dates owes nothing",
        cadence: "term:2",
        from: "2025-03-01",
        until: None,
        term: None,
        contacts: &[],
        today: "2025-12-01",
        days_overdue: 0,
        due: None,
        missed: 0,
        met: 0,
        last: None,
        agenda: Agenda::Done,
    },
    // ---- once:14 from 2025-09-03: due 09-17.
    Case {
        name: "once: due today",
        cadence: "once:14",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &[],
        today: "2025-09-17",
        days_overdue: 0,
        due: Some("2025-09-17"),
        missed: 0,
        met: 0,
        last: None,
        agenda: Agenda::Today,
    },
    Case {
        // 7 days ahead: upcoming.
        name: "once: due in a week",
        cadence: "once:14",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &[],
        today: "2025-09-10",
        days_overdue: 0,
        due: Some("2025-09-17"),
        missed: 0,
        met: 0,
        last: None,
        agenda: Agenda::Soon,
    },
    Case {
        // 8 days ahead: not yet upcoming.
        name: "once: due in eight days",
        cadence: "once:14",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &[],
        today: "2025-09-09",
        days_overdue: 0,
        due: Some("2025-09-17"),
        missed: 0,
        met: 0,
        last: None,
        agenda: Agenda::Later,
    },
    Case {
        // 09-02 is before from → ignored; 09-20 - 09-17 = 3 days overdue.
        name: "once: overdue, early contact ignored",
        cadence: "once:14",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &["2025-09-02"],
        today: "2025-09-20",
        days_overdue: 3,
        due: Some("2025-09-17"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
    Case {
        // Contact on the due day: on time.
        name: "once: contact on the due date",
        cadence: "once:14",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &["2025-09-17"],
        today: "2025-10-01",
        days_overdue: 0,
        due: None,
        missed: 0,
        met: 1,
        last: Some("2025-09-17"),
        agenda: Agenda::Done,
    },
    Case {
        // Late contact 09-20: no longer overdue, but the window was missed.
        name: "once: late contact counts as missed",
        cadence: "once:14",
        from: "2025-09-03",
        until: None,
        term: None,
        contacts: &["2025-09-20"],
        today: "2025-10-01",
        days_overdue: 0,
        due: None,
        missed: 1,
        met: 1,
        last: Some("2025-09-20"),
        agenda: Agenda::Done,
    },
    Case {
        // once:1 from 2024-02-28 → due 02-29 (leap); today 03-01 → 1 day.
        name: "once: due on a leap day",
        cadence: "once:1",
        from: "2024-02-28",
        until: None,
        term: None,
        contacts: &[],
        today: "2024-03-01",
        days_overdue: 1,
        due: Some("2024-02-29"),
        missed: 1,
        met: 0,
        last: None,
        agenda: Agenda::Overdue,
    },
];

fn spec_of(c: &Case) -> ScheduleSpec {
    ScheduleSpec {
        cadence: c.cadence.parse().unwrap(),
        from: d(c.from),
        until: c.until.map(d),
        term: c.term.map(|(s, e)| (d(s), d(e))),
    }
}

#[test]
fn table() {
    let mut failures = Vec::new();
    for c in CASES {
        let today = d(c.today);
        let contacts: Vec<NaiveDate> = c.contacts.iter().map(|s| d(s)).collect();
        let got = status(&spec_of(c), &contacts, today);
        let want = Status {
            overdue: c.days_overdue > 0,
            days_overdue: c.days_overdue,
            due: c.due.map(d),
            missed: c.missed,
            met_periods: c.met,
            last_contact: c.last.map(d),
        };
        if got != want || agenda(&got, today) != c.agenda {
            failures.push(format!(
                "{}:\n   got {got:?} {:?}\n  want {want:?} {:?}",
                c.name,
                agenda(&got, today),
                c.agenda
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn periods_for_reports() {
    let spec = |cadence: &str, from: &str, until: Option<&str>| ScheduleSpec {
        cadence: cadence.parse().unwrap(),
        from: d(from),
        until: until.map(d),
        term: Some((d("2025-02-20"), d("2025-07-08"))),
    };
    // Monthly from Jan 31 2024, up to Mar 1: January, February (leap), March.
    assert_eq!(
        periods(&spec("monthly", "2024-01-31", None), d("2024-03-01")),
        [
            (d("2024-01-01"), d("2024-01-31")),
            (d("2024-02-01"), d("2024-02-29")),
            (d("2024-03-01"), d("2024-03-31")),
        ]
    );
    // Weekly until Wed 09-10: two natural weeks, however far up_to reaches.
    assert_eq!(
        periods(
            &spec("weekly", "2025-09-03", Some("2025-09-10")),
            d("2026-01-01")
        ),
        [
            (d("2025-09-01"), d("2025-09-07")),
            (d("2025-09-08"), d("2025-09-14")),
        ]
    );
    // term:3 windows end on the dues worked out in the table: Apr 6, May 22, Jul 8.
    assert_eq!(
        periods(&spec("term:3", "2025-02-20", None), d("2025-12-31")),
        [
            (d("2025-02-20"), d("2025-04-06")),
            (d("2025-04-07"), d("2025-05-22")),
            (d("2025-05-23"), d("2025-07-08")),
        ]
    );
    // once:14: one window; none before it starts.
    assert_eq!(
        periods(&spec("once:14", "2025-09-03", None), d("2025-09-03")),
        [(d("2025-09-03"), d("2025-09-17"))]
    );
    assert!(periods(&spec("once:14", "2025-09-03", None), d("2025-09-02")).is_empty());
}

// ---- properties

const EPOCH_DAYS_2000_TO_2100: i64 = 36_524;

fn day(offset: i64) -> NaiveDate {
    d("2000-01-01") + chrono::TimeDelta::days(offset)
}

fn cadence() -> impl Strategy<Value = Cadence> {
    prop_oneof![
        Just(Cadence::Weekly),
        Just(Cadence::Monthly),
        (1u32..60).prop_map(Cadence::Days),
        (1u32..20).prop_map(Cadence::Term),
        (1u32..120).prop_map(Cadence::Once),
    ]
}

/// A spec with `from` anywhere in 2000..2100, and dates near it so that periods, dues and
/// contacts actually interact; `today` is sometimes far away.
fn scenario() -> impl Strategy<Value = (ScheduleSpec, Vec<NaiveDate>, NaiveDate, NaiveDate)> {
    (
        cadence(),
        0..EPOCH_DAYS_2000_TO_2100 - 1000,
        proptest::option::of(-20i64..400),
        proptest::option::of((-60i64..60, 0i64..200)),
        proptest::collection::vec(-30i64..500, 0..8),
        prop_oneof![3 => -30i64..600, 1 => -5000i64..5000],
        -30i64..600,
    )
        .prop_map(|(cadence, from, until, term, contacts, today, extra)| {
            let spec = ScheduleSpec {
                cadence,
                from: day(from),
                until: until.map(|u| day(from + u)),
                term: term.map(|(s, len)| (day(from + s), day(from + s + len))),
            };
            let contacts = contacts.into_iter().map(|c| day(from + c)).collect();
            let today = day((from + today).clamp(0, EPOCH_DAYS_2000_TO_2100));
            (spec, contacts, today, day(from + extra))
        })
}

proptest! {
    #[test]
    fn overdue_days_are_consistent((spec, contacts, today, _) in scenario()) {
        let s = status(&spec, &contacts, today);
        prop_assert!(s.days_overdue >= 0);
        prop_assert_eq!(s.days_overdue > 0, s.overdue);
        if s.overdue {
            // Overdue always names the date it counts from, strictly in the past.
            let due = s.due.unwrap();
            prop_assert_eq!((today - due).num_days(), s.days_overdue);
        }
        if let Some(last) = s.last_contact {
            prop_assert!(last <= today && last >= spec.from);
        }
    }

    #[test]
    fn adding_a_contact_never_makes_things_worse((spec, contacts, today, extra) in scenario()) {
        let before = status(&spec, &contacts, today);
        let mut more = contacts.clone();
        more.push(extra);
        let after = status(&spec, &more, today);
        prop_assert!(after.days_overdue <= before.days_overdue, "{:?} -> {:?}", before, after);
        prop_assert!(after.missed <= before.missed, "{:?} -> {:?}", before, after);
        prop_assert!(after.met_periods >= before.met_periods);
    }

    #[test]
    fn contacts_before_the_start_change_nothing((spec, contacts, today, _) in scenario(), back in 1i64..400) {
        let start = match (spec.cadence, spec.term) {
            (Cadence::Term(_), Some((s, _))) => s.max(spec.from),
            _ => spec.from,
        };
        let mut more = contacts.clone();
        more.push(start - chrono::TimeDelta::days(back));
        prop_assert_eq!(status(&spec, &contacts, today), status(&spec, &more, today));
    }

    #[test]
    fn cadence_text_round_trips(c in cadence()) {
        prop_assert_eq!(c.to_string().parse::<Cadence>(), Ok(c));
    }
}
