//! Grades (成绩): one row per student, term, course and sitting, plus the course names.
//!
//! A row is its key (`student`, `term`, `course`, `kind`, `sitting`), the course nature as
//! the registrar wrote it (专业必修课, 限选 …; NULL none; classified when read, through the
//! school's `nature_map` first), and everything else packed in `v` ([`super::packed`]).
//! Stored codes, fixed by the schema (never renumber):
//! - assessment: exam, coursework, none;
//! - mark: 0 score, 1 pass word, 2 fail word, 3 exempt, 4 deferred, 5 empty. The parsed mark
//!   is stored next to the raw result so evaluation never re-parses.
//! - `kind`: [`AttemptKind::code`]; `sitting`: 1, 2, 3 (late makeup); `term`, course term:
//!   [`Term::key`].

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension};

use super::packed::{self, Packed};
use super::raw::RawRow;
use super::scan::{Scope, scan_raw};
use super::tx::{FastMap, Upsert};
use super::{Change, DbError, ImportTx, term_of};
use crate::model::{Attempt, AttemptKind, Nature, Term};

/// A grade row's key, then its values: written in this order.
const KEY: [&str; 5] = ["student", "term", "course", "kind", "sitting"];
const VALUES: [&str; 2] = ["nature", "v"];

static UPSERT: LazyLock<Upsert> = LazyLock::new(|| Upsert::new("grades", &KEY, &VALUES));

impl ImportTx<'_> {
    /// Adds or updates one sitting, keyed by student, course code, term and kind. A new course
    /// name for a known code replaces the old one and counts as a change.
    pub fn upsert_attempt(&mut self, student_id: &str, a: &Attempt) -> Result<Change, DbError> {
        let student = self.student_rowid(student_id)?;
        let (course, renamed) = self.course_id(&a.course_code, &a.course_name)?;
        let term = a.term.key();
        self.note_grade_term(term)?;
        let nature = a.nature_raw.as_deref().or(match &a.nature {
            Some(n) => Some(n.label_zh()),
            None => None,
        });
        packed::encode(
            &Packed {
                term,
                course,
                kind: a.kind.code(),
                sitting: a.sitting,
                course_term: a.course_term.map(Term::key),
                minor: a.minor,
                assessment: a.assessment,
                credits: a.credits,
                mark: a.mark,
                result: a.result.as_bytes(),
            },
            &mut self.grade_row,
        );
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
            &nature,
            &self.grade_row.as_slice(),
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
        if let Some((id, stored)) = self.courses.get_mut(code) {
            let id = *id;
            if *stored == hash || name.is_empty() {
                return Ok((id, false));
            }
            *stored = hash;
            self.rename_course(id, name)?;
            return Ok((id, true));
        }
        // Not kept in memory: a new code, or one past what the map keeps. Tried the way that
        // suited the code before it: a new term's file brings new codes, the same file again
        // stored ones, and either way that is one statement a row.
        let neither = || DbError::Corrupt(format!("course {code} is neither stored nor new"));
        let looked = if self.course_stored_last {
            self.stored_course(code)?
        } else {
            None
        };
        let (id, stored) = match looked {
            Some((id, stored)) => (id, Some(stored)),
            None => match self.insert_course(code, name)? {
                Some(id) => (id, None),
                None => {
                    let (id, stored) = self.stored_course(code)?.ok_or_else(neither)?;
                    (id, Some(stored))
                }
            },
        };
        self.course_stored_last = stored.is_some();
        let renamed = !name.is_empty() && stored.is_some_and(|s| s != name);
        if renamed {
            self.rename_course(id, name)?;
        }
        if self.courses.len() < self.courses_kept {
            self.courses.insert(code.into(), (id, hash));
        }
        Ok((id, renamed))
    }

    /// Adds a course; None when its code is stored already.
    fn insert_course(&mut self, code: &str, name: &str) -> Result<Option<i64>, DbError> {
        let conn = self.conn;
        let stmt = match &mut self.course_insert {
            Some(s) => s,
            None => self.course_insert.insert(conn.prepare(
                "INSERT INTO courses (code, name) VALUES (?1, ?2) ON CONFLICT (code) DO NOTHING",
            )?),
        };
        if stmt.execute((code, name))? == 0 {
            return Ok(None);
        }
        self.wrote = true;
        Ok(Some(self.tx.last_insert_rowid()))
    }

    /// A stored course's id and name.
    fn stored_course(&self, code: &str) -> Result<Option<(i64, String)>, DbError> {
        Ok(self
            .tx
            .prepare_cached("SELECT id, name FROM courses WHERE code = ?1")?
            .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn rename_course(&mut self, id: i64, name: &str) -> Result<(), DbError> {
        let mut stmt = self
            .tx
            .prepare_cached("UPDATE courses SET name = ?2 WHERE id = ?1")?;
        stmt.execute((id, name))?;
        self.wrote = true;
        // The name is in every reason naming the course, whoever sat it.
        self.touched_everyone = true;
        Ok(())
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

/// A course as a scan meets it: code, name, and the code's place in code order (a student's
/// attempts are ordered by it without comparing the codes).
#[derive(Clone)]
struct CourseEntry {
    code: Rc<str>,
    name: Rc<str>,
    rank: u32,
}

/// Courses by `courses.id` (ids are dense, so a vector beats a map on the 2M-row load).
type CourseTable = Vec<Option<CourseEntry>>;

/// The courses a scan can meet: for one student only theirs (a student page or an incremental
/// re-evaluation must not read a million-course table each time), else all of them.
fn course_table(conn: &Connection, scope: Scope) -> Result<CourseTable, DbError> {
    let (filter, student) = match scope {
        Scope::One(student) => (
            " WHERE id IN (SELECT course FROM grades WHERE student = ?1)",
            Some(student),
        ),
        _ => ("", None),
    };
    let query = |sql: &str, each: &mut dyn FnMut(&rusqlite::Row<'_>) -> Result<(), DbError>| {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = match student {
            Some(id) => stmt.query([id])?,
            None => stmt.query([])?,
        };
        while let Some(r) = rows.next()? {
            each(r)?;
        }
        Ok::<_, DbError>(())
    };
    let slot =
        |id: i64| usize::try_from(id).map_err(|_| DbError::Corrupt("negative course id".into()));
    let mut table: CourseTable = Vec::new();
    query(
        &format!("SELECT id, code, name FROM courses{filter} ORDER BY id"),
        &mut |r| {
            let id = slot(r.get(0)?)?;
            if table.len() <= id {
                table.resize(id + 1, None);
            }
            table[id] = Some(CourseEntry {
                code: r.get::<_, String>(1)?.into(),
                name: r.get::<_, String>(2)?.into(),
                rank: 0,
            });
            Ok(())
        },
    )?;
    // The unique index on code gives the order without reading a row (SQLite's BINARY order
    // is byte order, as Rust's for str).
    let mut rank = 0u32;
    query(
        &format!("SELECT id FROM courses{filter} ORDER BY code"),
        &mut |r| {
            if let Some(Some(c)) = table.get_mut(slot(r.get(0)?)?) {
                c.rank = rank;
            }
            rank += 1;
            Ok(())
        },
    )?;
    Ok(table)
}

/// A stored nature spelling, shared, and the class it reads as.
type Classified = (Rc<str>, Option<Nature>);

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
        let map = &self.map;
        interned(&mut self.seen, raw, "a course nature", |text| {
            let nature = match map.get(text) {
                Some(class) => Nature::from_class(class, text),
                None => Nature::normalise(text),
            };
            (Rc::from(text), nature)
        })
    }
}

/// The value made from stored text `raw`, made once per distinct spelling: a column that
/// repeats a few hundred values over two million rows has each checked as UTF-8 once.
fn interned<V: Clone>(
    seen: &mut FastMap<Box<[u8]>, V>,
    raw: &[u8],
    what: &str,
    make: impl FnOnce(&str) -> V,
) -> Result<V, DbError> {
    if let Some(v) = seen.get(raw) {
        return Ok(v.clone());
    }
    let text = std::str::from_utf8(raw)
        .map_err(|_| DbError::Corrupt(format!("{what} that is not UTF-8")))?;
    let v = make(text);
    seen.insert(raw.into(), v.clone());
    Ok(v)
}

/// Reads stored attempts, keeping what several reads share: the course table, the school's
/// nature mapping and the results seen.
pub(super) struct AttemptReader {
    courses: CourseTable,
    natures: Natures,
    /// A cohort writes a few hundred distinct results ("85", "及格" …): shared, looked up by
    /// their bytes so that only a new one has its UTF-8 checked.
    results: FastMap<Box<[u8]>, Rc<str>>,
}

impl AttemptReader {
    /// A reader for scans within `scope` (one student's reads only their courses).
    pub(super) fn new(conn: &Connection, scope: Scope) -> Result<AttemptReader, DbError> {
        Ok(AttemptReader {
            courses: course_table(conn, scope)?,
            natures: Natures::load(conn)?,
            results: FastMap::default(),
        })
    }

    /// Every stored attempt in `scope` (within the reader's), handed to `sink` a student at a
    /// time in students.id order, each student's in the engine's order
    /// ([`Attempt::canonical_order`]). All terms are read, not only those up to the assessed
    /// one: a makeup is often dated in the term after its course's, and it still counts for
    /// its course's term (the engine attaches it).
    pub(super) fn read(
        &mut self,
        conn: &Connection,
        scope: Scope,
        mut sink: impl FnMut(i64, Vec<Attempt>),
    ) -> Result<(), DbError> {
        // The current student's attempts with their place in the engine's order. The rows
        // come by (term, course id …); sorting these keys, not the attempts by code, is what
        // keeps a 2M-row evaluation in memory order.
        let mut batch: Vec<(u64, Attempt)> = Vec::new();
        let mut order: Vec<(u64, u32)> = Vec::new();
        let mut slots: Vec<Option<Attempt>> = Vec::new();
        let mut flush = |student: i64, batch: &mut Vec<(u64, Attempt)>| {
            order.clear();
            order.extend((0u32..).zip(batch.iter()).map(|(i, (k, _))| (*k, i)));
            order.sort_unstable();
            slots.clear();
            slots.extend(batch.drain(..).map(|(_, a)| Some(a)));
            let mut sorted = Vec::with_capacity(slots.len());
            sorted.extend(
                order
                    .iter()
                    .filter_map(|(_, i)| slots.get_mut(*i as usize).and_then(Option::take)),
            );
            sink(student, sorted);
        };
        let mut current = None;
        let mut rows = scan_raw(
            conn,
            // The key's other columns are in `v` too (see `packed`): three columns a row.
            "SELECT student, nature, v FROM grades",
            3,
            "student, term, course, kind, sitting",
            scope,
            None,
        )?;
        while let Some(r) = rows.next()? {
            let student = r.int(0);
            if current != Some(student)
                && let Some(done) = current.replace(student)
            {
                flush(done, &mut batch);
            }
            batch.push(self.attempt(&r)?);
        }
        if let Some(done) = current {
            flush(done, &mut batch);
        }
        Ok(())
    }

    /// One row as an attempt, with its key in the engine's order.
    fn attempt(&mut self, r: &RawRow<'_>) -> Result<(u64, Attempt), DbError> {
        let p = packed::decode(r.bytes(2).unwrap_or_default())?;
        let result = interned(&mut self.results, p.result, "a result", |t| Rc::from(t))?;
        let entry = usize::try_from(p.course)
            .ok()
            .and_then(|i| self.courses.get(i))
            .and_then(Option::as_ref)
            .ok_or_else(|| {
                DbError::Corrupt(format!("grade refers to missing course {}", p.course))
            })?;
        let kind = AttemptKind::from_code(p.kind)
            .ok_or_else(|| DbError::Corrupt(format!("attempt kind code {}", p.kind)))?;
        let (nature_raw, nature) = match r.bytes(1) {
            Some(raw) => {
                let (raw, n) = self.natures.classify(raw)?;
                (Some(raw), n)
            }
            None => (None, None),
        };
        let term = term_of(p.term)?;
        Ok((
            canonical_key(entry.rank, term, kind, p.sitting),
            Attempt {
                course_code: entry.code.clone(),
                course_name: entry.name.clone(),
                term,
                kind,
                sitting: p.sitting,
                course_term: p.course_term.map(term_of).transpose()?,
                minor: p.minor,
                nature,
                nature_raw,
                assessment: p.assessment,
                credits: p.credits,
                result,
                mark: p.mark,
            },
        ))
    }
}

/// [`Attempt::canonical_order`] as one number: course (by its code's rank), term, kind,
/// sitting. A student's keys are distinct, as the grades key is.
fn canonical_key(rank: u32, term: Term, kind: AttemptKind, sitting: u8) -> u64 {
    (u64::from(rank) << 32)
        | (u64::from(term.year) << 16)
        | (u64::from(term.n) << 12)
        | ((kind as u64) << 8)
        | u64::from(sitting)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::{Assessment, Mark};

    /// A sitting of `code` with a score, as the import stores it.
    pub(in crate::db) fn sat(
        code: &str,
        term: &str,
        kind: AttemptKind,
        sitting: u8,
        score: f64,
    ) -> Attempt {
        Attempt {
            course_code: code.into(),
            course_name: format!("课程{code}").into(),
            term: term.parse().unwrap(),
            kind,
            sitting,
            course_term: None,
            minor: false,
            nature: Some(Nature::Required),
            nature_raw: Some("必修".into()),
            assessment: Some(Assessment::Exam),
            credits: 2.0,
            result: score.to_string().into(),
            mark: Mark::Score(score),
        }
    }

    /// Courses are numbered in the order files bring them, which is not code order; a
    /// student's attempts must still come back in the engine's order (code, term, kind,
    /// sitting), and as stored.
    #[test]
    fn attempts_come_back_in_the_engines_order_whatever_the_course_ids() {
        use AttemptKind::*;
        let mut db = crate::db::Db::open_in_memory().unwrap();
        let mut tx = db.begin_import().unwrap();
        for id in ["2021001", "2021002"] {
            tx.upsert_student(&crate::db::students::tests::student(id, "张三"))
                .unwrap();
        }
        // Inserted in this order, so "Z9" gets the first course id and "A1" the last.
        let first = vec![
            sat("Z9", "2022-2023-1", Regular, 1, 40.0),
            sat("M5", "2022-2023-1", Regular, 1, 70.0),
            sat("Z9", "2022-2023-2", Makeup, 2, 65.0),
            sat("Z9", "2022-2023-2", Makeup, 1, 50.0),
            sat("A1", "2022-2023-2", Retake, 1, 30.0),
            sat("A1", "2021-2022-1", Regular, 1, 20.0),
            sat("M5", "2021-2022-2", Deferred, 1, 80.0),
        ];
        let second = vec![sat("A1", "2023-2024-1", Regular, 1, 90.0)];
        for a in &first {
            tx.upsert_attempt("2021001", a).unwrap();
        }
        for a in &second {
            tx.upsert_attempt("2021002", a).unwrap();
        }
        tx.commit().unwrap();

        let mut read = Vec::new();
        AttemptReader::new(&db.conn, Scope::All)
            .unwrap()
            .read(&db.conn, Scope::All, |student, attempts| {
                read.push((student, attempts))
            })
            .unwrap();
        let mut expected = first.clone();
        expected.sort_by(Attempt::canonical_order);
        assert_eq!(read.len(), 2, "one batch a student");
        assert_eq!(read[0].1, expected);
        assert_eq!(read[1].1, second);
        let codes: Vec<&str> = read[0].1.iter().map(|a| &*a.course_code).collect();
        assert_eq!(codes, ["A1", "A1", "M5", "M5", "Z9", "Z9", "Z9"]);
        // One student's read names only their courses, in the same order.
        let mut one = Vec::new();
        let scope = Scope::One(read[0].0);
        AttemptReader::new(&db.conn, scope)
            .unwrap()
            .read(&db.conn, scope, |_, attempts| one = attempts)
            .unwrap();
        assert_eq!(one, expected);
    }

    /// Codes past what the import keeps in memory are looked up in the table: whichever way,
    /// a stored code keeps its id, a new name renames it, a new code is added, and each row
    /// says new, changed or unchanged alike.
    #[test]
    fn codes_past_the_kept_map_behave_as_kept_ones() {
        use AttemptKind::*;
        let outcome = |kept: usize| {
            let mut db = crate::db::Db::open_in_memory().unwrap();
            let mut tx = db.begin_import().unwrap();
            tx.upsert_student(&crate::db::students::tests::student("2021001", "张三"))
                .unwrap();
            for code in ["A1", "B2", "C3"] {
                tx.upsert_attempt("2021001", &sat(code, "2022-2023-1", Regular, 1, 50.0))
                    .unwrap();
            }
            tx.commit().unwrap();
            let mut tx = db.begin_import().unwrap();
            tx.courses_kept = kept;
            tx.courses.retain(|_, _| kept > 0);
            let mut renamed = sat("B2", "2022-2023-1", Regular, 1, 50.0);
            renamed.course_name = "新名".into();
            let mut unnamed = sat("C3", "2022-2023-2", Regular, 1, 70.0);
            unnamed.course_name = "".into();
            // Stored, new, stored, new, stored again: both orders of the lookup.
            let rows = [
                sat("A1", "2022-2023-1", Regular, 1, 50.0),
                sat("D4", "2022-2023-1", Regular, 1, 60.0),
                renamed,
                sat("E5", "2022-2023-2", Regular, 1, 61.0),
                unnamed,
                sat("D4", "2022-2023-2", Retake, 1, 62.0),
            ];
            let changes: Vec<Change> = rows
                .iter()
                .map(|a| tx.upsert_attempt("2021001", a).unwrap())
                .collect();
            tx.commit().unwrap();
            let courses: Vec<(i64, String, String)> = db
                .conn
                .prepare("SELECT id, code, name FROM courses ORDER BY id")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            (changes, courses)
        };
        let kept = outcome(COURSES_KEPT_IN_TESTS);
        assert_eq!(outcome(0), kept);
        use Change::*;
        assert_eq!(kept.0, [Unchanged, New, Changed, New, New, New]);
        let names: Vec<(&str, &str)> = kept
            .1
            .iter()
            .map(|(_, c, n)| (c.as_str(), n.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("A1", "课程A1"),
                ("B2", "新名"),
                ("C3", "课程C3"),
                ("D4", "课程D4"),
                ("E5", "课程E5")
            ]
        );
    }

    const COURSES_KEPT_IN_TESTS: usize = 100;
}
