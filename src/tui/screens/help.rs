//! `?`: every key of the screen below, generated from the keymap table; under the roster's
//! keys, how its default order is decided.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::text::{self, Align};

use super::super::action::Action;
use super::super::i18n::{Lang, Msg};
use super::super::keymap::{self, Context, Hint};
use super::super::theme::Theme;
use super::Outcome;

pub struct HelpScreen {
    /// The screen whose keys are listed.
    of: Context,
    offset: usize,
    /// Rows shown and the largest useful offset, as of the last draw: what a page is, and
    /// where scrolling stops (so `k` after many `j`s moves at once).
    view: Cell<(usize, usize)>,
}

impl HelpScreen {
    pub fn new(of: Context) -> HelpScreen {
        HelpScreen {
            of,
            offset: 0,
            view: Cell::new((usize::MAX, usize::MAX)),
        }
    }

    fn hints(&self) -> Vec<Hint> {
        keymap::hints(self.of)
    }

    /// Text under the keys, if the screen has any to explain.
    fn note(&self) -> Option<Msg> {
        matches!(self.of, Context::Roster | Context::Search).then_some(Msg::TriageHelp)
    }

    pub fn update(&mut self, action: Action) -> Outcome {
        let (page, max) = self.view.get();
        let page = page.clamp(1, 1000);
        let offset = match action {
            Action::Back | Action::Help => return Outcome::Close,
            Action::Down | Action::ScrollDown => self.offset.saturating_add(1),
            Action::Up | Action::ScrollUp => self.offset.saturating_sub(1),
            Action::PageDown => self.offset.saturating_add(page.saturating_sub(1).max(1)),
            Action::PageUp => self.offset.saturating_sub(page.saturating_sub(1).max(1)),
            Action::Top => 0,
            Action::Bottom => max,
            _ => return Outcome::Ignored,
        };
        self.offset = offset.min(max);
        Outcome::Consumed
    }

    /// The first line shown.
    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, lang: Lang, theme: &Theme) {
        let mut hints = self.hints();
        hints.push(Hint {
            keys: Msg::Mouse.text(lang).to_string(),
            action: Action::ScrollDown,
        });
        let keys_w = hints
            .iter()
            .map(|h| text::width(&h.keys))
            .max()
            .unwrap_or(0);
        let label = |h: &Hint| match h.action {
            Action::ScrollDown if h.keys == Msg::Mouse.text(lang) => Msg::Scroll.text(lang),
            a => a.label(lang),
        };
        let label_w = hints
            .iter()
            .map(|h| text::width(label(h)))
            .max()
            .unwrap_or(0);
        let w =
            u16::try_from((keys_w + label_w + 6).max(if self.note().is_some() { 60 } else { 0 }))
                .unwrap_or(u16::MAX)
                .min(area.width);
        // The note comes first: the keys below it may need scrolling, the note never should.
        let note: Vec<String> = self.note().map_or_else(Vec::new, |m| {
            text::wrap(m.text(lang), usize::from(w.saturating_sub(4)))
                .into_iter()
                .chain(std::iter::once(String::new()))
                .collect()
        });
        let h = u16::try_from(hints.len() + note.len() + 3)
            .unwrap_or(u16::MAX)
            .min(area.height);
        let popup = crate::tui::widgets::popup::centered(area, w, h);
        let rows = usize::from(popup.height.saturating_sub(2));
        let total = hints.len() + note.len();
        let max = total.saturating_sub(rows);
        let offset = self.offset.min(max);
        self.view.set((rows, max));
        let mut block = Block::bordered()
            .border_style(theme.border)
            .title(format!(" {} ", Msg::HelpTitle.text(lang)))
            .title_style(theme.title)
            .title_bottom(
                Line::styled(format!(" {} ", Msg::HelpClose.text(lang)), theme.muted)
                    .right_aligned(),
            );
        // Cut lists say so on the border, with the keys that scroll them.
        if offset > 0 {
            block = block.title(
                Line::styled(format!(" {} ", Msg::HelpMoreAbove.text(lang)), theme.key)
                    .right_aligned(),
            );
        }
        if offset < max {
            let more = Msg::HelpMoreBelow
                .text(lang)
                .replace("{}", &(max - offset).to_string());
            block = block.title_bottom(Line::styled(format!(" {more} "), theme.key).left_aligned());
        }
        let inner = block.inner(popup);
        crate::tui::widgets::popup::clear(frame, popup);
        frame.render_widget(block, popup);
        let label_room = usize::from(inner.width).saturating_sub(keys_w + 2);
        let lines: Vec<Line> = note
            .into_iter()
            .map(|s| Line::styled(format!(" {s}"), theme.muted))
            .chain(hints.iter().map(|hint| {
                Line::from(vec![
                    Span::styled(text::fit(&hint.keys, keys_w, Align::Right), theme.key),
                    Span::raw("  "),
                    Span::raw(text::ellipsize(label(hint), label_room).into_owned()),
                ])
            }))
            .collect();
        for (i, line) in lines
            .into_iter()
            .skip(offset)
            .take(usize::from(inner.height))
            .enumerate()
        {
            frame.render_widget(
                line,
                Rect {
                    y: inner.y + i as u16,
                    height: 1,
                    ..inner
                },
            );
        }
    }
}
