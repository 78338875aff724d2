//! Drawing the roster: the title, the tier bar, the status line and the table, columns
//! fitted to the width. Reads state only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::text::{self, Align};

use super::RosterScreen;
use crate::tui::i18n::{self, Lang, Msg};
use crate::tui::labels;
use crate::tui::model::RosterEntry;
use crate::tui::roster_index::SortKey;
use crate::tui::theme::Theme;
use crate::tui::widgets::table::{Cell, Column, VisibleTable, Width, allocate};

impl RosterScreen {
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
