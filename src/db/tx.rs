//! The import transaction: every upsert of one `yujing import` run, committed at once or not
//! at all (a dry run just drops it).

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, Statement, ToSql, Transaction, TransactionBehavior};

use super::{Db, DbError, cache, settings};

/// The maps an import looks up once or twice a row: keyed by text from the file, but no
/// caller picks the keys to attack the table (the roster and course list are the school's),
/// so a fast fixed hash beats std's SipHash.
pub(super) type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// What an upsert did to the stored row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    New,
    Changed,
    Unchanged,
}

/// An open write transaction. Dropping it without [`ImportTx::commit`] rolls everything back.
pub struct ImportTx<'a> {
    /// The grades upsert, prepared once and held: through the statement cache, fetching and
    /// returning a statement cost more than a sixth of a 2,000,000-row import. Declared
    /// before `tx` so it is finalised first.
    pub(super) grade_upsert: Option<Prepared<'a>>,
    /// Adds a course: held for the same reason, as a file may bring a million new codes.
    pub(super) course_insert: Option<Statement<'a>>,
    /// Whether the last code looked up past the kept map was a stored one.
    pub(super) course_stored_last: bool,
    /// The packed values of the grade row being written, its buffer kept between rows.
    pub(super) grade_row: Vec<u8>,
    /// The connection `tx` runs on, for statements that live as long as the transaction.
    pub(super) conn: &'a Connection,
    pub(super) tx: Transaction<'a>,
    /// student_id → students.id, loaded once so unknown-id checks and keys cost no query.
    pub(super) students: FastMap<String, i64>,
    /// course code → (courses.id, a hash of its name) for up to [`COURSES_KEPT`] codes; a
    /// name is only compared, so names are not kept. Codes past that are looked up in the
    /// table's unique index.
    pub(super) courses: FastMap<Box<str>, (i64, u64)>,
    /// [`COURSES_KEPT`], smaller in tests.
    pub(super) courses_kept: usize,
    /// Archived cohorts, and the roster students in them (student_id → cohort): read-only, so
    /// an import refuses their rows. Usually empty, so the check costs nothing.
    pub(super) archived_cohorts: HashSet<String>,
    pub(super) archived: FastMap<String, String>,
    /// Terms already recorded in `grade_terms` (or by this transaction).
    pub(super) grade_terms: HashSet<i64>,
    /// Whether any upsert wrote something, so an idle commit does not bump `last_change`.
    pub(super) wrote: bool,
    /// Whether grades changed: the default assessed term is worked out again, and an
    /// earlier version's warning to re-import grades is lifted.
    pub(super) grades_written: bool,
    /// Whom the import's summary line in the audit names.
    pub(super) auditor: Option<super::Auditor>,
    /// students.id of each student whose facts this transaction changed, so that cached
    /// evaluations of everyone else stay good.
    pub(super) touched: HashSet<i64>,
    /// A write that changes what every student's facts read (a renamed course).
    pub(super) touched_everyone: bool,
    /// Turns foreign-key checks back on once the transaction is over (declared last, so it
    /// runs after `tx` has committed or rolled back).
    _checks: ForeignKeysOff<'a>,
}

/// Foreign-key checks are off while an import runs: every student and course id it writes
/// comes from the maps above, read or inserted in the same transaction, and checking each
/// of two million rows against two parent tables again cost a tenth of the import.
struct ForeignKeysOff<'a>(&'a Connection);

impl<'a> ForeignKeysOff<'a> {
    /// Must run outside a transaction: SQLite ignores the pragma inside one.
    fn new(conn: &'a Connection) -> Result<Self, DbError> {
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        Ok(ForeignKeysOff(conn))
    }
}

impl Drop for ForeignKeysOff<'_> {
    fn drop(&mut self) {
        // Nothing to do about a failure here: the next open turns them on again.
        let _ = self.0.pragma_update(None, "foreign_keys", "ON");
    }
}

impl Db {
    /// Starts an import. Takes the write lock now (`BEGIN IMMEDIATE`), waiting up to the busy
    /// timeout for another counsellor's import to finish.
    pub fn begin_import(&mut self) -> Result<ImportTx<'_>, DbError> {
        // `&mut self` is held for the transaction's life, so no other transaction can start
        // on this connection: what `new_unchecked` asks of its caller.
        let conn: &Connection = &self.conn;
        let checks = ForeignKeysOff::new(conn)?;
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let students = collect_pairs(&tx, "SELECT student_id, id FROM students")?;
        let courses = {
            let mut stmt = tx.prepare("SELECT code, id, name FROM courses LIMIT ?1")?;
            stmt.query_map([COURSES_KEPT as i64], |r| {
                let code: String = r.get(0)?;
                let name = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
                Ok((code.into_boxed_str(), (r.get(1)?, name_hash(name))))
            })?
            .collect::<Result<_, _>>()?
        };
        let archived_cohorts = {
            let mut stmt = tx.prepare("SELECT cohort FROM archived_cohorts")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        let archived = {
            let mut stmt = tx.prepare(
                "SELECT s.student_id, s.cohort FROM students s \
                 JOIN archived_cohorts a ON a.cohort = s.cohort",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        let grade_terms = {
            let mut stmt = tx.prepare("SELECT term FROM grade_terms")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        Ok(ImportTx {
            grade_upsert: None,
            course_insert: None,
            course_stored_last: false,
            grade_row: Vec::new(),
            conn,
            tx,
            students,
            courses,
            courses_kept: COURSES_KEPT,
            archived_cohorts,
            archived,
            grade_terms,
            wrote: false,
            grades_written: false,
            auditor: self.auditor.clone(),
            touched: HashSet::new(),
            touched_everyone: false,
            _checks: checks,
        })
    }
}

/// How many course codes an import keeps in memory. A college has a few thousand, a large
/// university a few tens of thousands; the worst file (a code per student, 1,250,000 codes)
/// made the map most of the import's memory (250 MB) and had it rehash into fresh pages
/// twenty times, a tenth of the import's time. Past this, a code costs a look in the unique
/// index, which a new code's insert pays anyway.
pub(super) const COURSES_KEPT: usize = 1 << 16;

/// What `courses` keeps of a course name.
pub(super) fn name_hash(name: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0).hash_one(name)
}

fn collect_pairs(tx: &Transaction<'_>, sql: &str) -> Result<FastMap<String, i64>, DbError> {
    let mut stmt = tx.prepare(sql)?;
    let pairs = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(pairs.collect::<Result<_, _>>()?)
}

impl ImportTx<'_> {
    /// Commits with the import's summary (`after`, JSON) as its audit line, written in this
    /// same transaction.
    pub fn commit_audited(self, after: &serde_json::Value) -> Result<(), DbError> {
        super::audit::audit_write(
            &self.tx,
            self.auditor.as_ref(),
            "import",
            None,
            &serde_json::Value::Null,
            after,
        )?;
        self.commit()
    }

    /// Commits every upsert and, if anything was written, bumps the `last_change` counter.
    pub fn commit(self) -> Result<(), DbError> {
        if self.wrote {
            settings::bump_last_change(&self.tx)?;
            let who = if self.touched_everyone {
                cache::Changed::Everyone
            } else {
                cache::Changed::Students(&self.touched)
            };
            cache::facts_changed(&self.tx, who)?;
        }
        if self.grades_written {
            super::terms::store_default_term(&self.tx)?;
            self.tx
                .execute("DELETE FROM meta WHERE key = 'reimport_grades'", [])?;
        }
        self.tx.commit()?;
        Ok(())
    }

    /// Refuses a student of an archived cohort (by the roster, or by the cohort a students
    /// file gives).
    pub(super) fn check_not_archived(&self, student_id: &str, cohort: &str) -> Result<(), DbError> {
        if self.archived_cohorts.is_empty() {
            return Ok(());
        }
        let cohort = match self.archived.get(student_id) {
            Some(c) => c.as_str(),
            None if self.archived_cohorts.contains(cohort) => cohort,
            None => return Ok(()),
        };
        Err(DbError::Archived {
            student_id: student_id.to_string(),
            cohort: cohort.to_string(),
        })
    }

    /// The students.id of a roster student, or `UnknownStudent` (`Archived` for a student of
    /// an archived cohort).
    pub(super) fn student_rowid(&self, student_id: &str) -> Result<i64, DbError> {
        self.check_not_archived(student_id, "")?;
        self.students
            .get(student_id)
            .copied()
            .ok_or_else(|| DbError::UnknownStudent(student_id.to_string()))
    }

    /// Runs an upsert of one student's facts and remembers whether it changed them.
    pub(super) fn run_fact(
        &mut self,
        student: i64,
        upsert: &Upsert,
        params: &[&dyn ToSql],
    ) -> Result<Change, DbError> {
        let change = self.run(upsert, params)?;
        if change != Change::Unchanged {
            self.touched.insert(student);
        }
        Ok(change)
    }

    /// Runs an upsert and remembers whether it wrote.
    pub(super) fn run(
        &mut self,
        upsert: &Upsert,
        params: &[&dyn ToSql],
    ) -> Result<Change, DbError> {
        let change = upsert.run(&self.tx, params)?;
        self.wrote |= change != Change::Unchanged;
        Ok(change)
    }
}

/// The two statements that upsert one keyed table and tell new, changed and unchanged apart:
/// an `INSERT … ON CONFLICT DO NOTHING`, then, if the key existed, an `UPDATE` that only
/// matches when some value differs. Both take the same parameters: keys, then values.
pub(super) struct Upsert {
    insert: String,
    update: String,
    /// `SELECT {some value differs} … WHERE {key}`: no row when the key is new.
    probe: String,
}

impl Upsert {
    pub(super) fn new(table: &str, keys: &[&str], values: &[&str]) -> Upsert {
        let groups: Vec<&[&str]> = values.iter().map(std::slice::from_ref).collect();
        Upsert::build(table, keys, &groups, false)
    }

    /// Like [`Upsert::new`], for a file that may leave cells empty: a group of values (the
    /// columns one cell fills, like a fitness score and its grade word) whose parameters are
    /// all NULL or empty keeps what is stored, as an empty cell never erases a value.
    pub(super) fn keeping(table: &str, keys: &[&str], groups: &[&[&str]]) -> Upsert {
        Upsert::build(table, keys, groups, true)
    }

    fn build(table: &str, keys: &[&str], groups: &[&[&str]], keep_blank: bool) -> Upsert {
        let values: Vec<&str> = groups.iter().flat_map(|g| g.iter().copied()).collect();
        let all: Vec<&str> = keys.iter().chain(&values).copied().collect();
        let placeholders: Vec<String> = (1..=all.len()).map(|i| format!("?{i}")).collect();
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT DO NOTHING",
            all.join(", "),
            placeholders.join(", ")
        );
        let key_match: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ?{}", i + 1))
            .collect();
        let (mut set, mut differs) = (Vec::new(), Vec::new());
        let mut param = keys.len();
        for group in groups {
            let first = param + 1;
            let cols: Vec<(&str, usize)> = group
                .iter()
                .enumerate()
                .map(|(i, c)| (*c, first + i))
                .collect();
            param += group.len();
            let changed: Vec<String> = cols
                .iter()
                .map(|(c, i)| format!("{c} IS NOT ?{i}"))
                .collect();
            let changed = changed.join(" OR ");
            if keep_blank {
                let blank: Vec<String> = cols
                    .iter()
                    .map(|(_, i)| format!("coalesce(?{i}, '') = ''"))
                    .collect();
                let given = format!("NOT ({})", blank.join(" AND "));
                for (c, i) in &cols {
                    set.push(format!("{c} = CASE WHEN {given} THEN ?{i} ELSE {c} END"));
                }
                differs.push(format!("({given} AND ({changed}))"));
            } else {
                set.extend(cols.iter().map(|(c, i)| format!("{c} = ?{i}")));
                differs.push(changed);
            }
        }
        let update = format!(
            "UPDATE {table} SET {} WHERE {} AND ({})",
            set.join(", "),
            key_match.join(" AND "),
            differs.join(" OR ")
        );
        let probe = format!(
            "SELECT {} FROM {table} WHERE {}",
            differs.join(" OR "),
            key_match.join(" AND ")
        );
        Upsert {
            insert,
            update,
            probe,
        }
    }

    /// The two statements, prepared to be held (see [`ImportTx::grade_upsert`]).
    pub(super) fn prepare<'c>(&self, conn: &'c Connection) -> Result<Prepared<'c>, DbError> {
        Ok(Prepared {
            insert: conn.prepare(&self.insert)?,
            update: conn.prepare(&self.update)?,
            probe: conn.prepare(&self.probe)?,
            expect_new: true,
        })
    }

    pub(super) fn run(
        &self,
        tx: &Transaction<'_>,
        params: &[&dyn ToSql],
    ) -> Result<Change, DbError> {
        if tx.prepare_cached(&self.insert)?.execute(params)? == 1 {
            return Ok(Change::New);
        }
        Ok(match tx.prepare_cached(&self.update)?.execute(params)? {
            0 => Change::Unchanged,
            _ => Change::Changed,
        })
    }
}

/// An [`Upsert`]'s statements, prepared, for the rows of one file.
///
/// A file is mostly new rows (a new term's grades) or mostly rows already stored (the same
/// export again, or a term's file with a few late results). A new row costs one statement if
/// the insert is tried first; a stored one costs one if it is looked at first (the probe),
/// and two the other way round. So each row is tried the way that suited the row before.
pub(super) struct Prepared<'c> {
    insert: Statement<'c>,
    update: Statement<'c>,
    probe: Statement<'c>,
    /// Whether the last row was new.
    expect_new: bool,
}

impl Prepared<'_> {
    pub(super) fn run(&mut self, params: &[&dyn ToSql]) -> Result<Change, DbError> {
        let change = if self.expect_new {
            self.insert_first(params)?
        } else {
            self.probe_first(params)?
        };
        self.expect_new = change == Change::New;
        Ok(change)
    }

    fn insert_first(&mut self, params: &[&dyn ToSql]) -> Result<Change, DbError> {
        if self.insert.execute(params)? == 1 {
            return Ok(Change::New);
        }
        Ok(match self.update.execute(params)? {
            0 => Change::Unchanged,
            _ => Change::Changed,
        })
    }

    fn probe_first(&mut self, params: &[&dyn ToSql]) -> Result<Change, DbError> {
        let differs: Option<bool> = self
            .probe
            .query_row(params, |r| r.get::<_, Option<bool>>(0))
            .optional()?
            .map(|d| d.unwrap_or(false));
        Ok(match differs {
            None => {
                self.insert.execute(params)?;
                Change::New
            }
            Some(false) => Change::Unchanged,
            Some(true) => {
                self.update.execute(params)?;
                Change::Changed
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT, w TEXT) WITHOUT ROWID")
            .unwrap();
        conn
    }

    fn stored(conn: &Connection) -> Vec<(i64, Option<String>, Option<String>)> {
        let mut stmt = conn.prepare("SELECT k, v, w FROM t ORDER BY k").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// Each outcome through both ways of trying a row: after a new row (insert first) and
    /// after a stored one (looked at first).
    #[test]
    fn rows_tell_new_changed_and_unchanged_apart_whichever_way_they_are_tried() {
        use Change::*;
        let conn = table();
        let upsert = Upsert::new("t", &["k"], &["v", "w"]);
        let mut p = upsert.prepare(&conn).unwrap();
        let mut run = |k: i64, v: &str| p.run(&[&k, &v, &"w"]).unwrap();
        let steps = [
            (1, "a", New),       // insert first
            (2, "b", New),       // insert first
            (1, "a", Unchanged), // insert first, then the update matches nothing
            (1, "x", Changed),   // looked at first
            (2, "b", Unchanged), // looked at first
            (3, "c", New),       // looked at first, then inserted
            (3, "d", Changed),   // insert first, then updated
            (2, "y", Changed),   // looked at first
            (4, "e", New),       // looked at first, then inserted
        ];
        let got: Vec<Change> = steps.iter().map(|(k, v, _)| run(*k, v)).collect();
        let want: Vec<Change> = steps.iter().map(|(_, _, c)| *c).collect();
        assert_eq!(got, want);
        let w = Some("w".to_string());
        assert_eq!(
            stored(&conn),
            [
                (1, Some("x".into()), w.clone()),
                (2, Some("y".into()), w.clone()),
                (3, Some("d".into()), w.clone()),
                (4, Some("e".into()), w),
            ]
        );
    }

    /// A blank value keeps what is stored, looked at first or not.
    #[test]
    fn a_blank_cell_is_unchanged_whichever_way_it_is_tried() {
        use Change::*;
        let conn = table();
        let upsert = Upsert::keeping("t", &["k"], &[&["v"], &["w"]]);
        let mut p = upsert.prepare(&conn).unwrap();
        let none: Option<&str> = None;
        assert_eq!(p.run(&[&1, &"a", &"b"]).unwrap(), New);
        // Insert first: the update's blank group matches nothing.
        assert_eq!(p.run(&[&1, &none, &"b"]).unwrap(), Unchanged);
        // Looked at first now.
        assert_eq!(p.run(&[&1, &"", &"b"]).unwrap(), Unchanged);
        assert_eq!(p.run(&[&1, &none, &"c"]).unwrap(), Changed);
        assert_eq!(stored(&conn), [(1, Some("a".into()), Some("c".into()))]);
    }
}
