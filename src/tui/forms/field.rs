//! Form fields: a one-line text input (cursor kept by character, drawn by display width, so
//! CJK input scrolls correctly), a multi-line note that wraps inside the box
//! (ratatui-textarea), and a choice cycled with ←/→ or Space. Each field carries its own
//! validation message, drawn beside it.

use chrono::{NaiveDate, NaiveDateTime};

use crate::schedule::{DateInputError, parse_date_input, parse_datetime_input};
use crate::text;

use super::super::action::Action;
use super::super::i18n::{Lang, Msg};

/// Which field a form row is; also its label and hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldId {
    At,
    Kind,
    Role,
    With,
    Channel,
    Place,
    Summary,
    Situation,
    Actions,
    NextTalk,
    Confidential,
    Cadence,
    From,
    Until,
    Note,
}

impl FieldId {
    pub fn label(self) -> Msg {
        match self {
            FieldId::At => Msg::FieldAt,
            FieldId::Kind => Msg::FieldKind,
            FieldId::Role => Msg::FieldRole,
            FieldId::With => Msg::FieldWith,
            FieldId::Channel => Msg::FieldChannel,
            FieldId::Place => Msg::FieldPlace,
            FieldId::Summary => Msg::FieldSummary,
            FieldId::Situation => Msg::FieldSituation,
            FieldId::Actions => Msg::FieldActions,
            FieldId::NextTalk => Msg::FieldNextTalk,
            FieldId::Confidential => Msg::FieldConfidential,
            FieldId::Cadence => Msg::FieldCadence,
            FieldId::From => Msg::FieldFrom,
            FieldId::Until => Msg::FieldUntil,
            FieldId::Note => Msg::FieldNote,
        }
    }

    /// Free text: takes the box's whole width (no message beside it, it has none).
    pub fn is_free_text(self) -> bool {
        matches!(
            self,
            FieldId::Place
                | FieldId::Summary
                | FieldId::Situation
                | FieldId::Actions
                | FieldId::Note
        )
    }

    /// Rows a multi-line field would like when the screen has room (one otherwise).
    pub fn rows_wanted(self) -> usize {
        match self {
            FieldId::Summary | FieldId::Note => 4,
            FieldId::Situation | FieldId::Actions => 2,
            _ => 1,
        }
    }

    /// Shown beside the focused field while it has no error.
    pub fn hint(self) -> Option<Msg> {
        match self {
            FieldId::At => Some(Msg::HintDateTime),
            FieldId::From => Some(Msg::HintDate),
            FieldId::NextTalk | FieldId::Until => Some(Msg::HintOptionalDate),
            FieldId::Cadence => Some(Msg::HintCadence),
            FieldId::Kind | FieldId::Role | FieldId::With | FieldId::Channel => {
                Some(Msg::HintChoice)
            }
            _ => None,
        }
    }
}

/// A single-line text input; `cursor` counts characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    cursor: usize,
}

impl TextInput {
    pub fn new(value: &str) -> TextInput {
        TextInput {
            value: value.to_string(),
            cursor: value.chars().count(),
        }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.value
            .char_indices()
            .nth(char_index)
            .map_or(self.value.len(), |(i, _)| i)
    }

    /// Applies an editing action; None when it is not an editing action, else whether the
    /// value changed.
    pub fn apply(&mut self, action: Action) -> Option<bool> {
        let len = self.value.chars().count();
        let changed = match action {
            // Control characters (a pasted newline, an escape) never enter a value.
            Action::Input(c) if c.is_control() => false,
            Action::Input(c) => {
                let at = self.byte_at(self.cursor);
                self.value.insert(at, c);
                self.cursor += 1;
                true
            }
            Action::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
                true
            }
            Action::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
                true
            }
            Action::ClearInput => {
                let had = !self.value.is_empty();
                self.value.clear();
                self.cursor = 0;
                had
            }
            Action::Backspace | Action::Delete => false,
            Action::CursorLeft => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            Action::CursorRight => {
                self.cursor = (self.cursor + 1).min(len);
                false
            }
            Action::CursorHome => {
                self.cursor = 0;
                false
            }
            Action::CursorEnd => {
                self.cursor = len;
                false
            }
            _ => return None,
        };
        Some(changed)
    }

    /// What fits in `cols` columns with the cursor visible, and the cursor's column in it.
    pub fn view(&self, cols: usize) -> (String, usize) {
        let chars: Vec<char> = self.value.chars().collect();
        let width = |cs: &[char]| {
            cs.iter()
                .map(|c| text::width(&c.to_string()))
                .sum::<usize>()
        };
        // Scroll so the text before the cursor, plus the cursor cell, fits.
        let mut start = 0;
        while start < self.cursor && width(&chars[start..self.cursor]) + 1 > cols {
            start += 1;
        }
        let before = width(&chars[start..self.cursor]);
        let mut shown = String::new();
        let mut used = 0;
        for c in &chars[start..] {
            let w = text::width(&c.to_string());
            if used + w > cols {
                break;
            }
            used += w;
            shown.push(*c);
        }
        (shown, before)
    }
}

/// A note of several lines that wraps by display width (CJK included) inside its box, so
/// the start never scrolls out of sight while typing. `text` mirrors the area's lines.
#[derive(Debug, Clone)]
pub struct TextArea {
    area: ratatui_textarea::TextArea<'static>,
    text: String,
}

impl PartialEq for TextArea {
    fn eq(&self, other: &TextArea) -> bool {
        self.text == other.text && self.area.cursor() == other.area.cursor()
    }
}

impl Eq for TextArea {}

impl TextArea {
    pub fn new(value: &str) -> TextArea {
        let mut area =
            ratatui_textarea::TextArea::new(value.split('\n').map(str::to_string).collect());
        area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        area.set_cursor_line_style(ratatui::style::Style::new());
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        TextArea {
            area,
            text: value.to_string(),
        }
    }

    pub fn value(&self) -> &str {
        &self.text
    }

    /// The area to draw (the caller styles a copy).
    pub fn area(&self) -> &ratatui_textarea::TextArea<'static> {
        &self.area
    }

    /// Inserts pasted text where the cursor is, line breaks kept, anything else that could
    /// move the terminal (escape sequences, controls) removed.
    pub fn paste(&mut self, s: &str) -> bool {
        let clean: Vec<String> = s
            .split('\n')
            .map(|line| text::sanitize(line).trim_end().to_string())
            .collect();
        let changed = self.area.insert_str(clean.join("\n"));
        self.sync();
        changed
    }

    fn sync(&mut self) {
        self.text = self.area.lines().join("\n");
    }

    pub fn apply(&mut self, action: Action) -> Option<bool> {
        use ratatui_textarea::CursorMove;
        let changed = match action {
            Action::Input(c) if c.is_control() => false,
            Action::Input(c) => {
                self.area.insert_char(c);
                true
            }
            Action::Backspace => self.area.delete_char(),
            Action::Delete => self.area.delete_next_char(),
            Action::ClearInput => self.area.clear(),
            Action::CursorLeft | Action::CursorRight | Action::CursorHome | Action::CursorEnd => {
                self.area.move_cursor(match action {
                    Action::CursorLeft => CursorMove::Back,
                    Action::CursorRight => CursorMove::Forward,
                    Action::CursorHome => CursorMove::Head,
                    _ => CursorMove::End,
                });
                false
            }
            _ => return None,
        };
        self.sync();
        Some(changed)
    }
}

/// One of a fixed list of labelled options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    options: Vec<String>,
    index: usize,
}

impl Choice {
    pub fn new(options: Vec<String>, index: usize) -> Choice {
        let index = index.min(options.len().saturating_sub(1));
        Choice { options, index }
    }

    pub fn index(&self) -> usize {
        self.index
    }

    pub fn label(&self) -> &str {
        self.options.get(self.index).map_or("", String::as_str)
    }

    /// ←/→ and Space cycle; None for actions a choice does not take.
    pub fn apply(&mut self, action: Action) -> Option<bool> {
        let n = self.options.len().max(1);
        let before = self.index;
        match action {
            Action::CursorLeft => self.index = (self.index + n - 1) % n,
            Action::CursorRight | Action::Input(' ') => self.index = (self.index + 1) % n,
            Action::CursorHome => self.index = 0,
            Action::CursorEnd => self.index = n - 1,
            // Letters do nothing here rather than fall through to a binding.
            Action::Input(_) | Action::Backspace | Action::Delete | Action::ClearInput => {}
            _ => return None,
        }
        Some(self.index != before)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Text(TextInput),
    Area(Box<TextArea>),
    Choice(Choice),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub id: FieldId,
    pub input: Input,
    /// The validation message, shown beside the field.
    pub error: Option<String>,
}

impl Field {
    pub fn text(id: FieldId, value: &str) -> Field {
        Field {
            id,
            input: Input::Text(TextInput::new(value)),
            error: None,
        }
    }

    /// A multi-line note.
    pub fn area(id: FieldId, value: &str) -> Field {
        Field {
            id,
            input: Input::Area(Box::new(TextArea::new(value))),
            error: None,
        }
    }

    /// Pasted text: whole, line breaks kept in a note and turned into spaces elsewhere (a
    /// pasted newline never moves to the next field); a choice ignores it.
    pub fn paste(&mut self, s: &str) -> bool {
        match &mut self.input {
            Input::Area(a) => a.paste(s),
            Input::Text(t) => {
                let mut changed = false;
                for c in text::sanitize(s).chars() {
                    changed |= t.apply(Action::Input(c)) == Some(true);
                }
                changed
            }
            Input::Choice(_) => false,
        }
    }

    pub fn choice(id: FieldId, options: Vec<String>, index: usize) -> Field {
        Field {
            id,
            input: Input::Choice(Choice::new(options, index)),
            error: None,
        }
    }

    pub fn apply(&mut self, action: Action) -> Option<bool> {
        match &mut self.input {
            Input::Text(t) => t.apply(action),
            Input::Area(a) => a.apply(action),
            Input::Choice(c) => c.apply(action),
        }
    }

    pub fn value(&self) -> &str {
        match &self.input {
            Input::Text(t) => t.value(),
            Input::Area(a) => a.value(),
            Input::Choice(c) => c.label(),
        }
    }

    pub fn index(&self) -> usize {
        match &self.input {
            Input::Text(_) | Input::Area(_) => 0,
            Input::Choice(c) => c.index(),
        }
    }
}

/// A date-input error in words that fit beside a field.
pub fn date_error(e: &DateInputError, lang: Lang) -> String {
    match e {
        DateInputError::Empty => Msg::ErrRequired,
        DateInputError::Unrecognised(_) => Msg::ErrNotDate,
        DateInputError::NoSuchDate { .. } => Msg::ErrNoSuchDate,
        DateInputError::OutOfRange(_) => Msg::ErrDateRange,
        DateInputError::BadTime { .. } => Msg::ErrBadTime,
    }
    .text(lang)
    .to_string()
}

/// A required date (relative words counted from `today`).
pub fn date(s: &str, today: NaiveDate, lang: Lang) -> Result<NaiveDate, String> {
    parse_date_input(s, today).map_err(|e| date_error(&e, lang))
}

/// An optional date: empty is None.
pub fn optional_date(s: &str, today: NaiveDate, lang: Lang) -> Result<Option<NaiveDate>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    date(s, today, lang).map(Some)
}

/// A date and time (`now`, `2025-03-20 14:30`, `yesterday 16:00`).
pub fn date_time(s: &str, now: NaiveDateTime, lang: Lang) -> Result<NaiveDateTime, String> {
    parse_datetime_input(s, now).map_err(|e| date_error(&e, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> TextInput {
        let mut t = TextInput::default();
        for c in s.chars() {
            t.apply(Action::Input(c));
        }
        t
    }

    #[test]
    fn text_input_edits_at_the_cursor_by_character() {
        let mut t = typed("王清白");
        t.apply(Action::CursorLeft);
        t.apply(Action::Backspace);
        assert_eq!(t.value(), "王白");
        t.apply(Action::Input('q'));
        assert_eq!(t.value(), "王q白");
        t.apply(Action::CursorHome);
        t.apply(Action::Delete);
        assert_eq!(t.value(), "q白");
        assert_eq!(t.apply(Action::Input('\n')), Some(false));
        assert_eq!(t.apply(Action::Save), None);
        assert_eq!(t.apply(Action::ClearInput), Some(true));
        assert_eq!(t.value(), "");
    }

    #[test]
    fn text_view_scrolls_by_display_width_to_keep_the_cursor() {
        let t = typed("学生承认沉迷游戏");
        // 8 wide glyphs = 16 columns; 9 columns show the last 4 and the cursor cell.
        let (shown, cursor) = t.view(9);
        assert_eq!(shown, "沉迷游戏");
        assert_eq!(cursor, 8);
        // 8 columns: only 3 glyphs leave room for the cursor.
        assert_eq!(t.view(8), ("迷游戏".to_string(), 6));
        let (shown, cursor) = typed("ab").view(9);
        assert_eq!((shown.as_str(), cursor), ("ab", 2));
    }

    #[test]
    fn a_note_keeps_pasted_line_breaks_and_a_line_field_turns_them_into_spaces() {
        let mut note = Field::area(FieldId::Note, "");
        assert!(note.paste("第一行\r\n第二行\u{1b}[2J\n"));
        assert_eq!(note.value(), "第一行\n第二行\n");
        note.apply(Action::Input('x'));
        assert_eq!(note.value(), "第一行\n第二行\nx");
        let mut place = Field::text(FieldId::Place, "");
        assert!(place.paste("学工办\n302"));
        assert_eq!(place.value(), "学工办 302");
        let mut choice = Field::choice(FieldId::Kind, vec!["a".into()], 0);
        assert!(!choice.paste("b"));
    }

    #[test]
    fn choices_cycle_both_ways() {
        let mut c = Choice::new(vec!["a".into(), "b".into(), "c".into()], 0);
        c.apply(Action::CursorLeft);
        assert_eq!(c.label(), "c");
        c.apply(Action::Input(' '));
        assert_eq!(c.label(), "a");
        assert_eq!(c.apply(Action::Input('q')), Some(false));
        assert_eq!(c.apply(Action::NextField), None);
    }

    #[test]
    fn date_errors_are_short_words() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 20).unwrap();
        assert_eq!(
            date("2025-02-30", today, Lang::Zh),
            Err("没有这一天".into())
        );
        assert_eq!(date("soon", today, Lang::En), Err("not a date".into()));
        assert_eq!(optional_date(" ", today, Lang::En), Ok(None));
        assert_eq!(
            date("+3d", today, Lang::En),
            Ok(NaiveDate::from_ymd_opt(2025, 3, 23).unwrap())
        );
    }
}
