//! Grades (成绩): one row per student, term, course and sitting, plus the course names.
//!
//! Stored codes, fixed by the schema (never renumber):
//! - `nature`: 0 required, 1 elective, 2 general elective, 3 practical, 4 other (the
//!   registrar's text in `nature_other`), NULL none.
//! - `assessment`: 0 exam, 1 coursework, NULL none.
//! - `mark`: 0 score (in `score`), 1 pass word, 2 fail word, 3 exempt, 4 deferred, 5 empty.
//!   The parsed mark is stored next to the raw `result` so evaluation never re-parses.
//! - `kind`: [`AttemptKind::code`]; `term`: [`Term::key`].

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::LazyLock;

use rusqlite::{Connection, Row};

use super::facts::{Scope, scan};
use super::tx::Upsert;
use super::{Change, Db, DbError, ImportTx, term_of};
use crate::model::{Assessment, Attempt, AttemptKind, Mark, Nature, Term};

static UPSERT: LazyLock<Upsert> = LazyLock::new(|| {
    Upsert::new(
        "grades",
        &["student", "term", "course", "kind"],
        &[
            "nature",
            "nature_other",
            "assessment",
            "credits",
            "result",
            "mark",
            "score",
        ],
    )
});

const OTHER_NATURE: i64 = 4;

fn nature_to_sql(n: Option<&Nature>) -> (Option<i64>, Option<&str>) {
    match n {
        None => (None, None),
        Some(Nature::Required) => (Some(0), None),
        Some(Nature::Elective) => (Some(1), None),
        Some(Nature::GeneralElective) => (Some(2), None),
        Some(Nature::Practical) => (Some(3), None),
        Some(Nature::Other(s)) => (Some(OTHER_NATURE), Some(s)),
    }
}

fn nature_from_sql(code: Option<i64>, other: Option<String>) -> Result<Option<Nature>, DbError> {
    Ok(Some(match code {
        None => return Ok(None),
        Some(0) => Nature::Required,
        Some(1) => Nature::Elective,
        Some(2) => Nature::GeneralElective,
        Some(3) => Nature::Practical,
        Some(OTHER_NATURE) => Nature::Other(other.unwrap_or_default()),
        Some(c) => return Err(DbError::Corrupt(format!("course nature code {c}"))),
    }))
}

fn assessment_to_sql(a: Option<Assessment>) -> Option<i64> {
    a.map(|a| match a {
        Assessment::Exam => 0,
        Assessment::Coursework => 1,
    })
}

fn assessment_from_sql(code: Option<i64>) -> Result<Option<Assessment>, DbError> {
    match code {
        None => Ok(None),
        Some(0) => Ok(Some(Assessment::Exam)),
        Some(1) => Ok(Some(Assessment::Coursework)),
        Some(c) => Err(DbError::Corrupt(format!("assessment code {c}"))),
    }
}

fn mark_to_sql(m: Mark) -> (i64, Option<f64>) {
    match m {
        Mark::Score(v) => (0, Some(v)),
        Mark::PassWord => (1, None),
        Mark::FailWord => (2, None),
        Mark::Exempt => (3, None),
        Mark::Deferred => (4, None),
        Mark::Empty => (5, None),
    }
}

fn mark_from_sql(code: i64, score: Option<f64>) -> Result<Mark, DbError> {
    Ok(match (code, score) {
        (0, Some(v)) => Mark::Score(v),
        (1, _) => Mark::PassWord,
        (2, _) => Mark::FailWord,
        (3, _) => Mark::Exempt,
        (4, _) => Mark::Deferred,
        (5, _) => Mark::Empty,
        _ => {
            return Err(DbError::Corrupt(format!(
                "mark code {code} with score {score:?}"
            )));
        }
    })
}

impl ImportTx<'_> {
    /// Adds or updates one sitting, keyed by student, course code, term and kind. A new course
    /// name for a known code replaces the old one and counts as a change.
    pub fn upsert_attempt(&mut self, student_id: &str, a: &Attempt) -> Result<Change, DbError> {
        let student = self.student_rowid(student_id)?;
        let (course, renamed) = self.course_id(&a.course_code, &a.course_name)?;
        let term = a.term.key();
        self.note_grade_term(term)?;
        let (nature, nature_other) = nature_to_sql(a.nature.as_ref());
        let assessment = assessment_to_sql(a.assessment);
        let (mark, score) = mark_to_sql(a.mark);
        let change = self.run(
            &UPSERT,
            &[
                &student,
                &term,
                &course,
                &a.kind.code(),
                &nature,
                &nature_other,
                &assessment,
                &a.credits,
                &a.result,
                &mark,
                &score,
            ],
        )?;
        Ok(if renamed && change == Change::Unchanged {
            Change::Changed
        } else {
            change
        })
    }

    /// The courses.id for a code, creating or renaming the course as needed; `true` when an
    /// existing course was renamed. An empty name never replaces a known one.
    fn course_id(&mut self, code: &str, name: &str) -> Result<(i64, bool), DbError> {
        match self.courses.get_mut(code) {
            Some((id, stored)) if stored == name || name.is_empty() => Ok((*id, false)),
            Some((id, stored)) => {
                let mut stmt = self
                    .tx
                    .prepare_cached("UPDATE courses SET name = ?2 WHERE id = ?1")?;
                stmt.execute((*id, name))?;
                *stored = name.to_string();
                self.wrote = true;
                Ok((*id, true))
            }
            None => {
                let mut stmt = self
                    .tx
                    .prepare_cached("INSERT INTO courses (code, name) VALUES (?1, ?2)")?;
                stmt.execute((code, name))?;
                let id = self.tx.last_insert_rowid();
                self.courses
                    .insert(code.to_string(), (id, name.to_string()));
                self.wrote = true;
                Ok((id, false))
            }
        }
    }

    fn note_grade_term(&mut self, term: i64) -> Result<(), DbError> {
        if self.grade_terms.insert(term) {
            let mut stmt = self
                .tx
                .prepare_cached("INSERT OR IGNORE INTO grade_terms VALUES (?1)")?;
            stmt.execute([term])?;
        }
        Ok(())
    }
}

impl Db {
    /// Terms that have at least one grade, oldest first.
    pub fn terms_with_grades(&self) -> Result<Vec<Term>, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT term FROM grade_terms ORDER BY term")?;
        let keys = stmt.query_map([], |r| r.get::<_, i64>(0))?;
        keys.map(|k| term_of(k?)).collect()
    }

    pub fn newest_grade_term(&self) -> Result<Option<Term>, DbError> {
        let key: Option<i64> =
            self.conn
                .query_row("SELECT max(term) FROM grade_terms", [], |r| r.get(0))?;
        key.map(term_of).transpose()
    }
}

/// (code, name) by courses.id; ids are dense, so a vector beats a map on the 2M-row load.
/// Course code and name by `courses.id` (ids are dense).
type CourseTable = Vec<Option<(Arc<str>, Arc<str>)>>;

fn course_table(conn: &Connection) -> Result<CourseTable, DbError> {
    let mut stmt = conn.prepare_cached("SELECT id, code, name FROM courses ORDER BY id")?;
    let mut table: CourseTable = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id = usize::try_from(r.get::<_, i64>(0)?)
            .map_err(|_| DbError::Corrupt("negative course id".into()))?;
        if table.len() <= id {
            table.resize(id + 1, None);
        }
        table[id] = Some((r.get::<_, String>(1)?.into(), r.get::<_, String>(2)?.into()));
    }
    Ok(table)
}

/// Every stored attempt in `scope` up to `upto`, in (student, term, course, kind) order.
pub(super) fn read_attempts(
    conn: &Connection,
    scope: Scope,
    upto: Term,
    sink: impl FnMut(i64, Attempt),
) -> Result<(), DbError> {
    let courses = course_table(conn)?;
    // A cohort writes a few hundred distinct results ("85", "及格" …): share them.
    let mut results: HashMap<String, Arc<str>> = HashMap::new();
    let attempt = |r: &Row<'_>| -> Result<Attempt, DbError> {
        let text = r.get_ref(8)?.as_str().map_err(rusqlite::Error::from)?;
        let result = match results.get(text) {
            Some(shared) => shared.clone(),
            None => {
                let shared: Arc<str> = text.into();
                results.insert(text.to_string(), shared.clone());
                shared
            }
        };
        let course = r.get::<_, i64>(2)?;
        let (code, name) = usize::try_from(course)
            .ok()
            .and_then(|i| courses.get(i))
            .and_then(Option::as_ref)
            .ok_or_else(|| DbError::Corrupt(format!("grade refers to missing course {course}")))?;
        let kind = r.get(3)?;
        Ok(Attempt {
            course_code: code.clone(),
            course_name: name.clone(),
            term: term_of(r.get(1)?)?,
            kind: AttemptKind::from_code(kind)
                .ok_or_else(|| DbError::Corrupt(format!("attempt kind code {kind}")))?,
            nature: nature_from_sql(r.get(4)?, r.get(5)?)?,
            assessment: assessment_from_sql(r.get(6)?)?,
            credits: r.get(7)?,
            result,
            mark: mark_from_sql(r.get(9)?, r.get(10)?)?,
        })
    };
    scan(
        conn,
        "SELECT student, term, course, kind, nature, nature_other, assessment, credits, result, \
         mark, score FROM grades",
        "student, term, course, kind",
        scope,
        upto,
        attempt,
        sink,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_every_variant() {
        let natures = [
            None,
            Some(Nature::Required),
            Some(Nature::Elective),
            Some(Nature::GeneralElective),
            Some(Nature::Practical),
            Some(Nature::Other("其他".into())),
        ];
        for n in natures {
            let (code, other) = nature_to_sql(n.as_ref());
            assert_eq!(nature_from_sql(code, other.map(str::to_string)).unwrap(), n);
        }
        for a in [None, Some(Assessment::Exam), Some(Assessment::Coursework)] {
            assert_eq!(assessment_from_sql(assessment_to_sql(a)).unwrap(), a);
        }
        let marks = [
            Mark::Score(59.5),
            Mark::PassWord,
            Mark::FailWord,
            Mark::Exempt,
            Mark::Deferred,
            Mark::Empty,
        ];
        for m in marks {
            let (code, score) = mark_to_sql(m);
            assert_eq!(mark_from_sql(code, score).unwrap(), m);
        }
        assert!(matches!(mark_from_sql(0, None), Err(DbError::Corrupt(_))));
        assert!(matches!(
            nature_from_sql(Some(9), None),
            Err(DbError::Corrupt(_))
        ));
    }
}
