//! The schedule form: how often (`weekly`, `monthly`, `days:N`, `term:K`, `once:N`), from
//! when until when, what kind of contact and by which role.

use chrono::NaiveDate;

use crate::model::Cadence;
use crate::model::ContactKind;
use crate::model::{Schedule, Source};

use super::super::i18n::{Lang, Msg};
use super::super::model::{RosterEntry, WriteOp};
use super::field::{self, Field, FieldId};
use super::log_contact::{kind_options, role_at, role_options};
use super::{Errors, index, value};

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
            value(fields, FieldId::Cadence)
                .parse::<Cadence>()
                .ok()
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

    /// What the form shows is what it reads back, in either language.
    #[test]
    fn cadences_read_back_as_the_form_shows_them() {
        for c in ["weekly", "monthly", "days:9", "term:4", "once:3"] {
            let c: Cadence = c.parse().unwrap();
            for lang in [Lang::Zh, Lang::En] {
                let shown = crate::i18n::cadence(lang, c);
                assert_eq!(shown.parse::<Cadence>(), Ok(c), "{shown}");
            }
        }
    }
}
