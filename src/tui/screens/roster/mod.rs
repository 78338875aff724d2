//! The roster: one row per student in triage order, a tier bar with counts (Tab cycles the
//! tier filter, `o` shows only the overdue), a search field that filters as you type, other
//! sort orders, class and teacher filters; `l`, `s` and `a` open the follow-up forms and
//! the agenda.

use std::sync::Arc;

use ratatui::layout::Rect;

mod view;

use super::super::action::Action;
use super::super::keymap::Context;
use super::super::model::RosterEntry;
use super::super::roster_index::{RosterIndex, SortKey};
use super::super::search::Query;
use super::super::widgets::table::scroll_offset;
use super::PickKind;
use super::picker::PickerScreen;
use super::student::StudentScreen;
use super::{Open, Outcome, Push};

/// Rows taken above the table: title, tier bar, search and filter line, table header.
const CHROME_ROWS: u16 = 4;

/// Mouse wheel step.
const WHEEL_ROWS: usize = 3;

pub struct RosterScreen {
    data: Arc<RosterIndex>,
    sort: SortKey,
    order: Vec<u32>,
    tier_filter: Option<usize>,
    class_filter: Option<String>,
    staff_filter: Option<String>,
    overdue_only: bool,
    query: String,
    searching: bool,
    /// Rows matching the query, class and teacher filters, in sort order.
    hits: Vec<u32>,
    hits_query: Query,
    /// `hits` narrowed to the tier filter: what the table shows.
    view: Vec<u32>,
    /// Students per tier among `hits` (index = tier index).
    counts: Vec<usize>,
    /// Students with something overdue among `hits`: the bar counts what the search shows.
    overdue: usize,
    selected: usize,
    offset: usize,
    page: usize,
}

impl RosterScreen {
    pub fn new(data: Arc<RosterIndex>, area: Rect) -> RosterScreen {
        let mut s = RosterScreen {
            order: data.triage_order.clone(),
            data,
            sort: SortKey::Triage,
            tier_filter: None,
            class_filter: None,
            staff_filter: None,
            overdue_only: false,
            query: String::new(),
            searching: false,
            hits: Vec::new(),
            hits_query: Query::default(),
            view: Vec::new(),
            counts: Vec::new(),
            overdue: 0,
            selected: 0,
            offset: 0,
            page: 1,
        };
        s.resize(area);
        s.refilter();
        s
    }

    pub fn data(&self) -> &Arc<RosterIndex> {
        &self.data
    }

    /// New data from the source: filters, sort, query and the selected student stay.
    pub fn replace_data(&mut self, data: Arc<RosterIndex>) {
        let keep = self.selected_entry().map(|e| e.student.student_id.clone());
        self.data = data;
        self.order = self.data.order(self.sort);
        if self
            .tier_filter
            .is_some_and(|t| t >= self.data.tier_count())
        {
            self.tier_filter = None;
        }
        self.refilter();
        if let Some(id) = keep {
            self.select_id(&id);
        }
    }

    pub fn context(&self) -> Context {
        if self.searching {
            Context::Search
        } else {
            Context::Roster
        }
    }

    pub fn resize(&mut self, area: Rect) {
        self.page = usize::from(area.height.saturating_sub(CHROME_ROWS)).max(1);
        self.offset = scroll_offset(self.offset, self.selected, self.view.len(), self.page);
    }

    pub fn selected_entry(&self) -> Option<&RosterEntry> {
        let row = *self.view.get(self.selected)?;
        self.data.snapshot.entries.get(row as usize)
    }

    pub fn selected_id(&self) -> Option<&str> {
        self.selected_entry().map(|e| e.student.student_id.as_str())
    }

    /// The rows the table shows, in order.
    pub fn visible_entries(&self) -> impl Iterator<Item = &RosterEntry> {
        self.view
            .iter()
            .map(|&r| &self.data.snapshot.entries[r as usize])
    }

    /// Number of rows the table shows.
    pub fn visible_len(&self) -> usize {
        self.view.len()
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    fn select_id(&mut self, id: &str) {
        let entries = &self.data.snapshot.entries;
        if let Some(pos) = self
            .view
            .iter()
            .position(|&r| entries[r as usize].student.student_id == id)
        {
            self.select(pos);
        }
    }

    /// A left click at screen row `y` in `area` (the roster's area): selects the row there.
    pub fn click(&mut self, area: Rect, y: u16) -> bool {
        let Some(n) = y.checked_sub(area.y + CHROME_ROWS) else {
            return false;
        };
        let i = self.offset + usize::from(n);
        if i >= self.view.len() || i == self.selected {
            return false;
        }
        self.select(i);
        true
    }

    fn select(&mut self, i: usize) {
        self.selected = i.min(self.view.len().saturating_sub(1));
        self.offset = scroll_offset(self.offset, self.selected, self.view.len(), self.page);
    }

    fn passes_filters(&self, row: u32) -> bool {
        let e = &self.data.snapshot.entries[row as usize];
        let s = &e.student;
        (!self.overdue_only || e.is_overdue())
            && self.class_filter.as_ref().is_none_or(|c| &s.class == c)
            && self
                .staff_filter
                .as_ref()
                .is_none_or(|t| &s.class_teacher == t || &s.counsellor == t)
    }

    /// Recomputes the hits from the whole roster (sort, class, teacher or data changed).
    fn refilter(&mut self) {
        let q = Query::new(&self.query);
        let hits: Vec<u32> = self
            .order
            .iter()
            .copied()
            .filter(|&r| self.passes_filters(r) && self.data.index.matches(r, &q))
            .collect();
        self.hits = hits;
        self.hits_query = q;
        if self.overdue_only && self.sort == SortKey::Triage {
            // Only the overdue: the most overdue first (stable, so ties keep triage order).
            let entries = &self.data.snapshot.entries;
            let days = |r: u32| {
                entries[r as usize]
                    .followup
                    .as_ref()
                    .map_or(0, |f| f.days_overdue)
            };
            self.hits.sort_by_key(|&r| std::cmp::Reverse(days(r)));
        }
        self.apply_tier();
    }

    /// The query changed: when it only grew, filter the previous hits (much smaller).
    fn requery(&mut self) {
        let q = Query::new(&self.query);
        if self.hits_query.narrows_to(&q) {
            let index = &self.data.index;
            self.hits.retain(|&r| index.matches(r, &q));
            self.hits_query = q;
            self.apply_tier();
        } else {
            self.refilter();
        }
        self.select(0);
    }

    fn apply_tier(&mut self) {
        let entries = &self.data.snapshot.entries;
        let mut counts = vec![0; self.data.tier_count()];
        for &r in &self.hits {
            if let Some(c) = entries[r as usize]
                .eval
                .tier_index
                .and_then(|t| counts.get_mut(t))
            {
                *c += 1;
            }
        }
        self.counts = counts;
        self.overdue = self
            .hits
            .iter()
            .filter(|&&r| entries[r as usize].is_overdue())
            .count();
        self.view = match self.tier_filter {
            None => self.hits.clone(),
            Some(t) => self
                .hits
                .iter()
                .copied()
                .filter(|&r| entries[r as usize].eval.tier_index == Some(t))
                .collect(),
        };
        self.select(self.selected);
    }

    /// All → most severe tier → … → least severe → all.
    fn cycle_tier(&mut self, forward: bool) {
        let n = self.data.tier_count();
        if n == 0 {
            return;
        }
        self.tier_filter = match (self.tier_filter, forward) {
            (None, true) => Some(n - 1),
            (Some(0), true) => None,
            (Some(t), true) => Some(t - 1),
            (None, false) => Some(0),
            (Some(t), false) if t + 1 >= n => None,
            (Some(t), false) => Some(t + 1),
        };
        self.apply_tier();
        self.select(0);
    }

    pub fn set_filter(&mut self, kind: PickKind, value: Option<String>) {
        match kind {
            PickKind::Class => self.class_filter = value,
            PickKind::Staff => self.staff_filter = value,
        }
        self.refilter();
        self.select(0);
    }

    pub fn update(&mut self, action: Action) -> Outcome {
        let last = self.view.len().saturating_sub(1);
        match action {
            Action::Down => self.select(self.selected.saturating_add(1)),
            Action::Up => self.select(self.selected.saturating_sub(1)),
            Action::ScrollDown => self.select(self.selected.saturating_add(WHEEL_ROWS)),
            Action::ScrollUp => self.select(self.selected.saturating_sub(WHEEL_ROWS)),
            Action::PageDown => self.select(self.selected.saturating_add(self.page)),
            Action::PageUp => self.select(self.selected.saturating_sub(self.page)),
            Action::Top => self.select(0),
            Action::Bottom => self.select(last),
            Action::LogContact | Action::Schedule => {
                let Some(id) = self.selected_id().map(str::to_string) else {
                    return Outcome::Consumed;
                };
                return Outcome::Open(if action == Action::LogContact {
                    Open::LogContact {
                        student: id,
                        schedule: None,
                    }
                } else {
                    Open::Schedule { student: id }
                });
            }
            Action::Agenda => return Outcome::Open(Open::Agenda),
            Action::Report => return Outcome::Open(Open::Report),
            Action::OverdueOnly => {
                self.overdue_only = !self.overdue_only;
                self.refilter();
                self.select(0);
            }
            Action::Open => {
                return match self.selected_entry() {
                    Some(e) => Outcome::Push(Push::Student(Box::new(StudentScreen::new(
                        e,
                        self.data.clone(),
                    )))),
                    None => Outcome::Consumed,
                };
            }
            Action::Search => self.searching = true,
            Action::Input(_)
            | Action::Backspace
            | Action::ClearInput
            | Action::SearchAccept
            | Action::SearchCancel
                if !self.searching =>
            {
                return Outcome::Ignored;
            }
            Action::Input(c) => {
                self.query.push(c);
                self.requery();
            }
            Action::Backspace => {
                self.query.pop();
                self.requery();
            }
            Action::ClearInput => {
                self.query.clear();
                self.requery();
            }
            Action::SearchAccept => self.searching = false,
            Action::SearchCancel => {
                self.searching = false;
                self.query.clear();
                self.requery();
            }
            Action::NextTier => self.cycle_tier(true),
            Action::PrevTier => self.cycle_tier(false),
            Action::CycleSort => {
                let keep = self.selected_id().map(str::to_string);
                self.sort = self.sort.next();
                self.order = self.data.order(self.sort);
                self.refilter();
                if let Some(id) = keep {
                    self.select_id(&id);
                }
            }
            Action::PickClass => {
                let picker = PickerScreen::new(
                    PickKind::Class,
                    &self.data.classes,
                    self.class_filter.as_deref(),
                );
                return Outcome::Push(Push::Picker(picker));
            }
            Action::PickStaff => {
                let picker = PickerScreen::new(
                    PickKind::Staff,
                    &self.data.staff,
                    self.staff_filter.as_deref(),
                );
                return Outcome::Push(Push::Picker(picker));
            }
            Action::ClearFilters => {
                let had = self.tier_filter.is_some()
                    || self.class_filter.is_some()
                    || self.staff_filter.is_some()
                    || self.overdue_only
                    || !self.query.is_empty();
                if !had {
                    return Outcome::Ignored;
                }
                self.overdue_only = false;
                self.tier_filter = None;
                self.class_filter = None;
                self.staff_filter = None;
                self.query.clear();
                self.refilter();
                self.select(0);
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Consumed
    }
}
