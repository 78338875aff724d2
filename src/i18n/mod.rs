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

use crate::model::Cadence;
use crate::model::Schedule;
use crate::model::{ContactKind, Role};

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
    ColState,
    Ended,
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
    ContactLogged,
    ContactCorrected,
    NextTalkScheduled,
    NoContact,
    ContactOtherStudent,
    ContactAlreadyCorrected,
    NoticeWithCorrects,
    ExemptAdded,
    ExemptLifted,
    NoExemptionInForce,
    AlreadyExempt,
    NotWarned,
    NotInRoster,
    IssueNothing,
    NotOneOf,
    UnknownKind,
    UnknownRole,
    NextNotAfter,
    WithdrawNeedsTerm,
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

/// Adds a `*_label` beside every `kind`, `role`, `cadence`, `with_whom` and `channel` id in
/// `v` (recursively): JSON keeps the stable English ids for scripts, and carries the words a
/// person reads in `lang` next to them.
pub fn label_json(v: &mut serde_json::Value, lang: Lang) {
    match v {
        serde_json::Value::Array(items) => items.iter_mut().for_each(|x| label_json(x, lang)),
        serde_json::Value::Object(fields) => {
            let mut labels = Vec::new();
            for (k, x) in fields.iter_mut() {
                label_json(x, lang);
                if let Some(label) = x.as_str().and_then(|id| label_of(k, id, lang)) {
                    labels.push((format!("{k}_label"), serde_json::Value::String(label)));
                }
            }
            fields.extend(labels);
        }
        _ => {}
    }
}

fn label_of(field: &str, id: &str, lang: Lang) -> Option<String> {
    use crate::model::{Channel, With};
    match field {
        "kind" => ContactKind::parse(id).map(|k| kind(lang, k).to_string()),
        "role" => Role::parse(id).map(|r| role(lang, r).to_string()),
        "cadence" => id.parse::<Cadence>().ok().map(|c| cadence(lang, c)),
        "with_whom" => as_json(With::ALL, id).map(|w| w.label(lang).to_string()),
        "channel" => as_json(Channel::ALL, id).map(|c| c.label(lang).to_string()),
        _ => None,
    }
}

/// The value of `all` that serialises as `id` (serde's spelling can differ from the CLI id:
/// `email` / `e-mail`).
fn as_json<T: serde::Serialize + Copy>(all: &[T], id: &str) -> Option<T> {
    all.iter()
        .copied()
        .find(|x| serde_json::to_value(x).is_ok_and(|v| v == id))
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
    fn json_keeps_ids_and_gains_labels() {
        let mut v = serde_json::json!([{
            "kind": "talk", "role": "class-teacher", "cadence": "days:14",
            "with_whom": "parent", "channel": "email", "note": "talk", "nested": {"kind": "other"}
        }]);
        label_json(&mut v, Lang::Zh);
        let o = &v[0];
        assert_eq!(o["kind"], "talk");
        assert_eq!(o["kind_label"], "谈话");
        assert_eq!(o["role_label"], "班主任");
        assert_eq!(o["cadence_label"], "每14天");
        assert_eq!(o["with_whom_label"], "家长");
        assert_eq!(o["channel_label"], "电子邮件");
        assert_eq!(o["nested"]["kind_label"], "其他");
        assert!(o.get("note_label").is_none());
        label_json(&mut v, Lang::En);
        assert_eq!(v[0]["role_label"], "class teacher");
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
