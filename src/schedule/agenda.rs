//! The agenda: which obligation is due, overdue or missed, given the schedules, the contacts
//! and the calendar. Pure: records in, state out; the database and the views sit on either side.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{ScheduleSpec, Status, status};
use crate::model::{Agenda, AgendaItem, Cadence, Calendar, Contact, ContactKind, Schedule, Source};

/// The state of one schedule today, given every current contact of its student.
pub fn schedule_status(
    s: &Schedule,
    contacts: &[&Contact],
    cal: &Calendar,
    today: NaiveDate,
) -> Status {
    let dates: Vec<NaiveDate> = contacts
        .iter()
        .filter(|c| s.matches(c))
        .map(|c| c.at.date())
        .collect();
    let term = match s.cadence {
        // "At least K in a term": the term running today (or, before the schedule starts, the
        // one holding its first day).
        Cadence::Term(_) => cal.term_at(today.max(s.from)).map(|(_, a, b)| (a, b)),
        _ => None,
    };
    let spec = ScheduleSpec {
        cadence: s.cadence,
        from: s.from,
        until: s.until,
        term,
    };
    match s.ended {
        // An ended obligation is frozen on its last day: what was missed until then stays
        // missed, nothing after it is owed or overdue.
        Some(end) if end.on <= today => Status {
            overdue: false,
            days_overdue: 0,
            due: None,
            ..status(&spec, &dates, end.on)
        },
        _ => status(&spec, &dates, today),
    }
}

/// The state of every schedule today (same order as `schedules`), each judged against its
/// student's current contacts (corrected versions left out).
pub fn statuses(
    schedules: &[Schedule],
    contacts: &[Contact],
    cal: &Calendar,
    today: NaiveDate,
) -> Vec<Status> {
    let mut by_student: HashMap<&str, Vec<&Contact>> = HashMap::new();
    for c in contacts.iter().filter(|c| c.superseded_by.is_none()) {
        by_student.entry(c.student_id.as_str()).or_default().push(c);
    }
    schedules
        .iter()
        .map(|s| {
            let cs = by_student
                .get(s.student_id.as_str())
                .map_or(&[][..], Vec::as_slice);
            schedule_status(s, cs, cal, today)
        })
        .collect()
}

/// The note of the once-off talk a contact's next-talk date schedules.
pub fn next_talk_note(lang: crate::locale::Lang) -> &'static str {
    lang.pick("约定的下次谈话", "agreed next talk")
}

/// The once-off talk an agreed next-talk date stands for: it starts the day after the contact
/// (so the contact being logged does not meet it) and is due on the agreed day. None when the
/// contact names no next talk or names one not after its own date.
pub fn next_talk_schedule(c: &Contact, note: &str) -> Option<Schedule> {
    let next = c.next_talk?;
    let days = (next - c.at.date()).num_days() - 1;
    Some(Schedule {
        id: 0,
        student_id: c.student_id.clone(),
        kind: ContactKind::Talk,
        role: c.role,
        cadence: Cadence::Once(u32::try_from(days).ok()?),
        from: c.at.date().succ_opt()?,
        until: None,
        source: Source::Manual,
        note: note.to_string(),
        ended: None,
    })
}

/// Which agenda group a schedule in state `st` falls in today, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AgendaGroup {
    Overdue,
    Today,
    /// Due within 7 days, today excluded.
    Week,
}

impl AgendaGroup {
    /// Where an obligation stands within its group, as the CLI and the TUI list it: the most
    /// overdue first; today's by student; the week's by day, then student; ties by schedule.
    pub fn order_key<'a>(
        self,
        st: &Status,
        student_id: &'a str,
        schedule_id: i64,
    ) -> (std::cmp::Reverse<i64>, Option<NaiveDate>, &'a str, i64) {
        match self {
            AgendaGroup::Overdue => (
                std::cmp::Reverse(st.days_overdue),
                None,
                student_id,
                schedule_id,
            ),
            AgendaGroup::Today => (std::cmp::Reverse(0), None, student_id, schedule_id),
            AgendaGroup::Week => (std::cmp::Reverse(0), st.due, student_id, schedule_id),
        }
    }

    pub fn of(st: &Status, today: NaiveDate) -> Option<AgendaGroup> {
        if st.overdue {
            Some(AgendaGroup::Overdue)
        } else if st.is_due_today(today) {
            Some(AgendaGroup::Today)
        } else if st.is_upcoming(today) {
            Some(AgendaGroup::Week)
        } else {
            None
        }
    }
}

/// Overdue (most overdue first), due today, and due within 7 days (soonest first).
pub fn agenda(
    schedules: &[Schedule],
    contacts: &[Contact],
    cal: &Calendar,
    today: NaiveDate,
) -> Agenda {
    let mut listed: Vec<(AgendaGroup, Status, &Schedule)> = schedules
        .iter()
        .zip(statuses(schedules, contacts, cal, today))
        .filter_map(|(s, st)| AgendaGroup::of(&st, today).map(|g| (g, st, s)))
        .collect();
    listed.sort_by(|(g, st, s), (h, su, t)| {
        (g, g.order_key(st, &s.student_id, s.id)).cmp(&(h, h.order_key(su, &t.student_id, t.id)))
    });
    let mut out = Agenda::default();
    for (g, st, s) in listed {
        let item = AgendaItem {
            student_id: s.student_id.clone(),
            schedule_id: s.id,
            kind: s.kind,
            role: s.role,
            cadence: s.cadence,
            due: st.due,
            days_overdue: st.days_overdue,
            missed: st.missed,
            last_contact: st.last_contact,
            note: s.note.clone(),
        };
        match g {
            AgendaGroup::Overdue => out.overdue.push(item),
            AgendaGroup::Today => out.due_today.push(item),
            AgendaGroup::Week => out.upcoming.push(item),
        }
    }
    out
}

/// Each student's most urgent obligation: the most overdue, else the one due soonest.
pub fn most_urgent(
    schedules: &[Schedule],
    contacts: &[Contact],
    cal: &Calendar,
    today: NaiveDate,
) -> HashMap<String, (Schedule, Status)> {
    let mut out: HashMap<String, (Schedule, Status)> = HashMap::new();
    for (s, st) in schedules
        .iter()
        .zip(statuses(schedules, contacts, cal, today))
    {
        let Some(due) = st.due else { continue };
        let urgency = |st: &Status, due: NaiveDate| (std::cmp::Reverse(st.days_overdue), due);
        let better = match out.get(&s.student_id) {
            None => true,
            Some((_, old)) => old
                .due
                .is_none_or(|od| urgency(&st, due) < urgency(old, od)),
        };
        if better {
            out.insert(s.student_id.clone(), (s.clone(), st));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Channel, Ending, ExemptReason, Role, With};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn contact(student: &str, kind: ContactKind, role: Option<Role>, at: &str) -> Contact {
        Contact {
            id: 1,
            role,
            ..Contact::new(student, d(at).and_hms_opt(10, 0, 0).unwrap(), "t", kind)
        }
    }

    fn weekly(role: Option<Role>) -> Schedule {
        Schedule {
            id: 7,
            student_id: "S1".into(),
            kind: ContactKind::Talk,
            role,
            cadence: Cadence::Weekly,
            from: d("2025-09-01"),
            until: None,
            source: Source::Manual,
            note: String::new(),
            ended: None,
        }
    }

    #[test]
    fn matching_needs_student_kind_and_the_named_role() {
        let s = weekly(Some(Role::Counsellor));
        assert!(s.matches(&contact(
            "S1",
            ContactKind::Talk,
            Some(Role::Counsellor),
            "2025-09-02"
        )));
        assert!(!s.matches(&contact(
            "S1",
            ContactKind::Talk,
            Some(Role::ClassTeacher),
            "2025-09-02"
        )));
        assert!(!s.matches(&contact("S1", ContactKind::Talk, None, "2025-09-02")));
        assert!(!s.matches(&contact(
            "S2",
            ContactKind::Talk,
            Some(Role::Counsellor),
            "2025-09-02"
        )));
        assert!(!s.matches(&contact(
            "S1",
            ContactKind::ParentContact,
            Some(Role::Counsellor),
            "2025-09-02"
        )));
        assert!(weekly(None).matches(&contact(
            "S1",
            ContactKind::Talk,
            Some(Role::Helper),
            "2025-09-02"
        )));
    }

    #[test]
    fn agenda_sorts_overdue_and_a_correction_does_not_count_twice() {
        let cal = Calendar::default();
        let today = d("2025-09-17"); // Wednesday of the third week
        let s = weekly(None);
        // Week 1 met, week 2 (Sep 8-14) unmet → overdue 3 days.
        let mut c = contact("S1", ContactKind::Talk, None, "2025-09-02");
        let a = agenda(
            std::slice::from_ref(&s),
            std::slice::from_ref(&c),
            &cal,
            today,
        );
        assert_eq!(a.overdue.len(), 1);
        assert_eq!(
            (a.overdue[0].days_overdue, a.overdue[0].due),
            (3, Some(d("2025-09-14")))
        );
        // The only contact was superseded by a correction that is not loaded: nothing counts.
        c.superseded_by = Some(9);
        let a = agenda(std::slice::from_ref(&s), &[c], &cal, today);
        assert_eq!(
            a.overdue[0].days_overdue, 10,
            "week 1 (ended Sep 7) is now the earliest unmet"
        );
    }

    /// The order both the CLI and the TUI list an agenda group in.
    #[test]
    fn each_group_has_its_order() {
        let st = |days_overdue: i64, due: &str| Status {
            overdue: days_overdue > 0,
            days_overdue,
            due: Some(d(due)),
            missed: 0,
            met_periods: 0,
            last_contact: None,
        };
        let sorted = |g: AgendaGroup, items: &[(Status, &'static str, i64)]| -> Vec<i64> {
            let mut v = items.to_vec();
            v.sort_by(|a, b| {
                g.order_key(&a.0, a.1, a.2)
                    .cmp(&g.order_key(&b.0, b.1, b.2))
            });
            v.iter().map(|x| x.2).collect()
        };
        let overdue = [
            (st(3, "2025-09-14"), "S2", 1),
            (st(10, "2025-09-07"), "S3", 2),
            (st(3, "2025-09-14"), "S1", 3),
            (st(3, "2025-09-14"), "S1", 0),
        ];
        assert_eq!(sorted(AgendaGroup::Overdue, &overdue), [2, 0, 3, 1]);
        let today = [
            (st(0, "2025-09-17"), "S2", 1),
            (st(0, "2025-09-17"), "S1", 2),
        ];
        assert_eq!(sorted(AgendaGroup::Today, &today), [2, 1]);
        let week = [
            (st(0, "2025-09-20"), "S1", 1),
            (st(0, "2025-09-18"), "S9", 2),
            (st(0, "2025-09-20"), "S0", 3),
        ];
        assert_eq!(sorted(AgendaGroup::Week, &week), [2, 3, 1]);
    }

    #[test]
    fn an_ended_obligation_is_frozen_on_its_last_day() {
        let cal = Calendar::default();
        let mut s = weekly(None);
        let end = d("2025-09-17");
        let at_end = schedule_status(&s, &[], &cal, end);
        assert!(at_end.overdue);
        s.ended = Some(Ending {
            on: end,
            change: crate::model::Change::Lifted,
        });
        for later in ["2025-09-17", "2025-10-30", "2026-06-01"] {
            let st = schedule_status(&s, &[], &cal, d(later));
            assert_eq!(
                (st.overdue, st.days_overdue, st.due, st.missed),
                (false, 0, None, at_end.missed),
                "{later}"
            );
        }
        // Before its end it is an ordinary obligation.
        assert_eq!(
            schedule_status(&s, &[], &cal, d("2025-09-10")),
            schedule_status(&weekly(None), &[], &cal, d("2025-09-10"))
        );
    }

    #[test]
    fn words_parse_ids_and_chinese() {
        assert_eq!("phone".parse::<Channel>().unwrap(), Channel::Phone);
        assert_eq!("微信".parse::<Channel>().unwrap(), Channel::Wechat);
        assert_eq!("both".parse::<With>().unwrap(), With::Both);
        assert!(
            "fax"
                .parse::<Channel>()
                .unwrap_err()
                .contains("face-to-face")
        );
        assert_eq!("休学".parse::<ExemptReason>().unwrap(), ExemptReason::Leave);
    }

    #[test]
    fn next_talk_is_a_once_off_talk_due_on_the_agreed_day() {
        let mut c = contact(
            "S1",
            ContactKind::Talk,
            Some(Role::Counsellor),
            "2025-09-03",
        );
        assert_eq!(next_talk_schedule(&c, "n"), None);
        c.next_talk = Some(d("2025-09-10"));
        let s = next_talk_schedule(&c, "agreed").unwrap();
        assert_eq!(
            (s.from, s.role, s.kind),
            (d("2025-09-04"), Some(Role::Counsellor), ContactKind::Talk)
        );
        let st = schedule_status(&s, &[&c], &Calendar::default(), d("2025-09-05"));
        assert_eq!(
            st.due,
            Some(d("2025-09-10")),
            "the logged contact does not meet it"
        );
        c.next_talk = Some(d("2025-09-03"));
        assert_eq!(next_talk_schedule(&c, "n"), None, "not after the contact");
    }
}
