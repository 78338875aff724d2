//! A list to choose a class or a teacher from; the first entry means "all".

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Block;

use crate::text::{self, Align};

use super::super::action::Action;
use super::super::i18n::{Lang, Msg};
use super::super::theme::Theme;
use super::super::widgets::table::{Column, VisibleTable, scroll_offset};
use super::{Outcome, PickKind};

pub struct PickerScreen {
    kind: PickKind,
    /// None = all.
    options: Vec<Option<String>>,
    selected: usize,
    offset: usize,
    page: usize,
}

impl PickerScreen {
    pub fn new(kind: PickKind, options: &[String], current: Option<&str>) -> PickerScreen {
        let options: Vec<Option<String>> = std::iter::once(None)
            .chain(options.iter().cloned().map(Some))
            .collect();
        let selected = options
            .iter()
            .position(|o| o.as_deref() == current)
            .unwrap_or(0);
        PickerScreen {
            kind,
            options,
            selected,
            offset: 0,
            page: 10,
        }
    }

    pub fn kind(&self) -> PickKind {
        self.kind
    }

    fn select(&mut self, i: usize) {
        self.selected = i.min(self.options.len().saturating_sub(1));
        self.offset = scroll_offset(self.offset, self.selected, self.options.len(), self.page);
    }

    pub fn update(&mut self, action: Action) -> Outcome {
        match action {
            Action::Back => return Outcome::Close,
            Action::Open => {
                let choice = self.options.get(self.selected).cloned().flatten();
                return Outcome::Pick(self.kind, choice);
            }
            Action::Down | Action::ScrollDown => self.select(self.selected + 1),
            Action::Up | Action::ScrollUp => self.select(self.selected.saturating_sub(1)),
            Action::PageDown => self.select(self.selected + self.page),
            Action::PageUp => self.select(self.selected.saturating_sub(self.page)),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            _ => return Outcome::Ignored,
        }
        Outcome::Consumed
    }

    fn popup(&self, area: Rect) -> Rect {
        let widest = self
            .options
            .iter()
            .flatten()
            .map(|s| text::width(s))
            .max()
            .unwrap_or(0);
        let w = u16::try_from(widest + 8)
            .unwrap_or(u16::MAX)
            .clamp(30, area.width.max(1));
        let h = u16::try_from(self.options.len() + 3)
            .unwrap_or(u16::MAX)
            .min(area.height);
        crate::tui::widgets::popup::centered(area, w, h)
    }

    pub fn resize(&mut self, area: Rect) {
        self.page = usize::from(self.popup(area).height.saturating_sub(3)).max(1);
        self.select(self.selected);
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, lang: Lang, theme: &Theme) {
        let popup = self.popup(area);
        let title = match self.kind {
            PickKind::Class => Msg::PickClass,
            PickKind::Staff => Msg::PickStaff,
        };
        let block = Block::bordered()
            .border_style(theme.border)
            .title(
                text::ellipsize(
                    &format!(" {} ", title.text(lang)),
                    usize::from(popup.width.saturating_sub(2)),
                )
                .into_owned(),
            )
            .title_style(theme.title);
        let inner = block.inner(popup);
        crate::tui::widgets::popup::clear(frame, popup);
        frame.render_widget(block, popup);
        let marker_w = u16::try_from(text::width(&theme.selected_symbol) + 1).unwrap_or(2);
        let columns = [Column {
            title: String::new(),
            width: inner.width.saturating_sub(marker_w),
            align: Align::Left,
        }];
        let table = VisibleTable {
            columns: &columns,
            len: self.options.len(),
            selected: Some(self.selected),
            offset: self.offset,
            header: theme.base,
            row: theme.base,
            selected_row: theme.selected,
            marker: &theme.selected_symbol,
        };
        let all = Msg::All.text(lang);
        table.render(inner, frame.buffer_mut(), |i| {
            let label = self.options[i].as_deref().unwrap_or(all).to_string();
            vec![(label, ratatui::style::Style::new())]
        });
    }
}
