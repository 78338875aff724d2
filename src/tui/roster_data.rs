//! A snapshot plus what the roster derives from it once per load (sanitised text, search
//! haystacks, the default severity order, class and teacher lists, column widths). Built in
//! the loader thread, so a big load never stalls a keystroke.

use std::collections::BTreeSet;

use crate::text;

use super::data::{Snapshot, sanitize_snapshot};
use super::search::SearchIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    Severity,
    Id,
    Name,
    Class,
    LastContact,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::Severity,
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

pub struct RosterData {
    pub snapshot: Snapshot,
    /// The data source's version this was read at.
    pub version: u64,
    pub index: SearchIndex,
    /// Row indices, most severe first.
    pub severity_order: Vec<u32>,
    pub classes: Vec<String>,
    /// Class teachers and counsellors, one entry per name.
    pub staff: Vec<String>,
    /// Widest id, name and class, in display columns (for column sizing).
    pub id_width: usize,
    pub name_width: usize,
    pub class_width: usize,
    pub has_followups: bool,
    /// Every last contact falls in the year of `snapshot.today`: dates can drop the year.
    pub contacts_this_year: bool,
}

impl RosterData {
    pub fn build(mut snapshot: Snapshot, version: u64) -> RosterData {
        sanitize_snapshot(&mut snapshot);
        let entries = &snapshot.entries;
        let index = SearchIndex::build(entries);
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
        let year = chrono::Datelike::year(&snapshot.today);
        let contacts_this_year = entries
            .iter()
            .filter_map(|e| e.last_contact)
            .all(|d| chrono::Datelike::year(&d) == year);
        let mut data = RosterData {
            snapshot,
            version,
            index,
            severity_order: Vec::new(),
            classes: classes.into_iter().collect(),
            staff: staff.into_iter().collect(),
            id_width,
            name_width,
            class_width,
            has_followups,
            contacts_this_year,
        };
        data.severity_order = data.order(SortKey::Severity);
        data
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

    /// Row indices in `key` order (ties broken by student id, so the order is stable).
    pub fn order(&self, key: SortKey) -> Vec<u32> {
        let n = u32::try_from(self.len()).unwrap_or(u32::MAX);
        let mut rows: Vec<u32> = (0..n).collect();
        let e = &self.snapshot.entries;
        let id = |r: u32| e[r as usize].student.student_id.as_str();
        match key {
            SortKey::Severity => {
                let tier = |r: u32| e[r as usize].eval.tier_index.map_or(0, |i| i + 1);
                rows.sort_by_cached_key(|&r| {
                    (
                        std::cmp::Reverse((tier(r), self.status_rank(r as usize))),
                        id(r).to_string(),
                    )
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
