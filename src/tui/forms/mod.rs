//! Forms over the current screen: log a contact, schedule talks. A form validates as the user
//! types (the message beside the field), saves with Ctrl-S only when valid, asks before
//! discarding edits on Esc, and stays open — saying so — until the loader has stored it.

pub mod field;
pub mod log_contact;
pub mod schedule;

use chrono::{NaiveDate, NaiveDateTime};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::text::{self, Align};

use super::action::Action;
use super::i18n::{Lang, Msg};
use super::keymap::Context;
use super::labels::state_text;
use super::model::{RosterEntry, ScheduleView, WriteOp};
use super::outcome;
use super::theme::Theme;
use field::{Field, FieldId, Input};

/// A form never pushes a screen.
type Outcome = outcome::Outcome<std::convert::Infallible>;

/// Columns for a date, a cadence or a choice: `2025-03-20 14:30` and `◀ 班主任 ▶` fit.
const SHORT_VALUE: usize = 20;

/// What the form writes, with what it needs to check and build the record.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Log(log_contact::LogForm),
    Schedule(schedule::ScheduleForm),
}

/// Where a save stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Editing,
    /// Esc with unsaved edits: asking whether to discard them.
    Confirming,
    /// Handed to the loader as write `id`; edits wait for the answer.
    Saving(u64),
}

pub struct FormScreen {
    kind: Kind,
    lang: Lang,
    /// Who the form is about, and for which obligation (drawn under the title).
    subject: String,
    fields: Vec<Field>,
    focus: usize,
    dirty: bool,
    state: State,
    /// A message for the whole form (fix the marked fields, the database refused).
    status: Option<String>,
}

impl FormScreen {
    /// The contact form for `entry`, pre-filled from `against` (the schedule being met).
    pub fn log(
        entry: &RosterEntry,
        against: Option<&ScheduleView>,
        now: NaiveDateTime,
        lang: Lang,
    ) -> FormScreen {
        let (form, fields) = log_contact::LogForm::new(entry, against, now, lang);
        let mut subject = student_line(entry);
        if let Some(v) = against {
            subject.push_str(&format!(
                "  · {} {}（{}）",
                Msg::Against.text(lang),
                crate::i18n::obligation(lang, &v.schedule),
                state_text(v, lang),
            ));
            if lang == Lang::En {
                subject = subject.replace('（', " (").replace('）', ")");
            }
        }
        FormScreen::with(Kind::Log(form), fields, subject, lang)
    }

    /// The schedule form for `entry`.
    pub fn schedule(entry: &RosterEntry, today: NaiveDate, lang: Lang) -> FormScreen {
        let (form, fields) = schedule::ScheduleForm::new(entry, today, lang);
        FormScreen::with(Kind::Schedule(form), fields, student_line(entry), lang)
    }

    fn with(kind: Kind, fields: Vec<Field>, subject: String, lang: Lang) -> FormScreen {
        let mut f = FormScreen {
            kind,
            lang,
            subject,
            fields,
            focus: 0,
            dirty: false,
            state: State::Editing,
            status: None,
        };
        f.validate();
        f
    }

    pub fn context(&self) -> Context {
        match self.state {
            State::Confirming => Context::Confirm,
            _ => Context::Form,
        }
    }

    pub fn title(&self) -> Msg {
        match self.kind {
            Kind::Log(_) => Msg::FormLogTitle,
            Kind::Schedule(_) => Msg::FormScheduleTitle,
        }
    }

    /// What the notice says once the loader has stored this form.
    pub fn saved_message(&self) -> Msg {
        match self.kind {
            Kind::Log(_) => Msg::SavedContact,
            Kind::Schedule(_) => Msg::SavedSchedule,
        }
    }

    pub fn focused(&self) -> FieldId {
        self.fields[self.focus].id
    }

    pub fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The validation message beside `id`, if any.
    pub fn error(&self, id: FieldId) -> Option<&str> {
        self.field(id).and_then(|f| f.error.as_deref())
    }

    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// The write this form waits for.
    pub fn pending(&self) -> Option<u64> {
        match self.state {
            State::Saving(id) => Some(id),
            _ => None,
        }
    }

    pub fn set_pending(&mut self, id: u64) {
        self.state = State::Saving(id);
        self.status = Some(Msg::Saving.text(self.lang).to_string());
    }

    /// The loader could not store it: say why and let the user try again.
    pub fn failed(&mut self, error: &str) {
        self.state = State::Editing;
        self.status = Some(format!("{}: {error}", Msg::SaveFailed.text(self.lang)));
    }

    /// Checks every field (messages beside them); the record when all are valid.
    pub fn validate(&mut self) -> Option<WriteOp> {
        for f in &mut self.fields {
            f.error = None;
        }
        let lang = self.lang;
        let mut errors = Errors::default();
        let op = match &self.kind {
            Kind::Log(k) => k.check(&self.fields, lang, &mut errors),
            Kind::Schedule(k) => k.check(&self.fields, lang, &mut errors),
        };
        for (id, msg) in errors.0 {
            if let Some(f) = self.fields.iter_mut().find(|f| f.id == id) {
                f.error.get_or_insert(msg);
            }
        }
        op
    }

    pub fn update(&mut self, action: Action) -> Outcome {
        match self.state {
            State::Saving(_) => return Outcome::Consumed,
            State::Confirming => {
                return match action {
                    Action::Yes => Outcome::Close,
                    Action::No | Action::Back => {
                        self.state = State::Editing;
                        self.status = None;
                        Outcome::Consumed
                    }
                    _ => Outcome::Consumed,
                };
            }
            State::Editing => {}
        }
        let n = self.fields.len();
        match action {
            Action::Back if self.dirty => {
                self.state = State::Confirming;
                self.status = Some(Msg::DiscardAsk.text(self.lang).to_string());
            }
            Action::Back => return Outcome::Close,
            Action::NextField => self.focus = (self.focus + 1) % n,
            Action::PrevField => self.focus = (self.focus + n - 1) % n,
            Action::Save => match self.validate() {
                Some(op) => {
                    self.status = None;
                    return Outcome::Write(op);
                }
                None => {
                    self.status = Some(Msg::FixErrors.text(self.lang).to_string());
                    if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
                        self.focus = i;
                    }
                }
            },
            other => match self.fields[self.focus].apply(other) {
                Some(true) => {
                    self.dirty = true;
                    self.status = None;
                    self.validate();
                }
                Some(false) => {}
                None => return Outcome::Ignored,
            },
        }
        Outcome::Consumed
    }

    /// Pasted text goes whole into the focused field (see `Field::paste`).
    pub fn paste(&mut self, s: &str) -> bool {
        if self.state != State::Editing || !self.fields[self.focus].paste(s) {
            return false;
        }
        self.dirty = true;
        self.status = None;
        self.validate();
        true
    }

    /// Rows per field: notes get several when `height` (the screen's) leaves room for them,
    /// else one each, so the form never needs scrolling.
    fn rows(&self, height: u16) -> Vec<usize> {
        // Subject, a blank line, the fields, a blank line, the status, and the border.
        let room = usize::from(height).saturating_sub(6);
        let wanted: Vec<usize> = self.fields.iter().map(|f| f.id.rows_wanted()).collect();
        if wanted.iter().sum::<usize>() <= room {
            return wanted;
        }
        vec![1; self.fields.len()]
    }

    fn popup(&self, area: Rect) -> Rect {
        let w = area.width.min(78);
        let h = u16::try_from(self.rows(area.height).iter().sum::<usize>() + 6)
            .unwrap_or(u16::MAX)
            .min(area.height);
        crate::tui::widgets::popup::centered(area, w, h)
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let lang = self.lang;
        let popup = self.popup(area);
        let block = Block::bordered()
            .border_style(theme.border)
            .title(format!(" {} ", self.title().text(lang)))
            .title_style(theme.title);
        let inner = block.inner(popup);
        crate::tui::widgets::popup::clear(frame, popup);
        frame.buffer_mut().set_style(popup, theme.base);
        frame.render_widget(block, popup);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let row = |i: usize| Rect {
            y: inner.y + u16::try_from(i).unwrap_or(u16::MAX),
            height: 1,
            ..inner
        };
        let width = usize::from(inner.width);
        frame.render_widget(
            Line::raw(text::ellipsize(&self.subject, width).into_owned()),
            row(0),
        );
        let label_w = self
            .fields
            .iter()
            .map(|f| text::width(f.id.label().text(lang)))
            .max()
            .unwrap_or(0);
        let value_x = 2 + label_w + 1;
        // Dates and choices are short, so their message sits beside them; free text takes
        // the rest of the box.
        let short_w = SHORT_VALUE.min(width.saturating_sub(value_x));
        let msg_w = width.saturating_sub(value_x + short_w + 1);
        let heights = self.rows(area.height);
        let mut y = 2;
        for (i, (f, &h)) in self.fields.iter().zip(&heights).enumerate() {
            let r = Rect {
                height: u16::try_from(h).unwrap_or(1),
                ..row(y)
            };
            y += h;
            if r.y >= inner.bottom() {
                break;
            }
            let r = r.intersection(inner);
            let focused = i == self.focus;
            let mark_style = if focused { theme.key } else { theme.base };
            frame.render_widget(
                Line::from(vec![
                    Span::styled(if focused { "▶ " } else { "  " }, mark_style),
                    Span::styled(
                        text::fit(f.id.label().text(lang), label_w, Align::Left),
                        mark_style,
                    ),
                ]),
                Rect { height: 1, ..r },
            );
            let value_w = if f.id.is_free_text() {
                width.saturating_sub(value_x)
            } else {
                short_w
            };
            let value_area = Rect {
                x: r.x + u16::try_from(value_x).unwrap_or(0),
                width: u16::try_from(value_w).unwrap_or(0),
                ..r
            }
            .intersection(r);
            let editing = focused && self.state == State::Editing;
            let cursor = match &f.input {
                Input::Text(t) => {
                    let (shown, cursor) = t.view(value_w);
                    frame.render_widget(
                        Line::styled(text::fit(&shown, value_w, Align::Left), theme.search),
                        value_area,
                    );
                    Some((value_area.x + u16::try_from(cursor).unwrap_or(0), r.y))
                }
                Input::Area(a) => {
                    let mut ta = a.area().clone();
                    ta.set_style(theme.search);
                    // The block cursor marks the place even where the terminal hides its own.
                    ta.set_cursor_style(if editing {
                        theme.search.add_modifier(Modifier::REVERSED)
                    } else {
                        theme.search
                    });
                    frame.render_widget(&ta, value_area);
                    let (top, left) = ta.scroll_offset();
                    let c = ta.screen_cursor();
                    let dy = c.row.saturating_sub(usize::from(top));
                    let dx = c.col.saturating_sub(usize::from(left));
                    Some((
                        value_area.x + u16::try_from(dx).unwrap_or(0),
                        value_area.y + u16::try_from(dy).unwrap_or(0),
                    ))
                }
                // The arrows say "choose with ←/→" whether focused or not.
                Input::Choice(c) => {
                    let style = if focused {
                        theme.selected
                    } else {
                        Style::new()
                    };
                    frame.render_widget(
                        Line::styled(
                            text::fit(&format!("◀ {} ▶", c.label()), value_w, Align::Left),
                            style,
                        ),
                        value_area,
                    );
                    None
                }
            };
            let msg = match (&f.error, f.id.hint()) {
                (Some(e), _) => Some((format!("✗ {e}"), theme.error)),
                (None, Some(h)) if focused => Some((h.text(lang).to_string(), theme.muted)),
                _ => None,
            };
            if let Some((m, style)) = msg.filter(|_| !f.id.is_free_text()) {
                let at = value_area.right() + 1;
                frame.render_widget(
                    Line::styled(text::ellipsize(&m, msg_w).into_owned(), style),
                    Rect {
                        x: at,
                        width: inner.right().saturating_sub(at),
                        height: 1,
                        ..r
                    },
                );
            }
            if editing && let Some((x, y)) = cursor {
                frame.set_cursor_position(Position::new(
                    x.min(value_area.right().saturating_sub(1)),
                    y.min(value_area.bottom().saturating_sub(1)),
                ));
            }
        }
        if let Some(s) = &self.status {
            let style = match self.state {
                State::Saving(_) => theme.muted,
                State::Confirming => theme.warning,
                State::Editing => theme.error,
            };
            let last = row(usize::from(inner.height.saturating_sub(1)));
            frame.render_widget(
                Line::styled(text::ellipsize(s, width).into_owned(), style),
                last,
            );
        }
    }
}

/// Validation messages by field, first one per field wins.
#[derive(Debug, Default)]
pub struct Errors(Vec<(FieldId, String)>);

impl Errors {
    pub fn add(&mut self, id: FieldId, msg: impl Into<String>) {
        self.0.push((id, msg.into()));
    }

    /// The value, or None with the message recorded against `id`.
    pub fn check<T>(&mut self, id: FieldId, r: Result<T, String>) -> Option<T> {
        r.map_err(|e| self.add(id, e)).ok()
    }
}

/// The text of field `id` (empty when the form has no such field).
pub fn value(fields: &[Field], id: FieldId) -> &str {
    fields
        .iter()
        .find(|f| f.id == id)
        .map_or("", |f| f.value().trim())
}

/// The chosen index of choice field `id`.
pub fn index(fields: &[Field], id: FieldId) -> usize {
    fields.iter().find(|f| f.id == id).map_or(0, Field::index)
}

fn student_line(e: &RosterEntry) -> String {
    let s = &e.student;
    [s.name.as_str(), s.student_id.as_str(), s.class.as_str()]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Timelike};

    use super::*;
    use crate::model::{Student, Term};
    use crate::policy::Evaluation;

    fn entry() -> RosterEntry {
        RosterEntry {
            student: Student {
                student_id: "2022000004".into(),
                name: "莫怡超".into(),
                ..Student::default()
            },
            eval: Evaluation::none("2022000004", Term { year: 2024, n: 2 }),
            last_contact: None,
            followup: None,
            exempt: None,
        }
    }

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2025, 6, 20)
            .and_then(|d| d.and_hms_opt(9, 15, 0))
            .unwrap()
    }

    fn set(form: &mut FormScreen, id: FieldId, text: &str) {
        while form.focused() != id {
            form.update(Action::NextField);
        }
        form.update(Action::ClearInput);
        for c in text.chars() {
            form.update(Action::Input(c));
        }
    }

    #[test]
    fn a_fresh_contact_form_is_valid_and_dated_now() {
        let mut f = FormScreen::log(&entry(), None, now(), Lang::En);
        let Some(WriteOp::LogContact { contact: c, .. }) = f.validate() else {
            panic!("valid as opened");
        };
        assert_eq!(
            (c.at, c.next_talk, c.role),
            (now().with_second(0).unwrap(), None, None)
        );
        assert_eq!(f.error(FieldId::At), None);
    }

    #[test]
    fn an_impossible_date_is_refused_beside_its_field() {
        let mut f = FormScreen::log(&entry(), None, now(), Lang::Zh);
        set(&mut f, FieldId::At, "2025-02-30 10:00");
        assert_eq!(f.error(FieldId::At), Some("没有这一天"));
        assert!(matches!(f.update(Action::Save), Outcome::Consumed));
        set(&mut f, FieldId::At, "2025-06-21");
        assert_eq!(f.error(FieldId::At), Some("不能晚于今天"));
        set(&mut f, FieldId::At, "25:00");
        assert_eq!(f.error(FieldId::At), Some("无法识别的日期"));
        set(&mut f, FieldId::At, "yesterday 25:00");
        assert_eq!(f.error(FieldId::At), Some("时间应为 HH:MM"));
    }

    #[test]
    fn the_next_talk_must_come_after_the_contact() {
        let mut f = FormScreen::log(&entry(), None, now(), Lang::En);
        set(&mut f, FieldId::NextTalk, "2025-06-20");
        assert_eq!(
            f.error(FieldId::NextTalk),
            Some("must be after the contact")
        );
        // Relative dates count from the contact's day, not today.
        set(&mut f, FieldId::At, "2025-06-10 15:00");
        set(&mut f, FieldId::NextTalk, "+7d");
        let Some(WriteOp::LogContact { contact: c, .. }) = f.validate() else {
            panic!("valid");
        };
        assert_eq!(c.next_talk, NaiveDate::from_ymd_opt(2025, 6, 17));
        match f.update(Action::Save) {
            Outcome::Write(WriteOp::LogContact { contact: saved, .. }) => assert_eq!(saved, c),
            _ => panic!("saves when valid"),
        }
    }

    #[test]
    fn schedule_form_checks_cadence_and_until() {
        let mut f = FormScreen::schedule(&entry(), now().date(), Lang::En);
        set(&mut f, FieldId::Cadence, "days:0");
        assert!(f.error(FieldId::Cadence).is_some());
        set(&mut f, FieldId::Cadence, "term:2");
        set(&mut f, FieldId::From, "mon");
        set(&mut f, FieldId::Until, "2025-06-01");
        assert_eq!(f.error(FieldId::Until), Some("before the start date"));
        set(&mut f, FieldId::Until, "+30d");
        let Some(WriteOp::AddSchedule(s)) = f.validate() else {
            panic!("valid");
        };
        assert_eq!(s.cadence, crate::model::Cadence::Term(2));
        assert_eq!(s.from, NaiveDate::from_ymd_opt(2025, 6, 23).unwrap());
        assert_eq!(s.until, NaiveDate::from_ymd_opt(2025, 7, 20));
    }
}
