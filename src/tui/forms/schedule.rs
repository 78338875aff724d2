//! The schedule form: how often (`weekly`, `monthly`, `days:N`, `term:K`, `once:N`), from
//! when until when, what kind of contact and by which role.

use chrono::NaiveDate;

use crate::model::Cadence;
use crate::model::ContactKind;
use crate::model::{Schedule, Source};

use super::super::data::{RosterEntry, WriteOp};
use super::super::i18n::{Lang, Msg};
use super::field::{self, Field, FieldId};
use super::log_contact::{kind_options, role_at, role_options};
use super::{Errors, index, value};

/// A cadence as typed: the ids (`weekly`, `days:14` …) or the words the form shows in
/// Chinese (每周, 每月, 每14天, 每学期至少3次 or 每学期3次, 14天内一次), so a Chinese form never
/// asks for English.
pub fn parse_cadence(s: &str) -> Option<Cadence> {
    let s = s.trim();
    if let Ok(c) = s.parse::<Cadence>() {
        return Some(c);
    }
    fn number(t: &str) -> Option<&str> {
        let t = t.trim();
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then_some(t)
    }
    let id = match s {
        "每周" | "每星期" => "weekly".to_string(),
        "每月" => "monthly".to_string(),
        _ => {
            if let Some(n) = s.strip_prefix("每学期") {
                let n = n.trim_start_matches("至少");
                format!("term:{}", number(n.strip_suffix('次')?)?)
            } else if let Some(n) = s.strip_prefix('每') {
                format!("days:{}", number(n.strip_suffix('天')?)?)
            } else {
                let n = s.strip_suffix("一次").unwrap_or(s);
                format!("once:{}", number(n.strip_suffix("天内")?)?)
            }
        }
    };
    id.parse().ok()
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleForm {
    student_id: String,
    today: NaiveDate,
}

impl ScheduleForm {
    pub fn new(entry: &RosterEntry, today: NaiveDate, lang: Lang) -> (ScheduleForm, Vec<Field>) {
        let fields = vec![
            Field::text(
                FieldId::Cadence,
                &crate::i18n::cadence(lang, Cadence::Weekly),
            ),
            Field::text(FieldId::From, &today.format("%Y-%m-%d").to_string()),
            Field::text(FieldId::Until, ""),
            Field::choice(FieldId::Kind, kind_options(lang), 0),
            Field::choice(FieldId::Role, role_options(lang), 0),
            Field::area(FieldId::Note, ""),
        ];
        let form = ScheduleForm {
            student_id: entry.student.student_id.clone(),
            today,
        };
        (form, fields)
    }

    pub fn check(&self, fields: &[Field], lang: Lang, errors: &mut Errors) -> Option<WriteOp> {
        let cadence = errors.check(
            FieldId::Cadence,
            parse_cadence(value(fields, FieldId::Cadence))
                .ok_or_else(|| Msg::ErrCadence.text(lang).to_string()),
        );
        let from = errors.check(
            FieldId::From,
            field::date(value(fields, FieldId::From), self.today, lang),
        );
        let until = errors
            .check(
                FieldId::Until,
                field::optional_date(value(fields, FieldId::Until), self.today, lang),
            )
            .flatten();
        if let (Some(f), Some(u)) = (from, until)
            && u < f
        {
            errors.add(FieldId::Until, Msg::ErrUntilBeforeFrom.text(lang));
        }
        if !errors.0.is_empty() {
            return None;
        }
        Some(WriteOp::AddSchedule(Schedule {
            id: 0,
            student_id: self.student_id.clone(),
            kind: ContactKind::ALL
                .get(index(fields, FieldId::Kind))
                .copied()?,
            role: role_at(index(fields, FieldId::Role)),
            cadence: cadence?,
            from: from?,
            until,
            source: Source::Manual,
            note: value(fields, FieldId::Note).to_string(),
            ended: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cadences_are_typed_in_either_language() {
        assert_eq!(parse_cadence("每周"), Some(Cadence::Weekly));
        assert_eq!(parse_cadence("monthly"), Some(Cadence::Monthly));
        assert_eq!(parse_cadence("每14天"), Some(Cadence::Days(14)));
        assert_eq!(parse_cadence("每学期至少3次"), Some(Cadence::Term(3)));
        assert_eq!(parse_cadence("每学期2次"), Some(Cadence::Term(2)));
        assert_eq!(parse_cadence("7天内一次"), Some(Cadence::Once(7)));
        assert_eq!(parse_cadence("days:0"), None);
        assert_eq!(parse_cadence("每天天"), None);
        // What the form shows is what it reads back.
        for c in ["weekly", "monthly", "days:9", "term:4", "once:3"] {
            let c: Cadence = c.parse().unwrap();
            assert_eq!(parse_cadence(&crate::i18n::cadence(Lang::Zh, c)), Some(c));
        }
    }
}
