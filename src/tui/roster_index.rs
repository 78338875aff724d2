//! A snapshot plus what the roster derives from it once per load (sanitised text, search
//! haystacks, the default triage order, class and teacher lists, column widths). Built in
//! the loader thread, so a big load never stalls a keystroke.

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use crate::text;

use super::model::{Snapshot, Triage, sanitize_snapshot};
use super::search::SearchIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Who needs attention first: see [`Urgency`].
    Triage,
    Id,
    Name,
    Class,
    LastContact,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::Triage,
        SortKey::Id,
        SortKey::Name,
        SortKey::Class,
        SortKey::LastContact,
    ];

    pub fn next(self) -> SortKey {
        let i = SortKey::ALL.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ALL[(i + 1) % SortKey::ALL.len()]
    }
}

/// What the default (triage) order compares, most urgent first: the tier (with the worst
/// status outcome, e.g. dismissal above repeat-year, inside it), then days overdue on the
/// most overdue follow-up, then the last contact (never contacted first, then the longest
/// ago); the student id breaks ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Urgency {
    /// 0 without a tier, 1 for the mildest …
    pub tier: usize,
    /// 0 without a status outcome, else 1 + its place in the policy's status list.
    pub status: usize,
    pub days_overdue: i64,
    pub last_contact: Option<NaiveDate>,
}

impl Urgency {
    /// Sorts ascending into most urgent first, under weights `w` (see [`Triage`]).
    pub fn key(self, w: Triage, today: NaiveDate) -> impl Ord {
        const CAP: i64 = 999;
        let tier = i64::try_from(self.tier * 16 + self.status.min(15)).unwrap_or(i64::MAX / 4);
        let since = self
            .last_contact
            .map_or(CAP, |d| (today - d).num_days().clamp(0, CAP));
        let score = w
            .tier
            .saturating_mul(tier)
            .saturating_add(
                w.overdue_day
                    .saturating_mul(self.days_overdue.clamp(0, CAP)),
            )
            .saturating_add(w.contact_day.saturating_mul(since));
        Reverse(score)
    }
}

pub struct RosterIndex {
    pub snapshot: Snapshot,
    /// The data source's version this was read at.
    pub version: u64,
    pub index: SearchIndex,
    /// Row of each student id.
    by_id: HashMap<String, u32>,
    /// Row indices in triage order (the default).
    pub triage_order: Vec<u32>,
    pub classes: Vec<String>,
    /// Class teachers and counsellors, one entry per name.
    pub staff: Vec<String>,
    /// Widest id, name and class, in display columns (for column sizing).
    pub id_width: usize,
    pub name_width: usize,
    pub class_width: usize,
    /// Widest follow-up label (what is owed).
    pub followup_label_width: usize,
    pub has_followups: bool,
    pub has_exempt: bool,
    /// Students with an overdue follow-up.
    pub overdue_count: usize,
    /// Every last contact falls in the year of `snapshot.today`: dates can drop the year.
    pub contacts_this_year: bool,
}

impl RosterIndex {
    pub fn build(mut snapshot: Snapshot, version: u64) -> RosterIndex {
        sanitize_snapshot(&mut snapshot);
        for e in snapshot.entries.iter_mut().filter(|e| e.exempt.is_some()) {
            // Exempt students owe nothing, whatever a source says.
            e.followup = None;
        }
        let entries = &snapshot.entries;
        // The pinyin haystacks are the biggest part of a load: build them on the other core
        // while this one does the rest, so the first frame comes sooner.
        let mut data = std::thread::scope(|scope| {
            let haystacks = std::thread::Builder::new()
                .name("yujing-index".into())
                .spawn_scoped(scope, || SearchIndex::build(entries));
            let mut data = RosterIndex::derive(&snapshot, version);
            data.index = match haystacks.map(|h| h.join()) {
                Ok(Ok(index)) => index,
                // No thread to be had (or it failed): build it here.
                _ => SearchIndex::build(entries),
            };
            data
        });
        data.snapshot = snapshot;
        data.triage_order = data.order(SortKey::Triage);
        data
    }

    /// What is derived from `snapshot` but the search index and the triage order; the
    /// snapshot itself is moved in afterwards.
    fn derive(snapshot: &Snapshot, version: u64) -> RosterIndex {
        let entries = &snapshot.entries;
        let by_id = entries
            .iter()
            .zip(0u32..)
            .map(|(e, r)| (e.student.student_id.clone(), r))
            .collect();
        let mut classes = BTreeSet::new();
        let mut staff = BTreeSet::new();
        let (mut id_width, mut name_width, mut class_width) = (0, 0, 0);
        for e in entries {
            let s = &e.student;
            id_width = id_width.max(text::width(&s.student_id));
            name_width = name_width.max(text::width(&s.name));
            class_width = class_width.max(text::width(&s.class));
            if !s.class.is_empty() {
                classes.insert(s.class.clone());
            }
            for t in [&s.class_teacher, &s.counsellor] {
                if !t.is_empty() {
                    staff.insert(t.clone());
                }
            }
        }
        let has_followups = entries.iter().any(|e| e.followup.is_some());
        let followup_label_width = entries
            .iter()
            .filter_map(|e| e.followup.as_ref())
            .map(|f| text::width(&f.label))
            .max()
            .unwrap_or(0);
        let has_exempt = entries.iter().any(|e| e.exempt.is_some());
        let overdue_count = entries.iter().filter(|e| e.is_overdue()).count();
        let year = chrono::Datelike::year(&snapshot.today);
        let contacts_this_year = entries
            .iter()
            .filter_map(|e| e.last_contact)
            .all(|d| chrono::Datelike::year(&d) == year);
        RosterIndex {
            snapshot: Snapshot::default(),
            version,
            index: SearchIndex::default(),
            by_id,
            triage_order: Vec::new(),
            classes: classes.into_iter().collect(),
            staff: staff.into_iter().collect(),
            id_width,
            name_width,
            class_width,
            followup_label_width,
            has_followups,
            has_exempt,
            overdue_count,
            contacts_this_year,
        }
    }

    /// Columns the widest follow-up cell takes (`逾期12天 班主任谈话`), so the column can
    /// show it whole when the screen has room.
    pub fn followup_width(&self, lang: super::i18n::Lang) -> usize {
        self.followup_label_width
            + text::width(&super::i18n::followup_text(lang, 99, self.snapshot.today))
            + 1
    }

    /// The row of the student with this id.
    pub fn row_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).map(|&r| r as usize)
    }

    /// The schedules in force for one student.
    pub fn schedules_of<'a>(
        &'a self,
        id: &'a str,
    ) -> impl Iterator<Item = &'a super::model::ScheduleView> + 'a {
        self.snapshot
            .schedules
            .iter()
            .filter(move |v| v.schedule.student_id == id)
    }

    pub fn len(&self) -> usize {
        self.snapshot.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.snapshot.entries.is_empty()
    }

    pub fn tier_count(&self) -> usize {
        self.snapshot.policy.as_ref().map_or(0, |p| p.tiers.len())
    }

    /// How severe a status outcome is: later entries of the policy's status list are worse.
    fn status_rank(&self, row: usize) -> usize {
        let e = &self.snapshot.entries[row];
        let Some(p) = &self.snapshot.policy else {
            return e.eval.status.len();
        };
        e.eval
            .status
            .iter()
            .map(|s| {
                p.status
                    .iter()
                    .position(|r| &r.id == s)
                    .map_or(1, |i| i + 1)
            })
            .max()
            .unwrap_or(0)
    }

    /// How urgent row `row` is (the triage order's key).
    pub fn urgency(&self, row: usize) -> Urgency {
        let e = &self.snapshot.entries[row];
        Urgency {
            tier: e.eval.tier_index.map_or(0, |i| i + 1),
            status: self.status_rank(row),
            days_overdue: e.followup.as_ref().map_or(0, |f| f.days_overdue.max(0)),
            last_contact: e.last_contact,
        }
    }

    /// Row indices in `key` order (ties broken by student id, so the order is stable).
    pub fn order(&self, key: SortKey) -> Vec<u32> {
        let n = u32::try_from(self.len()).unwrap_or(u32::MAX);
        let mut rows: Vec<u32> = (0..n).collect();
        let e = &self.snapshot.entries;
        let id = |r: u32| e[r as usize].student.student_id.as_str();
        match key {
            SortKey::Triage => {
                let (w, today) = (self.snapshot.triage, self.snapshot.today);
                rows.sort_by_cached_key(|&r| {
                    (self.urgency(r as usize).key(w, today), id(r).to_string())
                });
            }
            SortKey::Id => rows.sort_by(|&a, &b| id(a).cmp(id(b))),
            SortKey::Name => rows.sort_by(|&a, &b| {
                (self.index.name_key(a), id(a)).cmp(&(self.index.name_key(b), id(b)))
            }),
            SortKey::Class => rows.sort_by(|&a, &b| {
                let class = |r: u32| e[r as usize].student.class.as_str();
                (class(a), id(a)).cmp(&(class(b), id(b)))
            }),
            // Never contacted first, then the longest ago: who needs a call next.
            SortKey::LastContact => rows.sort_by(|&a, &b| {
                let last = |r: u32| e[r as usize].last_contact;
                (last(a), id(a)).cmp(&(last(b), id(b)))
            }),
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::{Student, Term};
    use crate::policy::Evaluation;
    use crate::tui::model::{FollowupMark, RosterEntry};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    /// (id, tier index, status, days overdue, last contact day, exempt)
    type Case = (&'static str, Option<usize>, bool, i64, Option<u32>, bool);

    fn entry(&(id, tier, status, overdue, last, exempt): &Case) -> RosterEntry {
        RosterEntry {
            student: Student {
                student_id: id.into(),
                ..Student::default()
            },
            eval: Evaluation {
                student_id: id.into(),
                term: Term { year: 2024, n: 1 },
                tier_index: tier,
                tier: None,
                severity: 0,
                status: if status {
                    vec!["repeat_year".into()]
                } else {
                    vec![]
                },
                ..Evaluation::none(id, Term { year: 2024, n: 1 })
            },
            last_contact: last.map(day),
            followup: (overdue > 0).then(|| FollowupMark {
                label: "谈话".into(),
                due: day(1),
                days_overdue: overdue,
            }),
            exempt: exempt.then(|| "休学".into()),
        }
    }

    #[test]
    fn triage_orders_by_tier_then_overdue_then_last_contact_then_id() {
        let cases: [Case; 9] = [
            ("A", Some(2), false, 0, Some(10), false),
            ("B", Some(2), true, 0, Some(15), false),
            ("C", Some(2), false, 5, Some(18), false),
            ("D", Some(2), false, 5, None, false),
            ("E", Some(2), false, 0, Some(1), false),
            ("F", Some(1), false, 30, None, false),
            ("G", None, false, 2, None, false),
            ("H", Some(2), false, 0, Some(10), false),
            // Exempt: a stale overdue mark does not count.
            ("X", Some(2), false, 40, Some(12), true),
        ];
        let build = |triage: crate::tui::model::Triage| {
            let snapshot = crate::tui::model::Snapshot {
                policy_error: None,
                entries: cases.iter().map(entry).collect(),
                today: day(28),
                triage,
                ..Default::default()
            };
            RosterIndex::build(snapshot, 0)
        };
        let ids = |data: &RosterIndex| -> Vec<String> {
            data.triage_order
                .iter()
                .map(|&r| data.snapshot.entries[r as usize].student.student_id.clone())
                .collect()
        };
        let data = build(Default::default());
        assert_eq!(ids(&data), ["B", "D", "C", "E", "A", "H", "X", "F", "G"]);
        assert_eq!(data.overdue_count, 4);
        assert!(data.snapshot.entries[8].followup.is_none());
        // Weights are a setting: when a day without contact outweighs a tier, the students
        // never contacted come first whatever their tier.
        let contact_first = crate::tui::model::Triage {
            tier: 1,
            overdue_day: 0,
            contact_day: 1_000,
        };
        assert_eq!(ids(&build(contact_first))[..3], ["D", "F", "G"]);
    }
}
