//! The student page: who they are and whom to call, the tier with every reason, follow-up
//! schedules with their state, failed courses with every sitting, tier history, and the
//! contact log (newest first). `l` logs a contact, `s` schedules talks.
//! The header shows at once from the roster row; the rest arrives from the loader.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::text::{self};

use super::super::action::Action;
use super::super::i18n::Lang;
use super::super::model::{RosterEntry, StudentDetail, WriteOp, sanitize_detail};
use super::super::roster_index::RosterIndex;
use super::super::theme::Theme;
use super::{Open, Outcome};

mod page;
use page::Page;

const INDENT: &str = "  ";
const WHEEL_ROWS: usize = 3;

pub struct StudentScreen {
    id: String,
    entry: RosterEntry,
    data: Arc<RosterIndex>,
    detail: Option<StudentDetail>,
    /// The source no longer knows this student.
    gone: bool,
    lines: Vec<Line<'static>>,
    /// `n`: the notice as plain text, shown instead of the page until `Esc`.
    preview: Option<Vec<Line<'static>>>,
    offset: usize,
    page: usize,
}

impl StudentScreen {
    pub fn new(entry: &RosterEntry, data: Arc<RosterIndex>) -> StudentScreen {
        StudentScreen {
            id: entry.student.student_id.clone(),
            entry: entry.clone(),
            data,
            detail: None,
            gone: false,
            lines: Vec::new(),
            preview: None,
            offset: 0,
            page: 1,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn has_detail(&self) -> bool {
        self.detail.is_some()
    }

    /// The loader's answer; a refresh keeps the scroll position.
    pub fn set_detail(&mut self, detail: Option<StudentDetail>) {
        match detail {
            Some(mut d) => {
                sanitize_detail(&mut d);
                self.detail = Some(d);
                self.gone = false;
                // An approval reloads the page: the preview shows the number it was given.
                if self.preview.is_some() {
                    self.preview = self.preview_lines();
                }
            }
            None => self.gone = true,
        }
    }

    pub fn set_data(&mut self, data: Arc<RosterIndex>) {
        if let Some(e) = data
            .snapshot
            .entries
            .iter()
            .find(|e| e.student.student_id == self.id)
        {
            self.entry = e.clone();
        }
        self.data = data;
    }

    fn shown(&self) -> &[Line<'static>] {
        self.preview.as_deref().unwrap_or(&self.lines)
    }

    /// The notice preview's lines: a hint, then the notice as plain text.
    fn preview_lines(&self) -> Option<Vec<Line<'static>>> {
        let text = self.detail.as_ref()?.notice.as_deref()?;
        let hint = "n 批准并编号 / approve · Esc 返回 / back";
        Some(
            std::iter::once(Line::from(hint.to_string()))
                .chain(
                    text.lines()
                        .map(|l| Line::from(text::sanitize(l).into_owned())),
                )
                .collect(),
        )
    }

    pub fn update(&mut self, action: Action) -> Outcome {
        let max = self.shown().len().saturating_sub(self.page);
        let to = match action {
            Action::Back if self.preview.is_some() => {
                self.preview = None;
                self.offset = 0;
                return Outcome::Consumed;
            }
            Action::Notice if self.preview.is_some() => {
                return Outcome::Write(WriteOp::ApproveNotice(self.id.clone()));
            }
            Action::Notice => {
                self.preview = self.preview_lines();
                self.offset = 0;
                return if self.preview.is_some() {
                    Outcome::Consumed
                } else {
                    Outcome::Ignored
                };
            }
            Action::Back => return Outcome::Close,
            Action::LogContact => {
                return Outcome::Open(Open::LogContact {
                    student: self.id.clone(),
                    schedule: None,
                });
            }
            Action::Schedule => {
                return Outcome::Open(Open::Schedule {
                    student: self.id.clone(),
                });
            }
            Action::Agenda => return Outcome::Open(Open::Agenda),
            Action::Down => self.offset + 1,
            Action::Up => self.offset.saturating_sub(1),
            Action::ScrollDown => self.offset + WHEEL_ROWS,
            Action::ScrollUp => self.offset.saturating_sub(WHEEL_ROWS),
            Action::PageDown => self.offset + self.page,
            Action::PageUp => self.offset.saturating_sub(self.page),
            Action::Top => 0,
            Action::Bottom => max,
            _ => return Outcome::Ignored,
        };
        self.offset = to.min(max);
        Outcome::Consumed
    }

    /// Lays the page out for `area` (on open, resize, new data).
    pub fn rebuild(&mut self, area: Rect, lang: Lang, theme: &Theme) {
        self.page = usize::from(area.height).max(1);
        self.lines = Page {
            s: self,
            lang,
            theme,
            width: usize::from(area.width),
        }
        .lines();
        self.offset = self.offset.min(self.lines.len().saturating_sub(self.page));
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let height = usize::from(area.height);
        // More below: the last row says how much, at the right, so the page never looks
        // complete when it is not. Drawn over text it would cut it (`逾↓ 17`): when the last
        // line has no room for it, that line waits for the next page.
        let more = self.shown().len() > self.offset + height;
        let mark_w = |below: usize| text::width(&format!(" ↓ {below} "));
        let last_fits = height
            .checked_sub(1)
            .and_then(|i| self.shown().get(self.offset + i))
            .is_some_and(|l| {
                let below = self.shown().len() - self.offset - height;
                let content: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                text::width(content.trim_end()) + mark_w(below) <= usize::from(area.width)
            });
        let shown = if more && !last_fits {
            height.saturating_sub(1)
        } else {
            height
        };
        let buf = frame.buffer_mut();
        for (i, line) in self
            .shown()
            .iter()
            .skip(self.offset)
            .take(shown)
            .enumerate()
        {
            buf.set_line(area.x, area.y + i as u16, line, area.width);
        }
        let below = self.shown().len().saturating_sub(self.offset + shown);
        if more && area.height > 0 {
            let mark = format!(" ↓ {below} ");
            let w = u16::try_from(text::width(&mark))
                .unwrap_or(0)
                .min(area.width);
            let at = Rect {
                x: area.right() - w,
                y: area.bottom() - 1,
                width: w,
                height: 1,
            };
            frame.render_widget(Line::styled(mark, theme.key), at);
        }
    }
}
