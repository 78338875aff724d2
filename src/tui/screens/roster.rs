//! The roster: one row per student in triage order, a tier bar with counts (Tab cycles the
//! tier filter, `o` shows only the overdue), a search field that filters as you type, other
//! sort orders, class and teacher filters; `l`, `s` and `a` open the follow-up forms and
//! the agenda.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::text::{self, Align};

use super::super::action::Action;
use super::super::i18n::{self, Lang, Msg};
use super::super::keymap::Context;
use super::super::labels;
use super::super::model::RosterEntry;
use super::super::roster_index::{RosterIndex, SortKey};
use super::super::search::Query;
use super::super::theme::Theme;
use super::super::widgets::table::{Cell, Column, VisibleTable, Width, allocate, scroll_offset};
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

    pub fn draw(&self, frame: &mut Frame, area: Rect, lang: Lang, theme: &Theme) {
        let [title, bar, status, table] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(area);
        self.draw_title(frame, title, lang, theme);
        frame.render_widget(self.tier_bar(lang, theme, bar.width), bar);
        self.draw_status(frame, status, lang, theme);
        self.draw_table(frame, table, lang, theme);
    }

    fn draw_title(&self, frame: &mut Frame, area: Rect, lang: Lang, theme: &Theme) {
        let snap = &self.data.snapshot;
        let right = format!(
            "{}/{}",
            self.view.len(),
            i18n::count_students(lang, snap.entries.len())
        );
        let room = usize::from(area.width).saturating_sub(text::width(&right) + 1);
        let left = title_text(
            Msg::AppName.text(lang),
            snap.policy
                .as_ref()
                .map(|p| lang.pick(&p.name_zh, &p.name_en)),
            snap.term.map(|t| t.to_string()).as_deref(),
            room,
        );
        let left = text::fit(&left, room, Align::Left);
        let line = Line::from(vec![
            Span::styled(left, theme.title),
            Span::raw(" "),
            Span::styled(right, theme.muted),
        ]);
        frame.render_widget(line, area);
    }

    /// `[全部 639] · ▲ 红 39 · ◆ 橙 14 · ● 黄 25`: most severe first, the active one bracketed.
    fn tier_bar(&self, lang: Lang, theme: &Theme, width: u16) -> Line<'static> {
        let n = self.data.tier_count();
        let mut segments: Vec<(String, Style, bool)> = Vec::with_capacity(n + 1);
        // "All" is the active segment only when nothing else is: `o` is one filter, not two.
        segments.push((
            format!("{} {}", Msg::All.text(lang), self.hits.len()),
            theme.base,
            self.tier_filter.is_none() && !self.overdue_only,
        ));
        if let Some(p) = &self.data.snapshot.policy {
            for t in (0..n).rev() {
                let label = match lang {
                    Lang::Zh => labels::tier_short(p, t, lang),
                    Lang::En => labels::tier_name(p, t, lang),
                };
                let count = self.counts.get(t).copied().unwrap_or(0);
                segments.push((
                    format!("{} {label} {count}", theme.tier_symbol(t, n)),
                    theme.tier(t, n),
                    self.tier_filter == Some(t),
                ));
            }
        }
        if self.data.has_followups || self.overdue_only {
            segments.push((
                format!("! {} {}", Msg::AgendaOverdue.text(lang), self.overdue),
                theme.overdue,
                self.overdue_only,
            ));
        }
        let mut spans = Vec::new();
        for (i, (text, style, active)) in segments.into_iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" · ", theme.muted));
            }
            if active {
                let style = style.patch(theme.selected).add_modifier(Modifier::BOLD);
                spans.push(Span::styled(format!("[{text}]"), style));
            } else {
                spans.push(Span::styled(text, style));
            }
        }
        let line = Line::from(spans);
        if line.width() > usize::from(width) {
            // Too narrow for the separators: drop them rather than lose a count.
            let spans: Vec<Span> = line
                .spans
                .into_iter()
                .filter(|s| s.content != " · ")
                .collect();
            return Line::from(
                spans
                    .into_iter()
                    .flat_map(|s| [s, Span::raw(" ")])
                    .collect::<Vec<_>>(),
            );
        }
        line
    }

    fn draw_status(&self, frame: &mut Frame, area: Rect, lang: Lang, theme: &Theme) {
        let all = Msg::All.text(lang);
        let sort = match self.sort {
            SortKey::Triage => Msg::SortSeverity,
            SortKey::Id => Msg::SortId,
            SortKey::Name => Msg::SortName,
            SortKey::Class => Msg::SortClass,
            SortKey::LastContact => Msg::SortLastContact,
        };
        let search = format!("{}: {}", Msg::SearchLabel.text(lang), self.query);
        let search_style = if self.searching {
            theme.search
        } else {
            theme.base
        };
        let rest = format!(
            "  {}: {}  {}: {}  {}: {}",
            Msg::SortLabel.text(lang),
            sort.text(lang),
            Msg::ClassLabel.text(lang),
            self.class_filter.as_deref().unwrap_or(all),
            Msg::StaffLabel.text(lang),
            self.staff_filter.as_deref().unwrap_or(all),
        );
        let width = usize::from(area.width);
        let search_shown = text::ellipsize(&search, width).into_owned();
        let rest_room = width.saturating_sub(text::width(&search_shown));
        let line = Line::from(vec![
            Span::styled(search_shown.clone(), search_style),
            Span::styled(text::ellipsize(&rest, rest_room).into_owned(), theme.muted),
        ]);
        frame.render_widget(line, area);
        if self.searching {
            let x = area.x + u16::try_from(text::width(&search_shown)).unwrap_or(0);
            frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        }
    }

    /// The table's columns for `width`: all that fit, dropping the least needed first so
    /// that ids and names are never squeezed.
    fn columns(&self, lang: Lang, theme: &Theme, width: u16) -> Vec<(Column, Col)> {
        let d = &self.data;
        let tier_w = labels::tier_cell_width(d.snapshot.policy.as_ref(), theme, lang);
        let w = |x: usize| u16::try_from(x).unwrap_or(u16::MAX);
        let has_status = d.has_exempt
            || d.snapshot
                .policy
                .as_ref()
                .is_some_and(|p| !p.status.is_empty())
            || d.snapshot.entries.iter().any(|e| !e.eval.status.is_empty());
        let status_w = match lang {
            Lang::Zh => 4,
            Lang::En => 7,
        };
        let contact_w = if d.contacts_this_year { 5 } else { 10 };
        let mut cols: Vec<(Msg, Width, Align, Col)> = vec![
            (
                Msg::ColTier,
                Width::fixed(w(tier_w.clamp(4, 10))),
                Align::Left,
                Col::Tier,
            ),
            (
                Msg::ColId,
                Width::fixed(w(d.id_width.clamp(4, 14))),
                Align::Left,
                Col::Id,
            ),
            // Widths grow in rank order: the whole class first (its end tells classes
            // apart), then what is owed, then the reason, then long names; the reason takes
            // what is left.
            (
                Msg::ColName,
                Width {
                    min: 8,
                    pref: w(d.name_width.clamp(8, 16)),
                    fill: false,
                    rank: 4,
                },
                Align::Left,
                Col::Name,
            ),
            (
                Msg::ColClass,
                Width {
                    min: 6,
                    pref: w(d.class_width.clamp(6, 28)),
                    fill: false,
                    rank: 1,
                },
                Align::Left,
                Col::Class,
            ),
            (
                Msg::ColReason,
                Width {
                    min: 8,
                    pref: w(self.reason_width(lang).clamp(8, 60)),
                    fill: false,
                    rank: 3,
                },
                Align::Left,
                Col::Reason,
            ),
        ];
        if has_status {
            cols.push((
                Msg::ColStatus,
                Width::fixed(status_w),
                Align::Left,
                Col::Status,
            ));
        }
        cols.push((
            Msg::ColLastContact,
            Width::fixed(contact_w),
            Align::Left,
            Col::LastContact,
        ));
        if d.has_followups {
            // Days overdue first, then what is owed, cut as room allows.
            cols.push((
                Msg::ColFollowup,
                Width {
                    min: 8,
                    pref: w(d.followup_width(lang).clamp(8, 36)),
                    fill: false,
                    rank: 2,
                },
                Align::Left,
                Col::Followup,
            ));
        }
        let mut drop = [Col::LastContact, Col::Class, Col::Status, Col::Followup].into_iter();
        let widths = loop {
            let specs: Vec<Width> = cols.iter().map(|c| c.1).collect();
            if let Some(widths) = allocate(&specs, width) {
                break widths;
            }
            match drop.next() {
                Some(gone) => cols.retain(|c| c.3 != gone),
                // Too narrow for even the essentials: let each cell cut itself.
                None => break specs.iter().map(|s| s.min.min(width)).collect(),
            }
        };
        cols.into_iter()
            .zip(widths)
            .map(|((msg, _, align, col), w)| {
                (
                    Column {
                        title: msg.text(lang).to_string(),
                        width: w,
                        align,
                    },
                    col,
                )
            })
            .collect()
    }

    /// The widest reason among the rows on screen: the column grows to that and no further,
    /// so it never holds empty space that the follow-up column needs.
    fn reason_width(&self, lang: Lang) -> usize {
        let policy = self.data.snapshot.policy.as_ref();
        self.view
            .iter()
            .skip(self.offset)
            .take(self.page)
            .map(|&r| {
                let e = &self.data.snapshot.entries[r as usize];
                let tokens = labels::reason_tokens(&e.eval, policy, lang);
                tokens.iter().map(|t| text::width(t) + 1).sum::<usize>()
            })
            .max()
            .unwrap_or(0)
    }

    fn draw_table(&self, frame: &mut Frame, area: Rect, lang: Lang, theme: &Theme) {
        let marker_w = u16::try_from(text::width(&theme.selected_symbol) + 1).unwrap_or(2);
        let cols = self.columns(lang, theme, area.width.saturating_sub(marker_w));
        let (columns, kinds): (Vec<Column>, Vec<Col>) = cols.into_iter().unzip();
        if self.view.is_empty() {
            let [_, msg] =
                Layout::vertical([Constraint::Length(2), Constraint::Length(1)]).areas(area);
            frame.render_widget(
                Line::styled(Msg::NoMatches.text(lang), theme.muted).centered(),
                msg,
            );
        }
        let table = VisibleTable {
            columns: &columns,
            len: self.view.len(),
            selected: Some(self.selected),
            offset: self.offset,
            header: theme.header,
            row: theme.base,
            selected_row: theme.selected,
            marker: &theme.selected_symbol,
        };
        let snap = &self.data.snapshot;
        table.render(area, frame.buffer_mut(), |i| {
            let e = &snap.entries[self.view[i] as usize];
            kinds
                .iter()
                .zip(&columns)
                .map(|(k, c)| self.cell(*k, e, usize::from(c.width), lang, theme))
                .collect()
        });
    }

    fn cell(&self, col: Col, e: &RosterEntry, width: usize, lang: Lang, theme: &Theme) -> Cell {
        let snap = &self.data.snapshot;
        let policy = snap.policy.as_ref();
        match col {
            Col::Tier => labels::tier_cell(policy, e.eval.tier_index, theme, lang)
                .unwrap_or_else(|| (String::new(), theme.muted)),
            Col::Id => (e.student.student_id.clone(), Style::new()),
            Col::Name => (e.student.name.clone(), Style::new()),
            Col::Class => (class_cell(&e.student.class, width), Style::new()),
            Col::Reason => {
                let tokens = labels::reason_tokens(&e.eval, policy, lang);
                (labels::join_fitting(&tokens, width), Style::new())
            }
            Col::Status => {
                // Exempt first: it changes what the row asks of the reader.
                let s: Vec<String> = e
                    .exempt
                    .as_ref()
                    .map(|_| Msg::Exempt.text(lang).to_string())
                    .into_iter()
                    .chain(
                        e.eval
                            .status
                            .iter()
                            .map(|s| labels::status_name(policy, s, lang)),
                    )
                    .collect();
                (s.join(" "), theme.warning)
            }
            Col::LastContact => {
                let fmt = if self.data.contacts_this_year {
                    "%m-%d"
                } else {
                    "%Y-%m-%d"
                };
                (
                    e.last_contact
                        .map_or_else(|| "-".to_string(), |d| d.format(fmt).to_string()),
                    theme.muted,
                )
            }
            Col::Followup => match &e.followup {
                Some(f) => {
                    let style = if f.days_overdue > 0 {
                        theme.overdue
                    } else {
                        Style::new()
                    };
                    let when = i18n::followup_text(lang, f.days_overdue, f.due);
                    (format!("{when} {}", f.label), style)
                }
                None => (String::new(), Style::new()),
            },
        }
    }
}

/// `预警 · POLICY · TERM` in `room` columns: the policy's (school's) name is shortened first,
/// so the term, which says what the whole screen is about, is never cut.
fn title_text(app: &str, policy: Option<&str>, term: Option<&str>, room: usize) -> String {
    let tail = term.map_or(String::new(), |t| format!(" · {t}"));
    let Some(policy) = policy else {
        return format!("{app}{tail}");
    };
    let fixed = text::width(app) + text::width(" · ") + text::width(&tail);
    let policy_room = room.saturating_sub(fixed);
    if policy_room < 4 {
        // Not even a stub of the name fits: leave it out rather than show `…`.
        return format!("{app}{tail}");
    }
    format!("{app} · {}{tail}", text::ellipsize(policy, policy_room))
}

/// A class name cut in the middle, keeping more of its end: classes of one cohort differ at
/// the end (`生物科学2022级1班` / `…2班`), so `生物2…` would make them all look alike.
fn class_cell(class: &str, cols: usize) -> String {
    if text::width(class) <= cols || cols < 4 {
        return class.to_string();
    }
    let chars: Vec<char> = class.chars().collect();
    let head_room = (cols - 1) / 3;
    let tail_room = cols - 1 - head_room;
    let mut tail = Vec::new();
    let mut used = 0;
    for &c in chars.iter().rev() {
        let w = text::width(c.encode_utf8(&mut [0; 4]));
        if used + w > tail_room {
            break;
        }
        used += w;
        tail.push(c);
    }
    let head_room = cols - 1 - used;
    let mut head = String::new();
    let mut used = 0;
    for &c in &chars[..chars.len() - tail.len()] {
        let w = text::width(c.encode_utf8(&mut [0; 4]));
        if used + w > head_room {
            break;
        }
        used += w;
        head.push(c);
    }
    head.push(text::ELLIPSIS);
    head.extend(tail.into_iter().rev());
    head
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Tier,
    Id,
    Name,
    Class,
    Reason,
    Status,
    LastContact,
    Followup,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_shortens_the_school_before_the_term() {
        let t = title_text(
            "预警",
            Some("黑龙江工商学院学业预警办法"),
            Some("2024-2025-2"),
            30,
        );
        assert!(t.ends_with(" · 2024-2025-2"), "{t}");
        assert!(text::width(&t) <= 30, "{t}");
        assert!(t.contains('…'), "{t}");
        assert_eq!(
            title_text("预警", Some("黑龙江工商学院"), Some("2024-2025-2"), 20),
            "预警 · 2024-2025-2"
        );
    }

    #[test]
    fn a_cut_class_keeps_its_distinguishing_end() {
        assert_eq!(class_cell("生物科学2022级1班", 10), "生…2级1班");
        assert_eq!(class_cell("生物科学2022级12班", 12), "生…22级12班");
        assert_eq!(class_cell("生物2206", 8), "生物2206");
        for w in 4..20 {
            assert!(text::width(&class_cell("生物科学2022级1班", w)) <= w);
        }
    }
}
