//! Key bindings per screen, in one table. The footer and the `?` help are generated from
//! this table, so what they say and what the keys do can never drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::i18n::Lang;

/// Which bindings apply: the focused screen (or text field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Keys every screen shares unless a text field has focus.
    Global,
    /// Loading, empty database, no policy.
    Empty,
    Roster,
    /// The roster's search field: printable keys type.
    Search,
    Student,
    Help,
    Picker,
    Agenda,
    /// The term-end analysis (`r`).
    Report,
    /// A form (contact, schedule): printable keys go to the focused field.
    Form,
    /// "Discard the unsaved form?"
    Confirm,
}

impl Context {
    /// Whether printable keys go to a text field before any binding.
    pub fn is_text_field(self) -> bool {
        matches!(self, Context::Search | Context::Form)
    }

    /// Whether the global keys (`?`, `q`) apply: not where a letter types or answers.
    fn has_globals(self) -> bool {
        !self.is_text_field() && self != Context::Confirm
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> KeySpec {
    KeySpec {
        code,
        mods: KeyModifiers::NONE,
    }
}
const fn ch(c: char) -> KeySpec {
    key(KeyCode::Char(c))
}
const fn ctrl(c: char) -> KeySpec {
    KeySpec {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

pub struct Binding {
    pub ctx: Context,
    pub keys: &'static [KeySpec],
    pub action: Action,
    /// Shown in the footer (the few that matter); every binding is in the help.
    pub footer: bool,
}

const fn bind(ctx: Context, keys: &'static [KeySpec], action: Action, footer: bool) -> Binding {
    Binding {
        ctx,
        keys,
        action,
        footer,
    }
}

use Context as C;
use KeyCode as K;

const UP: &[KeySpec] = &[ch('k'), key(K::Up)];
const DOWN: &[KeySpec] = &[ch('j'), key(K::Down)];
const PGUP: &[KeySpec] = &[key(K::PageUp), ctrl('b')];
const PGDN: &[KeySpec] = &[key(K::PageDown), ctrl('f')];
const TOP: &[KeySpec] = &[ch('g'), key(K::Home)];
const BOTTOM: &[KeySpec] = &[ch('G'), key(K::End)];
const BACK: &[KeySpec] = &[key(K::Esc), key(K::Backspace), ch('h'), key(K::Left)];

pub static BINDINGS: &[Binding] = &[
    bind(C::Global, &[ch('?'), key(K::F(1))], Action::Help, true),
    bind(C::Global, &[ch('q'), ctrl('c')], Action::Quit, true),
    // Roster
    bind(C::Roster, &[key(K::Enter)], Action::Open, true),
    bind(C::Roster, &[ch('/')], Action::Search, true),
    bind(C::Roster, &[ch('l')], Action::LogContact, true),
    bind(C::Roster, &[ch('a')], Action::Agenda, true),
    bind(C::Roster, &[ch('o')], Action::OverdueOnly, true),
    bind(C::Roster, &[ch('r')], Action::Report, false),
    bind(C::Roster, &[ch('s')], Action::Schedule, false),
    bind(C::Roster, &[key(K::Tab)], Action::NextTier, true),
    bind(C::Roster, &[key(K::BackTab)], Action::PrevTier, false),
    bind(C::Roster, &[ch('S')], Action::CycleSort, false),
    bind(C::Roster, &[ch('c')], Action::PickClass, false),
    bind(C::Roster, &[ch('t')], Action::PickStaff, false),
    bind(
        C::Roster,
        &[ch('x'), key(K::Esc)],
        Action::ClearFilters,
        false,
    ),
    bind(C::Roster, DOWN, Action::Down, false),
    bind(C::Roster, UP, Action::Up, false),
    bind(C::Roster, PGDN, Action::PageDown, false),
    bind(C::Roster, PGUP, Action::PageUp, false),
    bind(C::Roster, TOP, Action::Top, false),
    bind(C::Roster, BOTTOM, Action::Bottom, false),
    // Search field: printable keys type (see `resolve`).
    bind(C::Search, &[key(K::Enter)], Action::SearchAccept, true),
    bind(C::Search, &[key(K::Esc)], Action::SearchCancel, true),
    bind(C::Search, &[key(K::Backspace)], Action::Backspace, false),
    bind(C::Search, &[ctrl('u')], Action::ClearInput, false),
    bind(C::Search, &[key(K::Down)], Action::Down, false),
    bind(C::Search, &[key(K::Up)], Action::Up, false),
    bind(C::Search, &[key(K::PageDown)], Action::PageDown, false),
    bind(C::Search, &[key(K::PageUp)], Action::PageUp, false),
    bind(C::Search, &[key(K::Tab)], Action::NextTier, false),
    bind(C::Search, &[key(K::BackTab)], Action::PrevTier, false),
    bind(C::Search, &[ctrl('c')], Action::Quit, false),
    // Student page
    bind(C::Student, BACK, Action::Back, true),
    bind(C::Student, &[ch('l')], Action::LogContact, true),
    bind(C::Student, &[ch('s')], Action::Schedule, true),
    bind(C::Student, &[ch('n')], Action::Notice, false),
    bind(C::Student, &[ch('a')], Action::Agenda, false),
    bind(C::Student, DOWN, Action::Down, true),
    bind(C::Student, UP, Action::Up, false),
    bind(C::Student, PGDN, Action::PageDown, true),
    bind(C::Student, PGUP, Action::PageUp, false),
    bind(C::Student, TOP, Action::Top, false),
    bind(C::Student, BOTTOM, Action::Bottom, false),
    // Help overlay
    bind(C::Help, &[key(K::Esc)], Action::Back, true),
    bind(C::Help, DOWN, Action::Down, false),
    bind(C::Help, UP, Action::Up, false),
    bind(C::Help, PGDN, Action::PageDown, false),
    bind(C::Help, PGUP, Action::PageUp, false),
    bind(C::Help, TOP, Action::Top, false),
    bind(C::Help, BOTTOM, Action::Bottom, false),
    // Class / teacher picker
    bind(C::Picker, &[key(K::Enter)], Action::Open, true),
    bind(C::Picker, &[key(K::Esc)], Action::Back, true),
    bind(C::Picker, DOWN, Action::Down, false),
    bind(C::Picker, UP, Action::Up, false),
    bind(C::Picker, PGDN, Action::PageDown, false),
    bind(C::Picker, PGUP, Action::PageUp, false),
    bind(C::Picker, TOP, Action::Top, false),
    bind(C::Picker, BOTTOM, Action::Bottom, false),
    // Term-end analysis
    bind(C::Report, BACK, Action::Back, true),
    // Agenda
    bind(C::Agenda, &[key(K::Enter)], Action::Open, true),
    bind(C::Agenda, &[ch('l')], Action::LogContact, true),
    bind(C::Agenda, &[ch('s')], Action::Schedule, false),
    bind(C::Agenda, BACK, Action::Back, true),
    bind(C::Agenda, DOWN, Action::Down, false),
    bind(C::Agenda, UP, Action::Up, false),
    bind(C::Agenda, PGDN, Action::PageDown, false),
    bind(C::Agenda, PGUP, Action::PageUp, false),
    bind(C::Agenda, TOP, Action::Top, false),
    bind(C::Agenda, BOTTOM, Action::Bottom, false),
    // Forms: printable keys type into the focused field (see `resolve`).
    bind(C::Form, &[ctrl('s')], Action::Save, true),
    bind(C::Form, &[key(K::Esc)], Action::Back, true),
    bind(
        C::Form,
        &[key(K::Tab), key(K::Down), key(K::Enter)],
        Action::NextField,
        true,
    ),
    bind(
        C::Form,
        &[key(K::BackTab), key(K::Up)],
        Action::PrevField,
        false,
    ),
    bind(C::Form, &[key(K::Left)], Action::CursorLeft, false),
    bind(C::Form, &[key(K::Right)], Action::CursorRight, true),
    bind(
        C::Form,
        &[key(K::Home), ctrl('a')],
        Action::CursorHome,
        false,
    ),
    bind(C::Form, &[key(K::End), ctrl('e')], Action::CursorEnd, false),
    bind(C::Form, &[key(K::Backspace)], Action::Backspace, false),
    bind(C::Form, &[key(K::Delete)], Action::Delete, false),
    bind(C::Form, &[ctrl('u')], Action::ClearInput, false),
    bind(C::Form, &[ctrl('c')], Action::Quit, false),
    bind(C::Confirm, &[ch('y')], Action::Yes, true),
    bind(C::Confirm, &[ch('n'), key(K::Esc)], Action::No, true),
    bind(C::Confirm, &[ctrl('c')], Action::Quit, false),
];

/// Terminals disagree on whether `G` or Shift-Tab carry SHIFT: compare without it there.
fn normalise(code: KeyCode, mods: KeyModifiers) -> KeySpec {
    let mods = match code {
        K::Char(_) | K::BackTab => mods - KeyModifiers::SHIFT,
        _ => mods,
    };
    KeySpec { code, mods }
}

fn in_context(ctx: Context) -> impl Iterator<Item = &'static Binding> {
    let with_global = ctx.has_globals();
    BINDINGS.iter().filter(move |b| b.ctx == ctx).chain(
        BINDINGS
            .iter()
            .filter(move |b| with_global && b.ctx == C::Global),
    )
}

/// The action a key means in `ctx`: the screen's own bindings first, then the global ones;
/// in a text field, a printable key types.
pub fn resolve(ctx: Context, event: KeyEvent) -> Option<Action> {
    let pressed = normalise(event.code, event.modifiers);
    if let Some(b) =
        in_context(ctx).find(|b| b.keys.iter().any(|k| normalise(k.code, k.mods) == pressed))
    {
        return Some(b.action);
    }
    match event.code {
        K::Char(c)
            if ctx.is_text_field()
                && !event
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::Input(c))
        }
        _ => None,
    }
}

/// One line of help or footer: the keys and what they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub keys: String,
    pub action: Action,
}

/// Every binding of `ctx` (with the global ones), in table order.
pub fn hints(ctx: Context) -> Vec<Hint> {
    let mut out: Vec<Hint> = in_context(ctx)
        .map(|b| Hint {
            keys: keys_text(b.keys),
            action: b.action,
        })
        .collect();
    if ctx.is_text_field() {
        out.insert(
            0,
            Hint {
                keys: "abc…".into(),
                action: Action::Input(' '),
            },
        );
    }
    out
}

/// The few bindings the footer shows for `ctx`, screen's own first.
pub fn footer(ctx: Context) -> Vec<Hint> {
    let own = BINDINGS.iter().filter(|b| b.ctx == ctx && b.footer);
    let global = BINDINGS
        .iter()
        .filter(|b| ctx.has_globals() && b.ctx == C::Global && b.footer);
    own.chain(global)
        .map(|b| Hint {
            keys: key_text(b.keys[0]),
            action: b.action,
        })
        .collect()
}

fn keys_text(keys: &[KeySpec]) -> String {
    keys.iter()
        .map(|k| key_text(*k))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a key is written in the footer and help (`j`, `↓`, `PgDn`, `Ctrl-f`).
pub fn key_text(k: KeySpec) -> String {
    let base = match k.code {
        K::Char(' ') => "Space".to_string(),
        K::Char(c) => c.to_string(),
        K::Enter => "Enter".into(),
        K::Esc => "Esc".into(),
        K::Tab => "Tab".into(),
        K::BackTab => "S-Tab".into(),
        K::Backspace => "Bksp".into(),
        K::Up => "↑".into(),
        K::Down => "↓".into(),
        K::Left => "←".into(),
        K::Right => "→".into(),
        K::PageUp => "PgUp".into(),
        K::PageDown => "PgDn".into(),
        K::Home => "Home".into(),
        K::End => "End".into(),
        K::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if k.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{base}")
    } else {
        base
    }
}

/// The footer line's text for one hint (`/ 搜索`).
pub fn footer_label(h: &Hint, lang: Lang) -> String {
    format!("{} {}", h.keys, h.action.short_label(lang))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let contexts = [
            C::Empty,
            C::Roster,
            C::Search,
            C::Student,
            C::Help,
            C::Picker,
            C::Agenda,
            C::Form,
            C::Confirm,
        ];
        for ctx in contexts {
            let mut seen: HashMap<KeySpec, Action> = HashMap::new();
            // A screen binding may shadow a global one on purpose only if it is the same key
            // with a deliberate meaning; none do today, so any repeat is a mistake.
            for b in in_context(ctx) {
                for k in b.keys {
                    let k = normalise(k.code, k.mods);
                    if let Some(prev) = seen.insert(k, b.action) {
                        panic!("{ctx:?}: {k:?} bound to {prev:?} and {:?}", b.action);
                    }
                }
            }
        }
    }

    #[test]
    fn vim_keys_and_arrows_both_move() {
        assert_eq!(resolve(C::Roster, press(K::Char('j'))), Some(Action::Down));
        assert_eq!(resolve(C::Roster, press(K::Down)), Some(Action::Down));
        assert_eq!(resolve(C::Roster, press(K::Char('k'))), Some(Action::Up));
        assert_eq!(
            resolve(C::Roster, KeyEvent::new(K::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            resolve(C::Roster, KeyEvent::new(K::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevTier)
        );
    }

    #[test]
    fn q_quits_except_in_the_search_field() {
        for ctx in [
            C::Empty,
            C::Roster,
            C::Student,
            C::Help,
            C::Picker,
            C::Agenda,
        ] {
            assert_eq!(
                resolve(ctx, press(K::Char('q'))),
                Some(Action::Quit),
                "{ctx:?}"
            );
        }
        assert_eq!(
            resolve(C::Search, press(K::Char('q'))),
            Some(Action::Input('q'))
        );
        assert_eq!(
            resolve(C::Search, press(K::Char('王'))),
            Some(Action::Input('王'))
        );
        assert_eq!(
            resolve(C::Search, press(K::Enter)),
            Some(Action::SearchAccept)
        );
        assert_eq!(
            resolve(C::Search, press(K::Esc)),
            Some(Action::SearchCancel)
        );
        assert_eq!(
            resolve(
                C::Search,
                KeyEvent::new(K::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
    }

    fn ctrl_key(c: char) -> KeyEvent {
        KeyEvent::new(K::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn follow_up_keys_on_the_roster_the_student_page_and_the_agenda() {
        let table = [
            (C::Roster, 'l', Action::LogContact),
            (C::Roster, 's', Action::Schedule),
            (C::Roster, 'a', Action::Agenda),
            (C::Roster, 'o', Action::OverdueOnly),
            (C::Roster, 'S', Action::CycleSort),
            (C::Student, 'l', Action::LogContact),
            (C::Student, 's', Action::Schedule),
            (C::Student, 'a', Action::Agenda),
            (C::Agenda, 'l', Action::LogContact),
            (C::Agenda, 's', Action::Schedule),
            (C::Agenda, 'j', Action::Down),
        ];
        for (ctx, c, action) in table {
            assert_eq!(resolve(ctx, press(K::Char(c))), Some(action), "{ctx:?} {c}");
        }
        assert_eq!(resolve(C::Agenda, press(K::Enter)), Some(Action::Open));
        assert_eq!(resolve(C::Agenda, press(K::Esc)), Some(Action::Back));
    }

    #[test]
    fn in_a_form_letters_type_and_control_keys_edit() {
        for c in ['q', 'l', 's', 'j', ' ', '谈'] {
            assert_eq!(resolve(C::Form, press(K::Char(c))), Some(Action::Input(c)));
        }
        assert_eq!(resolve(C::Form, ctrl_key('s')), Some(Action::Save));
        assert_eq!(resolve(C::Form, ctrl_key('u')), Some(Action::ClearInput));
        assert_eq!(resolve(C::Form, ctrl_key('c')), Some(Action::Quit));
        assert_eq!(resolve(C::Form, press(K::Esc)), Some(Action::Back));
        assert_eq!(resolve(C::Form, press(K::Tab)), Some(Action::NextField));
        assert_eq!(resolve(C::Form, press(K::Enter)), Some(Action::NextField));
        assert_eq!(resolve(C::Form, press(K::BackTab)), Some(Action::PrevField));
        assert_eq!(resolve(C::Form, press(K::Left)), Some(Action::CursorLeft));
        assert_eq!(resolve(C::Form, press(K::Right)), Some(Action::CursorRight));
        assert_eq!(
            resolve(C::Form, press(K::Backspace)),
            Some(Action::Backspace)
        );
        // The discard question takes y or n; other letters (q included) do nothing.
        assert_eq!(resolve(C::Confirm, press(K::Char('y'))), Some(Action::Yes));
        assert_eq!(resolve(C::Confirm, press(K::Char('n'))), Some(Action::No));
        assert_eq!(resolve(C::Confirm, press(K::Esc)), Some(Action::No));
        assert_eq!(resolve(C::Confirm, press(K::Char('q'))), None);
    }

    #[test]
    fn unbound_keys_resolve_to_nothing() {
        assert_eq!(resolve(C::Student, press(K::Char('z'))), None);
        assert_eq!(resolve(C::Empty, press(K::Enter)), None);
    }

    #[test]
    fn help_lists_every_binding_of_the_screen_and_the_globals() {
        let help = hints(C::Roster);
        let own = BINDINGS.iter().filter(|b| b.ctx == C::Roster).count();
        let global = BINDINGS.iter().filter(|b| b.ctx == C::Global).count();
        assert_eq!(help.len(), own + global);
        assert!(
            help.iter()
                .any(|h| h.action == Action::Quit && h.keys.contains('q'))
        );
        let footer = footer(C::Roster);
        assert!(
            footer
                .iter()
                .all(|f| help.iter().any(|h| h.action == f.action))
        );
        assert!(footer.len() < help.len());
    }
}
