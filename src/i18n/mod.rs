//! One language at a time. Every CLI message, table header and enum label lives in a
//! catalogue per language (`zh.rs`, `en.rs`: one exhaustive `match` each, so a text missing
//! in either language does not compile), and `--help` follows the chosen language
//! (`help.rs`). The TUI's own labels are in `tui::i18n`.
//!
//! What stays English on purpose: JSON field names and enum values (scripts read them), and
//! clap's own usage errors.

mod en;
pub mod help;
mod zh;

use crate::followup::Schedule;
use crate::policy::{ContactKind, Role};
use crate::schedule::Cadence;

pub use crate::locale::Lang;

macro_rules! catalogue {
    ($($name:ident,)*) => {
        /// A fixed CLI text; `{name}` marks a value filled in by [`Msg::fill`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($name,)* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name,)*];
        }
    };
}

catalogue! {
    ColScheduleId,
    ColContactId,
    ColStudent,
    ColName,
    ColKind,
    ColRole,
    ColCadence,
    ColFrom,
    ColUntil,
    ColNote,
    ColDue,
    ColOverdue,
    ColSchedule,
    ColAt,
    ColWith,
    ColChannel,
    ColBy,
    ColSummary,
    AgendaOverdue,
    AgendaToday,
    AgendaWeek,
    DaysOverdue,
    UnknownStudent,
    ScheduleAdded,
    ScheduleCancelled,
    NoScheduleInForce,
    UntilBeforeFrom,
    DemoNotDemo,
    ExemptNeedsTerm,
}

impl Msg {
    pub fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => zh::text(self),
            Lang::En => en::text(self),
        }
    }

    /// The text with each `{key}` replaced by its value.
    pub fn fill(self, lang: Lang, values: &[(&str, &str)]) -> String {
        let mut out = self.text(lang).to_string();
        for (k, v) in values {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        out
    }
}

/// A contact or obligation kind in words: 谈话 / talk.
pub fn kind(lang: Lang, k: ContactKind) -> &'static str {
    match lang {
        Lang::Zh => k.label_zh(),
        Lang::En => en::kind(k),
    }
}

/// A role in words: 班主任 / class teacher.
pub fn role(lang: Lang, r: Role) -> &'static str {
    match lang {
        Lang::Zh => r.label_zh(),
        Lang::En => en::role(r),
    }
}

/// A cadence in words: 每周 / weekly.
pub fn cadence(lang: Lang, c: Cadence) -> String {
    c.describe(lang == Lang::Zh)
}

/// What a schedule asks for: `班主任谈话` / `class teacher talk`, or, for a policy obligation
/// of kind "other", what its note says it requires.
pub fn obligation(lang: Lang, s: &Schedule) -> String {
    let note = s.note.trim();
    if s.kind == ContactKind::Other && !note.is_empty() {
        return crate::text::sanitize(note).into_owned();
    }
    kind_role(lang, s.kind, s.role)
}

/// `班主任谈话` / `class teacher talk`.
pub fn kind_role(lang: Lang, kind: ContactKind, role: Option<Role>) -> String {
    match (lang, role) {
        (Lang::Zh, r) => format!("{}{}", r.map_or("", Role::label_zh), kind.label_zh()),
        (Lang::En, Some(r)) => format!("{} {}", en::role(r), en::kind(kind)),
        (Lang::En, None) => en::kind(kind).to_string(),
    }
}

/// `王五 (2022000001)`, or the id alone when the name is unknown.
pub fn student(name: &str, id: &str) -> String {
    let name = crate::text::sanitize(name);
    if name.trim().is_empty() {
        id.to_string()
    } else {
        format!("{} ({id})", name.trim())
    }
}

/// Column headers in `lang`.
pub fn headers(lang: Lang, cols: &[Msg]) -> Vec<&'static str> {
    cols.iter().map(|m| m.text(lang)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message and enum value, rendered in both languages: none may be empty, none may
    /// be the same in both unless it has no words to translate, and a Chinese text must hold
    /// Chinese (an English text left in the zh catalogue is the usual slip).
    #[test]
    fn every_text_exists_in_both_languages() {
        let has_han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let mut missing = Vec::new();
        let mut check = |what: String, zh: String, en: String| {
            if zh.trim().is_empty() || en.trim().is_empty() || !has_han(&zh) || has_han(&en) {
                missing.push(format!("{what}: zh={zh:?} en={en:?}"));
            }
        };
        for m in Msg::ALL {
            check(
                format!("{m:?}"),
                m.text(Lang::Zh).into(),
                m.text(Lang::En).into(),
            );
        }
        for k in ContactKind::ALL {
            check(
                format!("kind {}", k.id()),
                kind(Lang::Zh, k).into(),
                kind(Lang::En, k).into(),
            );
        }
        for r in Role::ALL {
            check(
                format!("role {}", r.id()),
                role(Lang::Zh, r).into(),
                role(Lang::En, r).into(),
            );
        }
        for c in ["weekly", "monthly", "days:14", "term:3", "once:7"] {
            let c: Cadence = c.parse().expect("cadence");
            check(
                format!("cadence {c}"),
                cadence(Lang::Zh, c),
                cadence(Lang::En, c),
            );
        }
        assert!(missing.is_empty(), "untranslated:\n{}", missing.join("\n"));
    }

    #[test]
    fn fill_replaces_every_named_value() {
        assert_eq!(Msg::DaysOverdue.fill(Lang::Zh, &[("n", "3")]), "逾期3天");
        assert_eq!(
            Msg::UnknownStudent.fill(Lang::En, &[("id", "999")]),
            "no student with id 999"
        );
        assert_eq!(student("王五", "2022000001"), "王五 (2022000001)");
        assert_eq!(student("", "2022000001"), "2022000001");
    }
}
