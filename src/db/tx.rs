//! The import transaction: every upsert of one `yujing import` run, committed at once or not
//! at all (a dry run just drops it).

use std::collections::{HashMap, HashSet};

use rusqlite::{ToSql, Transaction, TransactionBehavior};

use super::{Db, DbError, settings};

/// What an upsert did to the stored row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    New,
    Changed,
    Unchanged,
}

/// An open write transaction. Dropping it without [`ImportTx::commit`] rolls everything back.
pub struct ImportTx<'a> {
    pub(super) tx: Transaction<'a>,
    /// student_id → students.id, loaded once so unknown-id checks and keys cost no query.
    pub(super) students: HashMap<String, i64>,
    /// course code → (courses.id, name).
    pub(super) courses: HashMap<String, (i64, String)>,
    /// Terms already recorded in `grade_terms` (or by this transaction).
    pub(super) grade_terms: HashSet<i64>,
    /// Whether any upsert wrote something, so an idle commit does not bump `last_change`.
    pub(super) wrote: bool,
    /// Whether grades changed: the default assessed term is worked out again, and an
    /// earlier version's warning to re-import grades is lifted.
    pub(super) grades_written: bool,
    /// Whom the import's summary line in the audit names.
    pub(super) auditor: Option<super::Auditor>,
}

impl Db {
    /// Starts an import. Takes the write lock now (`BEGIN IMMEDIATE`), waiting up to the busy
    /// timeout for another counsellor's import to finish.
    pub fn begin_import(&mut self) -> Result<ImportTx<'_>, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let students = collect_pairs(&tx, "SELECT student_id, id FROM students")?;
        let courses = {
            let mut stmt = tx.prepare("SELECT code, id, name FROM courses")?;
            stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
                .collect::<Result<_, _>>()?
        };
        let grade_terms = {
            let mut stmt = tx.prepare("SELECT term FROM grade_terms")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        Ok(ImportTx {
            tx,
            students,
            courses,
            grade_terms,
            wrote: false,
            grades_written: false,
            auditor: self.auditor.clone(),
        })
    }
}

fn collect_pairs(tx: &Transaction<'_>, sql: &str) -> Result<HashMap<String, i64>, DbError> {
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
            settings::bump_facts_change(&self.tx)?;
        }
        if self.grades_written {
            super::grades::store_default_term(&self.tx)?;
            self.tx
                .execute("DELETE FROM meta WHERE key = 'reimport_grades'", [])?;
        }
        self.tx.commit()?;
        Ok(())
    }

    /// The students.id of a roster student, or `UnknownStudent`.
    pub(super) fn student_rowid(&self, student_id: &str) -> Result<i64, DbError> {
        self.students
            .get(student_id)
            .copied()
            .ok_or_else(|| DbError::UnknownStudent(student_id.to_string()))
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
}

impl Upsert {
    pub(super) fn new(table: &str, keys: &[&str], values: &[&str]) -> Upsert {
        let n = keys.len();
        let numbered = |cols: &[&str], from: usize, fmt: &dyn Fn(&str, usize) -> String| {
            cols.iter()
                .enumerate()
                .map(|(i, c)| fmt(c, from + i + 1))
                .collect::<Vec<_>>()
        };
        let all: Vec<&str> = keys.iter().chain(values).copied().collect();
        let placeholders = numbered(&all, 0, &|_, i| format!("?{i}")).join(", ");
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({placeholders}) ON CONFLICT DO NOTHING",
            all.join(", ")
        );
        let set = numbered(values, n, &|c, i| format!("{c} = ?{i}")).join(", ");
        let key_match = numbered(keys, 0, &|c, i| format!("{c} = ?{i}")).join(" AND ");
        let differs = numbered(values, n, &|c, i| format!("{c} IS NOT ?{i}")).join(" OR ");
        let update = format!("UPDATE {table} SET {set} WHERE {key_match} AND ({differs})");
        Upsert { insert, update }
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
