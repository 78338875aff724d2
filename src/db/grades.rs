//! Grades (成绩): one row per student, term, course and sitting, plus the course names.
//!
//! Stored codes, fixed by the schema (never renumber):
//! - `nature`: the registrar's value as written (专业必修课, 限选 …), NULL none; classified when
//!   read, through the school's `nature_map` first.
//! - `assessment`: 0 exam, 1 coursework, NULL none.
//! - `mark`: 0 score (in `score`), 1 pass word, 2 fail word, 3 exempt, 4 deferred, 5 empty.
//!   The parsed mark is stored next to the raw `result` so evaluation never re-parses.
//! - `kind`: [`AttemptKind::code`]; `sitting`: 1, 2, 3 (late makeup); `term`, `course_term`:
//!   [`Term::key`]; `minor`: 0/1.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::LazyLock;

use rusqlite::{Connection, Row};

use super::scan::{Scope, scan};
use super::tx::{FastMap, Upsert};
use super::{Change, DbError, ImportTx, term_of};
use crate::model::{Assessment, Attempt, AttemptKind, Mark, Nature, Term};

static UPSERT: LazyLock<Upsert> = LazyLock::new(|| {
    Upsert::new(
        "grades",
        &["student", "term", "course", "kind", "sitting"],
        &[
            "course_term",
            "minor",
            "nature",
            "assessment",
            "credits",
            "result",
            "mark",
            "score",
        ],
    )
});

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
        let assessment = assessment_to_sql(a.assessment);
        let (mark, score) = mark_to_sql(a.mark);
        let nature = a.nature_raw.as_deref().or(match &a.nature {
            Some(n) => Some(n.label_zh()),
            None => None,
        });
        let conn = self.conn;
        let upsert = match &mut self.grade_upsert {
            Some(u) => u,
            None => self.grade_upsert.insert(UPSERT.prepare(conn)?),
        };
        let change = upsert.run(&[
            &student,
            &term,
            &course,
            &a.kind.code(),
            &i64::from(a.sitting),
            &a.course_term.map(Term::key),
            &a.minor,
            &nature,
            &assessment,
            &a.credits,
            &a.result,
            &mark,
            &score,
        ])?;
        self.wrote |= change != Change::Unchanged;
        if change != Change::Unchanged {
            self.touched.insert(student);
        }
        let change = if renamed && change == Change::Unchanged {
            Change::Changed
        } else {
            change
        };
        self.grades_written |= change != Change::Unchanged;
        Ok(change)
    }

    /// The courses.id for a code, creating or renaming the course as needed; `true` when an
    /// existing course was renamed. An empty name never replaces a known one.
    fn course_id(&mut self, code: &str, name: &str) -> Result<(i64, bool), DbError> {
        let hash = super::tx::name_hash(name);
        match self.courses.get_mut(code) {
            Some((id, stored)) if *stored == hash || name.is_empty() => Ok((*id, false)),
            Some((id, stored)) => {
                let mut stmt = self
                    .tx
                    .prepare_cached("UPDATE courses SET name = ?2 WHERE id = ?1")?;
                stmt.execute((*id, name))?;
                *stored = hash;
                self.wrote = true;
                // The name is in every reason naming the course, whoever sat it.
                self.touched_everyone = true;
                Ok((*id, true))
            }
            None => {
                let conn = self.conn;
                let stmt = match &mut self.course_insert {
                    Some(s) => s,
                    None => self
                        .course_insert
                        .insert(conn.prepare("INSERT INTO courses (code, name) VALUES (?1, ?2)")?),
                };
                stmt.execute((code, name))?;
                let id = self.tx.last_insert_rowid();
                self.courses.insert(code.into(), (id, hash));
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

/// (code, name) by courses.id; ids are dense, so a vector beats a map on the 2M-row load.
/// Course code and name by `courses.id` (ids are dense).
type CourseTable = Vec<Option<(Arc<str>, Arc<str>)>>;

/// The courses a scan can meet: for one student only theirs (a student page or an incremental
/// re-evaluation must not read a million-course table each time), else all of them.
fn course_table(conn: &Connection, scope: Scope) -> Result<CourseTable, DbError> {
    let mut table: CourseTable = Vec::new();
    let (mut stmt, student) = match scope {
        Scope::One(student) => (
            conn.prepare_cached(
                "SELECT id, code, name FROM courses WHERE id IN \
                 (SELECT course FROM grades WHERE student = ?1) ORDER BY id",
            )?,
            Some(student),
        ),
        _ => (
            conn.prepare_cached("SELECT id, code, name FROM courses ORDER BY id")?,
            None,
        ),
    };
    let mut rows = match student {
        Some(id) => stmt.query([id])?,
        None => stmt.query([])?,
    };
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

/// A stored nature spelling, shared, and the class it reads as.
type Classified = (Arc<str>, Option<Nature>);

/// Classifies stored nature values: the school's mapping first, then import.md's rules.
/// A cohort has a few dozen distinct values, so each is classified once.
pub(super) struct Natures {
    map: HashMap<String, String>,
    /// Keyed by the stored bytes: a row's nature is then looked up without checking its UTF-8
    /// again (a cohort stores a few dozen spellings over two million rows).
    seen: FastMap<Box<[u8]>, Classified>,
}

impl Natures {
    pub(super) fn load(conn: &Connection) -> Result<Natures, DbError> {
        let mut stmt = conn.prepare_cached("SELECT value, class FROM nature_map")?;
        let map = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(Natures {
            map,
            seen: FastMap::default(),
        })
    }

    fn classify(&mut self, raw: &[u8]) -> Result<Classified, DbError> {
        if let Some(v) = self.seen.get(raw) {
            return Ok(v.clone());
        }
        let text = std::str::from_utf8(raw)
            .map_err(|_| DbError::Corrupt("a course nature that is not UTF-8".into()))?;
        let nature = match self.map.get(text) {
            Some(class) => Nature::from_class(class, text),
            None => Nature::normalise(text),
        };
        let v = (Arc::<str>::from(text), nature);
        self.seen.insert(raw.into(), v.clone());
        Ok(v)
    }
}

/// Every stored attempt in `scope`, in (student, term, course, kind, sitting) order. All terms
/// are read, not only those up to the assessed one: a makeup is often dated in the term after
/// its course's, and it still counts for its course's term (the engine attaches it).
pub(super) fn read_attempts(
    conn: &Connection,
    scope: Scope,
    sink: impl FnMut(i64, Attempt),
) -> Result<(), DbError> {
    let courses = course_table(conn, scope)?;
    let mut natures = Natures::load(conn)?;
    // A cohort writes a few hundred distinct results ("85", "及格" …): share them, looked up
    // by their bytes so that only a new one has its UTF-8 checked.
    let mut results: FastMap<Box<[u8]>, Arc<str>> = FastMap::default();
    let attempt = |r: &Row<'_>| -> Result<Attempt, DbError> {
        let bytes = r.get_ref(10)?.as_bytes().map_err(rusqlite::Error::from)?;
        let result = match results.get(bytes) {
            Some(shared) => shared.clone(),
            None => {
                let text = std::str::from_utf8(bytes)
                    .map_err(|_| DbError::Corrupt("a result that is not UTF-8".into()))?;
                let shared: Arc<str> = text.into();
                results.insert(bytes.into(), shared.clone());
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
        let (nature_raw, nature) = match r
            .get_ref(7)?
            .as_bytes_or_null()
            .map_err(rusqlite::Error::from)?
        {
            Some(raw) => {
                let (raw, n) = natures.classify(raw)?;
                (Some(raw), n)
            }
            None => (None, None),
        };
        Ok(Attempt {
            course_code: code.clone(),
            course_name: name.clone(),
            term: term_of(r.get(1)?)?,
            kind: AttemptKind::from_code(kind)
                .ok_or_else(|| DbError::Corrupt(format!("attempt kind code {kind}")))?,
            sitting: u8::try_from(r.get::<_, i64>(4)?)
                .map_err(|_| DbError::Corrupt("sitting number".into()))?,
            course_term: r.get::<_, Option<i64>>(5)?.map(term_of).transpose()?,
            minor: r.get(6)?,
            nature,
            nature_raw,
            assessment: assessment_from_sql(r.get(8)?)?,
            credits: r.get(9)?,
            result,
            mark: mark_from_sql(r.get(11)?, r.get(12)?)?,
        })
    };
    scan(
        conn,
        "SELECT student, term, course, kind, sitting, course_term, minor, nature, assessment, \
         credits, result, mark, score FROM grades",
        "student, term, course, kind, sitting",
        scope,
        None,
        attempt,
        sink,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_every_variant() {
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
    }
}
