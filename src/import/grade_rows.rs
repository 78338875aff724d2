//! Reading a grades row: the course's cells, the result (or its 成绩标志 word), the attempt
//! kind, and in the wide layout the makeup, retake and deferred sittings one row carries.

use csv::StringRecord;

use super::cells::{Bad, MAX_CREDITS, attempt_kind, flag_set, norm, trim_cell};
use super::headers::Field;
use super::reasons::Why;
use super::rows::RowParser;
use super::{Location, Record};
use crate::model::{Assessment, Attempt, AttemptKind, Mark, Nature, Term};

/// The attempt fields shared by every sitting a row describes.
struct CourseCells {
    code: String,
    name: String,
    term: Term,
    course_term: Option<Term>,
    nature_raw: Option<String>,
    /// The class of `nature_raw`, worked out once per distinct value, not once a row.
    nature: Option<Nature>,
    assessment: Option<Assessment>,
    credits: f64,
    minor: bool,
}

impl CourseCells {
    fn attempt(&self, kind: AttemptKind, sitting: u8, result: String, mark: Mark) -> Attempt {
        Attempt {
            course_code: self.code.as_str().into(),
            course_name: self.name.as_str().into(),
            term: self.term,
            kind,
            sitting,
            course_term: self.course_term,
            minor: self.minor,
            nature: self.nature.clone(),
            nature_raw: self.nature_raw.as_deref().map(Into::into),
            assessment: self.assessment,
            credits: self.credits,
            result: result.into(),
            mark,
        }
    }
}

impl RowParser {
    fn mark(&self, raw: &str, f: Field) -> Result<(String, Mark), Bad> {
        let value = norm(raw);
        let mark = Mark::parse(&value).map_err(|_| self.bad(f, raw, Why::NotResult))?;
        Ok((value.into_owned(), mark))
    }

    /// 补重学期 when the file has it and the row fills it: the sitting's own term.
    fn sitting_term(&self, rec: &StringRecord) -> Result<Option<Term>, Bad> {
        let raw = self.text(rec, Field::SittingTerm);
        if raw.is_empty() {
            return Ok(None);
        }
        norm(raw)
            .parse::<Term>()
            .map(Some)
            .map_err(|_| self.bad(Field::SittingTerm, raw, Why::NotTerm))
    }

    fn flag_cell(&self, rec: &StringRecord, f: Field) -> Result<bool, Bad> {
        let raw = self.text(rec, f);
        flag_set(raw).ok_or_else(|| self.bad(f, raw, Why::NotYesNo))
    }

    fn course(&mut self, rec: &StringRecord) -> Result<CourseCells, Bad> {
        let course_term = self.term(rec)?;
        let sitting_term = self.sitting_term(rec)?;
        let values: Vec<&str> = self
            .cols
            .nature_columns()
            .iter()
            .map(|i| trim_cell(rec.get(*i).unwrap_or("")))
            .collect();
        let nature_raw = match values.as_slice() {
            // One nature column decides alone, whatever it says: no need to weigh words.
            [one] => Some(*one).filter(|v| !v.is_empty()),
            many => Nature::deciding_value(many),
        }
        .map(str::to_string);
        let nature = match &nature_raw {
            Some(v) => match self.natures.get(v) {
                Some(n) => n.clone(),
                None => {
                    let n = Nature::normalise(v);
                    self.natures.insert(v.clone(), n.clone());
                    n
                }
            },
            None => None,
        };
        Ok(CourseCells {
            code: self.required_text(rec, Field::CourseCode, Why::MissingCourseCode)?,
            name: self.text(rec, Field::CourseName).to_string(),
            term: sitting_term.unwrap_or(course_term),
            // Kept only where it tells something: a sitting dated away from its course.
            course_term: sitting_term
                .filter(|t| *t != course_term)
                .map(|_| course_term),
            nature_raw,
            nature,
            assessment: Assessment::parse(self.text(rec, Field::Assessment)),
            credits: self.in_range(rec, Field::Credits, Why::NotCredits, MAX_CREDITS)?,
            minor: self.flag_cell(rec, Field::MinorFlag)?,
        })
    }

    /// The result cell, or the 成绩标志 word (缓考, 缺考 …) when the score is empty or 0.
    fn result_cell<'r>(&self, rec: &'r StringRecord) -> (&'r str, Field) {
        let result = self.text(rec, Field::Result);
        let flag = self.text(rec, Field::ResultFlag);
        let zero = norm(result).parse::<f64>().is_ok_and(|v| v == 0.0);
        if !flag.is_empty() && flag != "正常" && (result.is_empty() || zero) {
            (flag, Field::ResultFlag)
        } else {
            (result, Field::Result)
        }
    }

    pub(super) fn grades(
        &mut self,
        rec: &StringRecord,
        location: &Location,
    ) -> Result<Vec<Record>, Bad> {
        let student_id = self.student_id(rec)?;
        let course = self.course(rec)?;
        let (raw_result, result_field) = self.result_cell(rec);
        let (result, mark) = self.mark(raw_result, result_field)?;
        let kind_raw = self.text(rec, Field::AttemptKind);
        let (mut kind, sitting) = attempt_kind(kind_raw)
            .ok_or_else(|| self.bad(Field::AttemptKind, kind_raw, Why::NotAttemptKind))?;
        if kind == AttemptKind::Regular && self.flag_cell(rec, Field::RetakeFlag)? {
            kind = AttemptKind::Retake;
        }
        // A retake is a sitting of its own term: the course's term says nothing more.
        let course = CourseCells {
            course_term: course.course_term.filter(|_| {
                matches!(
                    kind,
                    AttemptKind::Makeup | AttemptKind::Deferred | AttemptKind::RetakeMakeup
                )
            }),
            ..course
        };
        if mark == Mark::Empty {
            self.empty_results += 1;
        }
        if !self.wide {
            let attempt = course.attempt(kind, sitting, result, mark);
            return Ok(vec![Record::Grade {
                student_id,
                attempt,
            }]);
        }

        let mut attempts = Vec::with_capacity(2);
        let deferred_here = kind == AttemptKind::Regular
            && mark != Mark::Deferred
            && self
                .remark
                .is_some_and(|f| self.text(rec, f).contains("缓考"));
        if deferred_here {
            attempts.push(course.attempt(
                AttemptKind::Regular,
                1,
                "缓考".to_string(),
                Mark::Deferred,
            ));
            if mark != Mark::Empty {
                attempts.push(course.attempt(AttemptKind::Deferred, 1, result, mark));
            }
        } else {
            attempts.push(course.attempt(kind, sitting, result, mark));
        }
        let makeup = self.text(rec, Field::MakeupResult);
        if !makeup.is_empty() {
            let (r, m) = self.mark(makeup, Field::MakeupResult)?;
            attempts.push(course.attempt(AttemptKind::Makeup, 1, r, m));
        }
        let retake = self.text(rec, Field::RetakeResult);
        if !retake.is_empty() {
            let (r, m) = self.mark(retake, Field::RetakeResult)?;
            // Dated in `finish`, once the newest term of the whole file is known.
            self.retakes.push((
                location.clone(),
                student_id.clone(),
                course.attempt(AttemptKind::Retake, 1, r, m),
            ));
        }
        Ok(attempts
            .into_iter()
            .map(|attempt| Record::Grade {
                student_id: student_id.clone(),
                attempt,
            })
            .collect())
    }
}
