//! `a`: what is overdue (most overdue first), due today, and due within 7 days (grouped by
//! day). Every line is a schedule ready to log against: `l` opens the contact form filled
//! with its kind and role; once saved, the reload drops it from the overdue group.

use std::sync::Arc;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::text::{self, Align};

use super::super::action::Action;
use super::super::i18n::{self, Lang, Msg};
use super::super::labels;
use super::super::labels::state_text;
use super::super::model::{AgendaGroup, ScheduleView};
use super::super::roster_index::RosterIndex;
use super::super::theme::Theme;
use super::super::widgets::table::{Column, Width, allocate, row_line, scroll_offset};
use super::student::StudentScreen;
use super::{Open, Outcome, Push};

const WHEEL_ROWS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Group(AgendaGroup, usize),
    /// A day inside the week group, with its number of items.
    Day(NaiveDate, usize),
    /// Index into the snapshot's schedules.
    Item(usize),
}

pub struct AgendaScreen {
    data: Arc<RosterIndex>,
    rows: Vec<Row>,
    /// Positions in `rows` of the items (what the selection moves over).
    items: Vec<usize>,
    counts: [usize; 3],
    selected: usize,
    offset: usize,
    page: usize,
}

impl AgendaScreen {
    pub fn new(data: Arc<RosterIndex>) -> AgendaScreen {
        let mut s = AgendaScreen {
            data,
            rows: Vec::new(),
            items: Vec::new(),
            counts: [0; 3],
            selected: 0,
            offset: 0,
            page: 1,
        };
        s.rebuild();
        s
    }

    /// New data: the selected schedule stays selected while it is still on the agenda; when
    /// it left (just logged), the selection stays at the same place in the list.
    pub fn set_data(&mut self, data: Arc<RosterIndex>) {
        let keep = self.selected_view().map(|v| v.schedule.id);
        self.data = data;
        self.rebuild();
        let found = keep.and_then(|id| {
            self.items.iter().position(|&r| {
                matches!(self.rows[r], Row::Item(i) if self.data.snapshot.schedules[i].schedule.id == id)
            })
        });
        self.select(found.unwrap_or(self.selected));
    }

    fn rebuild(&mut self) {
        let snap = &self.data.snapshot;
        let today = snap.today;
        let mut groups: [Vec<usize>; 3] = Default::default();
        for (i, v) in snap.schedules.iter().enumerate() {
            if let Some(g) = v.agenda_group(today) {
                groups[g as usize].push(i);
            }
        }
        let views = &snap.schedules;
        for (g, items) in [AgendaGroup::Overdue, AgendaGroup::Today, AgendaGroup::Week]
            .into_iter()
            .zip(&mut groups)
        {
            let key = |i: usize| {
                let v = &views[i];
                g.order_key(&v.status, &v.schedule.student_id, v.schedule.id)
            };
            items.sort_by(|&a, &b| key(a).cmp(&key(b)));
        }
        let mut rows = Vec::new();
        for (g, items) in [AgendaGroup::Overdue, AgendaGroup::Today, AgendaGroup::Week]
            .into_iter()
            .zip(&groups)
        {
            if items.is_empty() {
                continue;
            }
            rows.push(Row::Group(g, items.len()));
            let mut day = None;
            for &i in items {
                let due = views[i].status.due;
                if g == AgendaGroup::Week && due != day {
                    day = due;
                    if let Some(d) = due {
                        let n = items
                            .iter()
                            .filter(|&&j| views[j].status.due == due)
                            .count();
                        rows.push(Row::Day(d, n));
                    }
                }
                rows.push(Row::Item(i));
            }
        }
        self.counts = [groups[0].len(), groups[1].len(), groups[2].len()];
        self.items = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r, Row::Item(_)))
            .map(|(p, _)| p)
            .collect();
        self.rows = rows;
    }

    pub fn resize(&mut self, area: Rect) {
        self.page = usize::from(area.height.saturating_sub(2)).max(1);
        self.select(self.selected);
    }

    /// A left click at screen row `y` in `area`: selects the item there (headings ignore it).
    pub fn click(&mut self, area: Rect, y: u16) -> bool {
        let Some(n) = y.checked_sub(area.y + 2) else {
            return false;
        };
        let pos = self.offset + usize::from(n);
        match self.items.iter().position(|&r| r == pos) {
            Some(i) if i != self.selected => {
                self.select(i);
                true
            }
            _ => false,
        }
    }

    fn select(&mut self, i: usize) {
        self.selected = i.min(self.items.len().saturating_sub(1));
        let row = self.items.get(self.selected).copied().unwrap_or(0);
        // The first item of a group brings its heading into view.
        let top = if self.selected == 0 { 0 } else { row };
        self.offset = scroll_offset(self.offset, top, self.rows.len(), self.page);
        self.offset = scroll_offset(self.offset, row, self.rows.len(), self.page);
    }

    pub fn selected_view(&self) -> Option<&ScheduleView> {
        match self.rows.get(*self.items.get(self.selected)?)? {
            Row::Item(i) => self.data.snapshot.schedules.get(*i),
            _ => None,
        }
    }

    /// Student ids of the items in order, per group (for tests).
    pub fn lines(&self) -> Vec<(AgendaGroup, String)> {
        let mut group = AgendaGroup::Overdue;
        let mut out = Vec::new();
        for r in &self.rows {
            match r {
                Row::Group(g, _) => group = *g,
                Row::Day(..) => {}
                Row::Item(i) => out.push((
                    group,
                    self.data.snapshot.schedules[*i].schedule.student_id.clone(),
                )),
            }
        }
        out
    }

    pub fn update(&mut self, action: Action) -> Outcome {
        let view = self.selected_view();
        let student = view.map(|v| v.schedule.student_id.clone());
        match action {
            Action::Back | Action::Agenda => return Outcome::Close,
            Action::Down => self.select(self.selected + 1),
            Action::Up => self.select(self.selected.saturating_sub(1)),
            Action::ScrollDown => self.select(self.selected + WHEEL_ROWS),
            Action::ScrollUp => self.select(self.selected.saturating_sub(WHEEL_ROWS)),
            Action::PageDown => self.select(self.selected + self.page),
            Action::PageUp => self.select(self.selected.saturating_sub(self.page)),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            Action::Open => {
                let entry = student
                    .as_deref()
                    .and_then(|id| self.data.row_of(id))
                    .and_then(|r| self.data.snapshot.entries.get(r));
                return match entry {
                    Some(e) => Outcome::Push(Push::Student(Box::new(StudentScreen::new(
                        e,
                        self.data.clone(),
                    )))),
                    None => Outcome::Consumed,
                };
            }
            Action::LogContact => {
                return match (student, view) {
                    (Some(student), Some(v)) => Outcome::Open(Open::LogContact {
                        student,
                        schedule: Some(v.schedule.id),
                    }),
                    _ => Outcome::Consumed,
                };
            }
            Action::Schedule => {
                return match student {
                    Some(student) => Outcome::Open(Open::Schedule { student }),
                    None => Outcome::Consumed,
                };
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Consumed
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, lang: Lang, theme: &Theme) {
        if area.height == 0 {
            return;
        }
        let width = usize::from(area.width);
        let today = self.data.snapshot.today;
        let left = format!(
            "{} · {}",
            Msg::AgendaTitle.text(lang),
            i18n::day_label(lang, today)
        );
        let right = format!(
            "{} {} · {} {} · {} {}",
            Msg::AgendaOverdue.text(lang),
            self.counts[0],
            lang.pick("今天", "today"),
            self.counts[1],
            lang.pick("7天内", "7 days"),
            self.counts[2]
        );
        let room = width.saturating_sub(text::width(&right) + 1);
        frame.render_widget(
            Line::from(vec![
                Span::styled(text::fit(&left, room, Align::Left), theme.title),
                Span::raw(" "),
                Span::styled(right, theme.muted),
            ]),
            Rect { height: 1, ..area },
        );
        let body = Rect {
            y: area.y + 2,
            height: area.height.saturating_sub(2),
            ..area
        };
        if self.rows.is_empty() {
            frame.render_widget(
                Line::styled(Msg::AgendaEmpty.text(lang), theme.muted).centered(),
                Rect { height: 1, ..body },
            );
            return;
        }
        let marker_w = text::width(&theme.selected_symbol) + 1;
        let columns = self.columns(lang, theme, width.saturating_sub(marker_w));
        let selected_row = self.items.get(self.selected).copied();
        for (n, (pos, row)) in self
            .rows
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(usize::from(body.height))
            .enumerate()
        {
            let r = Rect {
                y: body.y + u16::try_from(n).unwrap_or(u16::MAX),
                height: 1,
                ..body
            };
            let line = match row {
                Row::Group(g, count) => {
                    let (msg, style) = match g {
                        AgendaGroup::Overdue => (Msg::AgendaOverdue, theme.overdue),
                        AgendaGroup::Today => (Msg::AgendaToday, theme.title),
                        AgendaGroup::Week => (Msg::AgendaWeek, theme.title),
                    };
                    Line::styled(format!("{} ({count})", msg.text(lang)), style)
                }
                Row::Day(d, count) => Line::styled(
                    format!("  {} ({count})", i18n::day_label(lang, *d)),
                    theme.header,
                ),
                Row::Item(i) => {
                    let selected = selected_row == Some(pos);
                    let style = theme.row(selected);
                    frame.buffer_mut().set_style(r, style);
                    let marker = if selected {
                        text::fit(&theme.selected_symbol, marker_w, Align::Left)
                    } else {
                        " ".repeat(marker_w)
                    };
                    let mut line = row_line(&columns, self.cells(*i, lang, theme), style);
                    line.spans.insert(0, Span::styled(marker, style));
                    line
                }
            };
            frame.render_widget(line, r);
        }
    }

    fn columns(&self, lang: Lang, theme: &Theme, width: usize) -> Vec<Column> {
        let d = &self.data;
        let w = |x: usize| u16::try_from(x).unwrap_or(u16::MAX);
        let tier_w = labels::tier_cell_width(d.snapshot.policy.as_ref(), theme, lang);
        let specs = [
            Width::fixed(w(d.id_width.clamp(4, 14))),
            Width {
                min: 4,
                pref: w(d.name_width.clamp(4, 12)),
                fill: false,
                rank: 1,
            },
            Width::fixed(w(tier_w.clamp(4, 10))),
            Width {
                min: 6,
                pref: 12,
                fill: true,
                rank: 2,
            },
            Width::fixed(12),
            Width {
                min: 0,
                pref: 10,
                fill: false,
                rank: 3,
            },
        ];
        let total = w(width);
        let widths =
            allocate(&specs, total).unwrap_or_else(|| specs.iter().map(|s| s.min).collect());
        widths
            .into_iter()
            .map(|width| Column {
                title: String::new(),
                width,
                align: Align::Left,
            })
            .collect()
    }

    fn cells(&self, i: usize, lang: Lang, theme: &Theme) -> Vec<(String, Style)> {
        let d = &self.data;
        let v = &d.snapshot.schedules[i];
        let entry = d
            .row_of(&v.schedule.student_id)
            .and_then(|r| d.snapshot.entries.get(r));
        let name = entry.map_or(String::new(), |e| e.student.name.clone());
        let tier = labels::tier_cell(
            d.snapshot.policy.as_ref(),
            entry.and_then(|e| e.eval.tier_index),
            theme,
            lang,
        )
        .unwrap_or_else(|| (String::new(), Style::new()));
        let state_style = if v.status.overdue {
            theme.overdue
        } else {
            Style::new()
        };
        vec![
            (v.schedule.student_id.clone(), Style::new()),
            (name, Style::new()),
            tier,
            (crate::i18n::obligation(lang, &v.schedule), Style::new()),
            (state_text(v, lang), state_style),
            (v.schedule.cadence.describe(lang == Lang::Zh), theme.muted),
        ]
    }
}
