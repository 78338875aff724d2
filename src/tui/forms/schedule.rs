//! The schedule form: how often (`weekly`, `monthly`, `days:N`, `term:K`, `once:N`), from
//! when until when, what kind of contact and by which role.

use chrono::NaiveDate;

use crate::followup::{Schedule, Source};
use crate::policy::ContactKind;
use crate::schedule::Cadence;

use super::super::data::{RosterEntry, WriteOp};
use super::super::i18n::{Lang, Msg};
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
            Field::text(FieldId::Cadence, "weekly"),
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
                .map_err(|_| Msg::ErrCadence.text(lang).to_string()),
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
        }))
    }
}
