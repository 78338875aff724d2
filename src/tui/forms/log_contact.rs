//! The contact form (the seeds' 谈话记录表): when, what, by whom in which role, with whom,
//! how, where, what was said, the student's situation and attitude, agreed actions, and an
//! optional next-talk date (which schedules that talk).

use chrono::NaiveDateTime;

use crate::model::{Channel, Contact, With};

use crate::model::{ContactKind, Role};
use crate::os::real_login as login;

use super::super::i18n::{Lang, Msg};
use super::super::model::{RosterEntry, ScheduleView, WriteOp};
use super::field::{self, Field, FieldId};
use super::{Errors, index, value};

/// The options of the role field: "unspecified", then every role.
pub fn role_options(lang: Lang) -> Vec<String> {
    std::iter::once(Msg::RoleNone.text(lang).to_string())
        .chain(
            Role::ALL
                .iter()
                .map(|r| crate::i18n::role(lang, *r).to_string()),
        )
        .collect()
}

pub fn role_at(i: usize) -> Option<Role> {
    i.checked_sub(1).and_then(|i| Role::ALL.get(i).copied())
}

/// 否/是: the confidential switch, off unless chosen.
fn yes_no(lang: Lang) -> Vec<String> {
    vec![
        Msg::No.text(lang).to_string(),
        Msg::Yes.text(lang).to_string(),
    ]
}

pub fn kind_options(lang: Lang) -> Vec<String> {
    ContactKind::ALL
        .iter()
        .map(|k| crate::i18n::kind(lang, *k).to_string())
        .collect()
}

fn position<T: PartialEq>(all: &[T], x: T) -> usize {
    all.iter().position(|y| *y == x).unwrap_or(0)
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogForm {
    student_id: String,
    /// When the form opened: the default date, and what `now` and `-2d` mean.
    now: NaiveDateTime,
}

impl LogForm {
    pub fn new(
        entry: &RosterEntry,
        against: Option<&ScheduleView>,
        now: NaiveDateTime,
        lang: Lang,
    ) -> (LogForm, Vec<Field>) {
        let kind = against.map_or(ContactKind::Talk, |v| v.schedule.kind);
        let role = against.and_then(|v| v.schedule.role);
        let fields = vec![
            Field::text(FieldId::At, &now.format("%Y-%m-%d %H:%M").to_string()),
            Field::choice(
                FieldId::Kind,
                kind_options(lang),
                position(&ContactKind::ALL, kind),
            ),
            Field::choice(
                FieldId::Role,
                role_options(lang),
                role.map_or(0, |r| position(&Role::ALL, r) + 1),
            ),
            Field::choice(
                FieldId::With,
                With::ALL
                    .iter()
                    .map(|w| w.label(lang).to_string())
                    .collect(),
                0,
            ),
            Field::choice(
                FieldId::Channel,
                Channel::ALL
                    .iter()
                    .map(|c| c.label(lang).to_string())
                    .collect(),
                0,
            ),
            Field::text(FieldId::Place, ""),
            Field::area(FieldId::Summary, ""),
            Field::area(FieldId::Situation, ""),
            Field::area(FieldId::Actions, ""),
            Field::choice(FieldId::Confidential, yes_no(lang), 0),
            Field::text(FieldId::NextTalk, ""),
        ];
        let form = LogForm {
            student_id: entry.student.student_id.clone(),
            now,
        };
        (form, fields)
    }

    /// The contact, or None with a message beside each field that is wrong.
    pub fn check(&self, fields: &[Field], lang: Lang, errors: &mut Errors) -> Option<WriteOp> {
        let today = self.now.date();
        let at = errors.check(
            FieldId::At,
            field::date_time(value(fields, FieldId::At), self.now, lang),
        );
        if at.is_some_and(|a| a.date() > today) {
            // A contact in the future has not happened: logging it would meet obligations early.
            errors.add(FieldId::At, Msg::ErrFuture.text(lang));
        }
        let base = at.map_or(today, |a| a.date());
        let next = errors
            .check(
                FieldId::NextTalk,
                field::optional_date(value(fields, FieldId::NextTalk), base, lang),
            )
            .flatten();
        if next.is_some_and(|n| n <= base) {
            errors.add(FieldId::NextTalk, Msg::ErrNextBeforeDate.text(lang));
        }
        if !errors.0.is_empty() {
            return None;
        }
        let text = |id| value(fields, id).to_string();
        let confidential = index(fields, FieldId::Confidential) == 1;
        Some(WriteOp::LogContact {
            contact: Contact {
                id: 0,
                student_id: self.student_id.clone(),
                at: at?,
                author: login(),
                role: role_at(index(fields, FieldId::Role)),
                with_whom: With::ALL.get(index(fields, FieldId::With)).copied()?,
                channel: Channel::ALL.get(index(fields, FieldId::Channel)).copied()?,
                kind: ContactKind::ALL
                    .get(index(fields, FieldId::Kind))
                    .copied()?,
                place: text(FieldId::Place),
                summary: text(FieldId::Summary),
                situation: text(FieldId::Situation),
                actions: text(FieldId::Actions),
                next_talk: next,
                created_at: self.now,
                superseded_by: None,
            },
            confidential,
        })
    }
}
