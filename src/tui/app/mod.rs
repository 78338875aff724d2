//! Routing only: a base screen (roster or an empty-state screen) under a stack of pushed
//! screens; the top one gets each action first. Data loads and writes are requested here and
//! answered by the loader; `draw` only reads state.

use std::sync::Arc;

use crossterm::event::{Event as TermEvent, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use crate::text;

mod loaded;

use super::TuiOptions;
use super::action::Action;
use super::event::Event;
use super::forms::FormScreen;
use super::i18n::Msg;
use super::keymap::{self, Context};
use super::loader::Request;
use super::model::{Snapshot, WriteOp, clock_on};
use super::roster_index::RosterIndex;
use super::screens::agenda::AgendaScreen;
use super::screens::empty::{self, EmptyKind};
use super::screens::help::HelpScreen;
use super::screens::picker::PickerScreen;
use super::screens::report::ReportScreen;
use super::screens::roster::RosterScreen;
use super::screens::student::StudentScreen;
use super::screens::{Open, Outcome, Push};

enum Base {
    Empty(EmptyKind),
    Roster(Box<RosterScreen>),
}

enum Layer {
    Student(Box<StudentScreen>),
    Agenda(Box<AgendaScreen>),
    Report(Box<ReportScreen>),
    Form(Box<FormScreen>),
    Picker(PickerScreen),
    Help(HelpScreen),
}

impl Layer {
    /// Covers the whole body (nothing below needs drawing), unlike an overlay.
    fn is_page(&self) -> bool {
        matches!(
            self,
            Layer::Student(_) | Layer::Agenda(_) | Layer::Report(_)
        )
    }
}

/// A one-line message in the footer until the next key: a save, or why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

pub struct App {
    opts: TuiOptions,
    area: Rect,
    base: Base,
    stack: Vec<Layer>,
    requests: Vec<Request>,
    error: Option<String>,
    notice: Option<Notice>,
    next_write: u64,
    quit: bool,
}

impl App {
    /// An app waiting for its first snapshot.
    pub fn loading(opts: TuiOptions) -> App {
        App {
            opts,
            area: Rect::new(0, 0, 80, 24),
            base: Base::Empty(EmptyKind::Loading(None)),
            stack: Vec::new(),
            requests: Vec::new(),
            error: None,
            notice: None,
            next_write: 1,
            quit: false,
        }
    }

    /// An app showing `snapshot` (tests, and callers that load synchronously).
    pub fn new(snapshot: Snapshot, opts: TuiOptions) -> App {
        let mut app = App::loading(opts);
        app.set_data(RosterIndex::build(snapshot, 0));
        app
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Loads the app wants, oldest first; the caller hands them to the loader.
    pub fn take_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.requests)
    }

    /// The roster screen, when data is shown.
    pub fn roster(&self) -> Option<&RosterScreen> {
        match &self.base {
            Base::Roster(r) => Some(r),
            Base::Empty(_) => None,
        }
    }

    /// The id of the student whose page is on top, if any.
    pub fn open_student(&self) -> Option<&str> {
        match self.stack.last() {
            Some(Layer::Student(s)) => Some(s.id()),
            _ => None,
        }
    }

    /// The form on top, if any.
    pub fn form(&self) -> Option<&FormScreen> {
        match self.stack.last() {
            Some(Layer::Form(f)) => Some(f),
            _ => None,
        }
    }

    /// The agenda, if open (on top or under a page opened from it).
    pub fn agenda(&self) -> Option<&AgendaScreen> {
        self.stack.iter().rev().find_map(|l| match l {
            Layer::Agenda(a) => Some(a.as_ref()),
            _ => None,
        })
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// Which bindings apply now.
    pub fn context(&self) -> Context {
        match (self.stack.last(), &self.base) {
            (Some(Layer::Form(f)), _) => f.context(),
            (Some(Layer::Agenda(_)), _) => Context::Agenda,
            (Some(Layer::Report(_)), _) => Context::Report,
            (Some(Layer::Student(_)), _) => Context::Student,
            (Some(Layer::Picker(_)), _) => Context::Picker,
            (Some(Layer::Help(_)), _) => Context::Help,
            (None, Base::Roster(r)) => r.context(),
            (None, Base::Empty(_)) => Context::Empty,
        }
    }

    fn body(&self) -> Rect {
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas::<2>(self.area)[0]
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.area = Rect::new(0, 0, width, height);
        let body = self.body();
        if let Base::Roster(r) = &mut self.base {
            r.resize(body);
        }
        for layer in &mut self.stack {
            match layer {
                Layer::Student(s) => s.rebuild(body, self.opts.lang, &self.opts.theme),
                Layer::Agenda(a) => a.resize(body),
                Layer::Picker(p) => p.resize(body),
                Layer::Help(_) | Layer::Form(_) | Layer::Report(_) => {}
            }
        }
    }

    /// Applies one event; true when the screen needs redrawing.
    pub fn handle_event(&mut self, event: Event) -> bool {
        match event {
            Event::Input(TermEvent::Key(k)) => self.handle_key(k),
            Event::Input(TermEvent::Mouse(m)) => self.handle_mouse(m),
            Event::Input(TermEvent::Paste(p)) => self.handle_paste(&p),
            Event::Input(TermEvent::Resize(w, h)) => {
                self.resize(w, h);
                true
            }
            Event::Input(_) => false,
            Event::InputClosed => {
                self.quit = true;
                false
            }
            Event::Loaded(l) => self.apply_loaded(l),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        // A notice lasts until the next key.
        let had_notice = self.notice.take().is_some();
        match keymap::resolve(self.context(), key) {
            Some(a) => self.update(a) || had_notice,
            None => had_notice,
        }
    }

    /// Only asked for when `mouse = true`: the wheel scrolls, a left click selects the row
    /// under it in the roster or the agenda.
    pub fn handle_mouse(&mut self, m: MouseEvent) -> bool {
        match m.kind {
            MouseEventKind::ScrollDown => self.update(Action::ScrollDown),
            MouseEventKind::ScrollUp => self.update(Action::ScrollUp),
            MouseEventKind::Down(MouseButton::Left) => {
                let body = self.body();
                if m.row >= body.bottom() {
                    return false;
                }
                match (self.stack.last_mut(), &mut self.base) {
                    (Some(Layer::Agenda(a)), _) => a.click(body, m.row),
                    (None, Base::Roster(r)) => r.click(body, m.row),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Bracketed paste: the text arrives whole. In a form it goes into the focused field
    /// (newlines stay only where the field takes several lines), in the search field it is
    /// typed; elsewhere it is dropped rather than read as a burst of commands.
    pub fn handle_paste(&mut self, pasted: &str) -> bool {
        self.notice = None;
        if let Some(Layer::Form(f)) = self.stack.last_mut() {
            return f.paste(pasted);
        }
        if self.context() != Context::Search {
            return false;
        }
        let mut changed = false;
        for c in crate::text::sanitize(pasted).chars() {
            changed |= self.update(Action::Input(c));
        }
        changed
    }

    /// The one place state changes in answer to a key. True when something changed.
    pub fn update(&mut self, action: Action) -> bool {
        match action {
            Action::Quit => {
                self.quit = true;
                return false;
            }
            Action::Help if !matches!(self.stack.last(), Some(Layer::Help(_))) => {
                self.stack
                    .push(Layer::Help(HelpScreen::new(self.context())));
                return true;
            }
            _ => {}
        }
        let outcome = match self.stack.last_mut() {
            Some(Layer::Form(f)) => f.update(action).widen(),
            Some(Layer::Agenda(a)) => a.update(action),
            Some(Layer::Report(r)) => r.update(action),
            Some(Layer::Student(s)) => s.update(action),
            Some(Layer::Picker(p)) => p.update(action),
            Some(Layer::Help(h)) => h.update(action),
            None => match &mut self.base {
                Base::Roster(r) => r.update(action),
                Base::Empty(_) => Outcome::Ignored,
            },
        };
        self.apply_outcome(outcome)
    }

    fn apply_outcome(&mut self, outcome: Outcome) -> bool {
        let body = self.body();
        match outcome {
            Outcome::Ignored => false,
            Outcome::Consumed => true,
            Outcome::Close => {
                if let Some(Layer::Student(_)) = self.stack.pop() {
                    self.follow_top_student();
                }
                true
            }
            Outcome::Push(Push::Student(mut s)) => {
                self.requests.push(Request::Student(s.id().to_string()));
                s.rebuild(body, self.opts.lang, &self.opts.theme);
                self.stack.push(Layer::Student(s));
                true
            }
            Outcome::Push(Push::Picker(mut p)) => {
                p.resize(body);
                self.stack.push(Layer::Picker(p));
                true
            }
            Outcome::Pick(kind, value) => {
                self.stack.pop();
                if let Base::Roster(r) = &mut self.base {
                    r.set_filter(kind, value);
                }
                true
            }
            Outcome::Open(open) => self.open(open),
            Outcome::Write(op) => {
                self.write(op);
                true
            }
        }
    }

    /// The loader keeps one student page fresh: after a page closes, the topmost one left.
    fn follow_top_student(&mut self) {
        let top = self.stack.iter().rev().find_map(|l| match l {
            Layer::Student(s) => Some(s.id().to_string()),
            _ => None,
        });
        self.requests.push(match top {
            Some(id) => Request::Student(id),
            None => Request::CloseStudent,
        });
    }

    /// Hands `op` to the loader; the form on top waits for the answer.
    fn write(&mut self, op: WriteOp) {
        let id = self.next_write;
        self.next_write += 1;
        if let Some(Layer::Form(f)) = self.stack.last_mut() {
            f.set_pending(id);
        }
        self.requests.push(Request::Write { id, op });
    }

    fn data(&self) -> Option<Arc<RosterIndex>> {
        match &self.base {
            Base::Roster(r) => Some(r.data().clone()),
            Base::Empty(_) => None,
        }
    }

    /// The time a new contact defaults to.
    fn now(&self, today: chrono::NaiveDate) -> chrono::NaiveDateTime {
        self.opts.now.unwrap_or_else(|| clock_on(today))
    }

    fn open(&mut self, open: Open) -> bool {
        let Some(data) = self.data() else {
            return false;
        };
        let lang = self.opts.lang;
        let body = self.body();
        let entry = |id: &str| data.row_of(id).and_then(|r| data.snapshot.entries.get(r));
        let form = match open {
            Open::Agenda => {
                // One agenda: going back to it rather than stacking another.
                if let Some(i) = self
                    .stack
                    .iter()
                    .position(|l| matches!(l, Layer::Agenda(_)))
                {
                    let dropped_page = self.stack[i + 1..]
                        .iter()
                        .any(|l| matches!(l, Layer::Student(_)));
                    self.stack.truncate(i + 1);
                    if dropped_page {
                        self.follow_top_student();
                    }
                } else {
                    let mut a = AgendaScreen::new(data.clone());
                    a.resize(body);
                    self.stack.push(Layer::Agenda(Box::new(a)));
                }
                return true;
            }
            Open::Report => {
                if !self.stack.iter().any(|l| matches!(l, Layer::Report(_))) {
                    self.requests.push(Request::Report);
                    self.stack
                        .push(Layer::Report(Box::new(ReportScreen::Loading)));
                }
                return true;
            }
            Open::LogContact { student, schedule } => {
                let Some(e) = entry(&student) else {
                    return false;
                };
                // Against the schedule named, else the student's most overdue one.
                let against = match schedule {
                    Some(id) => data.snapshot.schedules.iter().find(|v| v.schedule.id == id),
                    None => data
                        .schedules_of(&student)
                        .filter(|v| v.status.overdue)
                        .max_by_key(|v| v.status.days_overdue),
                };
                FormScreen::log(e, against, self.now(data.snapshot.today), lang)
            }
            Open::Schedule { student } => {
                let Some(e) = entry(&student) else {
                    return false;
                };
                FormScreen::schedule(e, data.snapshot.today, lang)
            }
        };
        self.stack.push(Layer::Form(Box::new(form)));
        true
    }

    pub fn draw(&self, frame: &mut Frame) {
        let (lang, theme) = (self.opts.lang, &self.opts.theme);
        let [body, footer] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(frame.area());
        let all = frame.area();
        frame.buffer_mut().set_style(all, theme.base);
        // A pushed full-screen page hides the base; overlays (help, picker) draw over it.
        let full = self.stack.iter().rposition(Layer::is_page);
        if full.is_none() {
            match &self.base {
                Base::Roster(r) => r.draw(frame, body, lang, theme),
                Base::Empty(kind) => empty::draw(kind, frame, body, lang, theme),
            }
        }
        for layer in &self.stack[full.unwrap_or(0)..] {
            match layer {
                Layer::Student(s) => s.draw(frame, body, theme),
                Layer::Agenda(a) => a.draw(frame, body, lang, theme),
                Layer::Report(r) => r.draw(frame, body, lang, theme),
                Layer::Form(f) => f.draw(frame, body, theme),
                Layer::Picker(p) => p.draw(frame, body, lang, theme),
                Layer::Help(h) => h.draw(frame, body, lang, theme),
            }
        }
        self.draw_footer(frame, footer);
    }

    fn draw_footer(&self, frame: &mut Frame, area: Rect) {
        let (lang, theme) = (self.opts.lang, &self.opts.theme);
        if let Some(n) = &self.notice {
            let style = if n.error { theme.error } else { theme.ok };
            frame.render_widget(
                Line::styled(
                    text::ellipsize(&n.text, usize::from(area.width)).into_owned(),
                    style,
                ),
                area,
            );
            return;
        }
        if let Some(e) = &self.error {
            let msg = format!("{}: {e}", Msg::LoadError.text(lang));
            frame.render_widget(
                Line::styled(
                    text::ellipsize(&msg, usize::from(area.width)).into_owned(),
                    theme.error,
                ),
                area,
            );
            return;
        }
        let mut spans = Vec::new();
        let mut used = 0;
        for hint in keymap::footer(self.context()) {
            let label = hint.action.short_label(lang);
            let w = text::width(&hint.keys) + 1 + text::width(label) + 2;
            if used + w > usize::from(area.width) {
                break;
            }
            used += w;
            spans.push(Span::styled(hint.keys, theme.key));
            spans.push(Span::styled(format!(" {label}  "), theme.muted));
        }
        frame.render_widget(Line::from(spans), area);
    }

    /// Picker screen on top, for tests.
    pub fn picker(&self) -> Option<&PickerScreen> {
        match self.stack.last() {
            Some(Layer::Picker(p)) => Some(p),
            _ => None,
        }
    }
}
